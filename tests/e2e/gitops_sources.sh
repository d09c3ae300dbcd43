#!/usr/bin/env bash
# Function sources come from the commit too: `diff BASE HEAD` and
# -git-ref read the code a `source` key names from the commit's tree, not
# from the work tree. A handler edited in a commit shows as a change of the
# function's source_code_hash (the exact sha256 of the commit's files, exit
# 2); validate/graph -git-ref pass after the code left the work tree, which
# stays untouched; a source missing at a revision is named REF:path. The
# examples/serverless configuration (local and aws) validates and diffs
# from a test repository the same way.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
r=$work/repo
git() { command git -C "$r" -c user.name=e2e -c user.email=e2e@example.com "$@"; }

# hash_of FILE...: the local provider's source_code_hash of a folder holding
# exactly these files (relative path, NUL, decimal length, NUL, contents;
# byte-wise path order), computed here independently.
hash_of() {
  python3 - "$@" <<'PY'
import hashlib, sys
h = hashlib.sha256()
for rel in sorted(sys.argv[1:], key=lambda s: s.encode()):
    data = open(rel, "rb").read()
    h.update(rel.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
print(h.hexdigest())
PY
}

mkdir -p "$r/infra/src/api/lib"
git init -q -b main
cat >"$r/infra/main.tsk" <<'TSK'
[serverless_architecture]
provider = "local"
service = "shop"
runtime = "php:8.4"

[serverless_architecture.functions]
api = { handler = "Api::handle", source = "src/api" }
worker = { handler = "Worker::run" }
TSK
printf '<?php echo "v1";\n' >"$r/infra/src/api/Api.php"
printf '<?php function helper() {}\n' >"$r/infra/src/api/lib/util.php"
git add -A
git commit -q -m "api with code"
c1=$(git rev-parse HEAD)
h1=$(cd "$r/infra/src/api" && hash_of Api.php lib/util.php)
printf '<?php echo "v2";\n' >"$r/infra/src/api/Api.php"
git commit -q -am "api: new handler code"
c2=$(git rev-parse HEAD)
h2=$(cd "$r/infra/src/api" && hash_of Api.php lib/util.php)
[ "$h1" != "$h2" ] || fail "test setup: the two hashes are equal"
cd "$r/infra"

note "diff C1 C2: the handler's code changed, nothing else"
expect_rc 2 tf diff "$c1" "$c2"
has "$work/out" "Functions: changed api"
has "$work/out" "  ~ local_function.api  (function api, $c2:infra/main.tsk:7:1)"
has "$work/out" "      source_code_hash: \"$h1\" -> \"$h2\""
has "$work/out" "Intent: 0 to add, 1 to change, 0 to remove."
hasnt "$work/out" "worker"
[ ! -s "$work/err" ] || { cat "$work/err" >&2; fail "diff wrote to stderr"; }
expect_rc 0 tf diff "$c2" HEAD
expect_rc 2 tf diff -json "$c1" "$c2"
python3 - "$work/out" "$h1" "$h2" <<'PY' || fail "diff -json: the code hash change"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["functions"] == {"added": [], "removed": [], "changed": ["api"]}, d["functions"]
(res,) = d["resources"]
assert res["address"] == "local_function.api", res
assert res["attributes"] == [{"path": "source_code_hash", "before": sys.argv[2],
                              "after": sys.argv[3], "sensitive": False}], res
PY

note "the code leaves the work tree: the commits still have it"
rm -rf "$r/infra/src"
git status --porcelain >"$work/status.before"
expect_rc 1 tf validate
has "$work/err" "main.tsk:7:43: error: source \"src/api\" does not exist"
expect_rc 0 tf validate -git-ref="$c1"
has "$work/out" "Success! The configuration is valid."
expect_rc 0 tf validate -git-ref=HEAD
expect_rc 0 tf graph -git-ref="$c1"
has "$work/out" "local_function.api"
expect_rc 2 tf diff "$c1" "$c2"
has "$work/out" "      source_code_hash: \"$h1\" -> \"$h2\""
[ ! -e "$r/infra/src" ] || fail "the work tree got the code back"
[ ! -e "$r/infra/.tuskform" ] || fail "validate/diff created .tuskform"
git status --porcelain >"$work/status.after"
cmp -s "$work/status.before" "$work/status.after" || fail "the work tree or index changed"

note "a source missing at a revision is named REF:path"
git checkout -q -b nope
sed -i 's|src/api|src/nope|' main.tsk
git commit -q -am "a source that is not there"
git checkout -q main
rm -rf "$r/infra/src"
expect_rc 1 tf validate -git-ref=nope
has "$work/err" "nope:infra/main.tsk:7:43: error: source \"src/nope\" does not exist"
has "$work/err" "looked for nope:infra/src/nope (relative to the file)"
expect_rc 1 tf diff "$c2" nope
has "$work/err" "source \"src/nope\" does not exist"

note "examples/serverless from a repository: validate and diff, local and aws"
s=$work/shop
git() { command git -C "$s" -c user.name=e2e -c user.email=e2e@example.com "$@"; }
mkdir -p "$s/infra"
cp -R "$TSK_SRC/examples/serverless/." "$s/infra/"
rm -rf "$s/infra/.tuskform"
git init -q -b main
git add -A
git commit -q -m "serverless example"
echo '// changed' >>"$s/infra/functions/user_management/UserHandler.php"
git commit -q -am "user handler"
rm -rf "$s/infra/functions"
cd "$s/infra"
unset TUSKFORM_PROVIDER
expect_rc 1 tf validate
has "$work/err" "does not exist"
expect_rc 0 tf validate -git-ref=HEAD~1
has "$work/out" "Success! The configuration is valid"
expect_rc 2 tf diff HEAD~1 HEAD
has "$work/out" "Functions: changed user_management"
has "$work/out" "  ~ local_function.user_management  (function user_management, HEAD:infra/serverless-architecture.tsk:"
has "$work/out" "      source_code_hash: "
has "$work/out" "Intent: 0 to add, 1 to change, 0 to remove."
export TUSKFORM_PROVIDER=aws AWS_REGION=us-east-1
expect_rc 0 tf validate -git-ref=HEAD~1
expect_rc 2 tf diff HEAD~1 HEAD
has "$work/out" "Functions: changed user_management"
has "$work/out" "  ~ aws_lambda_function.user_management  (function user_management, HEAD:infra/serverless-architecture.tsk:"
has "$work/out" "      source_code_hash: "
has "$work/out" "Intent: 0 to add, 1 to change, 0 to remove."
[ ! -e "$s/infra/functions" ] || fail "the work tree got the code back"
echo PASS
