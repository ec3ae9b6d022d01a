/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-pool.c — what a guest on a remote libvirt host needs of this host's
 * files (its kernel, initramfs, disk image), sent there through libvirt: a
 * transient `dir` storage pool "vcbench" on that host (nothing is left in
 * its libvirt config; its directory and volumes stay as an upload cache),
 * one volume per file named by its content (<basename>-<16 hex of its
 * SHA-256>), filled with virStorageVolUpload. A volume is uploaded under a
 * name of its own and cloned to its real name only when complete, so a
 * volume found under its real name is whole and never uploaded again. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "vm-priv.h"

/* One upload at a time in this process; the tally is taken by the next
 * instance created (vm_pool_tally_take). */
static pthread_mutex_t vm_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vm_upload vm_pool_tally;

/* ---- a file's SHA-256, cached by its identity ------------------------------
 * Hashing a disk image of hundreds of MiB on every run would cost more than
 * a boot: the digest is kept under the state dir for as long as the file's
 * path, size, inode and mtime stay the same (what git's index trusts). */
static void vm_hash_cache_path(char *buf, size_t len)
{
    snprintf(buf, len, "%s/upload-hash.json", vcb_state_dir());
}

static char *vm_file_identity(const struct stat *st)
{
    char *id = NULL;
    if (asprintf(&id, "%lld|%llu|%lld.%09ld", (long long)st->st_size,
                 (unsigned long long)st->st_ino, (long long)st->st_mtim.tv_sec,
                 st->st_mtim.tv_nsec) < 0)
        return NULL;
    return id;
}

static void vm_hash_cache_store(const char *real, const char *ident, const char *hex)
{
    char path[PATH_MAX];
    vm_hash_cache_path(path, sizeof path);
    struct vcb_err e = {0};
    cleanup_json json_t *doc = vcb_path_exists(path) ? vcb_json_load_file(path, &e) : NULL;
    json_t *entries = json_object_get(doc, "entries");
    if (!json_is_object(entries)) {
        json_decref(doc);
        doc = json_pack("{s:i, s:{}}", "schema", 1, "entries");
        entries = json_object_get(doc, "entries");
    }
    /* Entries of files that are gone would only grow the file. */
    const char *k;
    json_t *v, *tmp;
    json_object_foreach_safe(entries, tmp, k, v)
    {
        if (!vcb_path_exists(k))
            json_object_del(entries, k);
    }
    json_object_set_new(entries, real, json_pack("{s:s, s:s}", "identity", ident, "sha256", hex));
    if (doc && vcb_mkdir_p(vcb_state_dir(), 0755, &e) == 0)
        (void)vcb_json_dump_file_atomic(doc, path, &e); /* best effort: a miss re-hashes */
}

int vm_file_sha256(const char *path, char hex[65], struct vcb_err *err)
{
    char real[PATH_MAX], cache[PATH_MAX];
    struct stat st;
    if (!realpath(path, real) || stat(real, &st) < 0)
        return vcb_err_sys(err, errno, "%s", path);
    cleanup_free char *ident = vm_file_identity(&st);
    if (!ident)
        return vcb_err_sys(err, ENOMEM, "%s: identity", path);
    vm_hash_cache_path(cache, sizeof cache);
    struct vcb_err e = {0};
    cleanup_json json_t *doc = vcb_path_exists(cache) ? vcb_json_load_file(cache, &e) : NULL;
    json_t *ent = json_object_get(json_object_get(doc, "entries"), real);
    const char *seen = json_string_value(json_object_get(ent, "identity"));
    const char *sum = json_string_value(json_object_get(ent, "sha256"));
    if (seen && sum && !strcmp(seen, ident) && strlen(sum) == 64) {
        memcpy(hex, sum, 65);
        return 0;
    }
    if (wl_sha256_file(real, hex, err) < 0)
        return -1;
    vm_hash_cache_store(real, ident, hex);
    return 0;
}

