# check.bash - shared by model.sh and source_doc.sh (not a test itself):
# runs `tuskform validate` in a configuration folder and compares its
# diagnostics with an expectation file written by hand.
#
# Expectation file: one line per diagnostic,
#   FILE:LINE:COL: SEVERITY: | KEY PHRASE
# The `FILE:LINE:COL: SEVERITY:` prefix must start a diagnostic line and
# the key phrase must appear in its summary; every diagnostic printed must
# be expected (so nothing that is not a problem is reported) and each
# expected line must match a different diagnostic. `exit N` gives the exit
# code (default: 1 when an error is expected, else 0); `stdout TEXT` says
# stdout must hold TEXT; `#` lines are comments.

# The interpreter behind the python3 shim, resolved once (a pyenv shim
# costs a second or two per call).
: "${TSK_PYTHON:=$(python3 -c 'import sys; print(sys.executable)')}"

# check_validate NAME DIR EXPECT_FILE [validate options...]
# Prints "ok NAME" or what differs; returns 0 or 1.
check_validate() {
    local name=$1 dir=$2 expect=$3
    shift 3
    local out err rc
    out=$(mktemp) err=$(mktemp)
    timeout 20 "$TSK_BIN" -no-color -chdir="$dir" validate "$@" \
        >"$out" 2>"$err"
    rc=$?
    "$TSK_PYTHON" - "$name" "$out" "$err" "$rc" "$expect" <<'PY'
import re, sys
name, out, err, rc, expect = sys.argv[1:]
rc = int(rc)
stdout = open(out, errors="replace").read()
stderr = open(err, errors="replace").read()
diag_re = re.compile(r"^(?:[^ ].*:\d+:\d+: )?(?:error|warning): ")
got = [l for l in stderr.splitlines() if diag_re.match(l)]
want, want_rc, want_out = [], None, []
for line in open(expect):
    line = line.rstrip("\n")
    if not line.strip() or line.startswith("#"):
        continue
    if line.startswith("exit "):
        want_rc = int(line[5:])
    elif line.startswith("stdout "):
        want_out.append(line[7:])
    else:
        prefix, _, phrase = line.partition(" | ")
        want.append((prefix.strip(), phrase.strip()))
if want_rc is None:
    want_rc = 1 if any(" error:" in p or p.startswith("error:")
                       for p, _ in want) else 0
problems = []
if rc >= 128 or "Sanitizer" in stderr or "runtime error" in stderr:
    problems.append("crashed or sanitizer report (exit %d)" % rc)
if rc != want_rc:
    problems.append("exit %d, expected %d" % (rc, want_rc))
left = list(got)
for prefix, phrase in want:
    hit = next((g for g in left if g.startswith(prefix + " ")
                and phrase in g[len(prefix):]), None)
    if hit is None:
        problems.append("missing: %s | %s" % (prefix, phrase))
    else:
        left.remove(hit)
for g in left:
    problems.append("not expected: " + g)
for text in want_out:
    if text not in stdout:
        problems.append("stdout lacks: " + text)
if problems:
    print("FAIL %s" % name)
    for p in problems:
        print("  " + p)
    print("  --- stderr ---\n" + stderr + "  --- stdout ---\n" + stdout)
    sys.exit(1)
print("ok %s" % name)
PY
    local r=$?
    rm -f "$out" "$err"
    return $r
}
