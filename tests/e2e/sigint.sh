#!/usr/bin/env bash
# Ctrl-C during an apply: the calls in flight finish and are saved, exit
# 130, state consistent, and the next apply converges. A second Ctrl-C
# exits at once, still leaving state consistent.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 20
cd "$d"

# start_slow: an apply slowed by latency, in the background ($pid).
start_slow() {
  TUSKFORM_LOCAL_LATENCY_MS=300 "$TSK_BIN" -no-color apply -auto-approve \
    -parallelism=3 >"$work/slow.out" 2>"$work/slow.err" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "Creation complete" "$work/slow.out" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "the slow apply made no progress: $(cat "$work/slow.err")"
}

note "one interrupt: in-flight calls finish, exit 130"
start_slow
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "exit $rc, want 130: $(cat "$work/slow.err")"
grep -q "Interrupt received" "$work/slow.err" || fail "no interrupt message"
grep -q "Apply interrupted!" "$work/slow.out" || fail "no interrupted summary"
grep -q "not started:" "$work/slow.out" || fail "no list of what was not started"
[ "$(state_db "$d" "SELECT count(*) FROM journal")" = 0 ] || fail "calls left pending after a clean interrupt"
consistent "$d"
[ -z "$(state_db "$d" "SELECT pid FROM lock")" ] || fail "lock left behind"

note "the next apply converges"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete!"
consistent "$d"

note "two interrupts: out at once, state consistent"
write_shop "$d" 40
start_slow
kill -INT "$pid"
sleep 0.1
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "exit $rc after two interrupts, want 130"
grep -q "Two interrupts received" "$work/slow.err" || fail "no second-interrupt message"
[ "$(state_db "$d" 'PRAGMA integrity_check')" = ok ] || fail "state damaged"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Apply complete!"
consistent "$d"
expect_rc 0 tf apply -auto-approve
has "$work/out" "No changes."

note "an interrupt while planning: out at once, nothing changed"
before=$(state_db "$d" "SELECT serial FROM meta")
TUSKFORM_LOCAL_LATENCY_MS=300 "$TSK_BIN" -no-color apply -auto-approve \
  -parallelism=1 >"$work/slow.out" 2>"$work/slow.err" &
pid=$!
sleep 1
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "exit $rc when interrupted while planning, want 130"
grep -q "no change was started" "$work/slow.err" || fail "no planning-interrupt message"
[ "$(state_db "$d" "SELECT serial FROM meta")" = "$before" ] || fail "state changed"
expect_rc 0 tf apply -auto-approve
has "$work/out" "No changes."
echo PASS
