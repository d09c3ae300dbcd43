#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS - runs every libFuzzer binary fuzz_* of BUILD_DIR
# (BUILD_DIR/tests/fuzz/, where CMake puts them)
# (configured with -DTSK_FUZZ=ON) for SECONDS each, one job, starting from
# a scratch copy of its seed corpus (tests/fuzz/corpus/<target>/, plus the
# golden TSK inputs for fuzz_lang_* targets), so the source tree is never
# modified. New crashing inputs land in BUILD_DIR/fuzz-out/<target>/
# (crash-*, leak-*, timeout-*, oom-*); copy the ones worth keeping to
# tests/fuzz/regressions/<name>.tsk. Prints the executions of each target
# and the total; exits 1 when any target found a crash.
# FUZZ_MAX_LEN overrides the input size limit (default 4096), e.g. to get
# past a known deep-nesting crash.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 BUILD_DIR SECONDS" >&2
    exit 64
fi
build=$(cd "$1" && pwd) || exit 1
secs=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
out="$build/fuzz-out"
mkdir -p "$out"

total=0 crashed=0 ran=0
for bin in "$build"/tests/fuzz/fuzz_* "$build"/fuzz_*; do
    [ -x "$bin" ] && [ -f "$bin" ] || continue
    name=$(basename "$bin")
    ran=$((ran + 1))
    work="$out/$name"
    corpus="$work/corpus"
    mkdir -p "$corpus" "$work/artifacts"
    # scratch corpus: keep what earlier runs found, add the seeds
    if [ -d "$src/tests/fuzz/corpus/$name" ]; then
        cp -n "$src/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
    fi
    case "$name" in
    fuzz_lang_*)
        for f in "$src"/tests/golden/tsk/*/*.tsk "$src"/tests/golden/tsk/*/*/*.tsk; do
            [ -f "$f" ] || continue
            rel=${f#"$src"/tests/golden/tsk/}
            cp -n "$f" "$corpus/golden-${rel//\//-}" 2>/dev/null
        done
        ;;
    esac
    log="$work/log.txt"
    echo "== $name: ${secs}s, corpus $(ls "$corpus" | wc -l) files"
    before=$(ls "$work/artifacts" | sort)
    (cd "$work" && "$bin" -max_len="${FUZZ_MAX_LEN:-4096}" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" "$corpus" >"$log" 2>&1)
    rc=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" |
        grep -oE '[0-9]+$' | tail -1)
    execs=${execs:-0}
    total=$((total + execs))
    echo "   executions: $execs (exit $rc), log: $log"
    new=$(comm -13 <(echo "$before") <(ls "$work/artifacts" | sort))
    if [ $rc -ne 0 ] || [ -n "$new" ]; then
        crashed=$((crashed + 1))
        echo "   FINDINGS (in $work/artifacts):"
        echo "$new" | sed 's/^/     /'
        grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' \
            "$log" | sed 's/^/     /'
    fi
done
if [ $ran -eq 0 ]; then
    echo "no fuzz_* binaries in $build (configure with -DTSK_FUZZ=ON)" >&2
    exit 1
fi
echo "total executions: $total"
[ $crashed -eq 0 ]
