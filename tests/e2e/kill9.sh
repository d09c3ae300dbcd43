#!/usr/bin/env bash
# kill -9 in the middle of an apply (slowed by latency): the state is not
# damaged, the next apply settles the journal and finishes the job without
# duplicates, and nothing is left unrecorded in the local cloud. Also a
# create whose response is lost (the object exists, the call fails).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 40
cd "$d"

note "apply with latency, killed mid-way"
TUSKFORM_LOCAL_LATENCY_MS=150 "$TSK_BIN" -no-color apply -auto-approve \
  -parallelism=4 >"$work/apply1.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  n=$(state_db "$d" "SELECT count(*) FROM resources" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 10 ] && break
  sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
n=$(state_db "$d" "SELECT count(*) FROM resources")
total=$((2 + 40 + 2 + 3 + 40))
[ "$n" -gt 0 ] && [ "$n" -lt "$total" ] || fail "kill was not mid-way ($n of $total)"
[ "$(state_db "$d" 'PRAGMA integrity_check')" = ok ] || fail "state damaged"
expect_rc 0 tf state list
[ "$(wc -l <"$work/out")" -eq "$n" ] || fail "state list disagrees with the file"

note "the next apply settles the journal and finishes"
pending=$(state_db "$d" "SELECT count(*) FROM journal")
expect_rc 0 tf apply -auto-approve
if [ "$pending" -gt 0 ]; then has "$work/out" "Settled $pending operation(s)"; fi
has "$work/out" "Apply complete!"
[ "$(state_db "$d" "SELECT count(*) FROM resources")" -eq "$total" ] || fail "not all resources recorded"
consistent "$d"
expect_rc 0 tf apply -auto-approve
has "$work/out" "No changes."

note "a lost create response: adopted by the next run, not duplicated"
write_shop "$d" 41
TUSKFORM_LOCAL_FAIL=lost-create:local_function.f41 expect_rc 1 tf apply -auto-approve
[ "$(cloud "$d" "SELECT count(*) FROM objects WHERE name = 'shop-f41'")" = 1 ] || fail "f41 not made"
expect_rc 0 tf apply -auto-approve
has "$work/out" "local_function.f41: adopted function-"
[ "$(cloud "$d" "SELECT count(*) FROM objects WHERE name = 'shop-f41'")" = 1 ] || fail "f41 duplicated"
consistent "$d"
echo PASS
