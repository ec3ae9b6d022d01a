#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# layering.sh SRC BUILD — the floor plan, checked:
#  unplaced every folder with sources has its place in the order (a new
#           backend, a folder defining a struct vcb_driver, finds its own);
#  private  no file includes a header another folder keeps to itself (a
#           *-priv.h, or anything outside that folder's include/ if it has one);
#  upward   no #include arrow runs up the folder order
#           core < workloads < process, container, vm < new backends < harness
#           < scenarios < suite < peers, demo < reports, fleet < cli, nor across two
#           folders of one rank; reports reads results files: it includes core alone;
#  guest    the static guest binaries (workloads/guest) never see jansson;
#  circle   no circle of calls between the files of one folder (the objects
#           BUILD/compile_commands.json names: what each defines and what each
#           leaves undefined), except the calls KNOWN lists ("folder/a.c ->
#           folder/b.c" a line: a dispatcher and its parts, not yet split).
# Each broken rule prints one line per offence; exit 1 if any, else 0.
set -eu
src=${1:?usage: layering.sh SRC BUILD [KNOWN]}
build=${2:?usage: layering.sh SRC BUILD [KNOWN]}
known=${3:-/dev/null}
src=$(cd "$src" && pwd -P)
build=$(cd "$build" && pwd -P)
# Every top-level folder with C sources, tests and fuzz aside.
folders=$(cd "$src" && for d in */; do
    d=${d%/}
    case $d in tests | fuzz | cmake | build* | docs | scripts) continue ;; esac
    if [ -n "$(find "$d" -name '*.[ch]' -print -quit)" ]; then echo "$d"; fi
done)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rank() {
    case $1 in
    core) echo 0 ;; workloads) echo 1 ;; process | container | vm) echo 2 ;;
    harness) echo 4 ;; scenarios) echo 5 ;; suite) echo 6 ;; peers | demo) echo 7 ;;
    reports | fleet) echo 8 ;; cli) echo 9 ;;
    *) # a folder that defines a struct vcb_driver is a new backend: above
        # the first drivers (it may build on one), below the harness
        if grep -qs '^const struct vcb_driver [a-z_0-9]* = {' "$src/$1"/*.c; then
            echo 3
        else
            echo 99
        fi ;;
    esac
}

# "<header> <folder> <pub|priv>" for every header of the folders (a guest/
# subfolder is its folder's; a folder with an include/ exports that alone);
# then "<file's folder> <header>" for every quoted include.
for f in $folders; do
    [ -d "$src/$f" ] || continue
    find "$src/$f" -name '*.h' | while read -r h; do
        vis=pub
        case $h in "$src/$f"/include/*) ;; *-priv.h) vis=priv ;; *) [ -d "$src/$f/include" ] && vis=priv ;; esac
        echo "${h##*/} $f $vis"
    done
done | sort -u >"$tmp/headers"
for f in $folders; do
    [ -d "$src/$f" ] || continue
    find "$src/$f" -name '*.[ch]' | while read -r file; do
        sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
            sed "s|.*/||; s|^|$f ${file#"$src"/} |"
    done
done >"$tmp/includes"

fail=0
say() {
    echo "$*"
    fail=1
}

# unplaced: a folder that is neither in the floor plan nor a backend.
for f in $folders; do
    [ "$(rank "$f")" != 99 ] || say "unplaced: $f/ is not in the folder order (tests/host/layering.sh)"
done

# private: a header its folder does not export (X-priv.h, or anything
# outside include/ where there is one) included from outside that folder.
while read -r from file hdr; do
    owner=$(awk -v h="$hdr" '$1 == h && $3 == "priv" { print $2 }' "$tmp/headers")
    [ -n "$owner" ] && [ "$owner" != "$from" ] &&
        say "private: $file includes $hdr, private to $owner/"
done <"$tmp/includes"

# upward: the header's folder ranks above the file's, or beside it.
while read -r from file hdr; do
    owner=$(awk -v h="$hdr" '$1 == h { print $2; exit }' "$tmp/headers")
    [ -n "$owner" ] && [ "$owner" != "$from" ] || continue
    if [ "$from" = reports ] && [ "$owner" != core ]; then
        say "upward: $file includes $hdr of $owner/ (reports reads results files: core only)"
    elif [ "$(rank "$owner")" -ge "$(rank "$from")" ]; then
        say "upward: $file includes $hdr of $owner/ (above or beside $from/)"
    fi
done <"$tmp/includes"

# guest: what the guest's sources pull in, as the compiler sees it.
for file in "$src"/workloads/guest/*.c; do
    [ -f "$file" ] || continue
    ${CC:-cc} -M -D_GNU_SOURCE -I"$src/workloads/guest" -I"$src/core" "$file" 2>/dev/null |
        grep -q 'jansson' && say "guest: ${file#"$src"/} reaches jansson.h"
done

# "<object> <source>" for every object of the build, from the compile commands.
sed -n 's/^ *"directory": "\(.*\)",$/D \1/p; s/^ *"command": ".* -o \([^ ]*\.o\) .*/O \1/p; s/^ *"file": "\(.*\)"$/F \1/p' \
    "$build/compile_commands.json" |
    awk '$1 == "D" { d = $2 } $1 == "O" { o = $2 } $1 == "F" { print (o ~ /^\// ? o : d "/" o), $2 }' \
        >"$tmp/objects"

# circle: per folder, an arrow a -> b when a's object leaves undefined a
# symbol b's defines; then a depth-first search for a back edge.
for f in $folders; do
    objs=$(awk -v dir="$src/$f/" 'index($2, dir) == 1 && substr($2, length(dir) + 1) !~ /\// { print $1 }' "$tmp/objects")
    [ -n "$objs" ] || continue
    for o in $objs; do
        [ -f "$o" ] || continue
        name=$(basename "$o" .o)
        nm "$o" | awk -v n="$name" '$1 == "U" { print "U", n, $2 } NF == 3 && $2 ~ /[TDBRC]/ { print "D", n, $3 }'
    done | awk -v folder="$f" -v known="$known" '
        BEGIN {
            while ((getline line < known) > 0)
                if (line !~ /^#/ && split(line, k, " ") == 3 && k[2] == "->")
                    skip[k[1], k[3]] = 1
        }
        $1 == "D" { def[$3] = $2 }
        $1 == "U" { use[++nu] = $2 SUBSEP $3 }
        END {
            for (i = 1; i <= nu; i++) {
                split(use[i], p, SUBSEP)
                if ((p[2] in def) && def[p[2]] != p[1] && !((p[1], def[p[2]]) in edge) &&
                    !((folder "/" p[1], folder "/" def[p[2]]) in skip)) {
                    edge[p[1], def[p[2]]] = p[2]
                    out[p[1]] = out[p[1]] " " def[p[2]]
                    node[p[1]] = node[def[p[2]]] = 1
                }
            }
            for (n in node)
                if (!state[n])
                    dfs(n, "")
        }
        function dfs(n, path,    k, m, list, i) {
            state[n] = 1
            path = path " " n
            k = split(out[n], list, " ")
            for (i = 1; i <= k; i++) {
                m = list[i]
                if (state[m] == 1)
                    printf "circle: %s/:%s -> %s (%s)\n", folder, substr(path, index(path, " " m " ") ? index(path, " " m " ") : index(path, " " m)), m, edge[n, m]
                else if (!state[m])
                    dfs(m, path)
            }
            state[n] = 2
        }'
done >"$tmp/circles"
[ -s "$tmp/circles" ] && say "$(cat "$tmp/circles")"
exit $fail
