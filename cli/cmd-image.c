/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-image.c — `vcbench image build|ls`. */
#include <string.h>

#include "commands.h"
#include "wl-image.h"

static void image_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench image build <workload>...|all\n"
            "       vcbench image ls\n\n"
            "Builds the one image of a workload that every backend uses: a rootfs\n"
            "directory (containers, process) and a newc initramfs (VMs) holding the\n"
            "same bytes: /init = vcb-init and /bin/<workload>. Images are content-\n"
            "addressed and cached under %s/images.\n\nworkloads:\n",
            vcb_state_dir());
    for (const char *const *w = wl_workload_names; *w; w++)
        fprintf(out, "  %-9s %s\n", *w, wl_workload_summary(*w));
}

static int print_image(const struct wl_image *img, void *ctx)
{
    char size[32];
    vcb_format_size(img->initramfs_bytes, size, sizeof(size));
    printf("%-9s %.16s  initramfs %-9s  %s\n", img->workload, img->hash, size, img->dir);
    (*(int *)ctx)++;
    return 0;
}

static int image_build_one(const char *workload)
{
    struct vcb_err err = {0};
    struct wl_image img;
    if (wl_image_build(workload, &img, &err) < 0)
        return cli_fail("image build", &err);
    printf("%s %s %.16s  rootfs %s  initramfs %s\n", img.cached ? "cached" : "built ", img.workload,
           img.hash, img.rootfs, img.initramfs);
    return 0;
}

int cmd_image(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        image_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "ls") == 0) {
        struct vcb_err err = {0};
        int count = 0;
        if (wl_image_list(print_image, &count, &err) < 0)
            return cli_fail("image ls", &err);
        if (count == 0)
            printf("no images yet: vcbench image build <workload>\n");
        return 0;
    }
    if (strcmp(argv[1], "build") != 0 || argc < 3) {
        image_usage(stderr);
        return 2;
    }
    bool all = argc == 3 && strcmp(argv[2], "all") == 0;
    char *const *names = all ? (char *const *)wl_workload_names : argv + 2;
    for (; *names; names++) {
        int rc = image_build_one(*names);
        if (rc)
            return rc;
    }
    return 0;
}
