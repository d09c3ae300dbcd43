#!/usr/bin/env bash
# lazy_libs.sh - libcurl, libgit2, libcrypto, SQLite, cJSON and zlib are
# loaded on first use (planner/util/lazy.h), never at process start: neither
# the binary nor the unit-test programs may name them as DT_NEEDED, the
# binary must not export the shims' definitions (they would interpose on
# the libraries' own calls), and `version`, which loads them all, still
# reports them.
source "$(dirname "$0")/lib.bash"
command -v readelf >/dev/null || fail "readelf (binutils) is needed"

lazy='lib(curl|curl-gnutls|git2|crypto|ssl|sqlite3|cjson|z)\.so'
check_needed() {
  local needed
  needed=$(readelf -d "$1" | grep '(NEEDED)') || true
  [ -n "$needed" ] || fail "$1: no dynamic section read"
  if grep -Eq "$lazy" <<<"$needed"; then
    grep -E "$lazy" <<<"$needed" >&2
    fail "$1 links a lazily loaded library at start-up"
  fi
}

note "the binary does not load them at start"
check_needed "$TSK_BIN"
exported=$(nm -D --defined-only "$TSK_BIN" | awk '{print $3}' |
           grep -E '^(curl_|git_|EVP_|HMAC$|SHA256$|OPENSSL_|OpenSSL_|sqlite3_|cJSON_|deflate|inflate|crc32$)') || true
[ -z "$exported" ] || fail "the binary exports shim symbols: $exported"

if [ -n "${TSK_BUILD:-}" ]; then
  note "nor do the unit-test programs"
  n=0
  while IFS= read -r t; do
    check_needed "$t"
    n=$((n + 1))
  done < <(find "$TSK_BUILD" -maxdepth 2 -type f -name 'unit_*' -perm -u+x)
  echo "checked $n unit-test programs"
fi

note "version loads each library and prints its version"
expect_rc 0 tf version
grep -Eq '^  libcurl  [0-9]+\.[0-9]+' "$work/out" || fail "no libcurl version"
grep -Eq '^  OpenSSL  .*[0-9]+\.[0-9]+' "$work/out" || fail "no OpenSSL version"
grep -Eq '^  libgit2  [0-9]+\.[0-9]+\.[0-9]+' "$work/out" || fail "no libgit2 version"
grep -Eq '^  cJSON    [0-9]+\.[0-9]+\.[0-9]+' "$work/out" || fail "no cJSON version"
grep -Eq '^  SQLite   3\.[0-9]+' "$work/out" || fail "no SQLite version"

note "a plain evaluation works without them"
printf 'a = 1\nb = "x" + "y"\n' >"$work/m.tsk"
expect_rc 0 tf tsk eval "$work/m.tsk"
has "$work/out" '"b": "xy"'
echo "ok"
