#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-errors.sh FIXTURES — bad input exits 2 naming the file and the
# field, a missing gnuplot names gnuplot-nox, and a failed report leaves
# nothing behind (no output dir, no temporary dir).
. "$(dirname "$0")/lib.sh"
FIX=$1
OUT=$TMP/out

expect() { # expect CODE TEXT... -- command
    code=$1 && shift
    texts=""
    while [ "$1" != "--" ]; do texts="$texts
$1" && shift; done
    shift
    "$@" >"$TMP/o" 2>"$TMP/e" && rc=0 || rc=$?
    [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, not $code: $(cat "$TMP/e")"
    echo "$texts" | while IFS= read -r t; do
        [ -z "$t" ] || grep -qF -- "$t" "$TMP/e" || fail "'$*': stderr lacks '$t': $(cat "$TMP/e")"
    done || exit 1
}

no_leftovers() {
    [ -e "$OUT" ] && fail "output dir made by a failed report"
    ls "$TMP" | grep -q 'out.tmp-' && fail "temporary dir left by a failed report"
    return 0
}

sed 's/"unit": "ns"/"unit": "parsecs"/' "$FIX/results-tcg.json" >"$TMP/bad-unit.json"
expect 2 "$TMP/bad-unit.json" "results[0].metrics[0].unit" -- \
    "$VCBENCH" report "$TMP/bad-unit.json" -o "$OUT"
no_leftovers
sed '0,/"samples": \[/s/"samples": \[/"samples": ["oops", /' "$FIX/results-tcg.json" >"$TMP/bad-sample.json"
expect 2 "$TMP/bad-sample.json" "results[0].metrics[0].samples[0]: expected a number" -- \
    "$VCBENCH" report "$FIX/results-tcg.json" "$TMP/bad-sample.json" -o "$OUT"
no_leftovers
head -c 3000 "$FIX/results-tcg.json" >"$TMP/cut.json"
expect 2 "$TMP/cut.json" "not valid JSON" -- "$VCBENCH" report "$TMP/cut.json" -o "$OUT"
sed 's#vcbench-results/1#vcbench-results/7#' "$FIX/results-tcg.json" >"$TMP/schema.json"
expect 2 "$TMP/schema.json: schema: expected" -- "$VCBENCH" report "$TMP/schema.json" -o "$OUT"
expect 2 "$TMP/none.json: cannot read" -- "$VCBENCH" report "$TMP/none.json" -o "$OUT"
expect 2 "no results file" -- "$VCBENCH" report -o "$OUT"
no_leftovers

# No gnuplot: exit 1, the Debian package named, nothing made.
VCB_GNUPLOT=/nonexistent/gnuplot expect 1 "gnuplot-nox" -- \
    "$VCBENCH" report "$FIX/results-tcg.json" -o "$OUT"
no_leftovers
# A gnuplot that fails half-way: the error says so and nothing is left.
printf '#!/bin/sh\necho "boom: plot went wrong" >&2\nexit 1\n' >"$TMP/badgnuplot"
chmod +x "$TMP/badgnuplot"
VCB_GNUPLOT=$TMP/badgnuplot expect 1 "gnuplot failed on plots/boot-ecdf.gp" "boom" -- \
    "$VCBENCH" report "$FIX/results-tcg.json" -o "$OUT"
no_leftovers

# A directory holding something else is never replaced.
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
expect 2 "holds no earlier report" -- "$VCBENCH" report "$FIX/results-tcg.json" -o "$TMP/mine"
[ "$(cat "$TMP/mine/notes.txt")" = keep ] || fail "foreign directory touched"
exit 0
