#!/usr/bin/env bash
# aws_plan.sh - golden tests of `tuskform plan` on the aws provider.
#
# Each case is a folder tests/golden/aws_plan/NAME/ holding:
#   example        the folder under examples/ that is planned (copied to a
#                  scratch folder first, so nothing is written to the tree)
#   expect.txt     stdout of `plan -no-color -detailed-exitcode` up to its
#                  "Plan: ..." summary line (the cost estimate and notes
#                  after it are other tests' business)
#   expect.rc      its exit code
#   expect.json    the resource_changes of `plan -json` whose type is one of
#                  the part II types (event routing, HTTP API, S3
#                  notification, autoscaling, alarms, budgets, X-Ray), in
#                  plan order: address, type, name, change.actions,
#                  change.after, change.after_unknown, exactly
#   expect.err     lines that must appear in the stderr of the text run
# Expected files are checked by hand against the design (architecture.md
# §3, the AWS lowering table); the plan needs no state and creates
# nothing, but the provider checks its credentials with STS
# GetCallerIdentity, so the emulator (TSK_MOTO_URL, as every AWS test)
# must run.
#
# Usage: TSK_BIN=... TSK_SRC=... TSK_MOTO_URL=... bash aws_plan.sh [FILTER]
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
if [ -z "${TSK_MOTO_URL:-}" ]; then
  echo "FAIL: TSK_MOTO_URL is not set: run through 'make test', or start" \
       "'moto_server -H 127.0.0.1 -p PORT' and export" \
       "TSK_MOTO_URL=http://127.0.0.1:PORT" >&2
  exit 1
fi
export LC_ALL=C NO_COLOR=1 TUSKFORM_PROVIDER=aws AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_ENDPOINT_URL=$TSK_MOTO_URL
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION TUSKFORM_LOCAL_CLOUD
unset AWS_ENDPOINT_URL_LAMBDA AWS_ENDPOINT_URL_XRAY AWS_ENDPOINT_URL_BUDGETS
filter="${1:-}"
fails=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

part2() {
  python3 - "$1" <<'PY'
import json, sys
types = {"aws_cloudwatch_event_bus", "aws_cloudwatch_event_rule",
         "aws_cloudwatch_event_target", "aws_lambda_permission",
         "aws_sqs_queue_policy", "aws_apigatewayv2_api",
         "aws_apigatewayv2_integration", "aws_apigatewayv2_route",
         "aws_apigatewayv2_stage", "aws_apigatewayv2_authorizer",
         "aws_s3_bucket_notification", "aws_appautoscaling_target",
         "aws_appautoscaling_policy", "aws_cloudwatch_metric_alarm",
         "aws_budgets_budget", "aws_xray_sampling_rule"}
doc = json.load(open(sys.argv[1]))
out = [{"address": r["address"], "type": r["type"], "name": r["name"],
        "actions": r["change"]["actions"], "after": r["change"]["after"],
        "after_unknown": r["change"]["after_unknown"]}
       for r in doc["resource_changes"] if r["type"] in types]
print(json.dumps(out, indent=1, sort_keys=True))
PY
}

for case in "$TSK_SRC"/tests/golden/aws_plan/*/; do
  name=$(basename "$case")
  [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
  dir=$work/$name
  cp -r "$TSK_SRC/examples/$(cat "$case/example")" "$dir"
  rc=0
  "$TSK_BIN" -chdir="$dir" plan -no-color -detailed-exitcode \
    >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  want_rc=$(cat "$case/expect.rc")
  if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit $rc, want $want_rc"; cat "$work/$name.err"
    fails=$((fails + 1)); continue
  fi
  sed -i '/^Plan: /q' "$work/$name.out"
  if ! diff -u "$case/expect.txt" "$work/$name.out" >"$work/$name.diff"; then
    echo "FAIL $name: text plan differs"; head -60 "$work/$name.diff"
    fails=$((fails + 1))
  fi
  while IFS= read -r line; do
    grep -qF -- "$line" "$work/$name.err" ||
      { echo "FAIL $name: stderr lacks: $line"; fails=$((fails + 1)); }
  done <"$case/expect.err"
  rm -rf "$dir/.tuskform"
  if ! "$TSK_BIN" -chdir="$dir" plan -json >"$work/$name.json" \
      2>"$work/$name.jerr"; then
    echo "FAIL $name: plan -json failed"; cat "$work/$name.jerr"
    fails=$((fails + 1)); continue
  fi
  part2 "$work/$name.json" >"$work/$name.part2" || { fails=$((fails + 1)); continue; }
  if ! diff -u "$case/expect.json" "$work/$name.part2" >"$work/$name.jdiff"; then
    echo "FAIL $name: JSON plan differs"; head -60 "$work/$name.jdiff"
    fails=$((fails + 1))
  fi
  [ "$fails" = 0 ] && echo "ok $name"
done
[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
