#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input and failing hosts: a malformed hosts line and a duplicate name
# (exit 2, FILE:LINE named, nothing made, no host contacted); a host
# without vcbench, one with another version, one whose run fails (each a
# DNF naming why, the fleet still exit 0 for the host that finished); all
# hosts DNF (exit 1, fleet.json, no report); an earlier fleet's DIR;
# --install: a foreign dir there left alone, a cut-short unpack replaced.
set -eu
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/fleet-lib.sh"
fleet_setup

usage_error() { # hosts-text expected-words...
    printf '%s\n' "$1" >"$tmp/bad-hosts"
    shift
    rc=0
    "$VCBENCH" fleet --hosts "$tmp/bad-hosts" --suite "$tmp/suite.json" -o "$tmp/never" \
        >/dev/null 2>"$tmp/err" || rc=$?
    [ $rc = 2 ] || fail "exit $rc for a bad hosts file, expected 2: $(cat "$tmp/err")"
    for w in "$@"; do
        grep -qF -- "$w" "$tmp/err" || fail "the error does not say '$w': $(cat "$tmp/err")"
    done
    [ ! -e "$tmp/never" ] || fail "a bad hosts file left $tmp/never"
    [ -z "$(remote_tmp_new)" ] || fail "a bad hosts file reached a host"
}
usage_error "vcb-a gen=zen3
vcb-b gen" "$tmp/bad-hosts:2:" "'gen'" "expected key=value"
usage_error "vcb-a
vcb-b name=vcb-a" "$tmp/bad-hosts:2:" "'vcb-a'" "line 1"
usage_error "gen=zen3 vcb-a" "$tmp/bad-hosts:1:" "expected an SSH destination"
rc=0
"$VCBENCH" fleet --hosts "$tmp/nonexistent" >/dev/null 2>"$tmp/err" || rc=$?
[ $rc = 2 ] && grep -q "nonexistent" "$tmp/err" || fail "a missing hosts file: exit $rc"
printf 'vcb-a\n' >"$tmp/one-host"
rc=0
"$VCBENCH" fleet --hosts "$tmp/one-host" --install --source "$tmp/nosrc" -o "$tmp/never" \
    >/dev/null 2>"$tmp/err" || rc=$?
[ $rc = 2 ] && grep -q "no source tree at $tmp/nosrc" "$tmp/err" && [ ! -e "$tmp/never" ] ||
    fail "--install without a source tree: exit $rc, $(cat "$tmp/err")"

# Hosts that fail in three ways beside one that works. "Another version"
# and "a failing run" are scripts standing for vcbench there.
printf '#!/bin/sh\necho "vcbench 0.0.1 0123456789ab"\n' >"$tmp/old-vcbench"
cat >"$tmp/failing-vcbench" <<EOF2
#!/bin/sh
[ "\$1" = --version ] && exec "$VCBENCH" --version
echo "vcbench run: cgroups: none usable here" >&2
exit 1
EOF2
chmod +x "$tmp/old-vcbench" "$tmp/failing-vcbench"
cat >"$tmp/hosts" <<EOF2
vcb-a name=none vcbench=/nonexistent/vcbench
vcb-a name=old vcbench=$tmp/old-vcbench
vcb-a name=failing vcbench=$tmp/failing-vcbench
vcb-b name=good vcbench=$VCBENCH
EOF2
out=$tmp/out
rc=0
"$VCBENCH" fleet --hosts "$tmp/hosts" --suite "$tmp/suite.json" -o "$out" --jobs 2 \
    >/dev/null 2>"$tmp/stderr" || rc=$?
cat "$tmp/stderr"
[ $rc = 0 ] || fail "exit $rc with one good host, expected 0"
grep -q "^none: DNF: no vcbench at '/nonexistent/vcbench' there" "$tmp/stderr" ||
    fail "no DNF naming the host without vcbench"
grep -q "^old: DNF: vcbench there is 'vcbench 0.0.1 0123456789ab', here 'vcbench " "$tmp/stderr" ||
    fail "no DNF with both versions"
grep -q "^failing: DNF: vcbench run there: exit 1: vcbench run: cgroups: none usable here" \
    "$tmp/stderr" || fail "no DNF with the failed run's reason"
