/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-console-log.c — what bounds a guest's console log. The kernel console
 * (ttyS0) is written by virtlogd, not by vcbench, so vcbench's own cap does
 * not apply to it: virtlogd rolls the file over at max_size and keeps
 * max_backups old ones (libvirt's defaults: 2 MiB and 3), so one console
 * takes at most max_size * (max_backups + 1). max_size = 0 turns rollover
 * off: then nothing bounds it. Recorded with the host facts. */
#include <ctype.h>
#include <string.h>

#include "vm-priv.h"

#define VIRTLOGD_CONF        "/etc/libvirt/virtlogd.conf"
#define VIRTLOGD_MAX_SIZE    2097152ULL
#define VIRTLOGD_MAX_BACKUPS 3ULL

/* "key = N" on a line that is not a comment. */
static bool conf_u64(const char *line, const char *key, unsigned long long *out)
{
    size_t k = strlen(key);
    while (isspace((unsigned char)*line))
        line++;
    if (strncmp(line, key, k) != 0)
        return false;
    line += k;
    while (isspace((unsigned char)*line))
        line++;
    return *line == '=' && sscanf(line + 1, " %llu", out) == 1;
}

json_t *vm_console_log_policy(void)
{
    unsigned long long size = VIRTLOGD_MAX_SIZE, backups = VIRTLOGD_MAX_BACKUPS;
    bool from_conf = false;
    char line[512];
    cleanup_fclose FILE *f = fopen(VIRTLOGD_CONF, "re");
    while (f && fgets(line, sizeof(line), f)) {
        from_conf |= conf_u64(line, "max_size", &size);
        from_conf |= conf_u64(line, "max_backups", &backups);
    }
    return json_pack("{s:s, s:I, s:I, s:b, s:s}", "written_by", "virtlogd", "max_size_bytes",
                     (json_int_t)size, "max_backups", (json_int_t)backups, "bounded", size > 0,
                     "from", from_conf ? VIRTLOGD_CONF : "libvirt's defaults");
}