/* <basename>-<16 hex>, in the characters a file name on any host takes. */
void vm_volume_name(const char *path, const char hex[65], char *out, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char safe[64];
    size_t n = 0;
    for (; *base && n < sizeof safe - 1; base++)
        safe[n++] = (strchr("._-+", *base) || (*base >= '0' && *base <= '9') ||
                     (*base >= 'a' && *base <= 'z') || (*base >= 'A' && *base <= 'Z'))
                        ? *base
                        : '_';
    safe[n] = '\0';
    snprintf(out, len, "%s-%.16s", n && safe[0] != '.' ? safe : "file", hex);
}

/* ---- the pool ------------------------------------------------------------- */
static int vm_pool_xml(char **out, struct vcb_err *err)
{
    if (asprintf(out, "<pool type='dir'>\n  <name>" VM_POOL_NAME "</name>\n"
                      "  <target>\n    <path>" VM_POOL_DIR "</path>\n  </target>\n</pool>\n") < 0)
        return vcb_err_sys(err, ENOMEM, "storage pool XML");
    return 0;
}

int vm_pool_open(virConnectPtr conn, const char *uri, virStoragePoolPtr *out, struct vcb_err *err)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    if (!pool) {
        cleanup_free char *xml = NULL;
        if (vm_pool_xml(&xml, err) < 0)
            return -1;
        /* Transient: it lives until that libvirtd restarts, the files stay. */
        pool = virStoragePoolCreateXML(conn, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
        if (!pool) /* another vcbench made it meanwhile */
            pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
        if (!pool)
            return vm_err_virt(err, "libvirt %s: storage pool " VM_POOL_NAME " in " VM_POOL_DIR,
                               uri);
    } else if (virStoragePoolIsActive(pool) != 1 && virStoragePoolCreate(pool, 0) < 0) {
        virStoragePoolFree(pool);
        return vm_err_virt(err, "libvirt %s: start storage pool " VM_POOL_NAME, uri);
    }
    /* Volumes another client (or a restart) left there become visible. */
    if (virStoragePoolRefresh(pool, 0) < 0) {
        virStoragePoolFree(pool);
        return vm_err_virt(err, "libvirt %s: refresh storage pool " VM_POOL_NAME, uri);
    }
    *out = pool;
    return 0;
}

/* ---- one volume ------------------------------------------------------------ */
static int vm_vol_create(virStoragePoolPtr pool, const char *name, uint64_t size,
                         virStorageVolPtr from, virStorageVolPtr *out, struct vcb_err *err)
{
    cleanup_free char *xml = NULL;
    if (asprintf(&xml,
                 "<volume>\n  <name>%s</name>\n  <capacity unit='bytes'>%llu</capacity>\n"
                 "  <allocation unit='bytes'>0</allocation>\n"
                 "  <target>\n    <format type='raw'/>\n  </target>\n</volume>\n",
                 name, (unsigned long long)size) < 0)
        return vcb_err_sys(err, ENOMEM, "volume %s", name);
    *out = from ? virStorageVolCreateXMLFrom(pool, xml, from, 0)
                : virStorageVolCreateXML(pool, xml, 0);
    return *out ? 0 : vm_err_virt(err, "volume %s: create", name);
}

static int vm_send_file(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    (void)st;
    ssize_t n = read(*(int *)opaque, data, nbytes);
    return n < 0 ? -1 : (int)n;
}

/* The file's bytes into vol, through a stream over the connection. */
static int vm_vol_upload(virConnectPtr conn, virStorageVolPtr vol, const char *path, uint64_t size,
                         const char *name, struct vcb_err *err)
{
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "%s", path);
    virStreamPtr st = virStreamNew(conn, 0);
    if (!st)
        return vm_err_virt(err, "volume %s: upload stream", name);
    int rc = -1;
    if (virStorageVolUpload(vol, st, 0, size, 0) < 0)
        vm_err_virt(err, "volume %s: upload", name);
    else if (virStreamSendAll(st, vm_send_file, &fd) < 0)
        vm_err_virt(err, "volume %s: upload %s", name, path);
    else if (virStreamFinish(st) < 0)
        vm_err_virt(err, "volume %s: finish upload", name);
    else
        rc = 0;
    if (rc < 0)
        virStreamAbort(st);
    virStreamFree(st);
    return rc;
}

