#!/usr/bin/env bash
# A refresh of hundreds of objects (read together, from one scan of the
# local cloud file) finds the same drift as lookups one by one would: an
# edit, a deleted row, a row turned into another type (gone), and not a
# row whose text is only laid out otherwise; whatever -parallelism, in
# text and JSON; a failure point and a damaged row fail their own object.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d" 150
cd "$d"
expect_rc 0 tf apply -auto-approve
n=$(cloud "$d" "SELECT count(*) FROM objects")
[ "$n" -ge 300 ] || fail "only $n objects: too few to read them together"

note "in sync, whatever the parallelism"
for p in 1 4 10; do
  expect_rc 0 tf drift -parallelism=$p
  has "$work/out" "No drift"
done

note "out-of-band changes"
fn() { echo "json_extract(tags, '\$.\"tuskform:address\"') = '$1'"; }
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.memory_size', 1024) WHERE $(fn local_function.f7)"
cloud "$d" "DELETE FROM objects WHERE $(fn local_trigger.f9_sqs)"
cloud "$d" "UPDATE objects SET type = 'local_queue' WHERE $(fn local_function.f11)"
cloud "$d" "UPDATE objects SET attrs = ' ' || attrs WHERE $(fn local_function.f13)"

for p in 1 4 10; do
  expect_rc 2 tf drift -parallelism=$p
  cp "$work/out" "$work/text.$p"
  expect_rc 2 tf drift -json -parallelism=$p
  cp "$work/out" "$work/json.$p"
done
cmp "$work/text.1" "$work/text.4" || fail "drift text differs at -parallelism=4"
cmp "$work/text.1" "$work/text.10" || fail "drift text differs at -parallelism=10"
cmp "$work/json.1" "$work/json.10" || fail "drift JSON differs at -parallelism=10"
python3 - "$work/json.1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
drift = {d["address"]: d["change"]["actions"] for d in doc["resource_drift"]}
assert drift == {"local_function.f7": ["update"],
                 "local_trigger.f9_sqs": ["delete"],
                 "local_function.f11": ["delete"]}, drift
PY
has "$work/text.1" "256 -> 1024"
hasnt "$work/text.1" "local_function.f13"

note "a failure point fails its object only"
TUSKFORM_LOCAL_FAIL=read:local_function.f5 expect_rc 1 tf drift
has "$work/err" "local_function.f5"
has "$work/err" "injected failure"

note "a damaged row is an error"
cloud "$d" "UPDATE objects SET attrs = '{oops' WHERE $(fn local_function.f20)"
expect_rc 1 tf drift
has "$work/err" "damaged"
echo PASS
