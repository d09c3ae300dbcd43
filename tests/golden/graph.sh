#!/usr/bin/env bash
# graph.sh - golden tests of lowering and the resource graph (`tuskform
# graph`). Each case is a folder tests/golden/graph/NNN-name/ holding a
# configuration (*.tsk), or a file `source` naming a folder of the tree
# (e.g. examples/quickstart), and the expectations, written by hand from
# shared/design/architecture.md (§3, §4) and the local lowering table in
# providers/local/lower.c:
#   expect.dot   stdout of `graph`, byte for byte
#   expect.json  stdout of `graph -json`, compared as JSON values
#   expect.rc    the exit code (default 0)
#   expect.err   lines that must each appear in stderr
# Every run also fails on a sanitizer report.
#
# Usage: TSK_BIN=path/to/tuskform TSK_SRC=path/to/tree bash graph.sh [FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
export LC_ALL=C
unset TUSKFORM_PROVIDER QUICKSTART_TOKEN
filter=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

json_equal() { # json_equal EXPECTED ACTUAL
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$1" "$2" <<'PY'
import json, sys
try:
    a = json.load(open(sys.argv[1]))
except ValueError as e:
    print("    expect.json is not JSON: %s" % e)
    sys.exit(1)
try:
    b = json.load(open(sys.argv[2]))
except ValueError as e:
    print("    output is not JSON: %s" % e)
    sys.exit(1)
if a == b:
    sys.exit(0)
import difflib
x = json.dumps(a, indent=2, sort_keys=True).splitlines()
y = json.dumps(b, indent=2, sort_keys=True).splitlines()
for line in difflib.unified_diff(x, y, "expected", "actual", lineterm=""):
    print("    " + line)
sys.exit(1)
PY
    else
        diff -u <(jq -S . "$1") <(jq -S . "$2") | sed 's/^/    /'
        return "${PIPESTATUS[0]}"
    fi
}

sanitizer_report() {
    grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$1"
}

for case in "$TSK_SRC"/tests/golden/graph/*/; do
    case=${case%/}
    name=$(basename "$case")
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
    dir=$case
    [ -f "$case/source" ] && dir="$TSK_SRC/$(cat "$case/source")"
    want_rc=0
    [ -f "$case/expect.rc" ] && want_rc=$(cat "$case/expect.rc")
    why=
    runs=0
    for mode in dot json err; do
        [ -f "$case/expect.$mode" ] || continue
        runs=$((runs + 1))
        args=(graph)
        [ "$mode" = json ] && args=(graph -json)
        "$TSK_BIN" -no-color -chdir="$dir" "${args[@]}" \
            >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if sanitizer_report "$tmp/err"; then
            why="sanitizer report ($mode)"
            sed 's/^/    /' "$tmp/err" | head -20
            break
        fi
        if [ "$rc" != "$want_rc" ]; then
            why="exit code $rc, expected $want_rc ($mode)"
            sed 's/^/    /' "$tmp/err" | head -20
            break
        fi
        case $mode in
        dot)
            if ! diff -u "$case/expect.dot" "$tmp/out" >"$tmp/diff"; then
                why="DOT differs"
                sed 's/^/    /' "$tmp/diff"
            fi ;;
        json)
            json_equal "$case/expect.json" "$tmp/out" || why="JSON differs" ;;
        err)
            [ -s "$tmp/out" ] && why="stdout not empty on error"
            while IFS= read -r line; do
                [ -z "$line" ] && continue
                if ! grep -qF -- "$line" "$tmp/err"; then
                    why="stderr lacks: $line"
                    sed 's/^/    /' "$tmp/err"
                fi
            done <"$case/expect.err" ;;
        esac
        [ -n "$why" ] && break
    done
    [ $runs -eq 0 ] && why="no expect.dot, expect.json or expect.err"
    if [ -n "$why" ]; then
        fail=$((fail + 1))
        echo "FAIL $name: $why"
    else
        pass=$((pass + 1))
    fi
done

# Lowering is deterministic: the same configuration prints the same bytes.
q="$TSK_SRC/examples/quickstart"
"$TSK_BIN" -no-color -chdir="$q" graph -json >"$tmp/a" 2>/dev/null
"$TSK_BIN" -no-color -chdir="$q" graph -json >"$tmp/b" 2>/dev/null
if [ -z "$filter" ]; then
    if cmp -s "$tmp/a" "$tmp/b" && [ -s "$tmp/a" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL determinism: two runs of graph -json differ"
    fi
    # -json never shows a sensitive value
    if grep -q 'dev-token' "$tmp/a"; then
        fail=$((fail + 1))
        echo "FAIL redaction: the quickstart's API_TOKEN is in graph -json"
    else
        pass=$((pass + 1))
    fi
fi

echo "graph golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