static void vm_vol_drop(virStorageVolPtr *vol)
{
    if (!*vol)
        return;
    virStorageVolDelete(*vol, 0);
    virStorageVolFree(*vol);
    *vol = NULL;
}

/* A complete volume under name: uploaded under a part name, then cloned. */
static int vm_vol_send(virConnectPtr conn, virStoragePoolPtr pool, const char *path, uint64_t size,
                       const char *name, virStorageVolPtr *out, struct vcb_err *err)
{
    char part[128], id[VCB_RUN_ID_LEN + 1];
    vcb_run_id_new(id); /* two clients may send the same file at once */
    snprintf(part, sizeof part, "%s.%s" VM_POOL_PART, name, id);
    virStorageVolPtr tmp = NULL;
    if (vm_vol_create(pool, part, size, NULL, &tmp, err) < 0)
        return -1;
    int rc = vm_vol_upload(conn, tmp, path, size, part, err);
    if (rc == 0 && vm_vol_create(pool, name, size, tmp, out, err) < 0) {
        /* Lost a race to another client: its volume is as good. */
        *out = virStorageVolLookupByName(pool, name);
        rc = *out ? 0 : -1;
    }
    vm_vol_drop(&tmp);
    return rc;
}

static void vm_pool_progress(const struct vcb_backend_opts *o, const char *path, uint64_t size,
                             const char *uri)
{
    if (!o || !o->progress)
        return;
    char line[PATH_MAX + 128], sz[32];
    const char *base = strrchr(path, '/');
    vcb_format_size(size, sz, sizeof sz);
    snprintf(line, sizeof line, "uploading %s (%s) to %s", base ? base + 1 : path, sz, uri);
    o->progress(o->progress_ctx, line);
}

static int vm_pool_stage_locked(virConnectPtr conn, virStoragePoolPtr pool,
                                const struct vcb_backend_opts *o, const char *path, char *out,
                                size_t len, struct vcb_err *err)
{
    const char *uri = vm_uri(o);
    char hex[65], name[96];
    struct stat st;
    if (stat(path, &st) < 0)
        return vcb_err_sys(err, errno, "%s", path);
    if (vm_file_sha256(path, hex, err) < 0)
        return -1;
    vm_volume_name(path, hex, name, sizeof name);
    virStorageVolPtr vol = virStorageVolLookupByName(pool, name);
    virStorageVolInfo info;
    if (vol && (virStorageVolGetInfo(vol, &info) < 0 || info.capacity != (uint64_t)st.st_size)) {
        vm_vol_drop(&vol); /* not what its name says: made again */
    }
    if (vol) {
        vm_pool_tally.kept++;
    } else {
        vm_pool_progress(o, path, (uint64_t)st.st_size, uri);
        uint64_t t0 = vcb_now_ns();
        if (vm_vol_send(conn, pool, path, (uint64_t)st.st_size, name, &vol, err) < 0)
            return vcb_err_prefix(err, "libvirt %s", uri);
        vm_pool_tally.ns += vcb_now_ns() - t0;
        vm_pool_tally.bytes += (uint64_t)st.st_size;
        vm_pool_tally.sent++;
    }
    cleanup_free char *where = virStorageVolGetPath(vol);
    virStorageVolFree(vol);
    if (!where)
        return vm_err_virt(err, "libvirt %s: volume %s: path", uri, name);
    if (snprintf(out, len, "%s", where) >= (int)len)
        return vcb_err_set(err, ENAMETOOLONG, "volume %s: path too long", name);
    return 0;
}

