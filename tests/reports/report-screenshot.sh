#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# report-screenshot.sh FIXTURES — open report.html in headless Chromium
# (Debian's `chromium`) with networking off and take a screenshot: the page
# renders on its own. Skips (77) only when Chromium is not installed.
. "$(dirname "$0")/lib.sh"
FIX=$1
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium)"

"$VCBENCH" report -q "$FIX/results-tcg.json" -o "$TMP/r" >/dev/null 2>"$TMP/e" ||
    fail "report exited $?: $(cat "$TMP/e")"
SHOT=${VCB_SCREENSHOT_OUT:-$TMP/shot.png}
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$TMP/profile" \
    --window-size=1200,3000 --screenshot="$SHOT" "file://$TMP/r/report.html" \
    >"$TMP/chromium.log" 2>&1 || fail "chromium exited $?: $(tail -5 "$TMP/chromium.log")"
check_png "$SHOT"
# A blank page compresses to almost nothing; plots and text do not.
[ "$(size_of "$SHOT")" -gt 50000 ] || fail "$SHOT: $(size_of "$SHOT") bytes: blank page?"
exit 0
