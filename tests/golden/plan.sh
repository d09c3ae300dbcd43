#!/usr/bin/env bash
# plan.sh - golden tests of `tuskform plan` against the local provider.
#
# Each case is a folder tests/golden/plan/NNN-name/ holding:
#   before/*.tsk   optional: applied first (`apply -auto-approve`), which
#                  writes the prior state through the state API
#   cloud.sql      optional: SQL run on the local cloud afterwards (drift)
#   *.tsk          the configuration that is planned
#   args           optional: extra plan options, one line
#   expect.txt     stdout of `plan -no-color -detailed-exitcode ARGS`
#   expect.rc      its exit code (default 0)
#   expect.md      stdout of `plan -format=markdown ARGS`, up to the
#                  collapsed full plan (whose layout the unit tests check)
#   expect.json    JSON that must be contained in `plan -json ARGS`: every
#                  key and value given must be there (lists: same length,
#                  element by element)
#   expect.err     optional: lines that must appear in the stderr of the
#                  text run
#   secrets        optional: strings that must appear in no output
# Expected files are written by hand. Remote ids (function-1a2b3c4d5e6f)
# are random and shown as <id>.
#
# Usage: TSK_BIN=path/to/tuskform TSK_SRC=path/to/tree bash plan.sh [FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
export LC_ALL=C NO_COLOR=1
unset TUSKFORM_PROVIDER TUSKFORM_LOCAL_CLOUD
filter="${1:-}"
fails=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

norm() { sed -E 's/\b[a-z_]+-[0-9a-f]{12}\b/<id>/g'; }

# json_contains EXPECT_FILE ACTUAL_FILE: prints the first difference.
json_contains() {
    python3 - "$1" "$2" <<'PY'
import json, sys
want = json.load(open(sys.argv[1]))
try:
    got = json.load(open(sys.argv[2]))
except ValueError as e:
    print("stdout is not one JSON document:", e); sys.exit(1)
def check(w, g, path):
    if isinstance(w, dict):
        if not isinstance(g, dict):
            return "%s: want an object, got %r" % (path, g)
        for k, v in w.items():
            if k not in g:
                return "%s.%s: missing" % (path, k)
            r = check(v, g[k], path + "." + k)
            if r: return r
    elif isinstance(w, list):
        if not isinstance(g, list) or len(g) != len(w):
            return "%s: want a list of %d, got %r" % (path, len(w), g)
        for i, (a, b) in enumerate(zip(w, g)):
            r = check(a, b, "%s[%d]" % (path, i))
            if r: return r
    elif w != g or type(w) != type(g):
        return "%s: want %r, got %r" % (path, w, g)
    return None
r = check(want, got, "$")
if r:
    print(r); sys.exit(1)
PY
}

fail() {
    echo "FAIL $name: $*"
    fails=$((fails + 1))
}