int vm_pool_stage(const struct vcb_backend_opts *o, const char *const *paths, char (*out)[PATH_MAX],
                  size_t n, struct vcb_err *err)
{
    cleanup_vconn virConnectPtr conn = NULL;
    if (vm_conn_open(vm_uri(o), &conn, err) < 0)
        return -1;
    virStoragePoolPtr pool = NULL;
    pthread_mutex_lock(&vm_pool_lock);
    int rc = vm_pool_open(conn, vm_uri(o), &pool, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (paths[i])
            rc = vm_pool_stage_locked(conn, pool, o, paths[i], out[i], sizeof out[i], err);
    pthread_mutex_unlock(&vm_pool_lock);
    if (pool)
        virStoragePoolFree(pool);
    return rc;
}

struct vm_upload vm_pool_tally_take(void)
{
    pthread_mutex_lock(&vm_pool_lock);
    struct vm_upload t = vm_pool_tally;
    vm_pool_tally = (struct vm_upload){0};
    pthread_mutex_unlock(&vm_pool_lock);
    return t;
}

/* ---- cleanup --volumes ------------------------------------------------------ */
/* A transient pool cannot be deleted: its directory goes through the same
 * pool defined for a moment, deleted (rmdir) and undefined. */
static void vm_pool_dir_remove(virConnectPtr conn)
{
    cleanup_free char *xml = NULL;
    struct vcb_err e = {0};
    if (vm_pool_xml(&xml, &e) < 0)
        return;
    virStoragePoolPtr def = virStoragePoolDefineXML(conn, xml, 0);
    if (!def)
        return;
    virStoragePoolDelete(def, 0);
    virStoragePoolUndefine(def);
    virStoragePoolFree(def);
}

int vm_pool_cleanup(const struct vcb_cleanup_req *req, struct vcb_err *err)
{
    const char *uri = vm_uri(req->opts);
    cleanup_vconn virConnectPtr conn = NULL;
    if (vm_conn_open(uri, &conn, err) < 0)
        return -1;
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
    if (!pool)
        return 0; /* nothing uploaded there, or already removed */
    char what[PATH_MAX + 64];
    if (virStoragePoolIsActive(pool) == 1)
        (void)virStoragePoolRefresh(pool, 0);
    virStorageVolPtr *vols = NULL;
    int n = virStoragePoolIsActive(pool) == 1 ? virStoragePoolListAllVolumes(pool, &vols, 0) : 0;
    int rc = 0;
    if (n < 0)
        rc = vm_err_virt(err, "libvirt %s: storage pool " VM_POOL_NAME ": list volumes", uri);
    for (int i = 0; i < n; i++) {
        const char *name = virStorageVolGetName(vols[i]);
        if (rc == 0 && !req->dry_run && virStorageVolDelete(vols[i], 0) < 0)
            rc = vm_err_virt(err, "libvirt %s: volume %s: delete", uri, name);
        else if (rc == 0 && req->removed) {
            snprintf(what, sizeof what, "volume %s of pool " VM_POOL_NAME " on %s", name, uri);
            req->removed(what, req->ctx);
        }
        virStorageVolFree(vols[i]);
    }
    free(vols);
    if (rc == 0 && !req->dry_run) {
        bool persistent = virStoragePoolIsPersistent(pool) == 1;
        if (virStoragePoolIsActive(pool) == 1 && virStoragePoolDestroy(pool) < 0)
            rc = vm_err_virt(err, "libvirt %s: stop storage pool " VM_POOL_NAME, uri);
        else if (persistent &&
                 (virStoragePoolDelete(pool, 0) < 0 || virStoragePoolUndefine(pool) < 0))
            rc = vm_err_virt(err, "libvirt %s: remove storage pool " VM_POOL_NAME, uri);
        else if (!persistent)
            vm_pool_dir_remove(conn);
    }
    if (rc == 0 && req->removed) {
        snprintf(what, sizeof what, "storage pool " VM_POOL_NAME " (" VM_POOL_DIR ") on %s", uri);
        req->removed(what, req->ctx);
    }
    virStoragePoolFree(pool);
    return rc;
}
