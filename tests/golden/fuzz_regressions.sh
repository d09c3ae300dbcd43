#!/usr/bin/env bash
# fuzz_regressions.sh - runs `tuskform tsk eval` on every saved fuzzer
# finding in tests/fuzz/regressions/ (any file name) and fails when one
# crashes, hangs (10 s), exits with anything but 0 or 1, or makes a
# sanitizer report. The outcome itself (ok or error) is not checked: these
# inputs are mostly garbage, and only "never crash" is the contract.
#
# Usage: TSK_BIN=... TSK_SRC=... bash fuzz_regressions.sh
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
dir="$TSK_SRC/tests/fuzz/regressions"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the fuzz target sets these; do the same so @env takes the same paths
export TSK_FUZZ_STR=hello TSK_FUZZ_INT=42 TSK_FUZZ_DBL=2.5 TSK_FUZZ_BOOL=true \
    TSK_FUZZ_BAD="not a number" TSK_FUZZ_EMPTY= STAGE=prod \
    SOURCE_DATE_EPOCH=1700000000
pass=0 fail=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    case "$f" in *.md) continue ;; esac
    # evaluate from an empty folder so a relative @file finds nothing
    (cd "$tmp" && timeout 10 "$TSK_BIN" tsk eval "$f" >/dev/null 2>"$tmp/err")
    rc=$?
    why=
    if [ $rc -eq 124 ]; then
        why="hang (timed out after 10 s)"
    elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        why="exit code $rc"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
        "$tmp/err"; then
        why="sanitizer report"
    fi
    if [ -n "$why" ]; then
        fail=$((fail + 1))
        echo "FAIL $(basename "$f"): $why"
        grep -E 'ERROR:|runtime error:|#[0-9]+ ' "$tmp/err" | head -12 | sed 's/^/    /'
    else
        pass=$((pass + 1))
    fi
done
echo "fuzz regressions: $pass passed, $fail failed"
[ $fail -eq 0 ]
