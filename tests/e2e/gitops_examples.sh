#!/usr/bin/env bash
# The CI examples cannot rot: the tuskform command lines are extracted from
# examples/gitops/github/*.yml and examples/gitops/gitlab-ci.yml (YAML
# parsed, run: and script: blocks) and run, as the CI would run them, on a
# real repository with a local-provider stack: plan on a pull request
# (intent diff, markdown plan, plan file), apply of exactly that plan after
# the merge, nightly drift (in sync, then drift after an out-of-band edit).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
ex=$TSK_SRC/examples/gitops
bin=$work/bin
mkdir -p "$bin"
ln -s "$TSK_BIN" "$bin/tuskform"

# extract FILE github|gitlab [JOB...]: the tuskform lines, in order.
extract() {
  python3 - "$@" <<'PY'
import sys, yaml
def lines(script):
    if isinstance(script, list):
        return [l for s in script for l in lines(s)]
    if not isinstance(script, str):
        return []
    return [l.strip() for l in script.splitlines() if l.strip().startswith("tuskform ")]
path, kind, jobs = sys.argv[1], sys.argv[2], sys.argv[3:]
doc = yaml.safe_load(open(path))
if kind == "github":
    for job in doc["jobs"].values():
        for step in job.get("steps", []):
            for l in lines(step.get("run")):
                print(l)
else:
    for job in jobs:
        for l in lines(doc[job]["script"]):
            print(l)
PY
}

# run_line LINE: runs one line in infra/ with bash as CI does; line_rc gets
# its exit status, var_rc the value it left in $rc (drift lines set it).
run_line() {
  local script="$1"$'\n''st=$?; echo "${rc-}" > "$RCFILE"; exit $st'
  line_rc=0
  (cd "$r/infra" && RCFILE=$work/rc PATH="$bin:$PATH" bash -c "$script") \
    >"$work/out" 2>"$work/err" || line_rc=$?
  var_rc=$(cat "$work/rc")
}

# run_ok FILE: runs every line of FILE; each must exit 0.
run_ok() {
  local line
  while IFS= read -r line; do
    run_line "$line"
    [ "$line_rc" -eq 0 ] || { cat "$work/err" >&2; fail "exit $line_rc: $line"; }
  done <"$1"
}

git_() { command git -C "$r" -c user.name=ci -c user.email=ci@example.com "$@"; }

# scenario NAME PLAN_LINES APPLY_LINES DRIFT_LINES
scenario() {
  local name=$1 plan=$2 apply=$3 drift=$4
  r=$work/$name
  note "$name: $(wc -l <"$plan") plan, $(wc -l <"$apply") apply, $(wc -l <"$drift") drift command lines"
  [ "$(wc -l <"$plan")" -ge 2 ] && [ "$(wc -l <"$apply")" -ge 1 ] && [ "$(wc -l <"$drift")" -ge 1 ] ||
    fail "$name: too few tuskform lines found"
  grep -q '^tuskform diff ' "$plan" || fail "$name: no intent diff in the plan flow"
  grep -q '^tuskform plan .*-out=' "$plan" || fail "$name: no saved plan in the plan flow"
  grep -q '^tuskform apply .*PLAN_FILE' "$apply" || fail "$name: apply does not apply the plan file"

  mkdir -p "$r"
  git_ init -q -b main
  write_shop "$r/infra"
  git_ add -A
  git_ commit -q -m "shop"
  (cd "$r/infra" && tf apply -auto-approve >/dev/null)

  note "$name: pull request: worker memory 512 -> 1024, a new function"
  git_ checkout -q -b feature
  sed -i 's/memory_size = 512/memory_size = 1024/' "$r/infra/main.tsk"
  sed -i 's/^worker = {/mailer = { handler = "Mail::send", events = ["sqs"] }\nworker = {/' "$r/infra/main.tsk"
  git_ commit -q -am "mailer; worker memory"
  export BASE_SHA HEAD_SHA PLAN_FILE=tuskform.plan
  BASE_SHA=$(git_ rev-parse main)
  HEAD_SHA=$(git_ rev-parse HEAD)
  run_ok "$plan"
  has "$r/infra/intent.md" "### tuskform diff: 2 to add, 1 to change, 0 to remove"
  has "$r/infra/plan.md" "1 to change"
  has "$r/infra/plan.md" "${HEAD_SHA:0:12}"
  [ "$(wc -c <"$r/infra/plan.md")" -le 65000 ] || fail "plan.md is too long"
  [ -s "$r/infra/tuskform.plan" ] || fail "no plan file"

  note "$name: merged; the apply job checks out the planned commit"
  git_ checkout -q main
  git_ merge -q --no-ff -m "Merge feature" feature
  mv "$r/infra/tuskform.plan" "$work/artifact.plan" # the artifact store
  cp "$work/artifact.plan" "$r/infra/tuskform.plan"
  run_line "$(cat "$apply")"
  [ "$line_rc" -ne 0 ] || fail "$name: a plan for another commit was applied"
  has "$work/err" "Saved plan was made for commit ${HEAD_SHA:0:12}"
  git_ checkout -q "$HEAD_SHA"
  run_ok "$apply"
  has "$work/out" "Apply complete! Resources: 2 added, 1 changed, 0 destroyed."
  (cd "$r/infra" && tf state history >"$work/hist")
  has "$work/hist" "${HEAD_SHA:0:12}"

  note "$name: nightly drift: in sync, then an out-of-band edit"
  git_ checkout -q main
  local line
  while IFS= read -r line; do
    run_line "$line"
    [ "$line_rc" -eq 0 ] || fail "$name: drift line failed ($line_rc): $line"
    [ -z "$var_rc" ] || [ "$var_rc" = 0 ] || { cat "$work/err" >&2; fail "$name: drift in sync gave $var_rc"; }
  done <"$drift"
  cloud "$r/infra" "UPDATE objects SET attrs = json_set(attrs, '\$.memory_size', 128) WHERE name = 'shop-worker'"
  while IFS= read -r line; do
    run_line "$line"
    [ "$line_rc" -eq 0 ] || fail "$name: drift line failed ($line_rc): $line"
    [ -z "$var_rc" ] || [ "$var_rc" = 2 ] || fail "$name: drift gave $var_rc, want 2"
  done <"$drift"
  has "$r/infra/drift.md" "local_function.worker"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$r/infra/drift.json" ||
    fail "$name: drift.json is not JSON"
}

extract "$ex/github/tuskform-plan.yml" github >"$work/gh.plan"
extract "$ex/github/tuskform-apply.yml" github >"$work/gh.apply"
extract "$ex/github/tuskform-drift.yml" github >"$work/gh.drift"
scenario github "$work/gh.plan" "$work/gh.apply" "$work/gh.drift"

extract "$ex/gitlab-ci.yml" gitlab tuskform-intent tuskform-plan >"$work/gl.plan"
extract "$ex/gitlab-ci.yml" gitlab tuskform-apply >"$work/gl.apply"
extract "$ex/gitlab-ci.yml" gitlab tuskform-drift >"$work/gl.drift"
# the same command lines need not run twice (the machine may be busy)
if cmp -s "$work/gh.plan" "$work/gl.plan" && cmp -s "$work/gh.apply" "$work/gl.apply" &&
  cmp -s "$work/gh.drift" "$work/gl.drift"; then
  note "gitlab: the same $(cat "$work"/gl.* | wc -l) command lines as github: already run"
else
  scenario gitlab "$work/gl.plan" "$work/gl.apply" "$work/gl.drift"
fi
echo PASS
