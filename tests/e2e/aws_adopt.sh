#!/usr/bin/env bash
# The AWS provider, two things the plain emulator cannot show:
#
# 1. aws_apigatewayv2_stage updated in place. moto has no UpdateStage, so
#    API Gateway goes through the fault proxy (tests/fakes/aws_fault_proxy.py
#    fakes UpdateStage and GetAuthorizers), as do Lambda (provisioned
#    concurrency), X-Ray and Budgets (part2_proxy). auto_deploy is switched
#    off out of band; the plan updates the stage (never replaces it), apply
#    puts it back, and the next plan has no changes.
#
# 2. Crash adoption for the types whose `find` looks objects up by what
#    identifies them (API by name and tuskform:address tag; integration by
#    function ARN, route by route key, stage and authorizer by name within
#    the API; the bucket notification by its entry Ids; scalable target and
#    scaling policy by namespace/resource/dimension (and name); sampling
#    rule by name; queue policy by queue URL), and for the types found
#    through a value another object produced (an alias, its provisioned
#    concurrency, a permission and an event target through their function
#    or rule, filled in from state when the journal is settled): the
#    state of a kill -9 in the
#    middle of their creates is made by hand (their rows removed from
#    state, a pending "create" intent each in the journal, in creation
#    order), and the next apply adopts every one instead of creating a
#    duplicate: one of each exists afterwards (checked with boto3), and the
#    plan after that has no changes.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/aws_lib.bash"
d=$work/adopt
mkdir -p "$d/code"
echo 'def handler(event, context): return 1' >"$d/code/app.py"
cat >"$d/main.tsk" <<TSK
[serverless_architecture]
provider = "aws"
service = "$pfx"
runtime = "python:3.12"
region = "us-east-1"

[serverless_architecture.functions]
api = {
    handler = "app.handler",
    source = "code",
    events = ["http", "uploads"],
    provisioned_concurrency = 2
}

[serverless_architecture.events]
http = { cors = true, authorizer = "jwt" }
uploads = { type = "s3", bucket = "$pfx-up", events = ["s3:ObjectCreated:*"] }

[serverless_architecture.authorizers]
jwt = { type = "jwt", issuer = "https://id.example.com", audience = ["web"] }

[event_driven_serverless]
enabled = true
dead_letter_queue = "$pfx-dlq"

[event_driven_serverless.events]
paid = { source = "pay", detail_type = "Paid", targets = ["api"] }

[cold_start_optimization]
enabled = true

[cold_start_optimization.strategies]
provisioned_concurrency = { enabled = true, concurrency = 2, auto_scaling = true }

[serverless_monitoring]
enabled = true
distributed_tracing = true

[serverless_monitoring.tracing]
provider = "xray"
sampling_rate = 0.2
TSK
boto 'c("s3").create_bucket(Bucket=P + "-up")'
part2_proxy
proxy=http://127.0.0.1:$(cat "$work/port")
export AWS_ENDPOINT_URL_APIGATEWAYV2=$proxy
cd "$d"

# pboto PYTHON: as boto, but API Gateway and X-Ray through the proxy.
pboto() {
  python3 - "$TSK_MOTO_URL" "$pfx" "$proxy" <<PY
import boto3, json, sys
URL, P, PX = sys.argv[1], sys.argv[2], sys.argv[3]
def c(svc):
    url = PX if svc in ("apigatewayv2", "xray") else URL
    return boto3.client(svc, endpoint_url=url, region_name="us-east-1")
$1
PY
}

note "apply"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete! Resources: 21 added, 0 changed, 0 destroyed."
expect_rc 0 tf plan -detailed-exitcode

