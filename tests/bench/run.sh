#!/usr/bin/env bash
# run.sh BIN - tuskform benchmarks on a generated configuration with 10,000
# functions (tests/bench/gen_config.py, about 2.9 MB, valid: every family of
# the model, provider "local"), timed by tests/bench/measure.c (built here
# with cc into a temp dir). Every section runs on that generated
# configuration (refresh on a smaller one from the same generator, aws on
# tests/bench/gen_aws_config.py: N functions on the aws provider);
# a section whose configuration does not validate fails, it is not swapped
# for another one.
#
# Each benchmark is one bench_<name> function listed in BENCHES below; it
# prints its own report. A benchmark whose command the binary does not have
# fails like any other failed measurement. Use a Release build of BIN:
# sanitizer builds are several times slower. The exit code is 0 even when a target is missed (the MISS
# lines are the result); it is non-zero only when the harness itself fails
# or a measured command fails.
#
# Environment: BENCH_N (functions, default 10000), BENCH_RUNS (runs per
# measurement, default 5).
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/tuskform" >&2
    exit 64
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$BIN" ] || { echo "run.sh: $1 is not executable" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
N=${BENCH_N:-10000}
RUNS=${BENCH_RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

cc -O2 -std=c11 -Wall -o "$tmp/measure" "$here/measure.c" ||
    { echo "run.sh: cannot build measure.c" >&2; exit 1; }
python3 "$here/gen_config.py" "$N" "$tmp/bench.tsk" || exit 1
mkdir -p "$tmp/project"
python3 "$here/gen_config.py" "$N" "$tmp/project" || exit 1
input_bytes=$(wc -c <"$tmp/bench.tsk")
input_mb=$(awk -v b="$input_bytes" 'BEGIN { printf "%.2f", b / 1048576 }')


# measure NAME CMD... : runs CMD $RUNS times; sets ms (median) and rss_mb.
# A non-zero exit fails (with the first lines of its stderr).
measure() {
    local name=$1
    shift
    local line
    line=$("$tmp/measure" "$RUNS" "$@" 2>"$tmp/$name.err") || return 1
    ms=$(sed -E 's/.*median_ms=([0-9.]+).*/\1/' <<<"$line")
    local kb status
    kb=$(sed -E 's/.*max_rss_kb=([0-9]+).*/\1/' <<<"$line")
    status=$(sed -E 's/.*status=([0-9]+).*/\1/' <<<"$line")
    rss_mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
    if [ "$status" != 0 ]; then
        echo "  FAILED: exit status $status; stderr:"
        head -5 "$tmp/$name.err" | sed 's/^/    /'
        return 1
    fi
}


# tsk eval: the language front end alone. Target: >= 100 MB/s and peak RSS
# <= 32 MB + 5 x input.
bench_eval() {
    echo "== tsk eval (one file, $N functions)"
    measure eval "$BIN" tsk eval "$tmp/bench.tsk" || { failed=1; return 0; }
    awk -v mb="$input_mb" -v ms="$ms" -v rss="$rss_mb" 'BEGIN {
        rate = ms > 0 ? mb / (ms / 1000) : 0
        limit = 32 + 5 * mb
        printf "  input         %.2f MB\n", mb
        printf "  median wall   %.1f ms\n", ms
        printf "  throughput    %.1f MB/s   (target >= 100 MB/s)   %s\n", rate,
               (rate >= 100 ? "PASS" : "MISS")
        printf "  peak RSS      %.1f MB     (target <= %.1f MB)    %s\n", rss,
               limit, (rss <= limit ? "PASS" : "MISS")
    }'
}

# validate: front end plus schema and reference checks, on the five-file
# project folder.
bench_validate() {
    echo "== validate (five files, $N functions)"
    measure validate "$BIN" -chdir="$tmp/project" validate ||
        { failed=1; return 0; }
    echo "  input         $input_mb MB"
    echo "  median wall   $ms ms"
    echo "  peak RSS      $rss_mb MB"
}

# plan: everything up to the change list, against empty state (local
# provider). Runs in a scratch copy so no state is written next to the input.
bench_plan() {
    echo "== plan (five files, $N functions, empty state)"
    measure plan "$BIN" -chdir="$tmp/project" plan ||
        { failed=1; return 0; }
    echo "  median wall   $ms ms"
    echo "  peak RSS      $rss_mb MB"
}

