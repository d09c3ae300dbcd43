# lib.bash - sourced by the end-to-end scripts of tests/e2e: a scratch
# folder per script (removed on exit), the binary, exit-code checks, a
# small local-provider configuration ("shop") and queries on the local
# cloud and state files with the sqlite3 command-line tool.
set -euo pipefail
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:?TSK_SRC must name the source tree}"
command -v sqlite3 >/dev/null || { echo "e2e: the sqlite3 CLI is needed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tsk-e2e.XXXXXX")
cleanup() {
  local pids
  pids=$(jobs -p) || true
  [ -z "$pids" ] || kill $pids 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
unset TUSKFORM_LOCAL_FAIL TUSKFORM_LOCAL_LATENCY_MS TUSKFORM_LOCAL_CLOUD
export NO_COLOR=1

fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "--- $*"; }

# tf ARGS...: the binary without colour.
tf() { "$TSK_BIN" -no-color "$@"; }

# expect_rc WANT CMD...: runs CMD (output to $work/out, $work/err) and checks
# its exit code; the output is shown when it differs.
expect_rc() {
  local want=$1 rc=0
  shift
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "stdout:" >&2; cat "$work/out" >&2
    echo "stderr:" >&2; cat "$work/err" >&2
    fail "expected exit $want, got $rc from: $*"
  fi
}

# has FILE TEXT / hasnt FILE TEXT: fixed-string checks on a captured output.
has() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks: $2"; }; }
hasnt() { ! grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 has: $2"; }; }

# cloud DIR SQL / state_db DIR SQL: queries on the files of folder DIR.
cloud() { sqlite3 "$1/.tuskform/local-cloud.db" "$2"; }
state_db() { sqlite3 "$1/.tuskform/state.db" "$2"; }

# write_shop DIR [NFUNC]: a configuration with functions api and worker
# (http and sqs events, a sensitive DB_PASS) plus NFUNC extra functions
# fN with an sqs trigger each.
write_shop() {
  local dir=$1 n=${2:-0} i
  mkdir -p "$dir"
  {
    cat <<'TSK'
[serverless_architecture]
provider = "local"
service = "shop"
runtime = "php:8.4"
memory_size = 256
timeout = 30

[serverless_architecture.functions]
api = {
    handler = "Api::handle",
    events = ["http", "sqs"],
    environment = { STAGE = "dev", DB_PASS = "hunter2-do-not-print" },
    sensitive = ["DB_PASS"]
}
worker = {
    handler = "Worker::handle",
    events = ["sqs"],
    memory_size = 512
}
TSK
    for ((i = 1; i <= n; i++)); do
      printf 'f%d = { handler = "F%d::handle", events = ["sqs"] }\n' "$i" "$i"
    done
    cat <<'TSK'

[serverless_architecture.events]
http = { cors = true }
sqs = { queue = "orders", batch_size = 10 }
TSK
  } >"$dir/main.tsk"
}

# consistent DIR: the state file is intact, nothing is pending in the
# journal after an apply, every cloud object is recorded in state under its
# tagged address with the same id, and no address has two objects.
consistent() {
  local dir=$1
  [ "$(state_db "$dir" 'PRAGMA integrity_check')" = ok ] || fail "state.db is damaged"
  local dups
  dups=$(cloud "$dir" "SELECT json_extract(tags,'\$.\"tuskform:address\"') a, count(*) c FROM objects GROUP BY a HAVING c > 1")
  [ -z "$dups" ] || fail "duplicate objects in the cloud: $dups"
  sqlite3 "$dir/.tuskform/local-cloud.db" "SELECT json_extract(tags,'\$.\"tuskform:address\"') || ' ' || id FROM objects ORDER BY 1" >"$work/cloud.ids"
  sqlite3 "$dir/.tuskform/state.db" "SELECT address || ' ' || remote_id FROM resources ORDER BY 1" >"$work/state.ids"
  diff -u "$work/state.ids" "$work/cloud.ids" >&2 || fail "state and cloud disagree"
}