f=$out/fleet.json
json_check '[h["status"] for h in d["hosts"]] == ["dnf", "dnf", "dnf", "done"]' "$f"
json_check 'd["hosts"][1]["remote_version"] == "vcbench 0.0.1 0123456789ab"' "$f"
[ "$(ls "$out/hosts")" = good ] || fail "results dirs of DNF hosts: $(ls "$out/hosts")"
grep -q '<td>failing</td>.*<td>DNF</td>.*cgroups: none usable here' "$out/report/report.html" ||
    fail "the report lacks the failing host's DNF row"

# --install never replaces a directory there that an earlier install did
# not make (a small source tree here: nothing gets as far as a build)
mkdir -p "$tmp/src/scripts" "$tmp/precious"
echo keep >"$tmp/precious/file"
printf 'vcb-a vcbench=/nonexistent/vcbench\n' >"$tmp/install-hosts"
rc=0
"$VCBENCH" fleet --hosts "$tmp/install-hosts" --suite "$tmp/suite.json" -o "$tmp/inst" --install \
    --source "$tmp/src" --install-dir "$tmp/precious" >/dev/null 2>"$tmp/stderr" || rc=$?
[ $rc = 1 ] || fail "--install into a foreign dir: exit $rc, expected 1 (no host finished)"
grep -q "^vcb-a: DNF: install: unpack the source there: exit 125: .*not empty and no earlier --install's" \
    "$tmp/stderr" || fail "no DNF for a foreign --install-dir: $(cat "$tmp/stderr")"
[ "$(ls -A "$tmp/precious")" = file ] && [ "$(cat "$tmp/precious/file")" = keep ] ||
    fail "--install touched a directory it did not make"

# An unpack cut short there (as by a stop: ssh gone, the tarball's end
# never came) leaves a directory the next --install replaces; its
# scripts/setup here fails on purpose, after the unpack it proves. The
# install dir is longer than 1024 characters: used whole, not cut.
c=$(printf '%0200d' 0)
inst3=$tmp/inst3/$c/$c/$c/$c/$c/$c
mkdir -p "$tmp/src3/scripts"
for i in 1 2 3 4 5 6 7 8; do head -c 16384 /dev/urandom >"$tmp/src3/blob$i"; done
printf '#!/bin/sh
echo "setup ran in $(pwd)" >&2
exit 1
' >"$tmp/src3/scripts/setup"
chmod +x "$tmp/src3/scripts/setup"
mkdir "$tmp/cut-bin"
cat >"$tmp/cut-bin/ssh" <<EOF2
#!/bin/sh
case \$5 in # ssh -o BatchMode=yes -T DEST COMMAND
*"tar -xzf"*) head -c 40000 | "$SSHD_DIR/bin/ssh" "\$@" ;;
*) exec "$SSHD_DIR/bin/ssh" "\$@" ;;
esac
EOF2
chmod +x "$tmp/cut-bin/ssh"
install_src3() { # output-dir
    rc=0
    "$VCBENCH" fleet --hosts "$tmp/install-hosts" --suite "$tmp/suite.json" -o "$1" --install \
        --source "$tmp/src3" --install-dir "$inst3" >/dev/null 2>"$tmp/stderr" || rc=$?
    [ $rc = 1 ] || fail "--install of src3: exit $rc, expected 1: $(cat "$tmp/stderr")"
}
PATH=$tmp/cut-bin:$PATH install_src3 "$tmp/inst-cut"
grep -q "^vcb-a: DNF: install: unpack the source there: exit 2" "$tmp/stderr" ||
    fail "an unpack cut short: $(cat "$tmp/stderr")"
ls "$inst3"/blob* >/dev/null 2>&1 || fail "the cut unpack left nothing there to refuse"
install_src3 "$tmp/inst-again"
grep -q "^vcb-a: DNF: install: scripts/setup there: exit 1: setup ran in $tmp/inst3/$c/" \
    "$tmp/stderr" || fail "--install after a cut one: $(cat "$tmp/stderr")"
diff -r -x .vcb-fleet-install "$tmp/src3" "$inst3" || fail "the second unpack is not whole"

