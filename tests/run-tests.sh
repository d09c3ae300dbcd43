#!/usr/bin/env bash
# Runs every test of a build tree through ctest, with the services the tests
# use started first and stopped at the end, also on failure or interrupt.
#   usage: tests/run-tests.sh BUILD_DIR [ctest args...]
# Services: moto_server (the AWS emulator of the machine image's Python) on a
# free loopback port, exported to the tests as TSK_MOTO_URL.
set -uo pipefail
build=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
svcdir=$(mktemp -d "${TMPDIR:-/tmp}/tuskform-svc.XXXXXX")
stop_services() {
  if [ -f "$svcdir/moto.pid" ]; then
    kill "$(cat "$svcdir/moto.pid")" 2>/dev/null
    wait "$(cat "$svcdir/moto.pid")" 2>/dev/null
  fi
  rm -rf "$svcdir"
}
trap stop_services EXIT
trap 'exit 130' INT TERM

if [ -f "$here/services.sh" ]; then
  # shellcheck source=/dev/null
  source "$here/services.sh"
  start_services "$svcdir" || { echo "run-tests: a test service failed to start" >&2; exit 1; }
fi
cd "$build" && ctest --output-on-failure -j "${CTEST_JOBS:-2}" "$@"
