# SPDX-License-Identifier: LGPL-2.1-or-later
# sshd.sh — a throw-away OpenSSH server on a loopback port for the remote
# tests (sourced after common.sh). It has its own host key and accepts one
# client key made here; nothing of the host's sshd or of root's ~/.ssh is
# read or changed. OpenSSH finds ~/.ssh through the password database, not
# $HOME, so the client side is an `ssh` wrapper first in PATH that adds
# `-F` with this server's config: libvirt's ssh transport and `vcbench
# fleet` run `ssh` from PATH and reach it as users reach their own hosts.
#
# After sshd_start:
#   ssh vcb-a, ssh vcb-b   this server (root@127.0.0.1:$SSHD_PORT), strict
#                          host key checking against the key made here
#   ssh vcb-refused        a loopback port where nothing listens
#   $SSHD_PORT, $SSHD_DIR, $SSHD_KEY (the client's private key)
#   $SSHD_URI              qemu+ssh://root@vcb-a/system
# sshd_stop (also run on exit) stops it and removes what it made.

sshd_free_port() {
    while :; do
        p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
        ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
}

sshd_stop() {
    if [ -n "${SSHD_DIR:-}" ] && [ -s "$SSHD_DIR/sshd.pid" ]; then
        kill "$(cat "$SSHD_DIR/sshd.pid")" 2>/dev/null || true
        rm -f "$SSHD_DIR/sshd.pid"
    fi
    # The privilege separation dir stays: another test's sshd, started by
    # this fixture meanwhile, needs it for every connection ("Missing
    # privilege separation directory: /run/sshd", the connection reset).
}

sshd_start() {
    [ -x /usr/sbin/sshd ] || { echo "skip: no /usr/sbin/sshd (scripts/setup --dev installs openssh-server)"; exit 77; }
    command -v ssh >/dev/null || { echo "skip: no ssh client"; exit 77; }
    SSHD_DIR=$tmp/sshd
    mkdir -p "$SSHD_DIR/bin"
    chmod 700 "$SSHD_DIR"
    ssh-keygen -q -t ed25519 -N '' -C vcb-test-host -f "$SSHD_DIR/host_key"
    ssh-keygen -q -t ed25519 -N '' -C vcb-test-client -f "$SSHD_DIR/client_key"
    cp "$SSHD_DIR/client_key.pub" "$SSHD_DIR/authorized_keys"
    SSHD_KEY=$SSHD_DIR/client_key
    SSHD_PORT=$(sshd_free_port)
    refused=$(sshd_free_port)
    mkdir -p -m 0755 /run/sshd
    cat >"$SSHD_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_key
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
MaxStartups 64
MaxSessions 64
LogLevel ERROR
EOF
    echo "[127.0.0.1]:$SSHD_PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_key.pub")" >"$SSHD_DIR/known_hosts"
    cat >"$SSHD_DIR/ssh_config" <<EOF
Host vcb-a vcb-b
    HostName 127.0.0.1
    Port $SSHD_PORT
Host vcb-refused
    HostName 127.0.0.1
    Port $refused
Host *
    User root
    IdentityFile $SSHD_KEY
    IdentitiesOnly yes
    UserKnownHostsFile $SSHD_DIR/known_hosts
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 5
EOF
    real_ssh=$(command -v ssh)
    printf '#!/bin/sh\nexec %s -F %s "$@"\n' "$real_ssh" "$SSHD_DIR/ssh_config" >"$SSHD_DIR/bin/ssh"
    chmod +x "$SSHD_DIR/bin/ssh"
    PATH=$SSHD_DIR/bin:$PATH
    trap 'sshd_stop; rm -rf "$tmp"' EXIT
    /usr/sbin/sshd -f "$SSHD_DIR/sshd_config" -E "$SSHD_DIR/sshd.log" ||
        fail "sshd did not start: $(cat "$SSHD_DIR/sshd.log" 2>/dev/null)"
    i=0
    until ss -Hltn "sport = :$SSHD_PORT" | grep -q .; do
        i=$((i + 1))
        [ $i -lt 50 ] || fail "sshd is not listening on 127.0.0.1:$SSHD_PORT"
        sleep 0.1
    done
    ssh vcb-a true || fail "ssh to the test's sshd failed: $(cat "$SSHD_DIR/sshd.log")"
    SSHD_URI=qemu+ssh://root@vcb-a/system
    export PATH SSHD_DIR SSHD_PORT SSHD_KEY SSHD_URI
}
