#!/usr/bin/env bash
# A saved plan is applied exactly; one made before the state changed (or
# the configuration changed) is refused, listing every failed check.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"

note "a saved plan applies exactly, without a question"
expect_rc 0 tf plan -out="$work/p1"
expect_rc 0 tf apply "$work/p1"
has "$work/out" "Apply complete! Resources: 7 added, 0 changed, 0 destroyed."
consistent "$d"

note "the state changes after the plan: refused"
sed -i 's/memory_size = 512/memory_size = 1024/' main.tsk
expect_rc 0 tf plan -out="$work/p2"
expect_rc 0 tf state rm local_trigger.api_http
expect_rc 1 tf apply "$work/p2"
has "$work/err" "Saved plan is stale"
has "$work/err" "serial"
hasnt "$work/out" "Apply complete"
[ "$(cloud "$d" "SELECT json_extract(attrs, '\$.memory_size') FROM objects WHERE name = 'shop-worker'")" = 512 ] ||
  fail "a stale plan changed the cloud"

note "state and configuration both changed: both checks listed"
expect_rc 0 tf plan -out="$work/p3"
expect_rc 0 tf apply -auto-approve
sed -i 's/memory_size = 1024/memory_size = 2048/' main.tsk
expect_rc 1 tf apply "$work/p3"
has "$work/err" "Saved plan is stale"
has "$work/err" "configuration"

note "a fresh plan applies"
expect_rc 0 tf plan -out="$work/p4"
expect_rc 0 tf apply "$work/p4"
has "$work/out" "0 added, 1 changed, 0 destroyed"
echo PASS