note "the stage: auto_deploy switched off out of band, updated in place"
pboto '
gw = c("apigatewayv2")
api = [a for a in gw.get_apis()["Items"] if a["Name"] == P][0]
gw.update_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=False)
assert gw.get_stage(ApiId=api["ApiId"], StageName="$default")["AutoDeploy"] is False'
expect_rc 0 tf plan -json
cp "$work/out" "$work/stage.json"
plan_actions "$work/stage.json" >"$work/actions"
[ "$(cat "$work/actions")" = "aws_apigatewayv2_stage.$pfx update" ] ||
  { cat "$work/actions" >&2; fail "the stage change is not one in-place update"; }
expect_rc 2 tf plan -detailed-exitcode
has "$work/out" "aws_apigatewayv2_stage.$pfx will be updated in-place"
has "$work/out" "auto_deploy = false -> true"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Resources: 0 added, 1 changed, 0 destroyed."
pboto '
gw = c("apigatewayv2")
api = [a for a in gw.get_apis()["Items"] if a["Name"] == P][0]
assert gw.get_stage(ApiId=api["ApiId"], StageName="$default")["AutoDeploy"] is True'
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."

note "creates interrupted after the call: adopted, not duplicated"
# in creation order (a child is looked up through its API's recorded id)
addrs="aws_apigatewayv2_api.$pfx aws_apigatewayv2_authorizer.jwt
aws_apigatewayv2_stage.$pfx aws_apigatewayv2_integration.api
aws_apigatewayv2_route.api aws_lambda_alias.api
aws_lambda_provisioned_concurrency_config.api aws_appautoscaling_target.api
aws_appautoscaling_policy.api aws_lambda_permission.api_uploads
aws_s3_bucket_notification.$pfx-up aws_cloudwatch_event_target.paid_api
aws_sqs_queue_policy.$pfx-dlq aws_xray_sampling_rule.$pfx"
n=0
for a in $addrs; do
  grep -qx "$a" <(tf state list) || fail "$a is not in state"
  state_db "$d" "DELETE FROM resources WHERE address = '$a';
    INSERT INTO journal(address, action, provider, token, time)
    VALUES ('$a', 'create', 'aws', NULL, '2026-01-01T00:00:00Z');"
  n=$((n + 1))
done
expect_rc 0 tf apply -auto-approve
cat "$work/out" "$work/err" >"$work/adopt.out"
has "$work/adopt.out" "Settled $n operation(s)"
for a in $addrs; do
  has "$work/adopt.out" "$a: adopted "
done
[ "$(state_db "$d" "SELECT count(*) FROM journal")" = 0 ] || fail "journal not settled"
pboto '
gw, asc = c("apigatewayv2"), c("application-autoscaling")
apis = [a for a in gw.get_apis()["Items"] if a["Name"] == P]
assert len(apis) == 1, apis
a = apis[0]["ApiId"]
assert len(gw.get_routes(ApiId=a)["Items"]) == 1, gw.get_routes(ApiId=a)
assert len(gw.get_integrations(ApiId=a)["Items"]) == 1
assert len(gw.get_stages(ApiId=a)["Items"]) == 1
assert len(gw.get_authorizers(ApiId=a)["Items"]) == 1
t = asc.describe_scalable_targets(ServiceNamespace="lambda")["ScalableTargets"]
assert len([x for x in t if x["ResourceId"].startswith("function:" + P + "-")]) == 1, t
p = asc.describe_scaling_policies(ServiceNamespace="lambda")["ScalingPolicies"]
assert len([x for x in p if x["ResourceId"].startswith("function:" + P + "-")]) == 1, p
n = c("s3").get_bucket_notification_configuration(Bucket=P + "-up")
assert len(n.get("LambdaFunctionConfigurations", [])) == 1, n
r = [x for x in c("xray").get_sampling_rules()["SamplingRuleRecords"]
     if x["SamplingRule"]["RuleName"] == P]
assert len(r) == 1, r'
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."

note "destroy"
expect_rc 0 tf destroy -auto-approve
pboto '
assert not [a for a in c("apigatewayv2").get_apis()["Items"] if a["Name"] == P]'
echo PASS
