#!/usr/bin/env bash
# Two applies at once: the second fails at once naming the first (its
# operation and pid); with -lock-timeout it waits for the first and then
# runs. force-unlock needs the lock's id.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 6
cd "$d"

note "a slow apply holds the lock"
TUSKFORM_LOCAL_LATENCY_MS=400 "$TSK_BIN" -no-color apply -auto-approve \
  -parallelism=1 >"$work/first.out" 2>&1 &
first=$!
for _ in $(seq 1 100); do
  [ -n "$(state_db "$d" "SELECT pid FROM lock" 2>/dev/null)" ] && break
  sleep 0.1
done
[ "$(state_db "$d" "SELECT pid FROM lock")" = "$first" ] || fail "the first apply holds no lock"

note "the second fails at once, naming the first"
start=$(date +%s)
expect_rc 1 tf apply -auto-approve
[ $(($(date +%s) - start)) -le 3 ] || fail "the second apply did not fail at once"
has "$work/err" "apply"
has "$work/err" "$first"
kill -0 "$first" 2>/dev/null || fail "the first apply ended too early for this test"

note "-lock-timeout waits for it"
expect_rc 0 tf apply -auto-approve -lock-timeout=60s
wait "$first" || fail "the first apply failed: $(cat "$work/first.out")"
has "$work/out" "No changes."
consistent "$d"
[ -z "$(state_db "$d" "SELECT pid FROM lock")" ] || fail "a lock was left behind"

note "force-unlock wants the right id"
expect_rc 1 tf force-unlock -force 00000000-0000-0000-0000-000000000000
echo PASS
