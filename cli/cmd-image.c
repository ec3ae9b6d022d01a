/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd-image.c — `vcbench image build|import|ls|rm`. */
#include <string.h>

#include "commands.h"
#include "wl-image.h"
#include "wl-oci.h"

static void image_usage(FILE *out)
{
    fprintf(out,
            "usage: vcbench image build <workload>...|all\n"
            "       vcbench image import [--max-image SIZE] SPEC...\n"
            "       vcbench image ls\n"
            "       vcbench image rm DIGEST...\n\n"
            "Builds the one image of a workload that every backend uses: a rootfs\n"
            "directory (containers, process) and a newc initramfs (VMs) holding the\n"
            "same bytes: /init = vcb-init and /bin/<workload>. Images are content-\n"
            "addressed and cached under %s/images.\n\n"
            "import unpacks an image from outside into the same shape, once:\n"
            "  oci:PATH[:TAG]          an OCI image layout directory (TAG: latest)\n"
            "  oci-archive:FILE[:TAG]  the same as a tarball\n"
            "  docker-archive:FILE     what `docker save` writes\n"
            "  dir:PATH                a root filesystem directory\n"
            "with vcb-init and the config's command under /.vcbench; a VM boots it as\n"
            "its initramfs up to %llu MiB, else from an ext4 disk. --max-image caps\n"
            "the unpacked size (default %llu GiB). ls lists both kinds; rm removes an\n"
            "imported image by its digest or the first 12 or more of its hex digits.\n"
            "\nworkloads:\n",
            vcb_state_dir(), (unsigned long long)(WL_OCI_INITRAMFS_MAX >> 20),
            (unsigned long long)(WL_OCI_MAX_DEFAULT >> 30));
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

static int print_oci_image(const struct wl_oci_image *img, void *ctx)
{
    char size[32];
    vcb_format_size(img->rootfs_bytes, size, sizeof(size));
    printf("%.19s  %-9s  vm %-9s  %s  %s\n", img->digest, size,
           img->vm_form == WL_VM_DISK ? "disk" : "initramfs", img->spec, img->dir);
    (*(int *)ctx)++;
    return 0;
}

static int image_ls(void)
{
    struct vcb_err err = {0};
    int count = 0;
    if (wl_image_list(print_image, &count, &err) < 0 ||
        wl_oci_list(print_oci_image, &count, &err) < 0)
        return cli_fail("image ls", &err);
    if (count == 0)
        printf("no images yet: vcbench image build <workload>\n");
    return 0;
}

static int image_import(int argc, char **argv)
{
    struct vcb_err err = {0};
    uint64_t max = 0;
    int i = 2;
    if (i < argc && strcmp(argv[i], "--max-image") == 0) {
        if (i + 1 >= argc)
            vcb_err_usage(&err, "--max-image: expected a size (e.g. 2GiB)");
        if (err.usage || vcb_parse_size(argv[i + 1], "--max-image", &max, &err) < 0)
            return cli_fail("image import", &err);
        i += 2;
    }
    if (i >= argc) {
        image_usage(stderr);
        return 2;
    }
    for (; i < argc; i++) {
        struct wl_oci_image img;
        if (wl_oci_import(argv[i], max, &img, &err) < 0)
            return cli_fail("image import", &err);
        printf("%s %.19s  rootfs %s  vm %s %s\n", img.cached ? "cached  " : "imported", img.digest,
               img.rootfs, img.vm_form == WL_VM_DISK ? "disk" : "initramfs",
               img.vm_form == WL_VM_DISK ? img.disk : img.initramfs);
    }
    return 0;
}

static int image_rm(int argc, char **argv)
{
    struct vcb_err err = {0};
    if (argc < 3) {
        image_usage(stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (wl_oci_remove(argv[i], &err) < 0)
            return cli_fail("image rm", &err);
        printf("removed %s\n", argv[i]);
    }
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
    if (strcmp(argv[1], "ls") == 0)
        return image_ls();
    if (strcmp(argv[1], "import") == 0)
        return image_import(argc, argv);
    if (strcmp(argv[1], "rm") == 0)
        return image_rm(argc, argv);
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
