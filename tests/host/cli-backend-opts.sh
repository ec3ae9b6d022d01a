#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every command that drives or checks backends (launch, run, peers, demo,
# doctor, cleanup) takes the same backend options, from the drivers' tables:
# its --help lists the same block; each option, with a good value, is taken
# by every command alike (the command then stops at an unknown option after
# it); a bad value gets the same message from every command, as bad input.
set -u
vcbench=${VCBENCH:?VCBENCH must name the vcbench binary}
. "$(dirname "$0")/../lib/checks.sh"
commands="launch run peers demo doctor cleanup"
usage_rc() { [ "$1" = launch ] && echo 125 || echo 2; }

block() { "$vcbench" "$1" --help | sed -n '/^backend options/,/^$/p'; }
want=$(block launch)
check "launch --help lists backend options" [ "$(grep -c '^  --' <<<"$want")" -ge 1 ]
for cmd in $commands; do
    check "$cmd --help: the same backend options as launch" [ "$(block "$cmd")" = "$want" ]
done

# A good value for each option, by what its value is called in --help.
value() {
    case $1 in
    A) echo auto ;; MODE) echo off ;; M) echo q35 ;; PATH) echo "$tmp/none" ;;
    URI) echo bogus:///x ;; P) echo plain ;; NET) echo bridge ;; "") ;; *) echo 0 ;;
    esac
}
while read -r opt arg _; do
    words=("$opt")
    [[ $arg == [A-Z]* ]] && words+=("$(value "$arg")")
    for cmd in $commands; do
        out=$("$vcbench" "$cmd" "${words[@]}" --no-such-option 2>&1); rc=$?
        check "$cmd takes ${words[*]}" eval '[ $rc = $(usage_rc $cmd) ] && grep -q -- "--no-such-option" <<<"$out" && ! grep -q -- "$opt" <<<"$out"'
    done
done < <(grep '^  --' <<<"$want" | sed 's/^  //; s/ \([a-z]*:\) .*//')

for bad in "--accel warp" "--seccomp maybe" "--vm-profile fast" "--net wifi"; do
    first=""
    for cmd in $commands; do
        out=$("$vcbench" "$cmd" $bad 2>&1); rc=$?
        msg=${out#vcbench $cmd: }
        check "$cmd $bad: bad input" [ $rc = "$(usage_rc "$cmd")" ]
        check "$cmd $bad: names the option" grep -qF -- "${bad%% *}: \"${bad##* }\" (expected" <<<"$msg"
        [ -n "$first" ] || first=$msg
        check "$cmd $bad: the same message as launch" [ "$msg" = "$first" ]
    done
done
check "nothing left behind by refused commands" [ -z "$(ls -A "$tmp" | grep -v '^run$')" ]

checks_done
