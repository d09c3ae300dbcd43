#!/usr/bin/env bash
# golden/cost.sh - cost in plans and budgets guarding apply, on the
# quickstart (local provider, priced as AWS Lambda us-east-1, x86_64).
#
# Expected figures, by hand from planner/prices/prices.tsv (2026-08-22):
#   api: 256 MB (0.25 GB), provisioned concurrency 2, 2,000,000 x 120 ms
#     capacity 2 x 0.25 x 2,628,000 s = 1,314,000 GB-s x 0.0000041667
#                                                        = 5.4750438
#     240,000 s of work fits in 5,256,000 s of capacity, so
#     240,000 x 0.25 = 60,000 GB-s x 0.0000097222        = 0.583332
#     requests 2,000,000 x 0.0000002                     = 0.40
#     api total                                           = 6.4583758
#   worker: 512 MB, 500,000 x 800 ms = 200,000 GB-s x 0.0000166667
#                                                        = 3.33334
#     requests 500,000 x 0.0000002                       = 0.10
#     worker total                                        = 3.43334
#   report: 256 MB, 30 x 60 s = 450 GB-s x 0.0000166667  = 0.007500015
#     requests 30 x 0.0000002                            = 0.000006
#     report total                                        = 0.007506015
#   (on-demand GB-s of the stack: 200,450, inside tier 1)
#   total                                                 = 9.899221815
# Worker at 1024 MB doubles its duration charge: +3.33334.
# Advice for api: capacity 5.4750438 less the duration saved by running on
# it, 60,000 GB-s x (0.0000166667 - 0.0000097222) = 0.41667, adds 5.0584;
# warm-up pings for 2 instances every 300 s: 17,520 x (0.0000002 +
# 0.1 s x 0.25 GB x 0.0000166667) = 0.0108; break-even 2 x 2,628,000 x
# 0.0000041667 / (0.12 x 0.0000069445) = 26,280,000 invocations.
set -uo pipefail
: "${TSK_BIN:?}" "${TSK_SRC:?}"
PY=$(python3 -c 'import sys; print(sys.executable)')
work=$(mktemp -d "${TMPDIR:-/tmp}/tsk-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
cp "$TSK_SRC"/examples/quickstart/*.tsk "$work/"
tf() { "$TSK_BIN" -no-color -chdir="$work" "$@"; }

# near VALUE EXPECTED: within a millionth
near() { "$PY" -c 'import sys; a,b=map(float,sys.argv[1:]); sys.exit(abs(a-b)>1e-6*(1+abs(b)))' "$1" "$2"; }
jget() { "$PY" -c 'import json,sys
d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[int(k)] if isinstance(d, list) else d[k]
print(d)' "$1" "$2"; }
fn_after() { "$PY" -c 'import json,sys
d=json.load(open(sys.argv[1]))
c=d.get("cost", d)
print([f for f in c["functions"] if f["function"]==sys.argv[2]][0][sys.argv[3]])' "$1" "$2" "$3"; }

# 1. tuskform cost -json
tf cost -json >"$work/cost.json" || bad "cost -json exited $?"
near "$(jget "$work/cost.json" monthly_after)" 9.899221815 || bad "total $(jget "$work/cost.json" monthly_after)"
near "$(fn_after "$work/cost.json" api monthly_after)" 6.4583758 || bad "api"
near "$(fn_after "$work/cost.json" worker monthly_after)" 3.43334 || bad "worker"
near "$(fn_after "$work/cost.json" report monthly_after)" 0.007506015 || bad "report"
[ "$(jget "$work/cost.json" budgets.0.exceeded)" = False ] || bad "budget should hold"

# 2. the first plan: text, markdown and JSON carry the cost
tf plan >"$work/plan.txt" || bad "plan exited $?"
grep -q '^  Monthly estimate increases by \$9.90\.$' "$work/plan.txt" || bad "text cost line"
grep -qE '^  total +\$0\.00 +\$9\.90 +\+\$9\.90$' "$work/plan.txt" || bad "text total row"
sed -n '/^Monthly cost estimate/,/^  - api:/p' "$work/plan.txt" >"$work/cost.txt"
cat >"$work/cost.want" <<'WANT'
Monthly cost estimate (USD; AWS Lambda prices of 2026-08-22, us-east-1):
  function       before        after       change
  api             $0.00        $6.46       +$6.46
  worker          $0.00        $3.43       +$3.43
  report          $0.00        $0.01       +$0.01
  total           $0.00        $9.90       +$9.90
  Monthly estimate increases by $9.90.

Cost advice (does not change the plan):
  - api: provisioned concurrency (2) adds $5.06 a month at the declared 2,000,000 invocations; warm-up pings would cost $0.01. It pays for itself from 26,280,000 invocations a month (120 ms each).
WANT
diff -u "$work/cost.want" "$work/cost.txt" || bad "text cost section"
tf plan -format=markdown >"$work/plan.md" || bad "plan md exited $?"
grep -q '^\*\*Monthly estimate increases by \$9.90\*\* (\$0.00 → \$9.90 a month)$' "$work/plan.md" || bad "markdown cost line"
tf plan -json >"$work/plan.json" || bad "plan -json exited $?"
near "$(jget "$work/plan.json" cost.monthly_diff)" 9.899221815 || bad "json cost diff"
jget "$work/plan.json" resource_changes.0.address >/dev/null || bad "resource_changes beside cost"

# 3. applied: the estimate is unchanged, before = after
tf apply -auto-approve >/dev/null || bad "apply exited $?"
tf plan -json >"$work/plan2.json"
near "$(jget "$work/plan2.json" cost.monthly_before)" 9.899221815 || bad "before after apply: $(jget "$work/plan2.json" cost.monthly_before)"
near "$(jget "$work/plan2.json" cost.monthly_diff)" 0 || bad "diff after apply"
tf plan >"$work/plan2.txt"
grep -q 'Monthly estimate unchanged' "$work/plan2.txt" || bad "unchanged line"

# 4. worker memory 512 -> 1024: +3.33334 on worker alone
sed -i 's/    memory_size = 512,/    memory_size = 1024,/' "$work/main.tsk"
tf plan -json >"$work/plan3.json"
near "$(jget "$work/plan3.json" cost.monthly_diff)" 3.33334 || bad "memory change diff $(jget "$work/plan3.json" cost.monthly_diff)"
near "$(fn_after "$work/plan3.json" worker monthly_diff)" 3.33334 || bad "worker diff"
tf plan >"$work/plan3.txt"
grep -q 'Monthly estimate increases by \$3.33\.' "$work/plan3.txt" || bad "text +3.33"
grep -qE '^  api ' "$work/plan3.txt" && bad "unchanged api listed in the plan's cost table"

# 5. destroy: the whole estimate goes
tf plan -destroy >"$work/plan4.txt"
grep -q 'Monthly estimate decreases by \$9.90\.' "$work/plan4.txt" || bad "destroy decrease"

# 6. budgets: api's $6.46 against an amount of $5
sed -i 's/amount = 10,/amount = 5,/' "$work/monitoring.tsk"
tf plan >"$work/plan5.txt" 2>"$work/plan5.err"; rc=$?
[ $rc -eq 0 ] || bad "warn policy: exit $rc, want 0"
grep -q 'warning: budget monthly: the monthly estimate \$6.46 of function api exceeds its amount \$5.00' "$work/plan5.err" || bad "budget warning"
tf plan -budget-policy=fail >/dev/null 2>"$work/plan6.err"; rc=$?
[ $rc -eq 1 ] || bad "fail policy plan: exit $rc, want 1"
grep -q 'error: budget monthly' "$work/plan6.err" || bad "budget error"
before=$(tf state show local_function.worker 2>/dev/null | grep -c 1024)
tf apply -auto-approve -budget-policy=fail >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || bad "fail policy apply: exit $rc, want 1"
after=$(tf state show local_function.worker 2>/dev/null | grep -c 1024)
[ "$before" = "$after" ] || bad "apply changed state despite the budget policy"
tf plan -budget-policy=bogus >/dev/null 2>&1; rc=$?
[ $rc -eq 64 ] || bad "bad policy: exit $rc, want 64"

[ $fail -eq 0 ] && echo "ok golden/cost"
exit $fail
