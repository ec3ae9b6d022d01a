# SPDX-License-Identifier: LGPL-2.1-or-later
# oci-images.sh — test images built offline (umoci and a static busybox, no
# registry), sourced by tests. Each oci_image_* makes an OCI image layout
# at LAYOUT with the tag "latest"; the converters write the same image as
# the tarballs podman and docker save (skopeo). Functions only: nothing
# runs when sourced. Needs root (umoci keeps owners as it unpacks).
#   oci_images_missing            the missing tools, or nothing
#   oci_image_shell LAYOUT        busybox; Cmd sh -c 'echo hello from image'
#   oci_image_whiteout LAYOUT     two layers: the second deletes /data/gone
#                                 and makes /opq opaque (/opq/new only)
#   oci_image_entry LAYOUT        Entrypoint, Cmd, Env, WorkingDir /srv and
#                                 User app (1234:2345 from its /etc/passwd)
#   oci_image_tcp LAYOUT          busybox httpd -f -p 8080 on /srv
#   oci_to_archive LAYOUT FILE    oci-archive:FILE:latest
#   oci_to_docker_archive LAYOUT FILE   docker-archive:FILE

oci_busybox=${OCI_BUSYBOX:-/bin/busybox}

oci_images_missing() {
    local t missing=
    for t in umoci skopeo; do command -v $t >/dev/null 2>&1 || missing="$missing $t"; done
    file -L "$oci_busybox" 2>/dev/null | grep -q 'statically linked' ||
        ldd "$oci_busybox" 2>&1 | grep -q 'not a dynamic' || missing="$missing busybox-static"
    echo "$missing"
}

# oci_layout_new LAYOUT BUNDLE: an empty image, unpacked into BUNDLE.
oci_layout_new() {
    umoci init --layout "$1" &&
        umoci new --image "$1:latest" &&
        umoci unpack --image "$1:latest" "$2" >/dev/null
}

# oci_busybox_into ROOTFS APPLET...: /bin/busybox and relative links to it.
oci_busybox_into() {
    local root=$1 a
    shift
    mkdir -p "$root/bin" "$root/etc" &&
        cp "$oci_busybox" "$root/bin/busybox" || return 1
    for a in "$@"; do ln -sf busybox "$root/bin/$a" || return 1; done
}

# oci_layout_commit LAYOUT BUNDLE [umoci config options…]: a layer of
# what changed in BUNDLE, then the config.
oci_layout_commit() {
    local layout=$1 bundle=$2
    shift 2
    umoci repack --image "$layout:latest" "$bundle" >/dev/null || return 1
    [ $# = 0 ] || umoci config --image "$layout:latest" "$@"
}

# oci_image_with LAYOUT BODY: a new image at LAYOUT unpacked into a bundle
# in a temp dir T, then `BODY LAYOUT T/bundle/rootfs T` (which commits),
# then T removed. Bodies chain with && : a function called in a list runs
# with set -e ignored.
oci_image_with() {
    local t rc
    t=$(mktemp -d) || return 1
    oci_layout_new "$1" "$t/bundle" && "$2" "$1" "$t/bundle/rootfs" "$t"
    rc=$?
    rm -rf "$t"
    return $rc
}

oci_shell_body() {
    oci_busybox_into "$2" sh echo cat ls &&
        oci_layout_commit "$1" "$3/bundle" --config.cmd sh --config.cmd -c \
            --config.cmd 'echo hello from image'
}

# The second layer is written by hand: umoci makes per-file whiteouts only,
# never an opaque directory.
oci_whiteout_body() {
    local r=$2 t=$3
    oci_busybox_into "$r" sh ls cat &&
        mkdir -p "$r/data" "$r/opq/sub" "$t/l2/data" "$t/l2/opq" &&
        echo keep >"$r/data/kept" && echo gone >"$r/data/gone" &&
        echo old >"$r/opq/old" && echo old >"$r/opq/sub/deep" &&
        oci_layout_commit "$1" "$t/bundle" --config.cmd ls --config.cmd /data &&
        : >"$t/l2/data/.wh.gone" && : >"$t/l2/opq/.wh..wh..opq" && echo new >"$t/l2/opq/new" &&
        tar --owner=0 --group=0 -C "$t/l2" -cf "$t/l2.tar" data opq &&
        umoci raw add-layer --image "$1:latest" "$t/l2.tar"
}

oci_entry_body() {
    local r=$2
    oci_busybox_into "$r" sh echo id pwd env &&
        printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1234:2345:app:/srv:/bin/sh\n' >"$r/etc/passwd" &&
        printf 'root:x:0:\napps:x:2345:app\n' >"$r/etc/group" &&
        mkdir -p "$r/srv" && chown 1234:2345 "$r/srv" &&
        oci_layout_commit "$1" "$3/bundle" --config.entrypoint /bin/sh --config.entrypoint -c \
            --config.cmd 'echo "$GREETING from $(pwd) as $(id -u):$(id -g)"' \
            --config.env GREETING=hello --config.env MODE=test \
            --config.workingdir /srv --config.user app
}

oci_tcp_body() {
    local r=$2
    oci_busybox_into "$r" sh httpd nc &&
        mkdir -p "$r/srv" && echo 'hello over tcp' >"$r/srv/index.html" &&
        oci_layout_commit "$1" "$3/bundle" --config.cmd httpd --config.cmd -f \
            --config.cmd -p --config.cmd 8080 --config.cmd -h --config.cmd /srv
}

oci_image_shell() { oci_image_with "$1" oci_shell_body; }
oci_image_whiteout() { oci_image_with "$1" oci_whiteout_body; }
oci_image_entry() { oci_image_with "$1" oci_entry_body; }
oci_image_tcp() { oci_image_with "$1" oci_tcp_body; }

oci_to_archive() {
    skopeo copy -q "oci:$1:latest" "oci-archive:$2:latest"
}

oci_to_docker_archive() {
    skopeo copy -q "oci:$1:latest" "docker-archive:$2"
}
