#!/usr/bin/env bash
# Plans and applies tied to git commits, on a real repository (commits on
# main, a branch, a broken branch, a dirty work tree): -git-ref reads the
# right version without touching the work tree (validate, graph, plan);
# plans and history record the commit; apply warns on a dirty tree and
# -require-clean refuses; a saved plan made for another commit is refused
# (every failed check listed) unless -allow-other-commit.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
r=$work/repo
d=$r/infra
git() { command git -C "$r" -c user.name=e2e -c user.email=e2e@example.com "$@"; }
mem() { cloud "$d" "SELECT json_extract(attrs, '\$.memory_size') FROM objects WHERE name = 'shop-worker'"; }

mkdir -p "$r"
git init -q -b main
write_shop "$d"
git add -A
git commit -q -m "worker 512"
c1=$(git rev-parse HEAD)
git checkout -q -b feature
sed -i 's/memory_size = 512/memory_size = 2048/' "$d/main.tsk"
git commit -q -am "worker 2048"
cf=$(git rev-parse HEAD)
git checkout -q -b broken
printf '[debug]\nenabled = true\nlog_level = = "info"\n' >"$d/debug.tsk"
git add infra/debug.tsk
git commit -q -m "broken"
git checkout -q main
cd "$d"

note "apply from a clean tree: history records the commit and branch"
expect_rc 0 tf apply -auto-approve -require-clean
hasnt "$work/err" "uncommitted"
expect_rc 0 tf state history
has "$work/out" "  ${c1:0:12}  7 added"
expect_rc 0 tf state history -json
python3 - "$work/out" "$c1" <<'PY' || fail "history -json"
import json, sys
h = json.load(open(sys.argv[1]))
row = [x for x in h if x["operation"] == "apply"][-1]
assert row["git_commit"] == sys.argv[2] and row["git_branch"] == "main", row
assert row["git_dirty"] is False, row
PY

sed -i 's/memory_size = 512/memory_size = 1024/' main.tsk
git commit -q -am "worker 1024"
c2=$(git rev-parse HEAD)
# the work tree now differs from every commit: -git-ref must never read it
sed -i 's/memory_size = 1024/memory_size = 4096/' main.tsk

note "plan -git-ref reads that commit, not the dirty work tree"
expect_rc 0 tf plan -git-ref="$c1" -detailed-exitcode
has "$work/out" "No changes."
expect_rc 2 tf plan -git-ref=main -detailed-exitcode
has "$work/out" "~ memory_size"
has "$work/out" "512 -> 1024"
has "$work/out" "Plan: 0 to add, 1 to change, 0 to destroy."
hasnt "$work/out" "4096"
expect_rc 2 tf plan -git-ref=feature -detailed-exitcode
has "$work/out" "512 -> 2048"
expect_rc 0 tf plan -git-ref=feature -json
python3 - "$work/out" "$cf" <<'PY' || fail "plan -json: git"
import json, sys
p = json.load(open(sys.argv[1]))
g = p["tuskform"]["git"]
assert g == {"commit": sys.argv[2], "branch": "feature", "dirty": False}, g
PY
expect_rc 1 tf plan -git-ref=no-such-ref
has "$work/err" "no-such-ref"
grep -q 'memory_size = 4096' main.tsk || fail "the work tree was changed"

note "validate and graph -git-ref; diagnostics name REF:path:line:col"
expect_rc 0 tf validate -git-ref=main
has "$work/out" "Success!"
expect_rc 1 tf validate -git-ref=broken
has "$work/err" "broken:infra/debug.tsk:3:"
expect_rc 0 tf graph -json -git-ref=HEAD~1
python3 - "$work/out" <<'PY' || fail "graph -git-ref"
import json, sys
g = json.load(open(sys.argv[1]))
w = [r for r in g["resources"] if r["address"] == "local_function.worker"][0]
assert w["values"]["memory_size"] == 512, w["values"]
PY
expect_rc 0 tf graph -json
grep -Eq '"memory_size":[[:space:]]*4096' "$work/out" || fail "graph does not read the work tree"

note "a dirty work tree: apply warns, -require-clean refuses"
expect_rc 1 tf apply -auto-approve -require-clean
has "$work/err" "-require-clean"
has "$work/err" "uncommitted changes"
[ "$(mem)" = 512 ] || fail "-require-clean applied anyway"
expect_rc 0 tf apply -auto-approve
has "$work/err" "uncommitted changes"
[ "$(mem)" = 4096 ] || fail "apply did not apply"
expect_rc 0 tf state history -json
python3 - "$work/out" "$c2" <<'PY' || fail "history: dirty apply"
import json, sys
row = [x for x in json.load(open(sys.argv[1])) if x["operation"] == "apply"][-1]
assert row["git_commit"] == sys.argv[2] and row["git_dirty"] is True, row
PY
expect_rc 0 tf state history
has "$work/out" "${c2:0:12}+"
git checkout -q -- infra/main.tsk
expect_rc 0 tf apply -auto-approve -require-clean

note "a saved plan for another commit is refused; -allow-other-commit applies"
sed -i 's/memory_size = 1024/memory_size = 1536/' main.tsk
git commit -q -am "worker 1536"
expect_rc 0 tf plan -out="$work/p1"
p1=$(git rev-parse HEAD)
echo "notes" >"$r/NOTES.md" # a commit that leaves the configuration alone
git add NOTES.md
git commit -q -m "notes"
expect_rc 1 tf apply "$work/p1"
has "$work/err" "Saved plan was made for commit ${p1:0:12} (branch main), but commit $(git rev-parse --short=12 HEAD) (branch main) is checked out"
has "$work/err" "-allow-other-commit"
hasnt "$work/err" "serial"
[ "$(mem)" = 1024 ] || fail "a plan for another commit was applied"
expect_rc 0 tf apply -allow-other-commit "$work/p1"
has "$work/err" "applying it anyway"
[ "$(mem)" = 1536 ] || fail "-allow-other-commit did not apply"

note "commit, configuration and serial all changed: every check listed"
expect_rc 0 tf plan -out="$work/p2"
sed -i 's/memory_size = 1536/memory_size = 640/' main.tsk
git commit -q -am "worker 640"
expect_rc 0 tf state rm local_trigger.api_http
expect_rc 1 tf apply "$work/p2"
has "$work/err" "Saved plan was made for commit"
has "$work/err" "configuration"
has "$work/err" "serial"
[ "$(mem)" = 1536 ] || fail "a stale plan was applied"

note "a plan of another branch (-git-ref) is not applied on main"
expect_rc 0 tf plan -git-ref=feature -out="$work/p3"
expect_rc 1 tf apply "$work/p3"
has "$work/err" "Saved plan was made for commit ${cf:0:12} (branch feature)"
echo PASS
