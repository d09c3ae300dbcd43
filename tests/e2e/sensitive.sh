#!/usr/bin/env bash
# A sensitive environment value never appears in any output (plan text,
# JSON and markdown, apply, drift in every format, state show, output)
# unless -show-sensitive is given.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
d=$work/shop
write_shop "$d"
cd "$d"
secret=hunter2-do-not-print
other=changed-outside-secret

# clean CMD...: runs CMD (which must succeed: exit 0, or 2 for drift) and
# checks neither secret is in its stdout or stderr.
clean() {
  local rc=0
  "$@" >"$work/o" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { cat "$work/o" >&2; fail "exit $rc from: $*"; }
  if grep -qF -e "$secret" -e "$other" "$work/o"; then
    cat "$work/o" >&2
    fail "a secret was printed by: $*"
  fi
}

clean tf plan
has "$work/o" "(sensitive value)"
clean tf plan -json
clean tf plan -format=markdown
clean tf apply -auto-approve
has "$work/o" "Apply complete!"
clean tf state show local_function.api
has "$work/o" "DB_PASS = (sensitive value)"
clean tf state show -json local_function.api
clean tf output
clean tf output -json
clean tf state list

note "changed outside tuskform: drift and plan still redact"
cloud "$d" "UPDATE objects SET attrs = json_set(attrs, '\$.environment.DB_PASS', '$other') WHERE name = 'shop-api'"
clean tf drift
has "$work/o" "local_function.api has changed"
clean tf drift -json
clean tf drift -format=markdown
clean tf plan
clean tf plan -json
clean tf plan -format=markdown
clean tf apply -auto-approve
has "$work/o" "1 changed"

note "-show-sensitive shows it"
expect_rc 0 tf state show -show-sensitive local_function.api
has "$work/out" "$secret"
echo PASS
