#!/usr/bin/env bash
# source_doc.sh - the five configurations of the source document, read
# where they are ($TSK_SHARED/source-doc, never copied), validated in one
# run. The expected diagnostics (source_doc.expect) are written by hand:
# every problem at its line, and nothing else; in particular the targets
# that name a handler with '-' for '_' ("welcome-email") are not reported.
#
# Usage: TSK_BIN=... TSK_SHARED=path/to/shared bash source_doc.sh
set -u
: "${TSK_BIN:?TSK_BIN must name the tuskform binary}"
: "${TSK_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TSK_SHARED:=$TSK_SRC/../shared}"
export LC_ALL=C
unset TUSKFORM_PROVIDER
dir="$TSK_SHARED/source-doc"
for f in serverless-architecture event-driven-serverless \
         cold-start-optimization serverless-monitoring debug-serverless; do
    if [[ ! -f "$dir/$f.tsk" ]]; then
        echo "FAIL: $dir/$f.tsk is missing: the source configurations are" \
             "read from \$TSK_SHARED/source-doc (set TSK_SHARED to the" \
             "shared folder beside the tree)"
        exit 1
    fi
done
# shellcheck source=model/check.bash
. "$TSK_SRC/tests/golden/model/check.bash"
check_validate source-doc "$dir" "$TSK_SRC/tests/golden/source_doc.expect"
