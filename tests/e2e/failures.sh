#!/usr/bin/env bash
# Injected failures: the independent resources are created, the dependents
# of the failed one skipped and listed, the failed create left tainted; the
# next apply converges. Then a fraction of calls fails (a seeded rate) and
# repeated applies still converge.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"

export TUSKFORM_LOCAL_FAIL=create:local_function.api
expect_rc 1 tf apply -auto-approve
has "$work/out" "local_function.api: Creation failed"
has "$work/out" "local_function.worker: Creation complete"
has "$work/out" "local_trigger.worker_sqs: Creation complete"
has "$work/out" "Apply failed! Resources: 4 added, 0 changed, 0 destroyed."
has "$work/out" "failed:      local_function.api (left tainted"
has "$work/out" "skipped:     local_trigger.api_http (needs local_function.api)"
has "$work/out" "skipped:     local_trigger.api_sqs (needs local_function.api)"
has "$work/err" "injected failure"
has "$work/err" "local_function.api"

expect_rc 0 tf state show local_function.api
has "$work/out" "(tainted)"
expect_rc 0 tf state list
[ "$(wc -l <"$work/out")" -eq 5 ] || fail "expected 5 resources in state"
hasnt "$work/out" "local_trigger.api_http"

unset TUSKFORM_LOCAL_FAIL
note "the next apply replaces the tainted one and converges"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete!"
has "$work/out" "3 added"
expect_rc 0 tf apply -auto-approve
has "$work/out" "No changes."
consistent "$d"

note "slow calls say they are still running"
sed -i 's/memory_size = 512/memory_size = 640/' main.tsk
TUSKFORM_STILL_EVERY=1 TUSKFORM_LOCAL_LATENCY_MS=2300 expect_rc 0 tf apply -auto-approve
has "$work/out" "local_function.worker: Modifying... [id=function-"
has "$work/out" "local_function.worker: Still modifying... [1s elapsed]"
has "$work/out" "local_function.worker: Still modifying... [2s elapsed]"
has "$work/out" "local_function.worker: Modifications complete after 2s"

note "a seeded failure rate, then convergence"
write_shop "$d" 12
export TUSKFORM_LOCAL_FAIL=rate:0.3:seed:7:op:create
expect_rc 1 tf apply -auto-approve
has "$work/out" "Apply failed!"
unset TUSKFORM_LOCAL_FAIL
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf apply -auto-approve
has "$work/out" "No changes."
consistent "$d"
[ "$(state_db "$d" 'SELECT count(*) FROM journal')" = 0 ] || fail "journal not empty"
echo PASS
