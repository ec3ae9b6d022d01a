# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh — helpers for the report integration tests (POSIX sh).
# Each test sources it: fail() ends the test with a message; checks exit 1.

set -u
: "${VCBENCH:?VCBENCH must name the vcbench binary}"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

# A fresh temporary directory, removed when the test ends.
TMP=$(mktemp -d /tmp/vcb-rpt-test.XXXXXX) || fail "mktemp"
trap 'rm -rf "$TMP"' EXIT

size_of() {
    wc -c <"$1" | tr -d ' '
}

# A PNG: the 8-byte signature and more than 2 KiB (a real plot, not a stub).
check_png() {
    [ -f "$1" ] || fail "$1: missing"
    sig=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')
    [ "$sig" = "89504e470d0a1a0a" ] || fail "$1: not a PNG (signature $sig)"
    [ "$(size_of "$1")" -gt 2048 ] || fail "$1: only $(size_of "$1") bytes"
}

# An SVG: well-formed XML when xmllint is there, else its first and last tags.
check_svg() {
    [ -f "$1" ] || fail "$1: missing"
    [ "$(size_of "$1")" -gt 2048 ] || fail "$1: only $(size_of "$1") bytes"
    head -c 200 "$1" | grep -q -e '^<?xml' -e '^<svg' || fail "$1: does not start as XML/SVG"
    grep -q '<svg' "$1" || fail "$1: no <svg> element"
    tail -c 100 "$1" | grep -q '</svg>' || fail "$1: does not end with </svg>"
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout --nonet "$1" 2>"$TMP/xmllint.err" || fail "$1: not well-formed: $(cat "$TMP/xmllint.err")"
    fi
}

# Samples in a fixture: every "samples" array sits on one line.
count_samples() {
    grep '"samples": \[' "$1" | sed 's/.*"samples": \[//; s/\].*//' | tr ',' '\n' |
        grep -c '[0-9]'
}

# No external address anywhere in the page: the only http:// strings allowed
# are the SVG and XLink namespace names in xmlns attributes (identifiers that
# are never fetched), and no src/href/url() points outside the page.
check_no_external_url() {
    grep -o -i -E '.{0,14}(https?|ftp)://[^"'"'"' <>)]*' "$1" >"$TMP/urls" || true
    bad=$(grep -v -E '(^|[[:space:]])xmlns(:xlink)?="http://www\.w3\.org/(2000/svg|1999/xlink)$' \
        "$TMP/urls" || true)
    [ -z "$bad" ] || fail "$1: external address(es): $bad"
    grep -q -i -E '(src|href)=["'"'"'][^#"'"'"']' "$1" && fail "$1: src/href to something outside the page"
    grep -q -i -E 'url\([^#]' "$1" && fail "$1: url() to something outside the page"
    grep -q -i -E '@import|<script|<link |<iframe|<img ' "$1" && fail "$1: loads or runs something"
    return 0
}

# Sections of report.html in reading order.
check_html_sections() {
    prev=0
    page=$1 && shift
    for id in "$@"; do
        line=$(grep -n "<section id=\"$id\">" "$page" | head -1 | cut -d: -f1)
        [ -n "$line" ] || fail "$page: no section '$id'"
        [ "$line" -gt "$prev" ] || fail "$page: section '$id' out of order"
        prev=$line
    done
}
