#!/usr/bin/env bash
# model.sh - golden tests of the serverless model (`tuskform validate`).
#
# Each case is a folder tests/golden/model/NAME/ holding a configuration
# (*.tsk, and whatever its `source` keys name) and expect.diag: the
# diagnostics expected, written by hand from shared/design/architecture.md
# §3 (format in model/check.bash). Also checked: examples/serverless
# validates cleanly, and `validate -json` has the shape of Terraform's.
#
# Usage: TSK_BIN=path/to/tuskform TSK_SRC=path/to/tree bash model.sh [FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
export LC_ALL=C
unset TUSKFORM_PROVIDER
# shellcheck source=model/check.bash
. "$TSK_SRC/tests/golden/model/check.bash"
filter="${1:-}"
fails=0

for dir in "$TSK_SRC"/tests/golden/model/*/; do
    name=$(basename "$dir")
    [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
    check_validate "$name" "$dir" "$dir/expect.diag" || fails=$((fails + 1))
done

# The completed source configurations validate with no diagnostic at all.
clean=$(mktemp)
trap 'rm -f "$clean"' EXIT
printf 'exit 0\nstdout Success! The configuration is valid.\n' >"$clean"
check_validate examples/serverless "$TSK_SRC/examples/serverless" "$clean" ||
    fails=$((fails + 1))

# -json: only JSON on stdout, Terraform's `validate -json` shape.
# check_json NAME DIR EXIT VALID ERRORS WARNINGS [FILE LINE COL SUMMARY]
check_json() {
    local name=$1 dir=$2 want_rc=$3
    shift 3
    local out rc
    out=$(timeout 20 "$TSK_BIN" -chdir="$dir" validate -json 2>/dev/null)
    rc=$?
    if [[ $rc != "$want_rc" ]]; then
        echo "FAIL json $name: exit $rc, expected $want_rc"
        return 1
    fi
    printf '%s' "$out" | "$TSK_PYTHON" -c '
import json, sys
name, valid, errs, warns = sys.argv[1], sys.argv[2] == "true", int(sys.argv[3]), int(sys.argv[4])
first = sys.argv[5:]
try:
    v = json.loads(sys.stdin.read())
except ValueError as e:
    print("FAIL json %s: stdout is not JSON: %s" % (name, e)); sys.exit(1)
bad = []
if v.get("format_version") != "1.0": bad.append("format_version")
if v.get("valid") is not valid: bad.append("valid")
if v.get("error_count") != errs: bad.append("error_count")
if v.get("warning_count") != warns: bad.append("warning_count")
ds = v.get("diagnostics")
if not isinstance(ds, list) or len(ds) != errs + warns:
    bad.append("diagnostics")
    ds = []
for d in ds:
    if d.get("severity") not in ("error", "warning") or "summary" not in d \
       or "detail" not in d:
        bad.append("diagnostic fields")
    r = d.get("range")
    if r is not None and not all(k in r.get(e, {}) for e in ("start", "end")
                                 for k in ("line", "column", "byte")):
        bad.append("range fields")
if first and ds:
    f, line, col, summary = first[0], int(first[1]), int(first[2]), first[3]
    r = ds[0].get("range", {})
    if r.get("filename") != f or r["start"]["line"] != line \
       or r["start"]["column"] != col or summary not in ds[0]["summary"]:
        bad.append("first diagnostic: %r" % ds[0])
if bad:
    print("FAIL json %s: %s" % (name, ", ".join(bad))); sys.exit(1)
print("ok json %s" % name)
' "$name" "$@"
}
if [[ -z "$filter" || "json" == *"$filter"* ]]; then
    m="$TSK_SRC/tests/golden/model"
    check_json valid-local "$m/valid-local" 0 true 0 0 || fails=$((fails + 1))
    check_json warnings-only "$m/warnings-only" 0 true 0 1 main.tsk 8 17 \
        budget_alerts || fails=$((fails + 1))
    check_json references "$m/references" 1 false 4 0 main.tsk 6 58 \
        '"queue"' || fails=$((fails + 1))
fi

if ((fails)); then
    echo "$fails model golden check(s) failed"
    exit 1
fi
echo "all model golden checks passed"
