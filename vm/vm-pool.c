/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-pool.c — what a guest on a remote libvirt host needs of this host's
 * files (its kernel, initramfs, disk image), sent there through libvirt: a
 * transient `dir` storage pool "vcbench" on that host (nothing is left in
 * its libvirt config; its directory and volumes stay as an upload cache),
 * one volume per file named by its content (<basename>-<16 hex of its
 * SHA-256>), filled with virStorageVolUpload. A volume is uploaded under a
 * name of its own (…<id>.part) and cloned to its real name only when
 * complete, so a volume found under its real name is whole and never
 * uploaded again; an upload stops when the run is asked to stop, and a part
 * volume nobody finished within a day is swept away. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sha256.h"
#include "vm-priv.h"
#include "wl-image.h"

/* A file's identity line (wl_key_identity) for one path. */
#define VM_FILE_ID_MAX (PATH_MAX + 128)

/* What this thread sent since it last took the tally: an instance's create
 * (and the accel probe it may run first) happen in one thread, so another
 * thread's uploads are never credited to it. */
static _Thread_local struct vm_upload vm_pool_tally;

/* One pool session (refresh, lookups, uploads) at a time in this process:
 * two instances needing the same file send it once. */
static pthread_mutex_t vm_pool_lock = PTHREAD_MUTEX_INITIALIZER;

static int vm_file_identity(const char *path, char *out, size_t len, bool *racy,
                            struct vcb_err *err)
{
    const char *one[1] = {path};
    errno = ENAMETOOLONG; /* what a path too long for out fails with */
    if (wl_key_identity(one, 1, out, len, racy) < 0)
        return vcb_err_sys(err, errno, "%s", path);
    return 0;
}

/* ---- a file's SHA-256, cached by its identity ------------------------------
 * Hashing a disk image of hundreds of MiB on every run would cost more than
 * a boot: the digest is kept under the state dir for as long as the file's
 * identity holds (device, inode, size, mtime, ctime, as the image builder
 * trusts it); a file changed in the last seconds is hashed, not kept. */
