#!/usr/bin/env bash
# tsk_corpus.sh - runs `tuskform tsk eval` on every file of the upstream TSK
# corpus (shared/tsk-corpus/upstream, read in place, never copied) and checks
# the outcome and error lines written by hand in tsk_corpus.expect.
# Any run must finish within 10 s, exit 0 or 1, and print no sanitizer
# report; every corpus file must have a row and every row a file.
#
# Usage: TSK_BIN=... TSK_SRC=... TSK_SHARED=... bash tsk_corpus.sh
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TSK_SHARED:=$TSK_SRC/../shared}"
export LC_ALL=C
corpus="$TSK_SHARED/tsk-corpus/upstream"
table="$TSK_SRC/tests/golden/tsk_corpus.expect"
if [ ! -d "$corpus" ]; then
    echo "FAIL: $corpus is missing: the shared folder ../shared (TSK_SHARED)" \
        "is absent, so the upstream corpus cannot be checked" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0
declare -A seen=()
while read -r file outcome first also rest; do
    [ -z "${file:-}" ] && continue
    case "$file" in \#*) continue ;; esac
    seen["$file"]=1
    problems=()
    if [ ! -f "$corpus/$file" ]; then
        echo "FAIL $file: listed in the table but not in $corpus"
        fail=$((fail + 1))
        continue
    fi
    (cd "$corpus" && env -i PATH="$PATH" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" \
        UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
        timeout 10 "$TSK_BIN" tsk eval "$file" >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ $rc -eq 124 ]; then
        problems+=("timed out after 10 s (hang)")
    elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        problems+=("crashed or failed oddly: exit code $rc")
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
        "$tmp/err"; then
        problems+=("sanitizer report on stderr")
    fi
    # distinct error lines of this file, ascending
    got=$(grep -oE "^[^ :]*$file:[0-9]+:[0-9]+: error:" "$tmp/err" |
        sed -E 's/.*:([0-9]+):[0-9]+: error:$/\1/' | sort -n -u | paste -sd, -)
    case "$outcome" in
    ok)
        [ $rc -eq 0 ] || problems+=("exit code $rc, want 0")
        [ -z "$got" ] || problems+=("errors on lines $got, want none")
        python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" \
            2>/dev/null || problems+=("stdout is not valid JSON")
        ;;
    error)
        [ $rc -eq 1 ] || problems+=("exit code $rc, want 1")
        want=${first%,...}
        if [ "$want" != "$first" ]; then
            n=$(echo "$want" | tr ',' '\n' | wc -l)
            prefix=$(echo "$got" | tr ',' '\n' | head -n "$n" | paste -sd, -)
            [ "$prefix" = "$want" ] ||
                problems+=("first error lines $prefix, want $want (then anything); all: $got")
        else
            [ "$got" = "$want" ] ||
                problems+=("error lines $got, want exactly $want")
        fi
        if [ "${also:--}" != "-" ]; then
            for l in ${also//,/ }; do
                echo ",$got," | grep -q ",$l," ||
                    problems+=("no error on line $l (want one); all: $got")
            done
        fi
        ;;
    *)
        problems+=("bad outcome '$outcome' in the table")
        ;;
    esac
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $file"
        printf '    %s\n' "${problems[@]}"
        sed 's/^/    | /' "$tmp/err" | grep -E ': (error|warning):' | head -15
    fi
done <"$table"

for f in "$corpus"/*.tsk; do
    b=$(basename "$f")
    if [ -z "${seen[$b]:-}" ]; then
        echo "FAIL $b: no row in tsk_corpus.expect"
        fail=$((fail + 1))
    fi
done
echo "tsk corpus: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
