#!/usr/bin/env bash
# The AWS provider against plain moto_server (no proxy): apply a test
# configuration of part I's types (roles, functions, log groups, queues
# with the dead-letter queue, SQS/DynamoDB/Kinesis mappings), then a
# no-change plan; one updatable attribute per type changed (planned as
# update, never replace), applied, no-change plan; import by id of every
# type gives a no-change plan; an out-of-band memory change is drift
# (exit 2, naming memory_size); destroy leaves nothing (checked with boto3).
# Provisioned concurrency (and its alias) needs the fault proxy: see
# aws_faults.sh.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/aws_lib.bash"
d=$work/rt
write_aws "$d"
cd "$d"
make_sources

note "apply, then nothing to do"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete"
expect_rc 0 tf plan -detailed-exitcode
boto '
l = c("lambda")
names = sorted(f["FunctionName"] for f in l.list_functions()["Functions"]
               if f["FunctionName"].startswith(P + "-"))
assert names == [P + "-api", P + "-notify", P + "-worker"], names
fn = l.get_function(FunctionName=P + "-api")
assert fn["Tags"]["tuskform:address"] == "aws_lambda_function.api", fn["Tags"]
assert fn["Tags"]["tuskform:stack"] == P, fn["Tags"]
assert fn["Configuration"]["Runtime"] == "python3.12"
dlq = c("sqs").get_queue_url(QueueName=P + "-dlq")["QueueUrl"]
a = c("sqs").get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])
assert a["Attributes"]["MessageRetentionPeriod"] == "1209600", a
m = [x for x in l.list_event_source_mappings()["EventSourceMappings"]
     if x["FunctionArn"].endswith(":function:" + P + "-api")]
assert len(m) == 3, m'

note "one updatable attribute per type: update in place"
# memory (function), team tag (role, log group, function), timeout 30->40
# (function, and the queue visibility 6x), sqs batch 10->5 (mapping)
write_aws "$d" 384 qa2 40 5
expect_rc 2 tf plan -detailed-exitcode -json
plan_actions "$work/out" | sort >"$work/actions"
cat >"$work/want" <<EOF
aws_cloudwatch_log_group.api update
aws_cloudwatch_log_group.notify update
aws_cloudwatch_log_group.worker update
aws_iam_role.api update
aws_iam_role.notify update
aws_iam_role.worker update
aws_lambda_event_source_mapping.api_sqs update
aws_lambda_function.api update
aws_lambda_function.notify update
aws_lambda_function.worker update
aws_sqs_queue.${pfx}-jobs update
EOF
diff -u "$work/want" "$work/actions" || fail "unexpected plan actions"
expect_rc 0 tf apply -auto-approve
has "$work/out" "0 added, 11 changed, 0 destroyed"
expect_rc 0 tf plan -detailed-exitcode
boto '
l = c("lambda")
cfg = l.get_function_configuration(FunctionName=P + "-api")
assert cfg["MemorySize"] == 384 and cfg["Timeout"] == 40, cfg
q = c("sqs").get_queue_url(QueueName=P + "-jobs")["QueueUrl"]
a = c("sqs").get_queue_attributes(QueueUrl=q, AttributeNames=["All"])
assert a["Attributes"]["VisibilityTimeout"] == "240", a
m = [x for x in l.list_event_source_mappings()["EventSourceMappings"]
     if x["FunctionArn"].endswith(":function:" + P + "-api")
     and ":sqs:" in x["EventSourceArn"]]
assert m[0]["BatchSize"] == 5, m
t = c("logs").list_tags_log_group(logGroupName="/aws/lambda/" + P + "-api")
assert t["tags"]["team"] == "qa2", t
# the ids for the imports below
m = {x["EventSourceArn"].split(":")[2]: x["UUID"] for x in
     l.list_event_source_mappings()["EventSourceMappings"]
     if x["FunctionArn"].endswith(":function:" + P + "-api")}
ids = {"aws_lambda_function.api": P + "-api",
       "aws_iam_role.api": P + "-api-role",
       "aws_cloudwatch_log_group.api": "/aws/lambda/" + P + "-api",
       "aws_sqs_queue." + P + "-jobs": q,
       "aws_lambda_event_source_mapping.api_sqs": m["sqs"],
       "aws_lambda_event_source_mapping.api_dynamodb": m["dynamodb"],
       "aws_lambda_event_source_mapping.api_kinesis": m["kinesis"]}
open("ids", "w").write("".join("%s %s\n" % kv for kv in ids.items()))'

note "import by id gives a no-change plan"
expect_rc 0 tf state rm $(cut -d' ' -f1 ids)
while read -r addr id; do
  expect_rc 0 tf import "$addr" "$id"
done <ids
expect_rc 0 tf plan -detailed-exitcode

note "an out-of-band change is drift"
boto 'c("lambda").update_function_configuration(FunctionName=P + "-api",
                                                 MemorySize=1024)'
expect_rc 2 tf drift
has "$work/out" "aws_lambda_function.api has changed"
has "$work/out" "memory_size"
has "$work/out" "384 -> 1024"
note "apply repairs it"
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf drift

note "destroy leaves nothing behind"
expect_rc 0 tf destroy -auto-approve
boto '
l = c("lambda")
left = [f["FunctionName"] for f in l.list_functions()["Functions"]
        if f["FunctionName"].startswith(P + "-")]
assert not left, left
maps = [m for m in l.list_event_source_mappings()["EventSourceMappings"]
        if (":function:" + P + "-") in m["FunctionArn"]]
assert not maps, maps
roles = [r["RoleName"] for r in c("iam").list_roles()["Roles"]
         if r["RoleName"].startswith(P + "-")]
assert not roles, roles
groups = c("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/" + P)
assert not groups["logGroups"], groups
queues = c("sqs").list_queues(QueueNamePrefix=P).get("QueueUrls", [])
assert not queues, queues'
expect_rc 0 tf plan -detailed-exitcode -destroy
echo "aws_roundtrip: ok"
