#!/usr/bin/env bash
# Drift for each part II family on the AWS provider: examples/serverless
# applied against moto_server (as aws_full.sh; the fault proxy only for
# what the emulator lacks), then changed out of band with boto3 - an event
# rule's pattern, a target's retry attempts, an alarm's threshold, a
# budget's amount (UpdateBudget: through the proxy, which fakes it) and
# the bucket's notification events - and `drift` (exit 2) names each object
# and attribute; apply repairs all of it and `drift` is clean again.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/aws_lib.bash"
layer=$(full_sources)
d=$work/ex
full_example "$d" "$layer"
part2_proxy
cd "$d"

note "apply examples/serverless"
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf drift

note "out-of-band changes, one per family"
boto '
ev = c("events")
ev.put_rule(Name=P + "-user_registered", EventBusName="default", State="ENABLED",
    EventPattern=json.dumps({"source": ["user-service"], "detail-type": ["UserDeleted"]}))
t = [t for t in ev.list_targets_by_rule(Rule=P + "-order_created")["Targets"]
     if t["Id"] == "payment_processing"][0]
t["RetryPolicy"]["MaximumRetryAttempts"] = 9
r = ev.put_targets(Rule=P + "-order_created", Targets=[t])
assert r["FailedEntryCount"] == 0, r
cw = c("cloudwatch")
a = cw.describe_alarms(AlarmNames=[P + "-user_management-throttles"])["MetricAlarms"][0]
cw.put_metric_alarm(AlarmName=a["AlarmName"], Namespace=a["Namespace"],
    MetricName=a["MetricName"], Statistic=a["Statistic"], Period=a["Period"],
    EvaluationPeriods=a["EvaluationPeriods"], Threshold=7.0,
    ComparisonOperator=a["ComparisonOperator"], Dimensions=a["Dimensions"],
    TreatMissingData=a["TreatMissingData"], AlarmDescription=a["AlarmDescription"])
s3 = c("s3")
n = s3.get_bucket_notification_configuration(Bucket=P + "-data-bucket")
n.pop("ResponseMetadata", None)
for x in n["LambdaFunctionConfigurations"]:
    if x["Id"] == P + "-data_processing-s3":
        x["Events"] = ["s3:ObjectRemoved:*"]
s3.put_bucket_notification_configuration(Bucket=P + "-data-bucket",
    NotificationConfiguration=n)'
# moto has no UpdateBudget: the proxy does it (as tuskform's updates)
python3 - "$AWS_ENDPOINT_URL_BUDGETS" "$pfx" "$TSK_MOTO_URL" <<'PY'
import boto3, sys
acct = boto3.client("sts", endpoint_url=sys.argv[3],
                    region_name="us-east-1").get_caller_identity()["Account"]
b = boto3.client("budgets", endpoint_url=sys.argv[1], region_name="us-east-1")
cur = b.describe_budget(AccountId=acct, BudgetName=sys.argv[2] + "-nightly_batch")["Budget"]
new = {k: cur[k] for k in ("BudgetName", "BudgetType", "TimeUnit", "CostFilters")}
new["BudgetLimit"] = {"Amount": "99.0", "Unit": "USD"}
b.update_budget(AccountId=acct, NewBudget=new)
PY

note "drift names each one"
expect_rc 2 tf drift
for want in "aws_cloudwatch_event_rule.user_registered has changed" \
  "event_pattern" "UserDeleted" \
  "aws_cloudwatch_event_target.order_created_payment_processing has changed" \
  "retry_policy" \
  "aws_cloudwatch_metric_alarm.user_management_throttles has changed" \
  "threshold" \
  "aws_budgets_budget.nightly_batch has changed" "limit_amount" \
  "aws_s3_bucket_notification.${pfx}-data-bucket has changed" \
  "s3:ObjectRemoved:*"; do
  has "$work/out" "$want"
done
expect_rc 2 tf drift -json
python3 - "$work/out" "$pfx" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
text = json.dumps(doc)
for a in ("aws_cloudwatch_event_rule.user_registered",
          "aws_cloudwatch_event_target.order_created_payment_processing",
          "aws_cloudwatch_metric_alarm.user_management_throttles",
          "aws_budgets_budget.nightly_batch",
          "aws_s3_bucket_notification.%s-data-bucket" % sys.argv[2]):
    assert a in text, a
PY

note "apply repairs it, drift is clean"
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf drift
boto '
r = c("events").describe_rule(Name=P + "-user_registered")
assert json.loads(r["EventPattern"])["detail-type"] == ["UserRegistered"], r'
expect_rc 0 tf destroy -auto-approve
note "ok"
