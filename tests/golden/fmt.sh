#!/usr/bin/env bash
# fmt.sh - `tuskform fmt` must never change what `tuskform tsk eval` says,
# and must be idempotent. Checked on a scratch copy of
#   - every golden case of tests/golden/tsk/ (its files in argument order),
#   - the five source configurations of $TSK_SHARED/source-doc (together),
#   - each file of the upstream corpus $TSK_SHARED/tsk-corpus/upstream.
# For each: eval the original; fmt the copy; eval the copy. Stdout and the
# exit code must be identical, and so must the diagnostics once their
# file:line:col positions are removed (formatting moves columns). A file
# fmt refuses (lexical or bracket errors) must be left byte for byte as it
# was, and the refusal must come with an error. Finally `fmt -check` on the
# formatted copy must pass (idempotence), and `fmt` must print nothing new.
#
# Usage: TSK_BIN=... TSK_SRC=... TSK_SHARED=... bash fmt.sh [NAME-FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TSK_SHARED:=$TSK_SRC/../shared}"
export LC_ALL=C
filter="${1:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# The diagnostics of a run without positions: "severity: message" lines.
# Two wording differences are expected and erased: fmt spells the `:`
# separator `=` (so "missing value after ':'" names '='), and it ends the
# file with a newline (so "found end of file" may read "end of line").
strip_pos() {
    grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning):' |
        sed -E "s/^[^ ]*:[0-9]+:[0-9]+: //; s/[^ ]*:[0-9]+:[0-9]+/POS/g;
                s/'[=:]'/'SEP'/g; s/end of (file|line)/end of input/g" | sort
}

# eval_in DIR OUTPREFIX FILE... : evaluates in DIR with a clean environment
eval_in() {
    local dir=$1 pre=$2
    shift 2
    local envs=(PATH="$PATH")
    [ -f "$dir/env" ] && while IFS= read -r kv; do
        [ -n "$kv" ] && envs+=("$kv")
    done <"$dir/env"
    (cd "$dir" && env -i "${envs[@]}" SOURCE_DATE_EPOCH=1700000000 \
        timeout 10 "$TSK_BIN" tsk eval "$@" >"$pre.out" 2>"$pre.err")
    echo $? >"$pre.rc"
    strip_pos <"$pre.err" >"$pre.diag"
}

# check NAME ORIGDIR FILE... : the whole protocol on a copy of ORIGDIR
check() {
    local name=$1 orig=$2
    shift 2
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && return 0
    local copy="$tmp/copy" problems=()
    rm -rf "$copy" && cp -r "$orig" "$copy"
    eval_in "$orig" "$tmp/a" "$@"
    local f
    if ! (cd "$copy" && timeout 10 "$TSK_BIN" fmt "$@" >/dev/null 2>"$tmp/fmt.err"); then
        grep -q 'error' "$tmp/fmt.err" ||
            problems+=("fmt failed without an error message")
        # every file fmt refused must be untouched
        for f in $(grep -oE '^tuskform fmt: [^ ]+ not formatted' "$tmp/fmt.err" |
            cut -d' ' -f3); do
            cmp -s "$orig/$f" "$copy/$f" ||
                problems+=("fmt refused $f but modified it")
        done
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/fmt.err"; then
        problems+=("sanitizer report from fmt:" "$(head -5 "$tmp/fmt.err")")
    fi
    local changed=0
    for f in "$@"; do
        cmp -s "$orig/$f" "$copy/$f" || changed=1
    done
    # unchanged files evaluate the same and are a fixed point: done
    if [ $changed = 1 ]; then
        eval_in "$copy" "$tmp/b" "$@"
        cmp -s "$tmp/a.rc" "$tmp/b.rc" ||
            problems+=("exit code changed: $(cat "$tmp/a.rc") -> $(cat "$tmp/b.rc")")
        cmp -s "$tmp/a.out" "$tmp/b.out" ||
            problems+=("stdout changed:" "$(diff "$tmp/a.out" "$tmp/b.out" | head -10)")
        cmp -s "$tmp/a.diag" "$tmp/b.diag" ||
            problems+=("diagnostics changed:" "$(diff "$tmp/a.diag" "$tmp/b.diag" | head -10)")
        if ! (cd "$copy" && "$TSK_BIN" fmt -check "$@" >"$tmp/chk.out" 2>&1); then
            # a refused file stays refused; anything else must be formatted
            if ! grep -q 'error' "$tmp/chk.out"; then
                problems+=("not idempotent: fmt -check fails on the formatted copy:")
                problems+=("$(cd "$copy" && "$TSK_BIN" fmt -diff "$@" | head -20)")
            fi
        fi
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        printf '    %s\n' "${problems[@]}"
    fi
}

for dir in "$TSK_SRC"/tests/golden/tsk/*/; do
    dir=${dir%/}
    files=()
    if [ -f "$dir/args" ]; then
        while IFS= read -r f; do [ -n "$f" ] && files+=("$f"); done <"$dir/args"
    elif [ -f "$dir/in.tsk" ]; then
        files=(in.tsk)
    else
        for f in "$dir"/*.tsk; do files+=("$(basename "$f")"); done
    fi
    check "golden/$(basename "$dir")" "$dir" "${files[@]}"
done

if [ -d "$TSK_SHARED/source-doc" ]; then
    files=()
    for f in "$TSK_SHARED"/source-doc/*.tsk; do files+=("$(basename "$f")"); done
    check "source-doc (all five)" "$TSK_SHARED/source-doc" "${files[@]}"
else
    echo "FAIL: $TSK_SHARED/source-doc is missing (../shared is absent)"
    fail=$((fail + 1))
fi
if [ -d "$TSK_SHARED/tsk-corpus/upstream" ]; then
    for f in "$TSK_SHARED"/tsk-corpus/upstream/*.tsk; do
        check "corpus/$(basename "$f")" "$TSK_SHARED/tsk-corpus/upstream" \
            "$(basename "$f")"
    done
fi
echo "fmt: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
