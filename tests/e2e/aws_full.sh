#!/usr/bin/env bash
# examples/serverless on the AWS provider against moto_server: the
# configuration as shipped (names prefixed per run, a PHP layer added; the
# table, stream, bucket and layer it names made with boto3) applies in
# full; every part II resource is checked with boto3; a second plan shows
# no changes; one updatable attribute per part II type changes in place
# (plan says update, never replace), applies, and plans clean again;
# destroy removes everything. The emulator serves every type directly
# except what it lacks (Lambda provisioned concurrency, X-Ray sampling
# rules, Budgets UpdateBudget), which the fault proxy fakes (part2_proxy).
#
# The emulator accepts a function's logging config (the debug log level)
# but never returns it, where AWS does: the driver keeps the value it set
# when nothing is reported (lambda_function.c), so the no-change plans
# here pass with log_level = "verbose" in the configuration, but they do
# not prove that the log level is read back. That part is AWS-only.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/aws_lib.bash"
layer=$(full_sources)
d=$work/ex
full_example "$d" "$layer"
part2_proxy
cd "$d"

note "apply examples/serverless"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete! Resources: 185 added, 0 changed, 0 destroyed."
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."

note "every part II resource, checked with boto3"
boto '
ev, lam = c("events"), c("lambda")
rules = {r["Name"]: r for r in ev.list_rules(NamePrefix=P + "-")["Rules"]}
# 3 event rules, 1+1 schedules, 10 warm-up rules (every function but
# data_processing, which switches pre-warming off)
names = sorted(rules)
assert len(names) == 15, names
r = rules[P + "-order_created"]
assert json.loads(r["EventPattern"]) == {"source": ["order-service"],
    "detail-type": ["OrderCreated"]}, r
