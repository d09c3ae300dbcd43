#!/usr/bin/env bash
# Pull-request comments stay under GitHub's limit: a branch that adds 2,000
# functions (4,000 resources) gives a `plan -format=markdown` and a `diff
# -format=markdown` of at most 65,000 characters that name the commit, say
# what they left out, and never show a sensitive value.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
r=$work/repo
git() { command git -C "$r" -c user.name=e2e -c user.email=e2e@example.com "$@"; }
chars() { python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$1"; }

mkdir -p "$r"
git init -q -b main
write_shop "$r/infra"
git add -A
git commit -q -m "shop"
cd "$r/infra"
expect_rc 0 tf apply -auto-approve
git checkout -q -b many
write_shop "$r/infra" 2000
git commit -q -am "2,000 more functions"
head=$(git rev-parse HEAD)

note "plan -format=markdown"
expect_rc 2 tf plan -format=markdown -detailed-exitcode -out="$work/p"
n=$(chars "$work/out")
echo "plan comment: $n characters"
[ "$n" -le 65000 ] || fail "plan markdown has $n characters"
[ "$n" -ge 30000 ] || fail "plan markdown is suspiciously short ($n)"
head -1 "$work/out" | grep -qF "### tuskform plan: 4000 to add, 0 to change, 0 to destroy" ||
  fail "title: $(head -1 "$work/out")"
has "$work/out" "Made for commit \`${head:0:12}\` on branch \`many\`."
has "$work/out" "more changes"
has "$work/out" "truncated"
hasnt "$work/out" "do-not-print"
hasnt "$work/out" "uncommitted"

note "show -format=markdown of the saved plan: the same guarantees"
expect_rc 0 tf show -format=markdown "$work/p"
n=$(chars "$work/out")
[ "$n" -le 65000 ] || fail "show markdown has $n characters"
has "$work/out" "Made for commit \`${head:0:12}\` on branch \`many\`."
hasnt "$work/out" "do-not-print"

note "diff -format=markdown main many"
expect_rc 2 tf diff -format=markdown main many
n=$(chars "$work/out")
echo "diff comment: $n characters"
[ "$n" -le 65000 ] || fail "diff markdown has $n characters"
has "$work/out" "### tuskform diff: 4000 to add, 0 to change, 0 to remove"
has "$work/out" "and 1980 more"
grep -Eq "_Comment size limit reached: [0-9]+ more resources left out \([0-9]+ to add, 0 to change, 0 to remove\)" "$work/out" ||
  fail "the diff does not say what it left out"
echo PASS
