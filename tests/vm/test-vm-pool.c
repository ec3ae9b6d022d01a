/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-pool.c — the upload pool against a real libvirtd (this host's,
 * as a remote one is reached through the same calls): an upload the run is
 * asked to stop ends with an error naming the signal and leaves no volume,
 * neither whole nor part; a complete one is credited to the thread that sent
 * it alone; a second staging of the same file finds it in the process's
 * cache; a pool that cannot be made says why. Exit 77 with a reason when
 * this host cannot run it. */
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "vm-priv.h"
#include "wl-image.h"

#define FILE_BYTES (16u << 20)

static int failures;

VCB_PRINTF(2, 3) static void check(bool ok, const char *fmt, ...)
{
    if (ok)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

/* A stop asked for once the stream has pulled a few chunks. */
static int chunks;
static int stop_after_three(void)
{
    return ++chunks > 3 ? SIGINT : 0;
}

/* Volumes of the pool whose name starts with prefix. */
static int volumes_named(virConnectPtr conn, const char *prefix)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    virStorageVolPtr *vols = NULL;
    int n = pool && virStoragePoolRefresh(pool, 0) == 0
                ? virStoragePoolListAllVolumes(pool, &vols, 0)
                : 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        const char *name = virStorageVolGetName(vols[i]);
        found += name && !strncmp(name, prefix, strlen(prefix));
        virStorageVolFree(vols[i]);
    }
    free(vols);
    if (pool)
        virStoragePoolFree(pool);
    return found;
}

/* The pool cannot be made (another pool holds its directory): the error
 * says why, not that a pool of that name was not found afterwards. */
static void pool_refused(virConnectPtr conn)
{
    virStoragePoolPtr other =
        virStoragePoolCreateXML(conn,
                                "<pool type='dir'><name>vcb-pool-test-squatter</name>"
                                "<target><path>" VM_POOL_DIR "</path></target></pool>",
                                VIR_STORAGE_POOL_CREATE_WITH_BUILD);
    if (!other) {
        struct vcb_err why = {0};
        vm_err_virt(&why, "a pool in %s", VM_POOL_DIR);
        printf("skip: %s\n", why.msg);
        return;
    }
    struct vcb_err err = {0};
    virStoragePoolPtr pool = NULL;
    check(vm_pool_open(conn, VM_DEFAULT_URI, &pool, &err) < 0, "pool made beside another");
    check(strstr(err.msg, "storage pool " VM_POOL_NAME " in " VM_POOL_DIR ": ") &&
              !strstr(err.msg, "not found"),
          "error: %s", err.msg);
    virStoragePoolDestroy(other);
    virStoragePoolFree(other);
    if (pool)
        virStoragePoolFree(pool);
    printf("ok: a pool that cannot be made: %s\n", err.msg);
}

static void *other_thread_tally(void *out)
{
    *(struct vm_upload *)out = vm_pool_tally_take();
    return NULL;
}

int main(void)
{
    struct vcb_err err = {0};
    virConnectPtr conn = NULL;
    if (geteuid() != 0 || vm_conn_open(VM_DEFAULT_URI, &conn, &err) < 0) {
        printf("SKIP: no libvirtd to reach as root: %s\n", err.msg);
        return 77;
    }
    char state[] = "/tmp/vcb-pool-state-XXXXXX"; /* the digest cache of its own */
    check(mkdtemp(state) != NULL, "mkdtemp");
    setenv("VCB_STATE_DIR", state, 1);
    virStoragePoolPtr had = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    if (had)
        virStoragePoolFree(had);
    if (!had)
        pool_refused(conn);
    char path[] = "/var/tmp/vcb-pool-test-XXXXXX";
    int fd = mkstemp(path);
    check(fd >= 0, "mkstemp");
    char id[VCB_RUN_ID_LEN + 1];
    vcb_run_id_new(id); /* its own content, so its own volume */
    check(pwrite(fd, id, strlen(id), 0) == (ssize_t)strlen(id) && ftruncate(fd, FILE_BYTES) == 0,
          "fill %s", path);
    close(fd);
    char hex[65], name[96], staged[1][PATH_MAX];
    check(vm_file_sha256(path, hex, &err) == 0, "hash: %s", err.msg);
    vm_volume_name(path, hex, name, sizeof name);
    const char *files[1] = {path};
    struct vcb_backend_opts o = {.vm_uri = VM_DEFAULT_URI, .stop_requested = stop_after_three};

    (void)vm_pool_tally_take();
    check(vm_pool_stage(&o, files, staged, 1, &err) < 0, "a stopped upload succeeded");
    check(strstr(err.msg, "stopped (SIGINT)") && strstr(err.msg, path), "error: %s", err.msg);
    check(chunks > 3, "the stop was asked for %d times", chunks);
    struct vm_upload t = vm_pool_tally_take();
    check(t.sent == 0 && t.bytes == 0, "a stopped upload counted: %u files, %llu bytes", t.sent,
          (unsigned long long)t.bytes);
    check(volumes_named(conn, name) == 0, "a volume %s… left after a stopped upload", name);
    printf("ok: a stopped upload: %s\n", err.msg);

    vcb_err_clear(&err);
    o.stop_requested = NULL;
    check(vm_pool_stage(&o, files, staged, 1, &err) == 0, "upload: %s", err.msg);
    struct vm_upload other = {.sent = 99};
    pthread_t th;
    check(pthread_create(&th, NULL, other_thread_tally, &other) == 0 && pthread_join(th, NULL) == 0,
          "thread");
    check(other.sent == 0 && other.bytes == 0, "another thread took this one's upload");
    t = vm_pool_tally_take();
    check(t.sent == 1 && t.bytes == FILE_BYTES && t.kept == 0,
          "tally: %u sent, %llu bytes, %u kept", t.sent, (unsigned long long)t.bytes, t.kept);
    check(strstr(staged[0], name) != NULL, "staged at %s", staged[0]);
    check(volumes_named(conn, name) == 1, "not one volume %s after the upload", name);

    /* Its identity settled, the file's path there is kept for the process. */
    const char *one[1] = {path};
    char ident[PATH_MAX + 128];
    bool racy = true;
    while (wl_key_identity(one, 1, ident, sizeof ident, &racy) == 0 && racy)
        usleep(100 * 1000);
    check(vm_pool_stage(&o, files, staged, 1, &err) == 0, "again: %s", err.msg);
    check(vm_pool_stage(&o, files, staged, 1, &err) == 0, "cached: %s", err.msg);
    t = vm_pool_tally_take();
    check(t.sent == 0 && t.kept == 2, "again: %u sent, %u kept", t.sent, t.kept);
    printf("ok: one upload of %u bytes, credited to its thread, then found\n", FILE_BYTES);

    /* What this test made goes: its volume, and the pool if it made it. */
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    virStorageVolPtr vol = pool ? virStorageVolLookupByName(pool, name) : NULL;
    if (vol) {
        virStorageVolDelete(vol, 0);
        virStorageVolFree(vol);
    }
    if (pool && !had && virStoragePoolNumOfVolumes(pool) == 0) {
        virStoragePoolDestroy(pool);
        rmdir(VM_POOL_DIR);
    }
    if (pool)
        virStoragePoolFree(pool);
    virConnectClose(conn);
    unlink(path);
    (void)vcb_rm_rf(state, &err);
    return failures ? 1 : 0;
}
