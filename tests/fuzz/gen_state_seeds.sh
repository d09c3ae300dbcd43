#!/usr/bin/env bash
# gen_state_seeds.sh - writes the seed corpus of fuzz_state_load: small
# valid state files (512-byte pages, so a whole state is a few KB) and
# damaged ones. Needs the sqlite3 command-line tool. The schema below is
# state/migrate.c's version 1; regenerate the seeds when it changes.
set -euo pipefail
out=${1:-$(dirname "$0")/corpus/fuzz_state_load}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

schema="
PRAGMA page_size = 512;
PRAGMA application_id = 1414744902;
PRAGMA user_version = 1;
CREATE TABLE meta( id INTEGER PRIMARY KEY CHECK (id = 1), lineage TEXT NOT NULL, serial INTEGER NOT NULL, created TEXT NOT NULL);
CREATE TABLE resources( id INTEGER PRIMARY KEY, address TEXT NOT NULL UNIQUE, type TEXT NOT NULL, provider TEXT NOT NULL, remote_id TEXT, attributes TEXT NOT NULL, sensitive TEXT NOT NULL, dependencies TEXT NOT NULL, tainted INTEGER NOT NULL DEFAULT 0, serial INTEGER NOT NULL);
CREATE TABLE history( id INTEGER PRIMARY KEY, serial INTEGER NOT NULL, time TEXT NOT NULL, operation TEXT NOT NULL, user TEXT, host TEXT, git_commit TEXT, git_branch TEXT, git_dirty INTEGER NOT NULL DEFAULT 0, summary TEXT);
CREATE TABLE journal( id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, action TEXT NOT NULL, provider TEXT, token TEXT, time TEXT NOT NULL, lock_id TEXT);
CREATE TABLE lock( id INTEGER PRIMARY KEY CHECK (id = 1), lock_id TEXT NOT NULL, operation TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, user TEXT, created TEXT NOT NULL, heartbeat_ms INTEGER NOT NULL, lease_ms INTEGER NOT NULL);
INSERT INTO meta VALUES (1, '6f0c1e7a-4b7e-4d1a-9a43-0f3b8c2d5e61', 3, '2026-11-26T22:00:00Z');
"
rows="
INSERT INTO resources(address, type, provider, remote_id, attributes, sensitive, dependencies, tainted, serial) VALUES
 ('local_function.api', 'local_function', 'local', 'fn-1', '{\"name\":\"svc-api\",\"memory_size\":256,\"environment\":{\"TOKEN\":\"x\"}}', '[\"environment.TOKEN\"]', '[]', 0, 1),
 ('local_queue.jobs', 'local_queue', 'local', 'q-1', '{\"name\":\"jobs\",\"batch_size\":10}', '[]', '[]', 0, 2),
 ('local_trigger.jobs', 'local_trigger', 'local', NULL, '{\"queue\":\"jobs\"}', '[]', '[\"local_function.api\",\"local_queue.jobs\"]', 1, 3);
INSERT INTO history(serial, time, operation, user, host, git_commit, git_branch, git_dirty, summary) VALUES
 (3, '2026-11-26T22:00:01Z', 'apply', 'ci', 'runner', '0123456789abcdef0123456789abcdef01234567', 'main', 0, '3 added, 0 changed, 0 destroyed');
INSERT INTO journal(address, action, provider, token, time, lock_id) VALUES
 ('local_alarm.errors', 'create', 'local', 'tok-1', '2026-11-26T22:00:02Z', 'aa0e9c1e-0000-4000-8000-000000000001');
INSERT INTO lock VALUES (1, 'aa0e9c1e-0000-4000-8000-000000000001', 'apply', 999999, 'elsewhere', 'ci', '2026-11-26T22:00:00Z', 1, 1000);
"
mk() { rm -f "$tmp/$1"; sqlite3 "$tmp/$1" "$2" >/dev/null; cp "$tmp/$1" "$out/$1"; }

mk valid_empty.db "$schema"
mk valid_full.db "$schema $rows"
mk valid_wal.db "$schema $rows PRAGMA journal_mode = WAL;"
mk bad_json.db "$schema $rows UPDATE resources SET attributes = '{\"name\":' WHERE id = 2; UPDATE resources SET dependencies = 'null' WHERE id = 3;"
mk bad_meta.db "$schema DELETE FROM meta; INSERT INTO meta VALUES (1, x'00ff', 'serial', 0);"
mk newer.db "$schema PRAGMA user_version = 7;"
mk foreign.db "PRAGMA page_size = 512; CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('keep me');"
mk no_tables.db "PRAGMA page_size = 512; PRAGMA application_id = 1414744902; PRAGMA user_version = 1; CREATE TABLE x(y);"
head -c 1024 "$out/valid_full.db" > "$out/truncated.db"
head -c 100 "$out/valid_full.db" > "$out/header_only.db"
printf 'not a database\n' > "$out/text.txt"
# A valid file with a page of garbage in the middle.
cp "$out/valid_full.db" "$out/garbage_page.db"
printf '%0512d' 7 | dd of="$out/garbage_page.db" bs=512 seek=3 conv=notrunc status=none
ls -l "$out"
