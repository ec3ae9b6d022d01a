/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-modules.c — a VM's vcb-init loads the kernel modules its image
 * carries (guest-modules.h; an image from outside has them in its own
 * directory, guest-image.h) and sets free page reporting's unit. An image
 * without them (setup did not unpack them) loads none, silently; a module
 * the kernel refuses is logged and the instance runs on without it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "guest-modules.h"
#include "init.h"

#define PAGE_REPORTING_ORDER_PARAM "/sys/module/page_reporting/parameters/page_reporting_order"

/* 1 loaded (or already there), 0 not in the image, -1 refused. */
static int load_module(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s.ko", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    long rc = syscall(SYS_finit_module, fd, "", 0);
    int e = errno;
    close(fd);
    if (rc < 0 && e != EEXIST) {
        init_log("load module %s: %s", name, strerror(e));
        return -1;
    }
    return 1;
}

void init_load_modules(const char *dir, bool balloon, bool disk)
{
    static const char *const names[] = {WL_GUEST_MODULES}, *const disk_names[] = {
                                                               WL_GUEST_DISK_MODULES};
    bool ballooned = false;
    for (size_t i = 0; (balloon || disk) && i < sizeof(names) / sizeof(names[0]); i++) {
        bool is_balloon = !strcmp(names[i], "virtio_balloon");
        if (!is_balloon || balloon)
            ballooned |= load_module(dir, names[i]) > 0 && is_balloon;
    }
    for (size_t i = 0; disk && i < sizeof(disk_names) / sizeof(disk_names[0]); i++)
        load_module(dir, disk_names[i]);
    if (!ballooned)
        return;
    /* The balloon driver registered with the kernel's default unit; it is
     * read again on every reporting pass. */
    int fd = open(PAGE_REPORTING_ORDER_PARAM, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, WL_PAGE_REPORTING_ORDER, strlen(WL_PAGE_REPORTING_ORDER)) < 0)
        init_log("%s: %s", PAGE_REPORTING_ORDER_PARAM, strerror(errno));
    if (fd >= 0)
        close(fd);
}

int init_load_module(const char *dir, const char *name)
{
    return load_module(dir, name);
}