run_case() {
    local dir=$1 w="$work/$name"
    rm -rf "$w"
    mkdir -p "$w"
    if [[ -d "$dir/before" ]]; then
        cp "$dir"/before/*.tsk "$w/"
        if ! (cd "$w" && "$TSK_BIN" apply -auto-approve >"$w.apply" 2>&1); then
            fail "setup apply failed:"
            cat "$w.apply"
            return
        fi
        rm -f "$w"/*.tsk
    fi
    cp "$dir"/*.tsk "$w/"
    if [[ -f "$dir/cloud.sql" ]]; then
        python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()' \
            "$w/.tuskform/local-cloud.db" "$dir/cloud.sql" || {
            fail "cloud.sql failed"
            return
        }
    fi
    local args=()
    [[ -f "$dir/args" ]] && read -r -a args <"$dir/args"
    local rc want_rc=0
    (cd "$w" && "$TSK_BIN" -no-color plan -detailed-exitcode "${args[@]}" \
        >"$w.txt" 2>"$w.err")
    rc=$?
    [[ -f "$dir/expect.rc" ]] && want_rc=$(cat "$dir/expect.rc")
    [[ $rc == "$want_rc" ]] || fail "text: exit $rc, want $want_rc"
    if [[ -f "$dir/expect.txt" ]] &&
        ! diff -u "$dir/expect.txt" <(norm <"$w.txt") >"$w.diff"; then
        fail "text output differs:"
        cat "$w.diff"
    fi
    if [[ -f "$dir/expect.err" ]]; then
        while IFS= read -r line; do
            grep -qF -- "$line" "$w.err" || fail "stderr lacks: $line"
        done <"$dir/expect.err"
    fi
    if [[ -f "$dir/expect.md" ]]; then
        (cd "$w" && "$TSK_BIN" plan -format=markdown "${args[@]}" \
            >"$w.md" 2>/dev/null)
        if ! diff -u "$dir/expect.md" \
            <(norm <"$w.md" | sed '/^<details><summary>Full plan/,$d') \
            >"$w.diff"; then
            fail "markdown differs:"
            cat "$w.diff"
        fi
        if grep -q '^### tuskform plan: [0-9]' "$w.md" &&
            ! grep -q '^<details><summary>Full plan</summary>$' "$w.md"; then
            fail "markdown has no collapsed full plan"
        fi
    fi
    if [[ -f "$dir/expect.json" ]]; then
        (cd "$w" && "$TSK_BIN" plan -json "${args[@]}" >"$w.json" 2>/dev/null)
        local why
        why=$(json_contains "$dir/expect.json" "$w.json") ||
            fail "json: $why"
    fi
    if [[ -f "$dir/secrets" ]]; then
        while IFS= read -r s; do
            [[ -z "$s" ]] && continue
            grep -qF -- "$s" "$w.txt" "$w.err" "$w.md" "$w.json" 2>/dev/null &&
                fail "secret \"$s\" appears in the output"
        done <"$dir/secrets"
    fi
}

for dir in "$TSK_SRC"/tests/golden/plan/*/; do
    name=$(basename "$dir")
    [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
    before=$fails
    run_case "${dir%/}"
    [[ $fails == "$before" ]] && echo "ok   $name"
done

# A saved plan: show renders it, a damaged one is refused clearly.
name=planfile
w="$work/pf"
mkdir -p "$w"
cp "$TSK_SRC"/tests/golden/plan/001-create/*.tsk "$w/"
(cd "$w" && "$TSK_BIN" plan -out=p.plan >/dev/null 2>&1) || fail "plan -out"
(cd "$w" && "$TSK_BIN" -no-color show p.plan | norm >show.txt) || fail "show"
head -n -5 "$TSK_SRC/tests/golden/plan/001-create/expect.txt" >"$w/want.txt"
diff -u "$w/want.txt" "$w/show.txt" >/dev/null || fail "show differs from plan"
(cd "$w" && "$TSK_BIN" show -json p.plan >show.json) || fail "show -json"
json_contains "$TSK_SRC/tests/golden/plan/001-create/expect.json" \
    "$w/show.json" >/dev/null || fail "show -json differs from plan -json"
grep -qF 'k-123' "$w/show.json" && fail "show -json leaks a secret"
printf 'garbage' >"$w/bad.plan"
(cd "$w" && "$TSK_BIN" show bad.plan >/dev/null 2>"$w/err")
[[ $? == 1 ]] || fail "show of a damaged plan must exit 1"
grep -q 'bad.plan is damaged' "$w/err" || fail "damaged plan message"
[[ $fails == 0 ]] && echo "ok   planfile"

# show without a plan file: the state, with sensitive values redacted.
name=show-state
before=$fails
(cd "$w" && "$TSK_BIN" apply -auto-approve >/dev/null 2>&1) || fail "apply"
(cd "$w" && "$TSK_BIN" -no-color show >state.txt 2>&1) || fail "show"
grep -qF '# local_function.api:' "$w/state.txt" || fail "show lacks api"
grep -qF 'resource "local_schedule" "batch_nightly" {' "$w/state.txt" ||
    fail "show lacks the schedule"
grep -qF 'k-123' "$w/state.txt" && fail "show leaks a secret"
(cd "$w" && "$TSK_BIN" show -json >state.json) || fail "show -json"
python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
r = {x["address"]: x for x in d["values"]["root_module"]["resources"]}
assert r["local_function.api"]["values"]["environment"]["API_KEY"] == "(sensitive value)"
assert r["local_function.api"]["sensitive_values"] == {"environment": {"API_KEY": True}}
assert len(r) == 3' "$w/state.json" || fail "show -json state"
[[ $fails == "$before" ]] && echo "ok   show-state"

# -json keeps its promise of one document on stdout when planning fails;
# bad option combinations are usage errors (64).
name=errors
before=$fails
mkdir -p "$w/bad"
printf '[serverless_architecture]\nprovider = "local"\n[serverless_architecture.functions.f]\nhandler = 7\n' >"$w/bad/main.tsk"
(cd "$w/bad" && "$TSK_BIN" plan -json >out.json 2>err.txt)
[[ $? == 1 ]] || fail "a broken configuration must exit 1"
python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); assert d["errored"] is True and d["resource_changes"] == []' \
    "$w/bad/out.json" || fail "plan -json on error is not one errored document"
[[ -s "$w/bad/err.txt" ]] || fail "plan -json on error: no diagnostic on stderr"
for bad in "-refresh-only -destroy" "-refresh-only -refresh=false" \
    "-destroy -replace=a.b" "-format=yaml" "-json -format=markdown" "extra"; do
    read -r -a a <<<"$bad"
    (cd "$w" && "$TSK_BIN" plan "${a[@]}" >/dev/null 2>&1)
    rc=$?
    [[ $rc == 64 ]] || fail "plan $bad: exit $rc, want 64"
done
[[ $fails == "$before" ]] && echo "ok   errors"

if [[ $fails -gt 0 ]]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "all plan golden cases passed"
