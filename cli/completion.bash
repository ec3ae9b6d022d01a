# SPDX-License-Identifier: LGPL-2.1-or-later
# bash completion for vcbench. Commands and options come from the program's
# own --help texts, so they cannot drift; values for the options that take
# a fixed set of them are listed here.

_vcbench_help() { # command... → its --help text
    "$_vcbench_bin" "$@" --help 2>/dev/null
}

_vcbench_backends() { # command → its backends as its --help lists them, comma-separated
    _vcbench_help "$1" | sed -n 's/^ *\(\[\|  \)--backends\{0,1\} \(B \+\)\{0,1\}\([a-z]\+\(, \?[a-z]\+\)*\).*/\3/p' | head -n 1 | tr -d ' '
}

_vcbench() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local _vcbench_bin=${COMP_WORDS[0]} cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -c | --connect) ((i++)) ;;
        -*) ;;
        *) cmd=${COMP_WORDS[i]} && break ;;
        esac
    done
    case $prev in
    --backend) mapfile -t COMPREPLY < <(compgen -W "$(_vcbench_backends launch | tr , ' ')" -- "$cur"); return ;;
    --backends) mapfile -t COMPREPLY < <(compgen -W "$(_vcbench_backends run | tr , ' ') $(_vcbench_backends run)" -- "$cur"); return ;;
    --accel) mapfile -t COMPREPLY < <(compgen -W "auto kvm tcg" -- "$cur"); return ;;
    --machine) mapfile -t COMPREPLY < <(compgen -W "pc q35 microvm" -- "$cur"); return ;;
    --seccomp) mapfile -t COMPREPLY < <(compgen -W "default off" -- "$cur"); return ;;
    --suite) mapfile -t COMPREPLY < <(compgen -W "quick default full" -- "$cur"; compgen -f -X '!*.json' -- "$cur"); return ;;
    -o | --out | --output | --kernel | --scratch-dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    -c | --connect | --vm-uri) mapfile -t COMPREPLY < <(compgen -W "qemu:///system qemu:///session" -- "$cur"); return ;;
    --hosts | --source) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    esac
    local global="-v --verbose -c --connect -V --version -h --help"
    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$global" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$(_vcbench_help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')" -- "$cur")
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$(_vcbench_help "$cmd" | grep -oE -- '(^|[][ ,|])--?[a-zA-Z][a-z-]*' | tr -d '][ ,|' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$opts $global" -- "$cur")
        return
    fi
    case $cmd in
    launch)
        mapfile -t COMPREPLY < <(compgen -W "$(_vcbench_help image | sed -n '/^workloads:/,$s/^  \([a-z]*\) .*/\1/p')" -- "$cur") ;;
    image)
        if [ "$prev" = image ]; then
            mapfile -t COMPREPLY < <(compgen -W "build ls" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "all $(_vcbench_help image | sed -n '/^workloads:/,$s/^  \([a-z]*\) .*/\1/p')" -- "$cur")
        fi ;;
    report | compare)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur") ;;
    esac
}
complete -F _vcbench vcbench
