# aws_lib.bash - sourced by the AWS end-to-end scripts (tests/e2e/aws_*.sh):
# lib.bash (scratch folder, expect_rc, has), the emulator's address from
# TSK_MOTO_URL (a clear failure when it is unset), dummy credentials, a
# unique name prefix per run (tests share one emulator and run in
# parallel), boto3 calls for out-of-band changes and checks, and a test
# configuration restricted to the types of the AWS provider's part I.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.bash"

if [ -z "${TSK_MOTO_URL:-}" ]; then
  fail "TSK_MOTO_URL is not set: run through 'make test' (tests/services.sh" \
       "starts moto_server), or start 'moto_server -H 127.0.0.1 -p PORT'" \
       "and export TSK_MOTO_URL=http://127.0.0.1:PORT"
fi
python3 -c 'import boto3' 2>/dev/null || fail "python3 with boto3 is needed"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_LAMBDA
export AWS_ENDPOINT_URL=$TSK_MOTO_URL
export TUSKFORM_POLL_INTERVAL_MS=${TUSKFORM_POLL_INTERVAL_MS:-200}
export TUSKFORM_POLL_DEADLINE_MS=${TUSKFORM_POLL_DEADLINE_MS:-30000}
export TUSKFORM_RETRY_BASE_MS=${TUSKFORM_RETRY_BASE_MS:-100}
pfx="t$(( $$ % 100000 ))$RANDOM"
t0=$SECONDS
note() { echo "--- [$((SECONDS - t0))s] $*"; }

# boto PYTHON: runs PYTHON with `c(service)` (a boto3 client on the
# emulator, always direct, never through a proxy) and `P` (the prefix).
boto() {
  python3 - "$TSK_MOTO_URL" "$pfx" <<PY
import boto3, json, sys
URL, P = sys.argv[1], sys.argv[2]
def c(svc):
    return boto3.client(svc, endpoint_url=URL, region_name="us-east-1")
$1
PY
}

# make_sources: the DynamoDB table (with a stream) and the Kinesis stream
# that the configuration only names.
make_sources() {
  boto '
c("dynamodb").create_table(TableName=P + "-users",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
c("kinesis").create_stream(StreamName=P + "-data", ShardCount=1)'
}

# write_aws DIR [MEMORY] [TEAM] [TIMEOUT] [BATCH] [PC]: functions api
# (sqs, dynamodb and kinesis sources) and worker, handler notify (dead-
# letter queue); worker gets PC provisioned instances when PC > 0.
write_aws() {
  local dir=$1 mem=${2:-256} team=${3:-qa} timeout=${4:-30} batch=${5:-10}
  local pc=${6:-0}
  mkdir -p "$dir/code"
  echo 'def handler(event, context): return 1' >"$dir/code/app.py"
  cat >"$dir/main.tsk" <<TSK
[serverless_architecture]
provider = "aws"
service = "$pfx"
runtime = "python:3.12"
region = "us-east-1"
memory_size = 256
timeout = 30
tags = { team = "$team" }

[serverless_architecture.functions]
api = {
    handler = "app.handler",
    source = "code",
    events = ["sqs", "dynamodb", "kinesis"],
    memory_size = $mem,
    timeout = $timeout,
    environment = { STAGE = "test" }
}
worker = {
    handler = "app.handler",
    source = "code",
    provisioned_concurrency = $pc
}

[serverless_architecture.events]
sqs = { queue = "$pfx-jobs", batch_size = $batch }
dynamodb = { stream = "$pfx-users", batch_size = 100 }
kinesis = { stream = "$pfx-data", batch_size = 100 }

[event_driven_serverless]
enabled = true
dead_letter_queue = "$pfx-dlq"

[event_driven_serverless.handlers]
notify = { function = "app.handler", source = "code" }
TSK
}

# plan_actions FILE: "ADDRESS ACTION[,ACTION]" per change of a plan -json.
plan_actions() {
  python3 - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for rc in doc.get("resource_changes", []):
    acts = rc["change"]["actions"]
    if acts != ["no-op"]:
        print(rc["address"], ",".join(acts))
PY
}

# ---- part II (aws_full.sh, aws_drift_families.sh) ----------------------

# full_sources: what examples/serverless names but does not make, made with
# boto3 under the prefix: the DynamoDB table (with a stream), the Kinesis
# stream, the S3 bucket and a PHP layer (php:8.4 runs on provided.al2023
# with a layer); prints the layer version ARN.
full_sources() {
  boto '
import io, zipfile
c("dynamodb").create_table(TableName=P + "-user-table",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
c("kinesis").create_stream(StreamName=P + "-data-stream", ShardCount=1)
c("s3").create_bucket(Bucket=P + "-data-bucket")
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("bin/php", "#!/bin/sh\n")
v = c("lambda").publish_layer_version(LayerName=P + "-php84",
    Content={"ZipFile": buf.getvalue()},
    CompatibleRuntimes=["provided.al2023"])
print(v["LayerVersionArn"])'
}

# full_example DIR LAYER: examples/serverless copied to DIR, every name it
# gives (service, bucket, queue, dead-letter queue, table, stream) prefixed
# with $pfx so that parallel tests do not collide, and LAYER added.
full_example() {
  local dir=$1 layer=$2
  cp -r "$TSK_SRC/examples/serverless" "$dir"
  sed -i -e "s/^service = \"shop\"/service = \"$pfx\"/" \
    -e "s/\"data-bucket\"/\"$pfx-data-bucket\"/" \
    -e "s/\"order-queue\"/\"$pfx-order-queue\"/" \
    -e "s/\"user-table-stream\"/\"$pfx-user-table\"/" \
    -e "s/\"data-stream\"/\"$pfx-data-stream\"/" \
    -e "s#^runtime = \"php:8.4\"#runtime = \"php:8.4\"\nlayers = [\"$layer\"]#" \
    "$dir/serverless-architecture.tsk"
  sed -i "s/\"dlq-serverless\"/\"$pfx-dlq\"/" "$dir/event-driven-serverless.tsk"
  grep -q "service = \"$pfx\"" "$dir/serverless-architecture.tsk" ||
    fail "full_example: the example changed; update the substitutions"
  export TUSKFORM_PROVIDER=aws
}

# part2_proxy: the fault proxy in front of the emulator for only what the
# emulator lacks (Lambda provisioned concurrency, X-Ray sampling rules,
# Budgets UpdateBudget): AWS_ENDPOINT_URL_{LAMBDA,XRAY,BUDGETS} point at it,
# every other service talks to moto_server directly.
part2_proxy() {
  python3 "$TSK_SRC/tests/fakes/aws_fault_proxy.py" --upstream "$TSK_MOTO_URL" \
    --port-file "$work/port" >"$work/proxy.log" 2>&1 &
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { cat "$work/proxy.log" >&2; fail "the proxy did not start"; }
  local proxy=http://127.0.0.1:$(cat "$work/port")
  export AWS_ENDPOINT_URL_LAMBDA=$proxy AWS_ENDPOINT_URL_XRAY=$proxy \
    AWS_ENDPOINT_URL_BUDGETS=$proxy
}
