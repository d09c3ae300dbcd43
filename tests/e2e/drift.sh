#!/usr/bin/env bash
# Out-of-band edit and delete in the local cloud file (sqlite3): drift
# exits 2 and names both, in text, JSON and markdown; apply repairs them;
# then drift exits 0.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"

note "no state yet: no drift"
expect_rc 0 tf drift
expect_rc 0 tf apply -auto-approve
expect_rc 0 tf drift
has "$work/out" "No drift"

note "edit and delete outside tuskform"
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.memory_size', 1024) WHERE name = 'shop-worker'"
cloud "$d" "DELETE FROM objects WHERE json_extract(tags, '\$.\"tuskform:address\"') = 'local_trigger.api_http'"

expect_rc 2 tf drift
has "$work/out" "local_function.worker has changed"
has "$work/out" "memory_size"
has "$work/out" "512 -> 1024"
has "$work/out" "local_trigger.api_http has been deleted"

expect_rc 2 tf drift -json
python3 - "$work/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
drift = {d["address"]: d["change"]["actions"] for d in doc["resource_drift"]}
assert drift == {"local_function.worker": ["update"],
                 "local_trigger.api_http": ["delete"]}, drift
PY

expect_rc 2 tf drift -format=markdown
has "$work/out" "local_function.worker"
has "$work/out" "local_trigger.api_http"
has "$work/out" "memory_size"

note "drift writes nothing"
expect_rc 2 tf drift

note "apply repairs both"
expect_rc 0 tf apply -auto-approve
has "$work/out" "1 added, 1 changed, 0 destroyed"
expect_rc 0 tf drift
[ "$(cloud "$d" "SELECT json_extract(attrs, '\$.memory_size') FROM objects WHERE name = 'shop-worker'")" = 512 ] ||
  fail "memory_size not repaired"
consistent "$d"

note "a broken cloud row is an error (exit 1), in every format"
cloud "$d" "UPDATE objects SET attrs = '{oops' WHERE name = 'shop-api'"
expect_rc 1 tf drift
has "$work/err" "damaged"
expect_rc 1 tf drift -json
expect_rc 1 tf drift -format=markdown
echo PASS