static void vm_hash_cache_path(char *buf, size_t len)
{
    snprintf(buf, len, "%s/upload-hash.json", vcb_state_dir());
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
    char real[PATH_MAX], cache[PATH_MAX], ident[VM_FILE_ID_MAX];
    bool racy;
    if (!realpath(path, real))
        return vcb_err_sys(err, errno, "%s", path);
    if (vm_file_identity(real, ident, sizeof ident, &racy, err) < 0)
        return -1;
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
    if (!racy) /* it may change again under the same identity */
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
int vm_pool_xml(char **out, struct vcb_err *err)
{
    if (asprintf(out, "<pool type='dir'>\n  <name>" VM_POOL_NAME "</name>\n"
                      "  <target>\n    <path>" VM_POOL_DIR "</path>\n  </target>\n</pool>\n") < 0)
        return vcb_err_sys(err, ENOMEM, "storage pool XML");
    return 0;
}

bool vm_vol_is_part(const char *name)
{
    size_t n = strlen(name), m = strlen(VM_POOL_PART);
    return n > m && !strcmp(name + n - m, VM_POOL_PART);
}

int64_t vm_vol_xml_mtime(const char *xml)
{
    const char *t = xml ? strstr(xml, "<timestamps>") : NULL;
    const char *m = t ? strstr(t, "<mtime>") : NULL;
    if (!m)
        return -1;
    char *end;
    errno = 0;
    long long s = strtoll(m + strlen("<mtime>"), &end, 10);
    return errno || end == m + strlen("<mtime>") || s < 0 ? -1 : (int64_t)s;
}

/* The host's clock against ours: a day is far beyond any skew that matters. */
bool vm_vol_part_stale(virStorageVolPtr vol, const char *name)
{
    if (!name || !vm_vol_is_part(name))
        return false;
    cleanup_free char *xml = virStorageVolGetXMLDesc(vol, 0);
    int64_t mtime = vm_vol_xml_mtime(xml);
    return mtime >= 0 && (int64_t)time(NULL) - mtime >= VM_POOL_PART_STALE_S;
}

/* An upload cut off where nothing could drop its part volume (a killed
 * vcbench, a lost connection) leaves it behind; nobody finishes it later. */
static void vm_pool_sweep_parts(virStoragePoolPtr pool)
{
    virStorageVolPtr *vols = NULL;
    int n = virStoragePoolListAllVolumes(pool, &vols, 0);
    for (int i = 0; i < n; i++) {
        if (vm_vol_part_stale(vols[i], virStorageVolGetName(vols[i])))
            (void)virStorageVolDelete(vols[i], 0); /* best effort: swept next time */
        virStorageVolFree(vols[i]);
    }
    free(vols);
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
        if (!pool) {
            /* Why it could not be made, unless another vcbench made it meanwhile. */
            vm_err_virt(err, "libvirt %s: storage pool " VM_POOL_NAME " in " VM_POOL_DIR, uri);
            pool = virStoragePoolLookupByName(conn, VM_POOL_NAME);
            if (!pool)
                return -1;
            vcb_err_clear(err);
        }
    } else if (virStoragePoolIsActive(pool) != 1 && virStoragePoolCreate(pool, 0) < 0) {
        virStoragePoolFree(pool);
        return vm_err_virt(err, "libvirt %s: start storage pool " VM_POOL_NAME, uri);
    }
    /* Volumes another client (or a restart) left there become visible. */
    if (virStoragePoolRefresh(pool, 0) < 0) {
        virStoragePoolFree(pool);
        return vm_err_virt(err, "libvirt %s: refresh storage pool " VM_POOL_NAME, uri);
    }
    vm_pool_sweep_parts(pool);
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

/* The file being sent, and whether the run asked to stop meanwhile: the
 * stream then ends with an error, and the part volume is dropped. */
struct vm_send {
    int fd;
    int (*stop_requested)(void);
    int stopped; /* what stop_requested said: the signal, 0 if none */
};

static int vm_send_file(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    (void)st;
    struct vm_send *s = opaque;
    if (s->stop_requested && (s->stopped = s->stop_requested()) != 0)
        return -1;
    ssize_t n = read(s->fd, data, nbytes);
    return n < 0 ? -1 : (int)n;
}

static int vm_send_failed(const struct vm_send *s, const char *name, const char *path,
                          struct vcb_err *err)
{
    if (!s->stopped)
        return vm_err_virt(err, "volume %s: upload %s", name, path);
    return vcb_err_set(err, EINTR, "volume %s: upload of %s stopped (%s)", name, path,
                       s->stopped == SIGINT    ? "SIGINT"
                       : s->stopped == SIGTERM ? "SIGTERM"
                                               : "the run was asked to stop");
}

/* The file's bytes into vol, through a stream over the connection. */
static int vm_vol_upload(virConnectPtr conn, const struct vcb_backend_opts *o, virStorageVolPtr vol,
                         const char *path, uint64_t size, const char *name, struct vcb_err *err)
{
    cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vcb_err_sys(err, errno, "%s", path);
    virStreamPtr st = virStreamNew(conn, 0);
    if (!st)
        return vm_err_virt(err, "volume %s: upload stream", name);
    struct vm_send s = {.fd = fd, .stop_requested = o ? o->stop_requested : NULL};
    int rc = -1;
    if (virStorageVolUpload(vol, st, 0, size, 0) < 0)
        vm_err_virt(err, "volume %s: upload", name);
    else if (virStreamSendAll(st, vm_send_file, &s) < 0)
        vm_send_failed(&s, name, path, err);
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
static int vm_vol_send(virConnectPtr conn, virStoragePoolPtr pool, const struct vcb_backend_opts *o,
                       const char *path, uint64_t size, const char *name, virStorageVolPtr *out,
                       struct vcb_err *err)
{
    char part[128], id[VCB_RUN_ID_LEN + 1];
    vcb_run_id_new(id); /* two clients may send the same file at once */
    snprintf(part, sizeof part, "%s.%s" VM_POOL_PART, name, id);
    virStorageVolPtr tmp = NULL;
    if (vm_vol_create(pool, part, size, NULL, &tmp, err) < 0)
        return -1;
    int rc = vm_vol_upload(conn, o, tmp, path, size, part, err);
    if (rc == 0 && vm_vol_create(pool, name, size, tmp, out, err) < 0) {
        /* Lost a race to another client: its volume is as good. */
        *out = virStorageVolLookupByName(pool, name);
        rc = *out ? 0 : -1;
        if (rc == 0)
            vcb_err_clear(err); /* the failed clone is no failure */
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

/* ---- where each file is on each host, kept for the process -----------------
 * A file's volume keeps its path there while the file keeps its identity: a
 * later instance finds it without a connection, a refresh or the lock (as
 * vm_remote_host keeps what a host said of itself). */
struct vm_staged {
    struct vm_staged *next;
    char *key; /* "<uri>\n<identity>" */
    char path[PATH_MAX];
};
static pthread_mutex_t vm_staged_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vm_staged *vm_staged_seen;

/* NULL if the file cannot be looked at (staging it says why). */
static char *vm_staged_key(const char *uri, const char *path, bool *racy)
{
    char ident[VM_FILE_ID_MAX];
    char *key = NULL;
    struct vcb_err e = {0};
    if (vm_file_identity(path, ident, sizeof ident, racy, &e) < 0 ||
        asprintf(&key, "%s\n%s", uri, ident) < 0)
        return NULL;
    return key;
}

static bool vm_staged_find(const char *key, char *out, size_t len)
{
    bool found = false;
    pthread_mutex_lock(&vm_staged_lock);
    for (const struct vm_staged *s = vm_staged_seen; key && s && !found; s = s->next)
        if (!strcmp(s->key, key)) {
            snprintf(out, len, "%s", s->path);
            found = true;
        }
    pthread_mutex_unlock(&vm_staged_lock);
    return found;
}

static void vm_staged_keep(const char *key, const char *path)
{
    struct vm_staged *s = calloc(1, sizeof *s);
    if (!s || !(s->key = strdup(key))) {
        free(s);
        return; /* not kept: found through the pool next time */
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    pthread_mutex_lock(&vm_staged_lock);
    s->next = vm_staged_seen;
    vm_staged_seen = s;
    pthread_mutex_unlock(&vm_staged_lock);
}

/* ---- staging ---------------------------------------------------------------- */
static int vm_pool_stage_locked(virConnectPtr conn, virStoragePoolPtr pool,
                                const struct vcb_backend_opts *o, const char *path, char *out,
                                size_t len, struct vcb_err *err)
{
    const char *uri = vm_uri(o);
    bool racy = true;
    cleanup_free char *key = vm_staged_key(uri, path, &racy);
    if (vm_staged_find(key, out, len)) { /* another thread staged it meanwhile */
        vm_pool_tally.kept++;
        return 0;
    }
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
        if (vm_vol_send(conn, pool, o, path, (uint64_t)st.st_size, name, &vol, err) < 0)
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
    if (key && !racy)
        vm_staged_keep(key, out);
    return 0;
}

/* Every file already staged in this process: its volume's path, no connection. */
static bool vm_pool_stage_known(const char *uri, const char *const *paths, char (*out)[PATH_MAX],
                                size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool racy;
        cleanup_free char *key = paths[i] ? vm_staged_key(uri, paths[i], &racy) : NULL;
        if (paths[i] && !vm_staged_find(key, out[i], sizeof out[i]))
            return false;
    }
    for (size_t i = 0; i < n; i++)
        vm_pool_tally.kept += paths[i] != NULL;
    return true;
}

int vm_pool_stage(const struct vcb_backend_opts *o, const char *const *paths, char (*out)[PATH_MAX],
                  size_t n, struct vcb_err *err)
{
    if (vm_pool_stage_known(vm_uri(o), paths, out, n))
        return 0;
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
    struct vm_upload t = vm_pool_tally;
    vm_pool_tally = (struct vm_upload){0};
    return t;
}
