#!/usr/bin/env bash
# The AWS provider through the fault proxy (tests/fakes/aws_fault_proxy.py)
# in front of moto_server: throttling with Retry-After, 5xx, a dropped
# connection, slow responses, Pending/InProgress function states, an
# in-progress 409 and an HTML 502 all end in success after waiting, with a
# no-change plan afterwards; a malformed body and throttling past the retry
# budget end in a clear error with the state unchanged; a FAILED
# provisioned-concurrency allocation is an error that the next plan fixes.
# The proxy also serves provisioned concurrency (the emulator has none), so
# the alias + provisioned concurrency round trip runs here; and one plan
# reuses its connections (no more connections than the parallelism).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/aws_lib.bash"
d=$work/faults
write_aws "$d" 256 qa 30 10 2
cd "$d"
make_sources

python3 "$TSK_SRC/tests/fakes/aws_fault_proxy.py" --upstream "$TSK_MOTO_URL" \
  --port-file "$work/port" >"$work/proxy.log" 2>&1 &
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/proxy.log" >&2; fail "the proxy did not start"; }
proxy=http://127.0.0.1:$(cat "$work/port")
export AWS_ENDPOINT_URL=$proxy
export TUSKFORM_RETRY_CAP_MS=2000

faults() { curl -fsS -X POST --data-binary "$1" "$proxy/__proxy/faults" >/dev/null; }
stats() { curl -fsS "$proxy/__proxy/stats"; }

note "every transient fault ends in success"
faults '[
 {"kind": "throttle", "match": "POST /2015-03-31/functions ", "times": 2, "retry_after": 1},
 {"kind": "5xx", "match": "Logs_20140328.CreateLogGroup", "times": 1, "status": 503},
 {"kind": "drop", "match": "AmazonSQS.CreateQueue", "times": 1},
 {"kind": "slow", "match": "AmazonSQS.GetQueueAttributes", "times": 2, "delay_ms": 800},
 {"kind": "garbage5xx", "match": "Logs_20140328.DescribeLogGroups", "times": 1},
 {"kind": "pending", "match": "/configuration", "times": 3},
 {"kind": "inprogress409", "match": "/versions", "times": 2}
]'
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete"
expect_rc 0 tf plan -detailed-exitcode
stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
f = s["faults"]
for k in ("throttle", "5xx", "drop", "slow", "garbage5xx", "pending",
          "inprogress409"):
    assert f.get(k, 0) >= 1, "fault %s was never injected: %s" % (k, s)
assert f["throttle"] == 2, s
assert s["provisioned"], s  # the fake holds the worker alias config'

note "provisioned concurrency and alias update in place"
write_aws "$d" 256 qa 30 10 3
echo 'def handler(event, context): return 2' >"$d/code/app.py"
expect_rc 2 tf plan -detailed-exitcode -json
plan_actions "$work/out" | sort >"$work/actions"
has "$work/actions" "aws_lambda_provisioned_concurrency_config.worker update"
has "$work/actions" "aws_lambda_alias.worker update"
hasnt "$work/actions" "delete"
hasnt "$work/actions" "create"
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf plan -detailed-exitcode
note "import of the alias and the provisioned concurrency by id"
# moto's account is always 123456789012
aliasid="arn:aws:lambda:us-east-1:123456789012:function:$pfx-worker:live"
expect_rc 0 tf state rm aws_lambda_alias.worker \
  aws_lambda_provisioned_concurrency_config.worker
expect_rc 0 tf import aws_lambda_alias.worker "$aliasid"
expect_rc 0 tf import aws_lambda_provisioned_concurrency_config.worker \
  "$pfx-worker,live"
expect_rc 0 tf plan -detailed-exitcode

note "a malformed body is a clear error; state stays consistent"
faults '[{"kind": "malformed", "match": "GET /2015-03-31/functions/'"$pfx"'-api ", "times": 1}]'
expect_rc 1 tf plan
has "$work/err" "not a JSON object"
has "$work/err" "aws_lambda_function.api"
expect_rc 0 tf plan -detailed-exitcode

note "throttling past the retry budget is a clear error"
faults '[{"kind": "throttle", "match": "GET /2015-03-31/functions/'"$pfx"'-api ", "times": 10, "retry_after": 0}]'
AWS_MAX_ATTEMPTS=2 expect_rc 1 tf plan
has "$work/err" "TooManyRequestsException"
has "$work/err" "after 2 attempts"
faults '[]'
expect_rc 0 tf plan -detailed-exitcode

note "a FAILED allocation is an error the next apply repairs"
write_aws "$d" 256 qa 30 10 4
faults '[{"kind": "pc_failed", "match": "pc PUT", "times": 1}]'
expect_rc 1 tf apply -auto-approve
has "$work/err" "insufficient capacity"
expect_rc 2 tf plan -detailed-exitcode
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf plan -detailed-exitcode

note "one plan reuses its connections"
curl -fsS -X POST "$proxy/__proxy/reset" >/dev/null
expect_rc 0 tf plan -detailed-exitcode -parallelism=4
stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["requests"] >= 15, s
# the STS check of configure and the 4 workers share one connection cache
assert s["connections"] <= 4, s
print("plan: %d requests over %d connections" % (s["requests"], s["connections"]))'

note "destroy through the proxy leaves nothing"
expect_rc 0 tf destroy -auto-approve
stats | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert not s["provisioned"], s'
boto '
left = [f["FunctionName"] for f in c("lambda").list_functions()["Functions"]
        if f["FunctionName"].startswith(P + "-")]
assert not left, left
roles = [r["RoleName"] for r in c("iam").list_roles()["Roles"]
         if r["RoleName"].startswith(P + "-")]
assert not roles, roles'
echo "aws_faults: ok"
