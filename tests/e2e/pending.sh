#!/usr/bin/env bash
# plan and drift with a journal that an interrupted apply left: the object
# a pending create made (the process was killed between the call and the
# store) is counted as present, so plan does not create it a second time
# and drift sees no drift; neither writes anything; the next apply adopts
# it into state.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 3
cd "$d"
expect_rc 0 tf apply -auto-approve

note "a kill between a create and its store, made by hand"
id=$(state_db "$d" "SELECT remote_id FROM resources WHERE address = 'local_function.f2'")
[ -n "$id" ] || fail "no local_function.f2 in state"
state_db "$d" "DELETE FROM resources WHERE address = 'local_function.f2';
  INSERT INTO journal(address, action, provider, time)
  VALUES ('local_function.f2', 'create', 'local', '2026-01-01T00:00:00Z');"
serial=$(state_db "$d" "SELECT serial FROM meta")

note "plan counts the object as present"
expect_rc 0 tf plan -detailed-exitcode
has "$work/err" "an interrupted apply left 1 operation(s) pending"
has "$work/err" "1 object(s) that it created but did not record are counted as present"
has "$work/out" "No changes."
hasnt "$work/out" "local_function.f2"
expect_rc 0 tf plan -json
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
acts = {c["address"]: c["change"]["actions"] for c in doc["resource_changes"]}
sys.exit(0 if acts.get("local_function.f2") == ["no-op"] else 1)' "$work/out" ||
  fail "plan -json does not keep local_function.f2 as it is"

note "drift finds it in sync"
expect_rc 0 tf drift
has "$work/out" "No drift"
has "$work/err" "operation(s) pending"

note "a pending create whose object was never made changes nothing"
state_db "$d" "INSERT INTO journal(address, action, provider, time)
  VALUES ('local_function.f9', 'create', 'local', '2026-01-01T00:00:00Z');"
expect_rc 0 tf plan -detailed-exitcode
has "$work/err" "left 2 operation(s) pending"
has "$work/err" "1 object(s) that it created"

note "nothing was written"
[ "$(state_db "$d" "SELECT serial FROM meta")" = "$serial" ] || fail "plan or drift moved the serial"
[ "$(state_db "$d" "SELECT count(*) FROM journal")" = 2 ] || fail "plan or drift settled the journal"
[ "$(state_db "$d" "SELECT count(*) FROM resources WHERE address = 'local_function.f2'")" = 0 ] ||
  fail "plan or drift adopted the object into state"

note "the next apply adopts it, and makes nothing twice"
expect_rc 0 tf apply -auto-approve
has "$work/out" "Settled 2 operation(s)"
has "$work/out" "local_function.f2: adopted $id"
has "$work/out" "No changes."
[ "$(cloud "$d" "SELECT count(*) FROM objects WHERE name = 'shop-f2'")" = 1 ] || fail "f2 duplicated"
consistent "$d"
echo PASS
