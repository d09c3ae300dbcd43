#!/usr/bin/env bash
# tsk.sh - golden tests of the TSK language (`tuskform tsk eval`).
#
# Each case is a folder tests/golden/tsk/NNN-name/ holding:
#   in.tsk           the input; or several *.tsk files (evaluated in name
#                    order), or an `args` file listing the files (relative to
#                    the case folder, one per line) in argument order
#   expect.json      expected stdout (compared exactly as JSON: same values,
#                    same key order, same number text; whitespace is free)
#   expect.err       expected diagnostics, one `file:line:col: severity: msg`
#                    per line (`#` lines are comments). Only the
#                    `file:line:col: severity:` prefix is compared, since the
#                    wording is the evaluator's; order does not matter.
#   env              optional NAME=VALUE lines set for the run (the run
#                    starts from an empty environment apart from PATH and the
#                    sanitizer options)
# Expected exit code: 1 when expect.err holds an error, else 0. Without
# expect.err, stderr must hold no diagnostic. Sanitizer reports, crashes and
# hangs (10 s) always fail. All expectations are written by hand from
# shared/design/tsk-language.md, never captured from tuskform.
#
# Usage: TSK_BIN=path/to/tuskform TSK_SRC=path/to/tree bash tsk.sh [FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
export LC_ALL=C
cases_dir="$TSK_SRC/tests/golden/tsk"
filter="${1:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Canonical JSON: one `$["key"][0] = leaf` line per leaf in document order
# (key order kept, number text verbatim, strings re-encoded with \u escapes),
# so that a diff shows the differing values. Fails on invalid JSON.
canon_json() {
    python3 -c '
import json, sys
def bad(c): raise ValueError("invalid JSON constant " + c)
def pairs(p): return ("obj", p)
def num(s): return ("num", s)
def out(v, path, acc):
    if isinstance(v, tuple) and v[0] == "obj":
        if not v[1]: acc.append(path + " = {}")
        for k, x in v[1]: out(x, path + "[" + json.dumps(k) + "]", acc)
    elif isinstance(v, tuple) and v[0] == "num":
        acc.append(path + " = " + v[1])
    elif isinstance(v, list):
        if not v: acc.append(path + " = []")
        for i, x in enumerate(v): out(x, path + "[" + str(i) + "]", acc)
    else:
        acc.append(path + " = " + json.dumps(v))
try:
    v = json.loads(sys.stdin.read(), object_pairs_hook=pairs,
                   parse_int=num, parse_float=num, parse_constant=bad)
except ValueError as e:
    print("INVALID JSON:", e); sys.exit(1)
acc = []
out(v, "$", acc)
print("\n".join(acc))
'
}

# Diagnostic prefixes `file:line:col: severity:` of stdin, sorted by position.
diag_prefixes() {
    grep -v '^#' | grep -oE '^[^ ][^:]*:[0-9]+:[0-9]+: (error|warning):' |
        sort -t: -k1,1 -k2,2n -k3,3n
}

pass=0 fail=0
for dir in "$cases_dir"/*/; do
    name=$(basename "$dir")
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
    files=()
    if [ -f "$dir/args" ]; then
        while IFS= read -r f; do [ -n "$f" ] && files+=("$f"); done <"$dir/args"
    elif [ -f "$dir/in.tsk" ]; then
        files=(in.tsk)
    else
        for f in "$dir"/*.tsk; do files+=("$(basename "$f")"); done
    fi
    envs=(PATH="$PATH"
          ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
          UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}")
    if [ -f "$dir/env" ]; then
        while IFS= read -r kv; do [ -n "$kv" ] && envs+=("$kv"); done <"$dir/env"
    fi
    (cd "$dir" && env -i "${envs[@]}" timeout 10 "$TSK_BIN" tsk eval \
        "${files[@]}" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    problems=()
    want_rc=0
    if [ -f "$dir/expect.err" ] && grep -v '^#' "$dir/expect.err" |
        grep -qE '^[^ ][^:]*:[0-9]+:[0-9]+: error:'; then
        want_rc=1
    fi
    if [ $rc -eq 124 ]; then
        problems+=("timed out (hang)")
    elif [ $rc -ne $want_rc ]; then
        problems+=("exit code $rc, want $want_rc")
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
        "$tmp/err"; then
        problems+=("sanitizer report on stderr")
    fi
    if [ -f "$dir/expect.json" ] && [ $rc -eq 0 ]; then
        canon_json <"$dir/expect.json" >"$tmp/want.json" ||
            problems+=("expect.json itself is invalid")
        canon_json <"$tmp/out" >"$tmp/got.json"
        if ! cmp -s "$tmp/want.json" "$tmp/got.json"; then
            problems+=("stdout JSON differs (want/got, canonical form):")
            problems+=("$(diff -u "$tmp/want.json" "$tmp/got.json" | tail -n +3)")
        fi
    fi
    if [ -f "$dir/expect.err" ]; then
        diag_prefixes <"$dir/expect.err" >"$tmp/want.err"
    else
        : >"$tmp/want.err"
    fi
    diag_prefixes <"$tmp/err" >"$tmp/got.err"
    if ! cmp -s "$tmp/want.err" "$tmp/got.err"; then
        problems+=("diagnostics differ (want/got prefixes):")
        problems+=("$(diff -u "$tmp/want.err" "$tmp/got.err" | tail -n +3)")
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        printf '    %s\n' "${problems[@]}"
        if [ -s "$tmp/err" ]; then
            echo "    --- stderr ---"
            sed 's/^/    /' "$tmp/err" | head -40
        fi
    fi
done
echo "tsk golden: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
