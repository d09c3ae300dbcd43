#!/usr/bin/env bash
# The main job on the local provider: apply the quickstart, then a plan
# with no changes; on a small configuration, a memory change is exactly one
# update, and removing a function deletes its dependents first; destroy
# empties the cloud.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"

qs=$TSK_SRC/examples/quickstart
[ -d "$qs" ] || fail "examples/quickstart is missing"
note "the quickstart"
cp -r "$qs" "$work/qs"
rm -rf "$work/qs/.tuskform"
cd "$work/qs"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete!"
expect_rc 0 tf plan -detailed-exitcode
has "$work/out" "No changes."
consistent "$work/qs"

note "one memory change is one update"
d=$work/shop
write_shop "$d"
cd "$d"
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf plan -detailed-exitcode
sed -i 's/memory_size = 512/memory_size = 768/' main.tsk
expect_rc 2 tf plan -detailed-exitcode
has "$work/out" "Plan: 0 to add, 1 to change, 0 to destroy."
has "$work/out" "local_function.worker will be updated in-place"
[ "$(grep -cE '^ *~ [a-z_]+ += ' "$work/out")" -eq 1 ] || fail "more than memory_size changes"
has "$work/out" "~ memory_size  = 512 -> 768"
note "without a terminal, apply asks for -auto-approve and changes nothing"
expect_rc 1 tf apply </dev/null
has "$work/err" "-auto-approve"
has "$work/err" "Apply cancelled."
[ "$(cloud "$d" "SELECT json_extract(attrs, '\$.memory_size') FROM objects WHERE name = 'shop-worker'")" = 512 ] ||
  fail "apply changed the cloud without approval"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."
[ "$(cloud "$d" "SELECT json_extract(attrs, '\$.memory_size') FROM objects WHERE name = 'shop-worker'")" = 768 ] ||
  fail "memory_size not updated in the cloud"

note "removing a function deletes its dependents first"
sed -i '/^worker = {/,/^}/d' main.tsk
expect_rc 2 tf plan -detailed-exitcode
has "$work/out" "Plan: 0 to add, 0 to change, 2 to destroy."
t=$(grep -n "local_trigger.worker_sqs will be destroyed" "$work/out" | cut -d: -f1)
f=$(grep -n "local_function.worker will be destroyed" "$work/out" | cut -d: -f1)
[ -n "$t" ] && [ -n "$f" ] && [ "$t" -lt "$f" ] || fail "the plan does not delete the trigger first"
expect_rc 0 tf apply -auto-approve
t=$(grep -n "local_trigger.worker_sqs: Destruction complete" "$work/out" | cut -d: -f1)
f=$(grep -n "local_function.worker: Destroying" "$work/out" | cut -d: -f1)
[ -n "$t" ] && [ -n "$f" ] && [ "$t" -lt "$f" ] || fail "apply did not delete the trigger first"
has "$work/out" "0 added, 0 changed, 2 destroyed"
consistent "$d"
expect_rc 0 tf plan -detailed-exitcode

note "destroy empties the cloud"
expect_rc 1 tf destroy </dev/null
has "$work/err" "-auto-approve"
expect_rc 0 tf destroy -auto-approve
has "$work/out" "Destroy complete! Resources: 5 destroyed."
[ "$(cloud "$d" "SELECT count(*) FROM objects")" = 0 ] || fail "objects left in the cloud"
expect_rc 0 tf state list
[ ! -s "$work/out" ] || fail "state not empty after destroy"
echo PASS
