#!/usr/bin/env bash
# What plan does at the same time stays invisible: the state is read ahead
# while the configuration loads, and the -out file is written while the
# plan is rendered. A broken configuration reports only its own errors
# (not the lock another run holds, not a stale lock taken over) and leaves
# .tuskform as it was; a damaged state is reported once; a plan file that
# cannot be written is an error with nothing printed (but JSON); the plan
# printed with -out is the plan printed without it.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 30
cd "$d"
expect_rc 0 tf apply -auto-approve
cp main.tsk "$work/good.tsk"

listing() { (cd .tuskform && ls -A && md5sum state.db); }

note "no read-ahead leftovers: no WAL beside the state after a plan"
expect_rc 0 tf plan -refresh=false
[ ! -e .tuskform/state.db-wal ] || fail "a WAL was left beside the state"
[ ! -e .tuskform/state.db-shm ] || fail "a WAL index was left beside the state"
listing >"$work/ls0"

note "a broken configuration: only its errors, and .tuskform untouched"
printf '\nbroken = = 1\n' >>main.tsk
expect_rc 1 tf plan
has "$work/err" "main.tsk:"
hasnt "$work/err" "state file"
hasnt "$work/err" "lock"
[ ! -s "$work/out" ] || fail "a broken configuration printed a plan"
listing >"$work/ls1"
diff -u "$work/ls0" "$work/ls1" >&2 || fail ".tuskform changed"

note "a broken configuration while another run holds the lock"
sleep 60 &
holder=$!
now=$(($(date +%s) * 1000))
state_db "$d" "INSERT INTO lock VALUES (1, 'held-by-test', 'apply', $holder,
  '$(hostname)', 'someone', '2026-01-01T00:00:00Z', $now, 600000)"
expect_rc 1 tf plan
cp "$work/err" "$work/err.broken"
has "$work/err" "main.tsk:"
hasnt "$work/err" "lock"
expect_rc 1 tf apply -auto-approve -lock-timeout=30s
hasnt "$work/err" "lock"
[ "$(state_db "$d" "SELECT lock_id FROM lock")" = held-by-test ] || fail "the lock changed hands"
note "the same with a good configuration names the holder"
cp "$work/good.tsk" main.tsk
expect_rc 1 tf plan
has "$work/err" "$holder"
kill "$holder"
wait "$holder" 2>/dev/null || true

note "a stale lock is not taken over for a broken configuration"
printf '\nbroken = = 1\n' >>main.tsk
expect_rc 1 tf plan
hasnt "$work/err" "took over"
[ "$(state_db "$d" "SELECT lock_id FROM lock")" = held-by-test ] || fail "a stale lock was taken over"
cmp "$work/err" "$work/err.broken" || fail "the errors differ from the held-lock run"
cp "$work/good.tsk" main.tsk
expect_rc 0 tf plan -refresh=false
has "$work/err" "took over"
[ -z "$(state_db "$d" "SELECT lock_id FROM lock")" ] || fail "the lock was left behind"

note "a damaged resource is reported once"
cp .tuskform/state.db "$work/state.ok"
state_db "$d" "UPDATE resources SET attributes = '{broken' WHERE address = (SELECT min(address) FROM resources)"
expect_rc 1 tf plan -refresh=false
has "$work/err" "invalid attributes JSON"
[ "$(grep -c "invalid attributes JSON" "$work/err")" = 1 ] || fail "the damage was reported more than once"
cp "$work/state.ok" .tuskform/state.db

note "-out: the plan printed is the plan printed without it"
write_shop "$d" 60
for fmt in text json markdown; do
  expect_rc 0 tf plan -refresh=false -format=$fmt
  cp "$work/out" "$work/plain.$fmt"
  expect_rc 0 tf plan -refresh=false -format=$fmt -out="$work/P.$fmt"
  [ -s "$work/P.$fmt" ] || fail "no plan file for $fmt"
  if [ $fmt = text ]; then
    has "$work/out" "Saved the plan to: $work/P.text"
    has "$work/plain.text" "You didn't use the -out option"
    # the same but for the 5 lines of notes at the end
    diff <(head -n -5 "$work/plain.text") <(head -n -5 "$work/out") >&2 ||
      fail "-out changed the text plan"
  else
    sed -E 's/"timestamp":"[^"]*"//' "$work/plain.$fmt" >"$work/a"
    sed -E 's/"timestamp":"[^"]*"//' "$work/out" >"$work/b"
    cmp "$work/a" "$work/b" || fail "-out changed the $fmt plan"
  fi
done

note "-out to a missing folder: an error, no plan printed (but -json)"
for fmt in text markdown; do
  expect_rc 1 tf plan -refresh=false -format=$fmt -out="$work/no/such/dir/P"
  has "$work/err" "writing the plan file $work/no/such/dir/P"
  [ ! -s "$work/out" ] || fail "a plan was printed though it was not saved ($fmt)"
done
expect_rc 1 tf plan -refresh=false -json -out="$work/no/such/dir/P"
has "$work/err" "writing the plan file"
has "$work/out" '"errored":true'
has "$work/out" '"complete":false'

note "-out to a folder: the rename fails at the end, the same way"
mkdir -p "$work/adir/x"
expect_rc 1 tf plan -refresh=false -out="$work/adir"
has "$work/err" "writing the plan file $work/adir"
[ ! -s "$work/out" ] || fail "a plan was printed though it was not saved"
[ -z "$(ls "$work" | grep 'adir.tmp')" ] || fail "a temporary plan file was left"
echo PASS
