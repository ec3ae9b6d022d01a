/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* remote-sh.c — what runs on the other side of ssh: POSIX sh scripts
 * handed to `sh -c` with their arguments quoted, so the remote user's login
 * shell only ever sees one quoted word per argument.
 *
 * A remote process does not die when a non-tty ssh session is killed, so a
 * long remote command ends when its stdin closes: it runs in the
 * background, and a watcher reading the session's stdin sends it SIGTERM
 * at EOF (a stopped fleet closes ssh's stdin; a killed ssh closes the
 * channel, which closes it too). SIGTERM, not SIGINT: an asynchronous
 * command of a non-interactive shell starts with SIGINT ignored. vcbench
 * run takes SIGTERM as a stop request: its instances destroyed, its
 * results saved. SIGPIPE is ignored, so a remote side whose ssh is gone
 * still reaches its cleanup instead of dying on a write to stderr. */
#include <string.h>

#include "fleet-priv.h"

/* The shared start: `~/` of a path expanded there, and until_eof. */
#define SH_PRELUDE                                                                                 \
    "trap '' PIPE\n"                                                                               \
    "home() { case $1 in \"~/\"*) printf '%s\\n' \"$HOME/${1#??}\" ;;"                             \
    " *) printf '%s\\n' \"$1\" ;; esac; }\n"                                                       \
    "until_eof() { g=$1; shift; exec 3<&0\n"                                                       \
    "  \"$@\" </dev/null >&2 &\n"                                                                  \
    "  p=$!\n"                                                                                     \
    "  (cat <&3 >/dev/null 2>&1; kill -TERM $g$p 2>/dev/null) >/dev/null 2>&1 &\n"                 \
    "  w=$!; exec 3<&-\n"                                                                          \
    "  wait $p; rc=$?; kill $w 2>/dev/null; return $rc; }\n"

const char fleet_sh_version[] = SH_PRELUDE
    "v=$(home \"$1\")\n"
    "command -v \"$v\" >/dev/null 2>&1 || { echo \"@fleet missing $1\" >&2; exit 127; }\n"
    "exec \"$v\" --version\n";

const char fleet_sh_run[] = SH_PRELUDE
    "v=$(home \"$1\") s=$2\n"
    "d=$(mktemp -d \"${TMPDIR:-/tmp}/vcb-fleet.XXXXXX\") || exit 125\n"
    "trap 'rm -rf \"$d\"' EXIT\n"
    "if [ \"$s\" = - ]; then head -c \"$3\" >\"$d/suite.json\" || exit 125; s=$d/suite.json; fi\n"
    "until_eof '' \"$v\" run --suite \"$s\" --out \"$d/out\"\n"
    "rc=$?\n"
    "[ $rc = 0 ] || [ -s \"$d/out/results.json\" ] || exit $rc\n"
    "echo '@fleet fetch' >&2\n"
    "cat \"$d/out/results.json\" || exit 125\n"
    "echo '@fleet fetched' >&2\n"
    "exit $rc\n";

/* An earlier install is replaced, a half-unpacked one too (the mark goes
 * in before the tar: a stopped or failed unpack leaves a directory the
 * next --install may replace); any other directory is left alone. */
const char fleet_sh_unpack[] = SH_PRELUDE
    "d=$(home \"$1\")\n"
    "if [ -e \"$d\" ] && [ ! -e \"$d/.vcb-fleet-install\" ] && [ -n \"$(ls -A \"$d\")\" ]; then\n"
    "  echo \"$1 there is not empty and no earlier --install's: choose --install-dir\" >&2\n"
    "  exit 125\n"
    "fi\n"
    "rm -rf \"$d\" && mkdir -p \"$d\" && : >\"$d/.vcb-fleet-install\" && tar -xzf - -C \"$d\"\n";

/* scripts/setup in a session of its own: a stop ends its apt-get and make too. */
const char fleet_sh_build[] = SH_PRELUDE "cd \"$(home \"$1\")\" || exit 125\n"
                                         "until_eof - setsid scripts/setup\n";

bool fleet_sh_quote(const char *s, char *buf, size_t len)
{
    size_t o = strlen(buf);
    if (o + 1 >= len)
        return false;
    buf[o++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t n = piece ? 4 : 1;
        if (o + n + 2 > len)
            return false;
        if (piece)
            memcpy(buf + o, piece, n);
        else
            buf[o] = *s;
        o += n;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return true;
}

char *fleet_sh_command(const char *script, const char *const *args, size_t n)
{
    size_t len = 4 * strlen(SH_PRELUDE) + 4 * strlen(script) + 64;
    for (size_t i = 0; i < n; i++)
        len += 4 * strlen(args[i]) + 3;
    char *buf = malloc(len);
    if (!buf)
        return NULL;
    snprintf(buf, len, "sh -c ");
    fleet_sh_quote(script, buf, len);
    strcat(buf, " sh"); /* $0 */
    for (size_t i = 0; i < n; i++) {
        strcat(buf, " ");
        fleet_sh_quote(args[i], buf, len);
    }
    return buf;
}
