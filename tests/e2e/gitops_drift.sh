#!/usr/bin/env bash
# drift from cron: the exit codes are 0 in sync, 2 drift, 1 error in every
# output format (and plan -refresh-only -detailed-exitcode agrees); the
# -json report has, per resource, each drifted path with its state and
# cloud values, the objects deleted outside tuskform and a summary; the
# markdown report is for an issue; sensitive values never appear.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"
formats=("" "-format=text" "-json" "-format=json" "-format=markdown")

# every_format WANT: drift exits WANT in each output format.
every_format() {
  local f
  for f in "${formats[@]}"; do
    # shellcheck disable=SC2086
    expect_rc "$1" tf drift $f
    hasnt "$work/out" "do-not-print"
  done
}

note "never applied, then in sync: 0"
every_format 0
expect_rc 0 tf apply -auto-approve
every_format 0
expect_rc 0 tf plan -refresh-only -detailed-exitcode
expect_rc 0 tf drift -format=markdown
has "$work/out" "### tuskform drift: no drift"
has "$work/out" "The 7 managed objects match the state."
expect_rc 0 tf drift -json
python3 - "$work/out" <<'PY' || fail "drift -json in sync"
import json, sys
r = json.load(open(sys.argv[1]))["drift"]
assert r == {"summary": {"managed": 7, "in_sync": 7, "drifted": 0, "changed": 0, "deleted": 0},
             "resources": []}, r
PY

note "out-of-band edits (one of them to a secret) and a deletion: 2"
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.memory_size', 1024, '\$.timeout', 90) WHERE name = 'shop-worker'"
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.environment.DB_PASS', 'leaked-do-not-print') WHERE name = 'shop-api'"
cloud "$d" "DELETE FROM objects WHERE json_extract(tags, '\$.\"tuskform:address\"') = 'local_trigger.api_http'"
every_format 2
expect_rc 2 tf plan -refresh-only -detailed-exitcode
expect_rc 2 tf drift -json
python3 - "$work/out" <<'PY' || fail "drift -json report"
import json, sys
doc = json.load(open(sys.argv[1]))
r = doc["drift"]
assert r["summary"] == {"managed": 7, "in_sync": 4, "drifted": 3, "changed": 2, "deleted": 1}, r["summary"]
res = {x["address"]: x for x in r["resources"]}
assert sorted(res) == ["local_function.api", "local_function.worker", "local_trigger.api_http"], sorted(res)
w = res["local_function.worker"]
assert w["status"] == "changed" and w["type"] == "local_function" and w["id"], w
assert sorted(w["attributes"], key=lambda a: a["path"]) == [
    {"path": "memory_size", "state": 512, "remote": 1024, "sensitive": False},
    {"path": "timeout", "state": 30, "remote": 90, "sensitive": False}], w["attributes"]
a = res["local_function.api"]["attributes"]
assert a == [{"path": "environment.DB_PASS", "state": "(sensitive value)",
              "remote": "(sensitive value)", "sensitive": True}], a
g = res["local_trigger.api_http"]
assert g["status"] == "deleted" and "attributes" not in g, g
# the Terraform plan format is still there for existing tools
assert {x["address"] for x in doc["resource_drift"]} == set(res)
PY
expect_rc 2 tf drift -format=markdown
has "$work/out" "### :warning: tuskform drift: 3 of 7 managed objects changed outside tuskform"
has "$work/out" "| \`local_function.worker\` | changed | \`memory_size\` | \`512\` | \`1024\` |"
has "$work/out" "| \`local_function.api\` | changed | \`environment.DB_PASS\` | _(sensitive value)_ | _(sensitive value)_ |"
has "$work/out" "| \`local_trigger.api_http\` | **deleted** |"
expect_rc 2 tf drift -show-sensitive -json
has "$work/out" "leaked-do-not-print"

note "errors: 1 in every format"
cp main.tsk "$work/main.tsk.good"
echo 'oops = = 1' >>main.tsk
every_format 1
expect_rc 1 tf plan -refresh-only -detailed-exitcode
cp "$work/main.tsk.good" main.tsk
cloud "$d" "UPDATE objects SET attrs = '{oops' WHERE name = 'shop-worker'"
every_format 1
expect_rc 1 tf drift -json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/out" 2>/dev/null ||
  [ ! -s "$work/out" ] || fail "drift -json printed something that is not JSON"

note "usage: 64"
expect_rc 64 tf drift -format=yaml
expect_rc 64 tf drift extra-argument
echo PASS
