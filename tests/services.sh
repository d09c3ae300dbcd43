#!/usr/bin/env bash
# Test services, sourced by tests/run-tests.sh (which stops them at exit).
#   start_services SVCDIR
# Starts moto_server (the AWS emulator of the machine image's Python) on a
# free loopback port, waits until it answers (up to 30 s), writes its pid to
# SVCDIR/moto.pid, its output to SVCDIR/moto.log, and exports
# TSK_MOTO_URL=http://127.0.0.1:PORT. Returns 1 with a message on failure.

start_services() {
  local svcdir=$1 port pid deadline
  if ! command -v moto_server >/dev/null 2>&1; then
    echo "services: moto_server not found in PATH (it comes with the pyenv" \
         "Python of the machine image: pip install 'moto[server]')" >&2
    return 1
  fi
  port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()') || { echo "services: cannot pick a free port with python3" >&2; return 1; }
  # started directly (not in a subshell) so the caller can wait for it
  moto_server -H 127.0.0.1 -p "$port" >"$svcdir/moto.log" 2>&1 &
  pid=$!
  echo "$pid" >"$svcdir/moto.pid"
  deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "services: moto_server exited at start; its output:" >&2
      sed 's/^/  /' "$svcdir/moto.log" >&2
      return 1
    fi
    if python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=1).read()' \
        "http://127.0.0.1:$port/moto-api/data.json" >/dev/null 2>&1; then
      export TSK_MOTO_URL="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  echo "services: moto_server did not answer on 127.0.0.1:$port within 30 s;" \
       "its output:" >&2
  sed 's/^/  /' "$svcdir/moto.log" >&2
  kill "$pid" 2>/dev/null
  return 1
}
