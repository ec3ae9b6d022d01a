/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-scratch.c — a VM's scratch volume (guest-scratch.h): the host
 * attached a virtio-blk disk whose serial is WL_SCRATCH_SERIAL and said so
 * on the command line (vcb.scratch=1). vcb-init finds its node by that
 * serial (no udev here: /sys/block/vd*\/serial) and links it at
 * WL_SCRATCH_PATH, where containers have the same file bind-mounted. A
 * missing disk is logged; the disk workload then refuses, naming the path. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest-scratch.h"
#include "init.h"

#define SCRATCH_WAIT_MS 5000 /* the block driver probes asynchronously; bounded */

static bool serial_is_scratch(const char *dev)
{
    char path[300], serial[64] = "";
    snprintf(path, sizeof(path), "/sys/block/%s/serial", dev);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool ok = fgets(serial, sizeof(serial), f) != NULL;
    fclose(f);
    serial[strcspn(serial, "\n")] = '\0';
    return ok && strcmp(serial, WL_SCRATCH_SERIAL) == 0;
}

/* The vd* node whose serial is ours, in out ("/dev/vdb"); -1 if none yet. */
static int find_node(char *out, size_t len)
{
    DIR *d = opendir("/sys/block");
    struct dirent *e;
    int rc = -1;
    while (d && rc < 0 && (e = readdir(d)))
        if (strncmp(e->d_name, "vd", 2) == 0 && serial_is_scratch(e->d_name)) {
            snprintf(out, len, "/dev/%s", e->d_name);
            rc = access(out, F_OK);
        }
    if (d)
        closedir(d);
    return rc;
}

void init_scratch_link(void)
{
    struct timespec ms = {0, 1000000};
    char node[300];
    for (int i = 0; find_node(node, sizeof(node)) < 0; i++) {
        if (i == SCRATCH_WAIT_MS) {
            init_log("scratch volume: no virtio disk with serial %s after %d ms", WL_SCRATCH_SERIAL,
                     SCRATCH_WAIT_MS);
            return;
        }
        nanosleep(&ms, NULL);
    }
    /* the image's empty mount point makes way for the link */
    if ((unlink(WL_SCRATCH_PATH) < 0 && errno != ENOENT) || symlink(node, WL_SCRATCH_PATH) < 0)
        init_log("scratch volume: link %s to %s: %s", WL_SCRATCH_PATH, node, strerror(errno));
}
