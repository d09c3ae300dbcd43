#!/usr/bin/env bash
# The state tools: state list (one address per line, from state alone),
# show, rm, mv, history; import; output; their usage errors.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"

note "before any apply"
expect_rc 0 tf state list
[ ! -s "$work/out" ] || fail "state list printed something with no state"
expect_rc 0 tf output
expect_rc 0 tf apply -auto-approve

note "state list: addresses only, without the configuration"
expect_rc 0 tf state list
cat >"$work/want" <<'TXT'
local_api.shop
local_function.api
local_function.worker
local_queue.orders
local_trigger.api_http
local_trigger.api_sqs
local_trigger.worker_sqs
TXT
diff -u "$work/want" "$work/out" || fail "state list output"
cp main.tsk "$work/main.tsk.good"
echo 'this is { not valid' >main.tsk
expect_rc 0 tf state list local_trigger
[ "$(wc -l <"$work/out")" -eq 3 ] || fail "state list with a prefix"
cp "$work/main.tsk.good" main.tsk

note "state show"
expect_rc 0 tf state show local_function.api
has "$work/out" '# local_function.api:'
has "$work/out" 'resource "local_function" "api" {'
has "$work/out" 'DB_PASS = (sensitive value)'
has "$work/out" 'arn '
expect_rc 0 tf state show -json local_function.api
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["address"]=="local_function.api" and d["values"]["environment"]["DB_PASS"]=="(sensitive value)", d' "$work/out"
expect_rc 1 tf state show local_function.nope
has "$work/err" "local_function.nope is not in the state"

note "state mv and back"
expect_rc 0 tf state mv local_queue.orders local_queue.jobs
has "$work/out" 'Move "local_queue.orders" to "local_queue.jobs"'
expect_rc 0 tf state list local_queue
[ "$(cat "$work/out")" = local_queue.jobs ] || fail "mv did not rename"
expect_rc 1 tf state mv local_queue.jobs local_function.jobs
has "$work/err" "type differs"
expect_rc 0 tf state mv local_queue.jobs local_queue.orders

note "state rm, then import it back"
id=$(state_db "$d" "SELECT remote_id FROM resources WHERE address = 'local_trigger.worker_sqs'")
expect_rc 0 tf state rm local_trigger.worker_sqs
has "$work/out" "Removed local_trigger.worker_sqs"
[ "$(cloud "$d" "SELECT count(*) FROM objects WHERE id = '$id'")" = 1 ] || fail "state rm touched the cloud"
expect_rc 1 tf state rm local_trigger.worker_sqs
expect_rc 1 tf import local_trigger.nothing "$id"
has "$work/err" "not in the configuration"
expect_rc 1 tf import local_trigger.worker_sqs trigger-000000000000
has "$work/err" "no local_trigger with id"
expect_rc 0 tf import local_trigger.worker_sqs "$id"
has "$work/out" "Import successful!"
expect_rc 1 tf import local_trigger.worker_sqs "$id"
has "$work/err" "already managed"
expect_rc 0 tf plan -detailed-exitcode
consistent "$d"

note "history"
expect_rc 0 tf state history
for op in apply "state mv" "state rm" import; do has "$work/out" "$op"; done
expect_rc 0 tf state history -json -n=2
python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); assert [e["operation"] for e in h]==["state rm","import"], h' "$work/out"

note "output"
expect_rc 0 tf output
has "$work/out" 'local_function.api.arn'
has "$work/out" '"arn:local:'
expect_rc 0 tf output local_queue.orders.url
grep -qE '^"http://' "$work/out" || fail "output NAME prints the value"
expect_rc 0 tf output -json
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); v=o["local_function.api.id"]; assert v["type"]=="string" and v["value"].startswith("function-") and v["sensitive"] is False, v' "$work/out"
expect_rc 1 tf output local_function.api.nope

note "usage errors"
expect_rc 64 tf state
expect_rc 64 tf state bogus
expect_rc 64 tf state show
expect_rc 64 tf state mv one
expect_rc 64 tf import only-one
expect_rc 1 tf force-unlock -force 11111111-1111-1111-1111-111111111111
echo PASS
