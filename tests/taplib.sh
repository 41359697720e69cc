# SPDX-License-Identifier: MIT
# taplib.sh - helpers for the shell tests, which print TAP.  Source it
# after setting nothing; it sets top_src, top_build, data, work (a fresh
# directory removed on exit) and defines run, ok, not_ok, check, expect,
# refute and tap_end.  Under make check-valgrind, QC_VALGRIND wraps every
# run of the command.
top_src=${QC_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
top_build=${QC_TOP_BUILDDIR:-$(pwd)}
data="$top_src/tests/data/good"
work=$(mktemp -d "${TMPDIR:-/tmp}/qc-test.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
if [ -n "${QC_VALGRIND:-}" ]; then
  run() { "$top_build/libtool" --mode=execute $QC_VALGRIND "$top_build/tools/quotacase" "$@"; }
else
  run() { "$top_build/tools/quotacase" "$@"; }
fi

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check DESCRIPTION WANT_EXIT COMMAND... : runs the command, output in $work/out, $work/err
check() {
  desc=$1 want=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  got=$?
  if [ "$got" -eq "$want" ]; then ok "$desc"; else
    not_ok "$desc (exit $got, want $want)"; sed 's/^/# /' "$work/err"; fi
}
# expect DESCRIPTION FILE PATTERN : grep -q PATTERN in FILE
expect() {
  if grep -q -- "$3" "$2"; then ok "$1"; else not_ok "$1"; echo "# '$3' not in:"; sed 's/^/# /' "$2"; fi
}
# refute DESCRIPTION FILE PATTERN : PATTERN must not be in FILE
refute() {
  if grep -q -- "$3" "$2"; then not_ok "$1"; echo "# '$3' found in:"; sed 's/^/# /' "$2"; else ok "$1"; fi
}
# same DESCRIPTION FILE1 FILE2 : the two files are byte-identical
same() {
  if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1"; fi
}
tap_end() {
  echo "1..$n"
  [ "$failed" -eq 0 ]
}
