#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The version is stamped at build time, not configure time: in a temp clone,
# a clean build says `git describe --always --dirty` of HEAD; an uncommitted
# change and a rebuild (no reconfigure) make `vcbench -V` end in "-dirty",
# and a results file written then carries the same; a commit and a rebuild
# make it clean again, naming the new commit.
#   version-dirty.sh SOURCE_DIR
set -u
src=${1:?usage: version-dirty.sh SOURCE_DIR}
command -v git >/dev/null || { echo "skip: git missing"; exit 77; }
git -C "$src" rev-parse HEAD >/dev/null 2>&1 || { echo "skip: $src is not a git checkout"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
check() { local n=$1; shift; if "$@"; then passes=$((passes + 1)); else echo "FAIL: $n"; fails=$((fails + 1)); fi; }

clone=$tmp/src build=$tmp/build
git clone -q "$src" "$clone" || { echo "FAIL: git clone $src"; exit 1; }
cmake -S "$clone" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$tmp/cmake.log" 2>&1 ||
    { tail -20 "$tmp/cmake.log"; echo "FAIL: configure"; exit 1; }
rebuild() {
    cmake --build "$build" --target vcbench -j"$(nproc)" >"$tmp/build.log" 2>&1 ||
        { tail -20 "$tmp/build.log"; echo "FAIL: build"; exit 1; }
    version=$("$build/bin/vcbench" -V)
    echo "  $version"
}
describe() { git -C "$clone" describe --always --dirty --abbrev=12; }

rebuild
check "clean tree: the version is git describe of HEAD" [ "$version" = "vcbench 0.1.0 $(describe)" ]
check "clean tree: not dirty" eval '[[ $version != *-dirty ]]'

echo "an uncommitted change" >>"$clone/README.md"
rebuild
check "uncommitted change + build: ends in -dirty" eval '[[ $version == *-dirty ]]'
check "... and names HEAD" [ "$version" = "vcbench 0.1.0 $(describe)" ]
cat >"$tmp/suite.json" <<'JSON'
{ "name": "one", "backends": ["process"],
  "scenarios": [ { "type": "boot", "workload": "noop", "warmup": 0, "n": 1 } ] }
JSON
VCB_LIBEXEC_DIR=$build/libexec VCB_RUN_DIR=$tmp/run "$build/bin/vcbench" run -q \
    --suite "$tmp/suite.json" -o "$tmp/results" >"$tmp/run.log" 2>&1
check "results.json carries the dirty version" \
    grep -q "\"git\": \"$(describe)\"" "$tmp/results/results.json"

git -C "$clone" -c user.name=t -c user.email=t@t commit -q -am "the change, committed"
rebuild
check "committed + build: clean again" eval '[[ $version != *-dirty ]]'
check "... naming the new commit" [ "$version" = "vcbench 0.1.0 $(git -C "$clone" rev-parse --short=12 HEAD)" ]

echo "$passes passed, $fails failed"
[ $fails = 0 ]