# ---- apply, re-plan and refresh on the local provider (the apply owner's
# section). Each apply runs on a fresh copy of its folder, so it is timed
# once per copy (BENCH_APPLY_RUNS copies, default 1).

# apply_dir N DIR: a folder holding the generated N-function configuration
# (the five files), without state.
apply_dir() {
    local n=$1 dir=$2
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 "$here/gen_config.py" "$n" "$dir" >/dev/null
}

# apply: every resource created from empty state. Target: < 10 s.
bench_apply() {
    echo "== apply (local provider, $N functions, empty state)"
    apply_dir "$N" "$tmp/apply.src" || { failed=1; return 0; }
    local runs=${BENCH_APPLY_RUNS:-1} i best=
    for ((i = 0; i < runs; i++)); do
        rm -rf "$tmp/apply"
        cp -r "$tmp/apply.src" "$tmp/apply"
        local save=$RUNS
        RUNS=1
        measure apply "$BIN" -chdir="$tmp/apply" apply -auto-approve || { RUNS=$save; failed=1; return 0; }
        RUNS=$save
        best=$(awk -v a="$best" -v b="$ms" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
    local nres
    nres=$("$BIN" -chdir="$tmp/apply" state list | wc -l)
    awk -v ms="$best" -v n="$nres" -v rss="$rss_mb" 'BEGIN {
        printf "  resources     %d\n", n
        printf "  wall          %.1f ms   (target < 10000 ms)   %s\n", ms,
               (ms < 10000 ? "PASS" : "MISS")
        printf "  per resource  %.3f ms\n", n ? ms / n : 0
        printf "  peak RSS      %.1f MB\n", rss
    }'
}

# re-plan: the applied configuration planned again, nothing to change
# (refresh included). Target: < 1 s.
bench_replan() {
    [ -d "$tmp/apply/.tuskform" ] || { echo "== re-plan: skipped (no applied folder)"; return 0; }
    echo "== re-plan with no changes ($N functions, refresh included)"
    measure replan "$BIN" -chdir="$tmp/apply" plan -detailed-exitcode ||
        { echo "  (exit 2 means the re-plan found changes)"; failed=1; return 0; }
    awk -v ms="$ms" -v rss="$rss_mb" 'BEGIN {
        printf "  median wall   %.1f ms   (target < 1000 ms)   %s\n", ms,
               (ms < 1000 ? "PASS" : "MISS")
        printf "  peak RSS      %.1f MB\n", rss
    }'
}

# refresh: `drift` on 1,000 functions with 20 ms per provider call, at
# parallelism 10 and 50. Target: wall within 1.5x of calls x 20 ms / P.
bench_refresh() {
    local n=${BENCH_REFRESH_N:-1000} p calls
    echo "== refresh ($n functions, TUSKFORM_LOCAL_LATENCY_MS=20)"
    apply_dir "$n" "$tmp/refresh" || { failed=1; return 0; }
    "$BIN" -chdir="$tmp/refresh" apply -auto-approve >/dev/null 2>"$tmp/refresh.err" ||
        { echo "  FAILED: apply: $(head -1 "$tmp/refresh.err")"; failed=1; return 0; }
    calls=$("$BIN" -chdir="$tmp/refresh" state list | wc -l)
    for p in 10 50; do
        measure refresh$p env TUSKFORM_LOCAL_LATENCY_MS=20 "$BIN" \
            -chdir="$tmp/refresh" drift -parallelism="$p" || { failed=1; continue; }
        awk -v ms="$ms" -v c="$calls" -v p="$p" 'BEGIN {
            ideal = c * 20 / p
            printf "  P=%-3d calls %d  ideal %.0f ms  median wall %.1f ms  ratio %.2f   (target <= 1.50)   %s\n",
                   p, c, ideal, ms, ms / ideal, (ms / ideal <= 1.5 ? "PASS" : "MISS")
        }'
    done
}

# ---- plan -out (the planner's section): the whole process of
# `plan -out=P >/dev/null`, on the apply section's N-function folder.
# Targets: each under 1 s and under 300 MB.
plan_out_report() {
    awk -v ms="$ms" -v rss="$rss_mb" 'BEGIN {
        printf "  median wall   %.1f ms   (target < 1000 ms)   %s\n", ms,
               (ms < 1000 ? "PASS" : "MISS")
        printf "  peak RSS      %.1f MB    (target < 300 MB)    %s\n", rss,
               (rss < 300 ? "PASS" : "MISS")
    }'
}

