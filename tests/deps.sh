#!/usr/bin/env bash
# Installs the Debian packages tuskform builds and tests with, when missing.
# Does nothing when all are present; runs `apt-get update` only when a
# package cannot be found in the current lists.
set -euo pipefail
pkgs=(cmake make gcc pkg-config libcurl4-openssl-dev libssl-dev libgit2-dev
      libcjson-dev libsqlite3-dev zlib1g-dev libcmocka-dev clang
      libclang-rt-14-dev sqlite3 git)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "make deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi
