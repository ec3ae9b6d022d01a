# SPDX-License-Identifier: LGPL-2.1-or-later
# fleet-lib.sh — the fleet tests' shared part (sourced after common.sh):
# the throw-away sshd, a tiny suite, and the check that a fleet left
# nothing on either side. Both "hosts" are this machine, so "there" is
# here: the remote temp dirs are /tmp/vcb-fleet.* (sshd gives its sessions
# no TMPDIR).
. "$(dirname "$0")/../lib/sshd.sh"

fleet_setup() {
    sshd_start
    # Process backend only, a few noop boots: seconds on a 2-core host.
    cat >"$tmp/suite.json" <<'JSON'
{ "name": "fleet-tiny", "backends": ["process"],
  "timeouts": { "ready": "10s", "exit": "5s" },
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 1, "n": 3 } ] }
JSON
    remote_tmp_before=$(remote_tmp_dirs)
}

remote_tmp_dirs() {
    ls -d /tmp/vcb-fleet.* 2>/dev/null | sort || true
}

# The remote temp dirs this test made (none before it).
remote_tmp_new() {
    remote_tmp_dirs | grep -vxF "$remote_tmp_before" || true
}

# Nothing of a fleet may stay: its ssh clients (they run with this
# fixture's config), the scripts it ran there (their text names
# vcb-fleet.XXXXXX), a vcbench run started there, the remote temp dirs.
assert_fleet_left_nothing() {
    i=0
    # the remote side winds down as the session closes: give it a moment
    while pgrep -f "vcb-fleet\.XXXXXX|$SSHD_DIR/ssh_config" >/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    left=$(pgrep -af "$SSHD_DIR/ssh_config" || true)
    [ -z "$left" ] || fail "ssh clients left: $left"
    left=$(pgrep -af "vcb-fleet\.XXXXXX" || true)
    [ -z "$left" ] || fail "remote scripts left: $left"
    left=$(pgrep -af "run --suite /tmp/vcb-fleet\." || true)
    [ -z "$left" ] || fail "remote vcbench runs left: $left"
    left=$(remote_tmp_new)
    [ -z "$left" ] || fail "remote temp dirs left: $left"
}

# py EXPR FILE: a Python expression over the JSON document d of FILE.
json_check() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[2])); sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" "$2" ||
        fail "$2: not true: $1"
}