assert rules[P + "-data_processing-batch"]["ScheduleExpression"] == "cron(0 2 * * ? *)"
assert rules[P + "-order_processing-eventbridge"]["ScheduleExpression"] == "rate(5 minutes)"
assert rules[P + "-user_management-warmup"]["ScheduleExpression"] == "rate(5 minutes)"
assert P + "-data_processing-warmup" not in rules
dlq = c("sqs").get_queue_url(QueueName=P + "-dlq")["QueueUrl"]
dlq_arn = c("sqs").get_queue_attributes(QueueUrl=dlq,
    AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
tg = {t["Id"]: t for t in ev.list_targets_by_rule(Rule=P + "-order_created")["Targets"]}
assert sorted(tg) == ["inventory_update", "notification", "payment_processing"], tg
assert tg["inventory_update"]["RetryPolicy"]["MaximumRetryAttempts"] == 5, tg
assert tg["inventory_update"]["DeadLetterConfig"]["Arn"] == dlq_arn, tg
assert tg["inventory_update"]["Arn"].endswith(":function:" + P + "-inventory_update")
w = ev.list_targets_by_rule(Rule=P + "-user_management-warmup")["Targets"]
assert len(w) == 1 and json.loads(w[0]["Input"]) == {"warmup": True}, w
pol = json.loads(c("sqs").get_queue_attributes(QueueUrl=dlq,
    AttributeNames=["Policy"])["Attributes"]["Policy"])
st = pol["Statement"][0]
assert st["Principal"] == {"Service": "events.amazonaws.com"}, st
assert len(st["Condition"]["ArnLike"]["aws:SourceArn"]) == 3, st
def sids(fn):
    p = json.loads(lam.get_policy(FunctionName=P + "-" + fn)["Policy"])
    return sorted(s["Sid"] for s in p["Statement"])
assert sids("inventory_update") == ["events-" + P + "-inventory_update-warmup",
    "events-" + P + "-order_created"], sids("inventory_update")
assert sids("user_management") == ["apigw-" + P, "events-" + P +
    "-user_management-warmup", "s3-" + P + "-data-bucket"], sids("user_management")
# HTTP API
gw = c("apigatewayv2")
apis = [a for a in gw.get_apis()["Items"] if a["Name"] == P]
assert len(apis) == 1, apis
api = apis[0]
assert api["CorsConfiguration"]["AllowOrigins"] == ["*"], api
rl = gw.get_routes(ApiId=api["ApiId"])["Items"]
routes = sorted(r["RouteKey"] for r in rl)
assert routes == ["ANY /order_processing/{proxy+}",
    "ANY /user_management/{proxy+}"], routes
assert {r["AuthorizationType"] for r in rl} == {"JWT"}, rl
assert len({r["AuthorizerId"] for r in rl}) == 1, rl
# (moto has no GetAuthorizers: the routes name the one authorizer)
auth = gw.get_authorizer(ApiId=api["ApiId"], AuthorizerId=rl[0]["AuthorizerId"])
assert auth["JwtConfiguration"]["Audience"] == ["shop-web-client"], auth
assert auth["IdentitySource"] == ["$request.header.Authorization"], auth
ints = gw.get_integrations(ApiId=api["ApiId"])["Items"]
assert {i["IntegrationType"] for i in ints} == {"AWS_PROXY"}, ints
st = gw.get_stage(ApiId=api["ApiId"], StageName="$default")
assert st["AutoDeploy"] is True, st
# S3: one notification merging both functions
n = c("s3").get_bucket_notification_configuration(Bucket=P + "-data-bucket")
fns = sorted(x["LambdaFunctionArn"].split(":")[-1]
             for x in n["LambdaFunctionConfigurations"])
assert fns == [P + "-data_processing", P + "-user_management"], n
# alarms: errors, throttles, duration for each of the 11 functions
al = c("cloudwatch").describe_alarms(AlarmNamePrefix=P + "-")["MetricAlarms"]
assert len(al) == 33, len(al)
dur = [a for a in al if a["AlarmName"] == P + "-order_processing-duration"][0]
assert dur["Threshold"] == 108000.0 and dur["Statistic"] == "Maximum", dur
# budgets
bud = c("budgets")
acct = c("sts").get_caller_identity()["Account"]
b = bud.describe_budget(AccountId=acct, BudgetName=P + "-orders")["Budget"]
assert float(b["BudgetLimit"]["Amount"]) == 120 and b["TimeUnit"] == "MONTHLY", b
assert b["CostFilters"] == {"TagKeyValue": [
    "user:tuskform:address$aws_lambda_function.order_processing"]}, b
ns = bud.describe_notifications_for_budget(AccountId=acct,
    BudgetName=P + "-orders")["Notifications"]
assert sorted(x["Threshold"] for x in ns) == [80, 100], ns
# provisioned-concurrency autoscaling
aas = c("application-autoscaling")
ts = [t for t in aas.describe_scalable_targets(ServiceNamespace="lambda")["ScalableTargets"]
      if t["ResourceId"].startswith("function:" + P + "-")]
assert len(ts) == 10, ts
um = [t for t in ts if t["ResourceId"] == "function:" + P + "-user_management:live"][0]
assert (um["MinCapacity"], um["MaxCapacity"]) == (2, 20), um
# debug: tracing on (trace_invocations, distributed_tracing), log group
# retention; the log level is not returned by the emulator (see above)
cfg = lam.get_function_configuration(FunctionName=P + "-order_processing")
assert cfg["TracingConfig"]["Mode"] == "Active", cfg
lg = c("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/" + P + "-order_processing")
assert lg["logGroups"][0]["retentionInDays"] == 14, lg
ps = aas.describe_scaling_policies(ServiceNamespace="lambda",
    ResourceId="function:" + P + "-user_management:live")["ScalingPolicies"]
assert ps[0]["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 0.7, ps'
# X-Ray sampling rules live in the proxy (the emulator has none)
python3 - "$AWS_ENDPOINT_URL_XRAY" "$pfx" <<'PY'
import boto3, sys
x = boto3.client("xray", endpoint_url=sys.argv[1], region_name="us-east-1")
r = [r["SamplingRule"] for r in x.get_sampling_rules()["SamplingRuleRecords"]
     if r["SamplingRule"]["RuleName"] == sys.argv[2]]
assert len(r) == 1 and r[0]["FixedRate"] == 0.1, r
assert r[0]["ServiceName"] == sys.argv[2] + "-*", r
PY

note "one updatable attribute per type changes in place"
# rule pattern (detail_type), target retry (max_attempts), schedule
# (batch cron), warm-up input (concurrency 2), CORS and JWT audience,
# bucket events, alarm threshold (timeout), autoscaling max (max_instances),
# budget amount, sampling rate; a new rule also updates the DLQ policy.
a=$d/serverless-architecture.tsk e=$d/event-driven-serverless.tsk
sed -i -e 's/detail_type = "OrderCreated"/detail_type = "OrderPlaced"/' \
  -e '/^inventory_update = {/,/^}/s/max_attempts = 5/max_attempts = 0/' "$e"
cat >>"$e" <<'TSK'

[event_driven_serverless.events]
refund_issued = { source = "payment-service", detail_type = "RefundIssued", targets = ["notification"] }
TSK
sed -i -e 's/cron(0 2 \* \* ? \*)/cron(0 3 * * ? *)/' \
  -e 's/events = \["s3:ObjectCreated:\*"\]/events = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]/' \
  -e 's/audience = \["shop-web-client"\]/audience = ["shop-web-client", "shop-app"]/' \
  -e 's/http = { cors = true,/http = { cors = false,/' \
  -e '/^order_processing = {/,/^}/s/timeout = 120/timeout = 100/' "$a"
sed -i -e 's/concurrency = 1$/concurrency = 2/' -e 's/max_instances = 20/max_instances = 30/' \
  "$d/cold-start-optimization.tsk"
sed -i -e 's/orders = { amount = 120,/orders = { amount = 150,/' \
  -e 's/sampling_rate = 0.1/sampling_rate = 0.2/' "$d/serverless-monitoring.tsk"
expect_rc 2 tf plan -detailed-exitcode -json
plan_actions "$work/out" | sort >"$work/actions"
for want in "aws_cloudwatch_event_rule.order_created update" \
  "aws_cloudwatch_event_target.order_created_inventory_update update" \
  "aws_cloudwatch_event_rule.data_processing_batch update" \
  "aws_cloudwatch_event_target.user_management_warmup update" \
  "aws_sqs_queue_policy.${pfx}-dlq update" \
  "aws_apigatewayv2_api.${pfx} update" \
  "aws_apigatewayv2_authorizer.cognito update" \
  "aws_s3_bucket_notification.${pfx}-data-bucket update" \
  "aws_cloudwatch_metric_alarm.order_processing_duration update" \
  "aws_appautoscaling_target.user_management update" \
  "aws_budgets_budget.orders update" \
  "aws_xray_sampling_rule.${pfx} update" \
  "aws_cloudwatch_event_rule.refund_issued create" \
  "aws_cloudwatch_event_target.refund_issued_notification create" \
  "aws_lambda_permission.notification_refund_issued create"; do
  grep -qxF "$want" "$work/actions" || { cat "$work/actions" >&2; fail "plan lacks: $want"; }
done
if grep -E 'delete' "$work/actions"; then fail "an in-place change was planned as a replace"; fi
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete! Resources: 3 added,"
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."
boto '
ev = c("events")
r = ev.describe_rule(Name=P + "-order_created")
assert json.loads(r["EventPattern"])["detail-type"] == ["OrderPlaced"], r
t = [t for t in ev.list_targets_by_rule(Rule=P + "-order_created")["Targets"]
     if t["Id"] == "inventory_update"][0]
assert t["RetryPolicy"]["MaximumRetryAttempts"] == 0, t
w = ev.list_targets_by_rule(Rule=P + "-user_management-warmup")["Targets"][0]
assert json.loads(w["Input"]) == {"warmup": True, "concurrency": 2}, w
api = [a for a in c("apigatewayv2").get_apis()["Items"] if a["Name"] == P][0]
assert not api.get("CorsConfiguration"), api
n = c("s3").get_bucket_notification_configuration(Bucket=P + "-data-bucket")
assert all(len(x["Events"]) == 2 for x in n["LambdaFunctionConfigurations"]), n
acct = c("sts").get_caller_identity()["Account"]
b = c("budgets").describe_budget(AccountId=acct, BudgetName=P + "-orders")["Budget"]
assert float(b["BudgetLimit"]["Amount"]) == 150, b'

note "import by id, one object per type, gives a no-change plan"
boto '
gw = c("apigatewayv2")
api = [a for a in gw.get_apis()["Items"] if a["Name"] == P][0]["ApiId"]
rt = [r for r in gw.get_routes(ApiId=api)["Items"]
      if r["RouteKey"] == "ANY /user_management/{proxy+}"][0]
acct = c("sts").get_caller_identity()["Account"]
dlq = c("sqs").get_queue_url(QueueName=P + "-dlq")["QueueUrl"]
fn = "function:%s-user_management:live" % P
dim = "lambda:function:ProvisionedConcurrency"
ids = {"aws_cloudwatch_event_rule.order_created": P + "-order_created",
       "aws_cloudwatch_event_target.order_created_inventory_update":
           P + "-order_created/inventory_update",
       "aws_lambda_permission.inventory_update_order_created":
           "%s-inventory_update/events-%s-order_created" % (P, P),
       "aws_sqs_queue_policy.%s-dlq" % P: dlq,
       "aws_apigatewayv2_api." + P: api,
       "aws_apigatewayv2_route.user_management": api + "/" + rt["RouteId"],
       "aws_apigatewayv2_integration.user_management":
           api + "/" + rt["Target"].split("/")[1],
       "aws_apigatewayv2_authorizer.cognito": api + "/" + rt["AuthorizerId"],
       "aws_apigatewayv2_stage." + P: api + "/$default",
       "aws_s3_bucket_notification.%s-data-bucket" % P: P + "-data-bucket",
       "aws_cloudwatch_metric_alarm.order_processing_duration":
           P + "-order_processing-duration",
       "aws_budgets_budget.orders": "%s:%s-orders" % (acct, P),
       "aws_appautoscaling_target.user_management": "lambda|%s|%s" % (fn, dim),
       "aws_appautoscaling_policy.user_management":
           "%s-user_management-pc-utilization|lambda|%s|%s" % (P, fn, dim),
       "aws_xray_sampling_rule." + P: P}
open("ids", "w").write("".join("%s %s\n" % kv for kv in ids.items()))'
expect_rc 0 tf state rm $(cut -d' ' -f1 ids)
while read -r addr id; do
  expect_rc 0 tf import "$addr" "$id"
done <ids
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."

note "destroy removes everything"
expect_rc 0 tf destroy -auto-approve
has "$work/out" "Destroy complete!"
boto '
assert not c("events").list_rules(NamePrefix=P + "-")["Rules"]
assert not [a for a in c("apigatewayv2").get_apis()["Items"] if a["Name"] == P]
assert not c("cloudwatch").describe_alarms(AlarmNamePrefix=P + "-")["MetricAlarms"]
n = c("s3").get_bucket_notification_configuration(Bucket=P + "-data-bucket")
assert not n.get("LambdaFunctionConfigurations"), n
acct = c("sts").get_caller_identity()["Account"]
left = [b["BudgetName"] for b in c("budgets").describe_budgets(AccountId=acct).get("Budgets", [])
        if b["BudgetName"].startswith(P + "-")]
assert not left, left
assert not [t for t in c("application-autoscaling").describe_scalable_targets(
    ServiceNamespace="lambda")["ScalableTargets"] if t["ResourceId"].startswith("function:" + P + "-")]
assert not [f for f in c("lambda").list_functions()["Functions"]
            if f["FunctionName"].startswith(P + "-")]'
note "ok"