# plan -out on empty state: every resource to create.
bench_plan_out_empty() {
    [ -d "$tmp/apply.src" ] || apply_dir "$N" "$tmp/apply.src" ||
        { failed=1; return 0; }
    echo "== plan -out=P ($N functions, empty state)"
    rm -rf "$tmp/plan_empty"
    cp -r "$tmp/apply.src" "$tmp/plan_empty"
    measure plan_out_empty "$BIN" -chdir="$tmp/plan_empty" plan -out=P ||
        { failed=1; return 0; }
    plan_empty_ms=$ms
    plan_out_report
}

# The same plan with Terraform, when it is on the PATH: N builtin
# terraform_data resources (local backend, no network), `terraform plan
# -out`, timed as a whole process; prints the ratio to tuskform's plan -out
# on empty state (bench_plan_out_empty, which must run first). Goal: >= 20x.
bench_terraform_ratio() {
    command -v terraform >/dev/null ||
        { echo "== terraform ratio: skipped: terraform is not on the PATH"; return 0; }
    [ -n "${plan_empty_ms:-}" ] ||
        { echo "== terraform ratio: skipped: no tuskform plan -out timing"; return 0; }
    echo "== terraform plan -out=P ($N terraform_data resources, local backend)"
    local d="$tmp/terraform"
    mkdir -p "$d"
    awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
        printf "resource \"terraform_data\" \"r%05d\" {\n  input = \"value-%d\"\n}\n", i, i }' \
        >"$d/main.tf"
    export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
    (cd "$d" && terraform init -input=false >/dev/null 2>&1) ||
        { echo "  FAILED: terraform init"; failed=1; return 0; }
    local runs=$RUNS
    RUNS=${BENCH_TF_RUNS:-1}
    measure terraform terraform -chdir="$d" plan -input=false -lock=false \
        -out=P || { RUNS=$runs; failed=1; return 0; }
    RUNS=$runs
    awk -v tf="$ms" -v tk="$plan_empty_ms" -v rss="$rss_mb" 'BEGIN {
        printf "  terraform     %.1f ms, peak RSS %.1f MB\n", tf, rss
        printf "  tuskform      %.1f ms (plan -out, empty state)\n", tk
        printf "  ratio         %.1fx   (goal >= 20x)   %s\n", tf / tk,
               (tf / tk >= 20 ? "PASS" : "MISS")
    }'
}

# plan -out with everything in state and nothing changed (-refresh=false).
# Uses the apply section's folder; without it (BENCH_ONLY), applies the
# same configuration first with BIN (not timed).
bench_plan_out_nochange() {
    echo "== plan -refresh=false -out=P ($N functions in state, no changes)"
    if [ ! -d "$tmp/apply/.tuskform" ]; then
        apply_dir "$N" "$tmp/apply" || { failed=1; return 0; }
        "$BIN" -chdir="$tmp/apply" apply -auto-approve >/dev/null \
            2>"$tmp/plan_out_apply.err" ||
            { echo "  FAILED: apply: $(head -1 "$tmp/plan_out_apply.err")"
              failed=1; return 0; }
    fi
    measure plan_out_nochange "$BIN" -chdir="$tmp/apply" plan \
        -refresh=false -out=P || { failed=1; return 0; }
    "$BIN" -chdir="$tmp/apply" plan -refresh=false -detailed-exitcode \
        >/dev/null 2>&1 || echo "  note: the plan is not empty (exit $?)"
    plan_out_report
}