# A server that drops the first connection before the key exchange (as
# sshd does beyond its MaxStartups): tried again, and the host finishes;
# one that always drops it: a DNF after three tries.
mkdir "$tmp/flaky-bin"
cat >"$tmp/flaky-bin/ssh" <<EOF2
#!/bin/sh
dest=\$4 # ssh -o BatchMode=yes -T DEST COMMAND
n=\$(cat "$tmp/tries-\$dest" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$tmp/tries-\$dest"
if [ "\$dest" = vcb-b ] || [ "\$n" = 0 ]; then
    echo "kex_exchange_identification: read: Connection reset by peer" >&2
    echo "Connection reset by 127.0.0.1 port $SSHD_PORT" >&2
    exit 255
fi
exec "$SSHD_DIR/bin/ssh" "\$@"
EOF2
chmod +x "$tmp/flaky-bin/ssh"
printf 'vcb-a vcbench=%s\nvcb-b vcbench=%s\n' "$VCBENCH" "$VCBENCH" >"$tmp/flaky-hosts"
rc=0
PATH=$tmp/flaky-bin:$PATH "$VCBENCH" fleet --hosts "$tmp/flaky-hosts" --suite "$tmp/suite.json" \
    -o "$tmp/flaky" >/dev/null 2>"$tmp/stderr" || rc=$?
[ $rc = 0 ] && grep -q "^vcb-a: done in" "$tmp/stderr" ||
    fail "a connection dropped once: exit $rc, $(cat "$tmp/stderr")"
[ "$(cat "$tmp/tries-vcb-a")" = 3 ] || fail "vcb-a: $(cat "$tmp/tries-vcb-a") ssh runs, expected 3"
grep -q "^vcb-b: DNF: vcbench --version there: Connection reset by 127.0.0.1" "$tmp/stderr" &&
    [ "$(cat "$tmp/tries-vcb-b")" = 3 ] ||
    fail "a connection always dropped: $(cat "$tmp/tries-vcb-b") tries, $(cat "$tmp/stderr")"

# an earlier fleet's DIR is not replaced without --force; a DIR too long
# for the host results under it is refused before anything is made
rc=0
"$VCBENCH" fleet --hosts "$tmp/hosts" --suite "$tmp/suite.json" -o "$out" >/dev/null 2>"$tmp/err" || rc=$?
[ $rc = 2 ] && grep -q -- "--force" "$tmp/err" || fail "an earlier fleet's DIR: exit $rc"
long=$tmp/long/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c/$c
rc=0
"$VCBENCH" fleet --hosts "$tmp/hosts" --suite "$tmp/suite.json" -o "$long" >/dev/null 2>"$tmp/err" ||
    rc=$?
[ $rc = 2 ] && grep -q -- "-o $tmp/long/.*expected a path of at most [0-9]* characters" "$tmp/err" &&
    [ ! -e "$tmp/long" ] || fail "a -o DIR too long: exit $rc, $(cat "$tmp/err")"

# no host finished: exit 1, the record kept, no report; --remote-vcbench
# for every host, a host's vcbench= before it
printf 'vcb-refused\nvcb-a name=none vcbench=/nonexistent/vcbench\nvcb-b name=global\n' \
    >"$tmp/dead-hosts"
rc=0
"$VCBENCH" fleet --hosts "$tmp/dead-hosts" --suite "$tmp/suite.json" -o "$tmp/dead" \
    --remote-vcbench /nonexistent/global >/dev/null 2>"$tmp/stderr" || rc=$?
[ $rc = 1 ] || fail "exit $rc when no host finished, expected 1"
grep -q "^global: DNF: no vcbench at '/nonexistent/global' there" "$tmp/stderr" &&
    grep -q "^none: DNF: no vcbench at '/nonexistent/vcbench' there" "$tmp/stderr" ||
    fail "--remote-vcbench not used, or used before vcbench=: $(cat "$tmp/stderr")"
json_check 'all(h["status"] == "dnf" and h["reason"] for h in d["hosts"])' "$tmp/dead/fleet.json"
[ ! -e "$tmp/dead/report" ] || fail "a report of no host"

assert_fleet_left_nothing
echo "ok"
