#!/usr/bin/env bash
# `tuskform diff BASE HEAD` on a real repository: exactly the intent a
# branch changes (a function added, memory changed, a secret changed and
# redacted), read from the commits without touching the work tree, state or
# credentials; JSON and markdown; exit codes 0 same, 2 differ, 1 error,
# 64 usage; a stack added by the branch; errors named REF:path:line:col.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
r=$work/repo
git() { command git -C "$r" -c user.name=e2e -c user.email=e2e@example.com "$@"; }

mkdir -p "$r"
git init -q -b main
write_shop "$r/infra"
git add -A
git commit -q -m "shop: api and worker"
base=$(git rev-parse HEAD)
git checkout -q -b feature
sed -i 's/memory_size = 512/memory_size = 1024/; s/hunter2-do-not-print/rotated-secret-do-not-print/' "$r/infra/main.tsk"
sed -i 's/^worker = {/mailer = { handler = "Mail::send", events = ["sqs"] }\nworker = {/' "$r/infra/main.tsk"
git commit -q -am "mailer; worker memory"
head=$(git rev-parse HEAD)
# the work tree differs from both commits and must not be read
sed -i 's/memory_size = 1024/memory_size = 4096/' "$r/infra/main.tsk"
echo 'broken = = =' >"$r/infra/untracked.tsk"
cd "$r/infra"

note "text: exactly the changed intent"
expect_rc 2 tf diff main feature
cat >"$work/want" <<EOF
Changes in intent from main (${base:0:12}) to feature (${head:0:12}):

Functions: added mailer; changed api, worker

  ~ local_function.api  (function api, feature:infra/main.tsk:9:1)
      environment.DB_PASS: (sensitive value) -> (sensitive value)
  + local_function.mailer  (function mailer, feature:infra/main.tsk:15:1)
  ~ local_function.worker  (function worker, feature:infra/main.tsk:16:1)
      memory_size: 512 -> 1024
  + local_trigger.mailer_sqs  (function mailer, feature:infra/main.tsk:24:1)

Intent: 2 to add, 2 to change, 0 to remove.
EOF
diff -u "$work/want" "$work/out" || fail "diff main feature: unexpected output"
[ ! -s "$work/err" ] || { cat "$work/err" >&2; fail "diff wrote to stderr"; }
[ ! -e .tuskform ] || fail "diff created .tuskform (it needs no state)"
hasnt "$work/out" "do-not-print"

note "HEAD is the default second revision; the reverse diff removes"
git checkout -q feature -- infra/main.tsk
rm -f untracked.tsk
expect_rc 2 tf diff main
has "$work/out" "Changes in intent from main (${base:0:12}) to HEAD (${head:0:12}):"
expect_rc 2 tf diff feature main
has "$work/out" "  - local_function.mailer  (function mailer, feature:infra/main.tsk:15:1)"
has "$work/out" "  ~ local_function.worker  (function worker, main:infra/main.tsk:15:1)"
has "$work/out" "      memory_size: 1024 -> 512"
has "$work/out" "Intent: 0 to add, 2 to change, 2 to remove."
has "$work/out" "Functions: removed mailer; changed api, worker"

note "same intent: exit 0, also across a commit that changes only a comment"
sed -i '1i # a comment only' main.tsk
git commit -q -am "comment"
expect_rc 0 tf diff "$head" HEAD
has "$work/out" "No changes in intent between $head (${head:0:12}) and HEAD ("
expect_rc 0 tf diff -format=markdown HEAD~1 HEAD
has "$work/out" "### tuskform diff: no changes in intent"

note "JSON: per resource, with references and redaction"
expect_rc 2 env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$TSK_BIN" diff -json "$base" "$head"
hasnt "$work/out" "do-not-print"
python3 - "$work/out" "$base" "$head" <<'PY' || fail "diff -json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["base"] == {"ref": sys.argv[2], "commit": sys.argv[2]}, d["base"]
assert d["head"]["commit"] == sys.argv[3]
assert d["differ"] is True
assert d["summary"] == {"add": 2, "change": 2, "remove": 0}, d["summary"]
assert d["functions"] == {"added": ["mailer"], "removed": [], "changed": ["api", "worker"]}
res = {r["address"]: r for r in d["resources"]}
assert sorted(res) == ["local_function.api", "local_function.mailer",
                       "local_function.worker", "local_trigger.mailer_sqs"], sorted(res)
w = res["local_function.worker"]
assert w["change"] == "change" and w["attributes"] == [
    {"path": "memory_size", "before": 512, "after": 1024, "sensitive": False}], w
a = res["local_function.api"]["attributes"]
assert a == [{"path": "environment.DB_PASS", "before": "(sensitive value)",
              "after": "(sensitive value)", "sensitive": True}], a
t = res["local_trigger.mailer_sqs"]
assert t["change"] == "add" and t["function"] == "mailer"
refs = [v for v in t["values"].values() if isinstance(v, dict) and "$ref" in v]
assert {"$ref": "local_function.mailer.arn"} in refs, t["values"]
PY

note "markdown for the pull request"
expect_rc 2 tf diff -format=markdown "$base" "$head"
has "$work/out" "### tuskform diff: 2 to add, 2 to change, 0 to remove"
has "$work/out" "| \`local_function.worker\` | \`worker\` | ~ change | \`memory_size\`: \`512\` → \`1024\` |"
has "$work/out" "**Functions:** added \`mailer\`; changed \`api\`, \`worker\`"
hasnt "$work/out" "do-not-print"

note "a stack the branch adds: everything is added"
mkdir -p "$r/svc"
write_shop "$r/svc"
git add svc
git commit -q -m "new stack"
cd "$r/svc"
expect_rc 2 tf diff HEAD~1 HEAD
has "$work/out" "Functions: added api, worker"
has "$work/out" "0 to change, 0 to remove."

note "errors: unknown revision, broken configuration at a revision, usage"
expect_rc 1 tf diff no-such-branch
has "$work/err" "no-such-branch"
cd "$r/infra"
printf '[serverless_architecture]\nprovider = "local"\nmemory_size = = 3\n' >bad.tsk
git add infra/bad.tsk
git commit -q -m broken
rm bad.tsk
expect_rc 1 tf diff HEAD~1 HEAD
has "$work/err" "HEAD:infra/bad.tsk:3:"
expect_rc 64 tf diff
expect_rc 64 tf diff a b c
expect_rc 64 tf diff -format=yaml HEAD HEAD
cd "$work"
expect_rc 1 tf diff HEAD~1 HEAD
has "$work/err" "not inside a git repository"
echo PASS
