#!/usr/bin/env bash
# make demo: the main job on the embedded local provider.
# Until the planner lands, it evaluates the quickstart with `tsk eval`.
set -euo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
"$bin" version
"$bin" tsk eval "$here"/quickstart/*.tsk
