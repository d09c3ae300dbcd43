#!/usr/bin/env bash
# make demo: the main job on the embedded local provider, with no account.
# Applies the quickstart in a temporary copy (its "cloud" is a SQLite file
# there), then plans again to show that nothing is left to change.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tuskform-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$here/quickstart" "$work/quickstart"
rm -rf "$work/quickstart/.tuskform"
cd "$work/quickstart"

"$bin" version
echo
echo "\$ tuskform apply -auto-approve"
"$bin" apply -auto-approve
echo
echo "\$ tuskform plan -detailed-exitcode"
"$bin" plan -detailed-exitcode
echo
echo "\$ tuskform state list"
"$bin" state list
