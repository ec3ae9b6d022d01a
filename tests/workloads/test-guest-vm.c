/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guest-vm — vcb-init in VM mode, under plain qemu (TCG, no libvirt, so
 * only the guest side is under test): the kernel passes `vcb.vm=1 -- <wl>`,
 * the channel is ttyS1 (qemu's stdio here), ttyS0 the log. Checks the meminfo
 * result after ready and on request, "@vcb stop", the exit status (0, 127,
 * 137 on OOM) with the guest kernel's OOM count (oom_kills=0, or >= 1 for
 * the OOM) and that the guest powers itself off.
 * The initramfs is written with workloads/cpio.c, the image builder's writer.
 * An image's own command boots as the whole initramfs and is probed on TCP;
 * one too big for that boots from a small initramfs with the image as a
 * read-only virtio disk (made with mkfs.ext4 -d).
 * Kernel: $VCB_KERNEL, else <state>/kernel/vmlinuz; exits 77 without one or
 * without qemu-system-x86_64. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cpio.h"
#include "guest-image.h"
#include "guest-modules.h"
#include "guest-run.h"

#define VM_TIMEOUT_S 90

static char kernel[4096];

/* ---- the initramfs, through the project's own cpio writer ------------------ */

/* The file at path as name in the initramfs. */
static void cpio_copy(struct wl_cpio *c, const char *path, const char *name)
{
    char *data = NULL;
    size_t size = 0;
    struct vcb_err err = {0};
    if (vcb_read_file(path, &data, &size, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(wl_cpio_add_file(c, name, 0755, data, size, &err), 0);
    free(data);
}

static void cpio_file(struct wl_cpio *c, const char *root, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", root, name);
    cpio_copy(c, path, name);
}

/* <root>/initramfs.cpio holding init, bin/<workload> and the mount points. */
static void write_initramfs(const char *root, const char *workload)
{
    char path[4096], name[256];
    struct wl_cpio c;
    struct vcb_err err = {0};
    snprintf(path, sizeof(path), "%s/initramfs.cpio", root);
    assert_int_equal(wl_cpio_open(&c, path, &err), 0);
    const char *dirs[] = {"bin", "proc", "sys", "dev", "tmp"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(wl_cpio_add_dir(&c, dirs[i], 0755, &err), 0);
    cpio_file(&c, root, "init");
    if (workload) {
        snprintf(name, sizeof(name), "bin/%s", workload);
        cpio_file(&c, root, name);
    }
    assert_int_equal(wl_cpio_finish(&c, &err), 0);
}

/* ---- running qemu ----------------------------------------------------------- */

/* Called for each channel line; may write host commands to chan_in. */
typedef void (*vm_line_fn)(const char *line, int chan_in, void *ctx);

/* disk: a raw image attached read-only as the guest's first virtio disk
 * (/dev/vda; virtio-pci on the default machine), or NULL. */
static pid_t spawn_qemu(const char *root, const char *append, const char *mem, const char *disk,
                        int in, int out)
{
    char initrd[4096], console[4200], drive[4200];
    snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio", root);
    snprintf(console, sizeof(console), "file:%s/console.log", root);
    snprintf(drive, sizeof(drive), "file=%s,if=virtio,format=raw,readonly=on", disk ? disk : "");
    const char *argv[] = {"qemu-system-x86_64",
                          "-accel",
                          "tcg",
                          "-m",
                          mem,
                          "-smp",
                          "1",
                          "-nodefaults",
                          "-display",
                          "none",
                          "-no-reboot",
                          "-kernel",
                          kernel,
                          "-initrd",
                          initrd,
                          "-append",
                          append,
                          "-serial",
                          console,
                          "-serial",
                          "stdio",
                          disk ? "-drive" : NULL,
                          drive,
                          NULL};
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static void vm_collect(int fd, pid_t pid, vm_line_fn fn, int chan_in, void *ctx,
                       struct guest_run *r)
{
    char line[8192];
    size_t len = 0;
    time_t deadline = time(NULL) + VM_TIMEOUT_S;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1000) == 0) {
            if (time(NULL) < deadline)
                continue;
            r->timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        char c;
        if (read(fd, &c, 1) != 1)
            break;
        if (c != '\n' && len < sizeof(line) - 1) {
            line[len++] = c;
            continue;
        }
        line[len] = '\0';
        len = 0;
        r->lines = realloc(r->lines, (r->nlines + 1) * sizeof(*r->lines));
        r->lines[r->nlines++] = strdup(line);
        if (fn)
            fn(line, chan_in, ctx);
    }
}

/* The guest's ttyS0: kernel log and vcb-init's stderr. */
static char *read_console(const char *root)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/console.log", root);
    FILE *f = fopen(path, "r");
    if (!f)
        return strdup("");
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Boot <root>/initramfs.cpio with `append` on the kernel command line
 * (and `disk` as /dev/vda unless NULL). */
static void boot_vm(const char *root, const char *append, const char *mem, const char *disk,
                    vm_line_fn fn, void *ctx, struct guest_run *r)
{
    int in[2], out[2];
    assert_int_equal(pipe2(in, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    memset(r, 0, sizeof(*r));
    pid_t pid = spawn_qemu(root, append, mem, disk, in[0], out[1]);
    assert_true(pid > 0);
    close(in[0]);
    close(out[1]);
    vm_collect(out[0], pid, fn, in[1], ctx, r);
    close(in[1]);
    close(out[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->out = strdup("");
    r->err = read_console(root);
}

static void run_vm(const char *workload, const char *args, const char *mem, vm_line_fn fn,
                   void *ctx, struct guest_run *r)
{
    char *root = guest_rootfs_new(workload);
    write_initramfs(root, workload);
    char append[512];
    snprintf(append, sizeof(append), "console=ttyS0 quiet panic=-1 vcb.vm=1 -- %s", args);
    boot_vm(root, append, mem, NULL, fn, ctx, r);
    guest_rootfs_free(root);
}

/* The guest ran, reported `status` last and powered off (rather than
 * panicking, which -no-reboot would also turn into qemu exiting 0). */
/* The last line is the exit status with the OOM kills the guest's own
 * kernel counted: none, or at least one when `oom` is set. */
static void assert_vm_ended(const struct guest_run *r, int status, bool oom)
{
    int got_status = -1;
    unsigned long long kills = 0;
    char tail;
    for (size_t i = 0; i < r->nlines; i++)
        print_message("  %s\n", r->lines[i]);
    assert_false(r->timed_out);
    assert_int_equal(r->status, 0);
    assert_true(r->nlines >= 2);
    assert_int_equal(strncmp(r->lines[0], "@vcb init ", 10), 0);
    assert_int_equal(sscanf(r->lines[r->nlines - 1], "@vcb exit %d oom_kills=%llu%c", &got_status,
                            &kills, &tail),
                     2);
    assert_int_equal(got_status, status);
    assert_true(oom ? kills >= 1 : kills == 0);
    assert_non_null(strstr(r->err, "reboot: Power down"));
    assert_null(strstr(r->err, "Kernel panic"));
}

static json_t *parse_result(const char *line)
{
    assert_int_equal(strncmp(line, "@vcb result ", 12), 0);
    json_t *j = json_loads(line + 12, 0, NULL);
    assert_non_null(j);
    return j;
}

static void assert_meminfo(const char *line)
{
    json_t *j = parse_result(line);
    assert_string_equal(json_string_value(json_object_get(j, "from")), "vcb-init");
    double total = guest_json_num(j, "mem_total_bytes");
    double avail = guest_json_num(j, "mem_available_bytes");
    assert_true(total > 0 && avail > 0 && avail <= total);
    assert_true(guest_json_num(j, "mem_used_bytes") == total - avail);
    json_decref(j);
}

/* Host side of the idle test: ask for meminfo once ready, stop after it. */
static void idle_host(const char *line, int chan_in, void *ctx)
{
    int *meminfo_seen = ctx;
    if (strcmp(line, "@vcb ready") == 0)
        assert_int_equal(write(chan_in, "@vcb meminfo\n", 13), 13);
    else if (strstr(line, "\"from\":\"vcb-init\"") && ++*meminfo_seen == 2)
        assert_int_equal(write(chan_in, "@vcb stop\r\n", 11), 11);
}

static void test_vm_idle_meminfo_stop(void **state)
{
    struct guest_run r;
    int meminfo_seen = 0;
    run_vm("idle", "idle", "256", idle_host, &meminfo_seen, &r);
    assert_vm_ended(&r, 0, false);
    assert_int_equal(meminfo_seen, 2);
    assert_string_equal(r.lines[1], "@vcb ready");
    assert_meminfo(r.lines[2]); /* right after ready */
    assert_meminfo(r.lines[3]); /* on request */
    json_t *j = parse_result(r.lines[4]);
    assert_true(json_is_true(json_object_get(j, "stopped")));
    json_decref(j);
    guest_run_free(&r);
}

static void test_vm_missing_workload_powers_off(void **state)
{
    struct guest_run r;
    run_vm(NULL, "nosuch", "256", NULL, NULL, &r);
    assert_vm_ended(&r, 127, false);
    guest_run_free(&r);
}

static void test_vm_oom_is_137(void **state)
{
    struct guest_run r;
    run_vm("memhog", "memhog --step 16MiB --interval 1ms", "192", NULL, NULL, &r);
    assert_vm_ended(&r, 128 + SIGKILL, true);
    assert_true(guest_count_lines(&r, "@vcb result {\"workload\":\"memhog\",\"progress\":true") >=
                1);
    guest_run_free(&r);
}

/* The image's cmd: busybox running `script`. */
static void write_image_cmd(const char *root, const char *script)
{
    const char *cmd[] = {"busybox", "sh", "-c", script};
    size_t len = 0;
    char words[1024];
    for (size_t i = 0; i < 4; i++) {
        memcpy(words + len, cmd[i], strlen(cmd[i]) + 1);
        len += strlen(cmd[i]) + 1;
    }
    guest_rootfs_write(root, WL_OWN_CMD + 1, words, len);
}

/* vcb-init and the virtio modules (the disk's too when `disk`) under the
 * image's own directory; the modules lie beside the kernel, as setup
 * unpacked them. */
static void cpio_own_dir(struct wl_cpio *c, const char *root, bool disk)
{
    static const char *const modules[] = {WL_GUEST_MODULES, WL_GUEST_DISK_MODULES};
    size_t n = sizeof(modules) / sizeof(modules[0]) - (disk ? 0 : 1);
    char path[4096], name[256];
    struct vcb_err err = {0};
    assert_int_equal(wl_cpio_add_dir(c, WL_OWN_DIR + 1, 0755, &err), 0);
    assert_int_equal(wl_cpio_add_dir(c, WL_OWN_MODULES + 1, 0755, &err), 0);
    cpio_file(c, root, WL_OWN_INIT + 1);
    const char *slash = strrchr(kernel, '/');
    int dir_len = slash ? (int)(slash - kernel) : 1;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%.*s/modules/%s.ko", dir_len, slash ? kernel : ".",
                 modules[i]);
        snprintf(name, sizeof(name), "%s/%s.ko", WL_OWN_MODULES + 1, modules[i]);
        if (access(path, R_OK) == 0)
            cpio_copy(c, path, name);
        else
            assert_false(disk); /* without the block driver there is no root */
    }
}

/* An image from outside as its whole initramfs: no /proc, /sys, /dev or
 * /tmp, vcb-init and the virtio modules under its own directory, busybox
 * as the command. */
static void write_image_initramfs(const char *root, const char *script)
{
    char path[4096];
    struct wl_cpio c;
    struct vcb_err err = {0};
    write_image_cmd(root, script);
    snprintf(path, sizeof(path), "%s/initramfs.cpio", root);
    assert_int_equal(wl_cpio_open(&c, path, &err), 0);
    cpio_own_dir(&c, root, false);
    cpio_file(&c, root, WL_OWN_CMD + 1);
    assert_int_equal(wl_cpio_add_dir(&c, "bin", 0755, &err), 0);
    cpio_file(&c, root, "bin/busybox");
    assert_int_equal(wl_cpio_finish(&c, &err), 0);
}

/* The kernel command line of an image's own command, probed on TCP. */
#define IMAGE_APPEND(extra)                                                                        \
    "rdinit=" WL_OWN_INIT " console=ttyS0 quiet panic=-1 vcb.vm=1 " extra                          \
    " -- --image --ready tcp:8080"

/* The lean profile's guest: the balloon and a kernel that keeps less
 * (vm_cmdline_build); under lockdown a module loads only when signed. */
#define LEAN_APPEND "vcb.balloon=1 lockdown=confidentiality percpu_alloc=page"

/* The command served the probe and ended: ready, the meminfo after it, 0. */
static void assert_image_served(const struct guest_run *r)
{
    assert_vm_ended(r, 0, false);
    assert_string_equal(r->lines[1], "@vcb ready");
    assert_meminfo(r->lines[2]);
    assert_int_equal(r->nlines, 4);
}

/* An image's own command in a VM: PID 1 makes its mount points, loads the
 * modules from the image's own directory, brings lo up, and the TCP probe
 * sees the port once the command listens (nc serves the probe and exits;
 * without it, nc times out and the status says so). */
static void test_vm_image_tcp_ready(void **state)
{
    struct guest_run r;
    char *root = guest_image_rootfs_new();
    write_image_initramfs(root,
                          "busybox sleep 0.3; busybox test -d /sys/module/virtio_balloon && "
                          "echo balloon-loaded; exec busybox timeout 30 busybox nc -l -p 8080");
    boot_vm(root, IMAGE_APPEND(LEAN_APPEND), "256", NULL, NULL, NULL, &r);
    assert_image_served(&r);
    assert_non_null(strstr(r.err, "balloon-loaded"));
    assert_null(strstr(r.err, "vcb-init: lo:"));
    guest_rootfs_free(root);
    guest_run_free(&r);
}

static bool find_kernel(void)
{
    const char *k = getenv("VCB_KERNEL");
    const char *state = getenv("VCB_STATE_DIR");
    if (k)
        snprintf(kernel, sizeof(kernel), "%s", k);
    else
        snprintf(kernel, sizeof(kernel), "%s/kernel/vmlinuz", state ? state : "/var/lib/vcbench");
    return access(kernel, R_OK) == 0;
}

static bool in_path(const char *prog)
{
    char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin"), *save = NULL;
    char full[4096];
    bool found = false;
    for (char *d = strtok_r(path, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        snprintf(full, sizeof(full), "%s/%s", d, prog);
        found = access(full, X_OK) == 0;
    }
    free(path);
    return found;
}

/* ---- an image on a read-only root disk -------------------------------------- */

/* <boot>/rootfs.ext4 made from the image rootfs, as the importer leaves it
 * plus the mount points vcb-init moves its mounts onto (the disk is
 * read-only, so they must be there already). */
static void write_root_disk(const char *image, const char *boot, char *disk, size_t size)
{
    const char *const dirs[] = {"proc", "sys", "dev", "tmp"};
    char path[4096];
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", image, dirs[i]);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    snprintf(disk, size, "%s/rootfs.ext4", boot);
    /* made here, sized: mkfs.ext4 would announce making it */
    int fd = open(disk, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    assert_true(fd >= 0 && ftruncate(fd, 16 << 20) == 0);
    close(fd);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("mkfs.ext4", "mkfs.ext4", "-q", "-d", image, "-L", "vcbench", disk, (char *)NULL);
        _exit(127);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* <boot>/initramfs.cpio holding only vcb-init's own directory: vcb-init,
 * the modules the disk needs and the marker that says the image is the disk. */
static void write_boot_initramfs(const char *image, const char *boot)
{
    char path[4096];
    struct wl_cpio c;
    struct vcb_err err = {0};
    snprintf(path, sizeof(path), "%s/initramfs.cpio", boot);
    assert_int_equal(wl_cpio_open(&c, path, &err), 0);
    cpio_own_dir(&c, image, true);
    assert_int_equal(wl_cpio_add_file(&c, WL_OWN_ROOT_DISK + 1, 0644, "", 0, &err), 0);
    assert_int_equal(wl_cpio_finish(&c, &err), 0);
}

/* An image too big for an initramfs: the small boot initramfs finds the
 * image on /dev/vda and runs its command there. The command reads a file
 * only the disk has, sees no boot marker (the initramfs is gone from its
 * view), cannot write / but can write /tmp, and serves the TCP probe; the
 * balloon loads beside the block driver. */
static void test_vm_image_root_disk(void **state)
{
    if (!in_path("mkfs.ext4"))
        skip(); /* e2fsprogs makes the disk */
    struct guest_run r;
    char *image = guest_image_rootfs_new(), *boot = guest_rootfs_new(NULL), disk[4200];
    guest_rootfs_write(image, "etc/only-on-disk", "disk-file-read\n", 15);
    write_image_cmd(image, "busybox cat /etc/only-on-disk; "
                           "busybox test -e " WL_OWN_ROOT_DISK " || echo no-boot-marker; "
                           "if (echo x >/x) 2>/dev/null; then echo root-writable; "
                           "else echo root-read-only; fi; "
                           "echo y >/tmp/y && busybox test -s /tmp/y && echo tmp-writable; "
                           "busybox grep '^/dev/vda / ext4 ro' /proc/mounts; "
                           "busybox test -d /sys/module/virtio_balloon && echo balloon-loaded; "
                           "exec busybox timeout 30 busybox nc -l -p 8080");
    write_root_disk(image, boot, disk, sizeof(disk));
    write_boot_initramfs(image, boot);
    boot_vm(boot, IMAGE_APPEND(LEAN_APPEND), "256", disk, NULL, NULL, &r);
    print_message("%s", r.err);
    assert_image_served(&r);
    assert_non_null(strstr(r.err, "disk-file-read"));
    assert_non_null(strstr(r.err, "no-boot-marker"));
    assert_non_null(strstr(r.err, "root-read-only"));
    assert_null(strstr(r.err, "root-writable"));
    assert_non_null(strstr(r.err, "tmp-writable"));
    assert_non_null(strstr(r.err, "/dev/vda / ext4 ro"));
    assert_non_null(strstr(r.err, "balloon-loaded")); /* the lean profile's, beside the disk's */
    assert_null(strstr(r.err, "vcb-init: "));
    guest_rootfs_free(boot);
    guest_rootfs_free(image);
    guest_run_free(&r);
}

/* The marker without a disk: nothing to run, said with the device's name,
 * and the guest still powers off (within the bounded wait for the node). */
static void test_vm_image_root_disk_missing(void **state)
{
    struct guest_run r;
    char *image = guest_image_rootfs_new(), *boot = guest_rootfs_new(NULL);
    write_boot_initramfs(image, boot);
    boot_vm(boot, IMAGE_APPEND(""), "256", NULL, NULL, NULL, &r);
    print_message("%s", r.err);
    assert_vm_ended(&r, 127, false);
    assert_int_equal(r.nlines, 2);
    assert_non_null(strstr(r.err, "vcb-init: " WL_ROOT_DISK_DEV ": "));
    guest_rootfs_free(boot);
    guest_rootfs_free(image);
    guest_run_free(&r);
}

int main(void)
{
    if (!find_kernel() || !in_path("qemu-system-x86_64")) {
        printf("skipped: needs qemu-system-x86_64 and a guest kernel (VCB_KERNEL)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vm_idle_meminfo_stop),
        cmocka_unit_test(test_vm_missing_workload_powers_off),
        cmocka_unit_test(test_vm_oom_is_137),
        cmocka_unit_test(test_vm_image_tcp_ready),
        cmocka_unit_test(test_vm_image_root_disk),
        cmocka_unit_test(test_vm_image_root_disk_missing),
    };
    return cmocka_run_group_tests(tests, NULL, guest_rootfs_cleanup_all);
}