# ---- AWS provider (providers/aws): refresh through a keep-alive proxy ------
# Creates BENCH_AWS_N (default 200) functions from tests/bench/gen_aws_config.py
# (provider "aws", python:3.12, one code folder, an IAM role made first with
# boto3: a function and its log group each) on a private moto_server behind
# tests/fakes/aws_fault_proxy.py (keep-alive, 20 ms per call; moto itself
# closes every connection), then refreshes them (plan -refresh-only) at
# parallelism 10 and 50. Prints wall time, requests per second and the
# connections tuskform opened, with PASS/MISS for the target: reuse keeps
# them <= parallelism (configure's STS check shares the connection cache;
# the proxy counts only connections that carry AWS calls). Runs when
# BENCH_ONLY is unset or names aws; fails without moto_server or boto3.
bench_aws() {
    local n=${BENCH_AWS_N:-200} port pport mpid ppid d p
    command -v moto_server >/dev/null 2>&1 ||
        { echo "== aws refresh: FAILED: moto_server not found"; failed=1; return 0; }
    python3 -c 'import boto3' 2>/dev/null ||
        { echo "== aws refresh: FAILED: boto3 not found"; failed=1; return 0; }
    echo "== aws refresh ($n functions, proxy keep-alive, 20 ms per call)"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    moto_server -H 127.0.0.1 -p "$port" >"$tmp/aws_moto.log" 2>&1 &
    mpid=$!
    python3 "$here/../fakes/aws_fault_proxy.py" --upstream "http://127.0.0.1:$port" \
        --latency-ms 20 --port-file "$tmp/aws_proxy.port" >"$tmp/aws_proxy.log" 2>&1 &
    ppid=$!
    for _ in $(seq 300); do
        [ -s "$tmp/aws_proxy.port" ] && curl -fsS "http://127.0.0.1:$port/moto-api/data.json" \
            >/dev/null 2>&1 && break
        sleep 0.1
    done
    pport=$(cat "$tmp/aws_proxy.port" 2>/dev/null)
    if [ -z "$pport" ]; then
        echo "  FAILED: moto_server or the proxy did not start"
        kill "$ppid" "$mpid" 2>/dev/null; failed=1; return 0
    fi
    p=http://127.0.0.1:$pport
    d=$tmp/aws
    rm -rf "$d"
    (
        export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
        export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
        export AWS_ENDPOINT_URL=$p TUSKFORM_POLL_INTERVAL_MS=100
        # the execution role every function uses (made outside tuskform)
        role=$(python3 -c '
import boto3, sys
iam = boto3.client("iam", endpoint_url=sys.argv[1])
print(iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"])' \
            "http://127.0.0.1:$port") || { echo "  FAILED: boto3 setup"; exit 1; }
        python3 "$here/gen_aws_config.py" "$n" "$role" "$d" ||
            { echo "  FAILED: gen_aws_config.py"; exit 1; }
        s0=$(date +%s.%N)
        "$BIN" -chdir="$d" apply -auto-approve -parallelism=20 >"$tmp/aws_apply.log" 2>&1 ||
            { echo "  FAILED: apply"; tail -5 "$tmp/aws_apply.log"; exit 1; }
        awk -v a="$s0" -v b="$(date +%s.%N)" -v n="$n" \
            -v r="$("$BIN" -chdir="$d" state list | wc -l)" \
            'BEGIN { printf "  create        %d functions: %d resources in %.1f s\n", n, r, b - a }'
        for par in 10 50; do
            curl -fsS -X POST "$p/__proxy/reset" >/dev/null
            s0=$(date +%s.%N)
            "$BIN" -chdir="$d" plan -refresh-only -parallelism="$par" >"$tmp/aws_refresh.log" 2>&1 ||
                { echo "  FAILED: refresh"; tail -5 "$tmp/aws_refresh.log"; exit 1; }
            s1=$(date +%s.%N)
            curl -fsS "$p/__proxy/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin)
par, wall = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2])
ok = "PASS" if s["connections"] <= par else "MISS"
print("  parallelism %-3d wall %6.2f s  %7.1f req/s  %4d requests  %3d connections   %s (target <= %d)"
      % (par, wall, s["requests"] / wall, s["requests"], s["connections"], ok, par))' \
                "$par" "$s0" "$s1"
        done
        "$BIN" -chdir="$d" destroy -auto-approve -parallelism=20 >/dev/null 2>&1 ||
            echo "  note: destroy failed"
    ) || failed=1
    kill "$ppid" "$mpid" 2>/dev/null
    wait "$ppid" "$mpid" 2>/dev/null
    return 0
}

BENCHES=(bench_eval bench_validate bench_plan bench_apply bench_replan bench_refresh bench_plan_out_empty bench_terraform_ratio bench_plan_out_nochange)
# BENCH_ONLY="eval plan_out_empty ..." runs just those (names without bench_).
if [ -n "${BENCH_ONLY:-}" ]; then
    BENCHES=()
    for b in $BENCH_ONLY; do BENCHES+=("bench_$b"); done
fi
[ -n "${BENCH_ONLY:-}" ] || BENCHES+=(bench_aws)
echo "tuskform benchmarks: $BIN, N=$N, $RUNS runs each"
for b in "${BENCHES[@]}"; do
    "$b"
done
exit $failed
