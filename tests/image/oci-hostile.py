#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""oci-hostile.py OUT CASE [HOSTDIR]: write an OCI image layout at OUT (tag
"latest") whose layers, documents or digests are what CASE names, by hand:
no tool that makes images would write them. HOSTDIR is the directory on
the host a layer tries to write into (case through-symlink). Some cases
are sound, in the forms other tools write: platforms (an image index of
arm64 and amd64), docker-types (docker v2 media types), zstd and plain
layers. Prints the last layer's digest (platforms: the amd64 manifest's)."""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile


def blob(out, data):
    hexd = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "blobs", "sha256", hexd), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + hexd, "size": len(data)}


def member(kind, name, arg=None):
    info = tarfile.TarInfo(name)
    info.mode = 0o755 if kind == "dir" else 0o644
    data = None
    if kind == "file":
        data = arg if isinstance(arg, bytes) else b"x\n"
        info.size = len(data)
    elif kind == "dir":
        info.type = tarfile.DIRTYPE
    elif kind == "sym":
        info.type, info.linkname = tarfile.SYMTYPE, arg
    elif kind == "hard":
        info.type, info.linkname = tarfile.LNKTYPE, arg
    elif kind == "fifo":
        info.type = tarfile.FIFOTYPE
    elif kind == "chr":
        info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
    return info, data


def layer_bytes(members):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for m in members:
            info, data = member(*m)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return raw.getvalue()


BASE = [("dir", "bin"), ("file", "bin/sh")]

OCI = {"manifest": "application/vnd.oci.image.manifest.v1+json",
       "config": "application/vnd.oci.image.config.v1+json",
       "index": "application/vnd.oci.image.index.v1+json",
       "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
       "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
       "plain": "application/vnd.oci.image.layer.v1.tar"}
DOCKER = dict(OCI, manifest="application/vnd.docker.distribution.manifest.v2+json",
              config="application/vnd.docker.container.image.v1+json",
              gzip="application/vnd.docker.image.rootfs.diff.tar.gzip")


def compress(tar, how):
    if how == "gzip":
        return gzip.compress(tar, mtime=0)
    if how == "zstd":
        return subprocess.run(["zstd", "-q", "-c"], input=tar, stdout=subprocess.PIPE,
                              check=True).stdout
    return tar


def write_image(out, layers, arch="amd64", types=OCI, how="gzip"):
    """The blobs of one image; its manifest's descriptor and its layers'."""
    descs, diff_ids = [], []
    for members in layers:
        tar = layer_bytes(members)
        diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
        d = blob(out, compress(tar, how))
        d["mediaType"] = types[how]
        descs.append(d)
    config = {"architecture": arch, "os": "linux", "config": {"Cmd": ["/bin/sh"]},
              "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    cdesc = blob(out, json.dumps(config).encode())
    cdesc["mediaType"] = types["config"]
    manifest = {"schemaVersion": 2, "mediaType": types["manifest"], "config": cdesc,
                "layers": descs}
    mdesc = blob(out, json.dumps(manifest).encode())
    mdesc["mediaType"] = types["manifest"]
    return mdesc, descs


def write_index(out, desc):
    desc["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [desc]}, f)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


def write_platforms(out):
    """An image index of an arm64 and an amd64 image, tagged: the amd64
    manifest's digest out."""
    picked = None
    entries = []
    for arch in ("arm64", "amd64"):
        m, _ = write_image(out, [BASE + [("file", "arch", arch.encode())]], arch=arch)
        m["platform"] = {"os": "linux", "architecture": arch}
        entries.append(m)
        picked = m["digest"] if arch == "amd64" else picked
    index = blob(out, json.dumps({"schemaVersion": 2, "mediaType": OCI["index"],
                                  "manifests": entries}).encode())
    index["mediaType"] = OCI["index"]
    write_index(out, index)
    return picked


def main():
    out, case = sys.argv[1], sys.argv[2]
    host = sys.argv[3] if len(sys.argv) > 3 else "/nonexistent"
    layers = {
        "absolute": [BASE + [("file", "/etc/evil")]],
        "dotdot": [BASE + [("file", "bin/../../evil")]],
        "symlink-escape": [BASE + [("sym", "bin/up", "../../etc")]],
        "through-symlink": [BASE + [("sym", "escape", host)], [("file", "escape/pwned")]],
        "hardlink-escape": [BASE + [("hard", "bin/passwd", "../etc/passwd")]],
        "hardlink-absolute": [BASE + [("hard", "bin/passwd", "/etc/passwd")]],
        "reserved": [BASE + [("dir", ".vcbench"), ("file", ".vcbench/init")]],
        "wrong-arch": [BASE],
        "too-big": [BASE + [("file", "big", b"y" * (1 << 20))]],
        "devices": [BASE + [("dir", "dev"), ("chr", "dev/null"), ("fifo", "fifo")]],
    }.get(case, [BASE])
    if case == "platforms":
        print(write_platforms(out))
        return
    how = {"zstd": "zstd", "plain": "plain"}.get(case, "gzip")
    mdesc, descs = write_image(out, layers, arch="arm64" if case == "wrong-arch" else "amd64",
                               types=DOCKER if case == "docker-types" else OCI, how=how)
    write_index(out, mdesc)
    last = os.path.join(out, "blobs", "sha256", descs[-1]["digest"][7:])
    if case == "digest-mismatch":  # same size, other bytes
        with open(last, "r+b") as f:
            f.seek(20)
            f.write(b"\0")
    elif case == "missing-blob":
        os.unlink(last)
    elif case == "corrupt-index":
        with open(os.path.join(out, "index.json"), "w") as f:
            f.write('{"schemaVersion": 2, "manifests": [')
    print(descs[-1]["digest"])


main()
