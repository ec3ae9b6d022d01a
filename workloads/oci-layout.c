/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-layout.c — an OCI image layout: index.json → the tag's manifest (the
 * host's platform picked from an image index) → its config, each document
 * checked against the digest and size that name it. OCI and docker v2
 * media types. */
#include <errno.h>
#include <string.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"

#define REF_NAME "org.opencontainers.image.ref.name"

static const char *const manifest_types[] = {"application/vnd.oci.image.manifest.v1+json",
                                             "application/vnd.docker.distribution.manifest.v2+json",
                                             NULL};
static const char *const index_types[] = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json", NULL};
static const char *const layer_types[] = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    NULL};

static bool type_in(const char *type, const char *const *list)
{
    for (; type && *list; list++)
        if (strcmp(type, *list) == 0)
            return true;
    return false;
}

void oci_manifest_free(struct oci_manifest *m)
{
    json_decref(m->config);
    free(m->layers);
    memset(m, 0, sizeof(*m));
}

/* A descriptor's digest and size, checked in form; member = its blob. */
static int descriptor_read(json_t *desc, const char *field, char member[256], char digest[80],
                           int64_t *size, struct vcb_err *err)
{
    const char *d = json_string_value(json_object_get(desc, "digest"));
    json_t *sz = json_object_get(desc, "size");
    if (!json_is_object(desc))
        return vcb_err_usage(err, "%s: expected an object (a descriptor)", field);
    if (!oci_digest_valid(d))
        return vcb_err_usage(err, "%s.digest: expected sha256:<64 hex digits>, got '%s'", field,
                             d ? d : "(none)");
    if (!json_is_integer(sz) || json_integer_value(sz) < 0)
        return vcb_err_usage(err, "%s.size: expected a byte count", field);
    snprintf(member, 256, "blobs/sha256/%s", d + 7);
    snprintf(digest, 80, "%s", d);
    *size = json_integer_value(sz);
    return 0;
}

/* The JSON blob a descriptor names, after its digest check. */
static json_t *descriptor_json(struct oci_blobs *b, json_t *desc, const char *field, char *digest,
                               struct vcb_err *err)
{
    char member[256], path[PATH_MAX], what[320];
    int64_t size;
    if (descriptor_read(desc, field, member, digest, &size, err) < 0 ||
        oci_blob_path(b, member, OCI_JSON_MAX, path, err) < 0)
        return NULL;
    snprintf(what, sizeof(what), "%s (%s.digest)", member, field);
    if (oci_digest_check(path, digest, size, what, err) < 0)
        return NULL;
    return oci_blob_json(b, member, err);
}

static bool platform_is_host(json_t *desc)
{
    json_t *p = json_object_get(desc, "platform");
    const char *os = json_string_value(json_object_get(p, "os"));
    const char *arch = json_string_value(json_object_get(p, "architecture"));
    return !p || (os && arch && strcmp(os, "linux") == 0 && strcmp(arch, oci_host_arch()) == 0);
}

/* In an image index (nested, or docker's list), the host platform's manifest. */
static json_t *index_pick(json_t *index, const char *field, struct vcb_err *err)
{
    json_t *list = json_object_get(index, "manifests"), *m;
    size_t i;
    if (!json_is_array(list))
        return vcb_err_usage(err, "%s: no \"manifests\" array", field), NULL;
    json_array_foreach(list, i, m)
    {
        json_t *p = json_object_get(m, "platform");
        if (p && platform_is_host(m))
            return m;
    }
    vcb_err_usage(err, "%s: no manifest for linux/%s among its %zu", field, oci_host_arch(),
                  json_array_size(list));
    return NULL;
}

/* The tags index.json names, for the error when one is not there. */
static void tags_list(json_t *list, char *out, size_t len)
{
    json_t *m;
    size_t i, used = 0;
    out[0] = '\0';
    json_array_foreach(list, i, m)
    {
        const char *t =
            json_string_value(json_object_get(json_object_get(m, "annotations"), REF_NAME));
        if (t && used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "", t);
    }
    if (!out[0])
        snprintf(out, len, "none");
}

/* index.json's descriptor for tag (of the host's platform when it names one). */
static json_t *index_find_tag(json_t *index, const char *tag, char field[64], struct vcb_err *err)
{
    json_t *list = json_object_get(index, "manifests"), *m, *found = NULL;
    size_t i;
    if (!json_is_object(index) || !json_is_array(list))
        return vcb_err_usage(err, "index.json: no \"manifests\" array"), NULL;
    json_array_foreach(list, i, m)
    {
        const char *t =
            json_string_value(json_object_get(json_object_get(m, "annotations"), REF_NAME));
        if (t && strcmp(t, tag) == 0 && (!found || platform_is_host(m))) {
            found = m;
            snprintf(field, 64, "index.json manifests[%zu]", i);
        }
    }
    if (!found) {
        char tags[512];
        tags_list(list, tags, sizeof(tags));
        vcb_err_usage(err, "index.json: no tag '%s' (tags there: %s)", tag, tags);
    }
    return found;
}

static int manifest_layers(json_t *man, struct oci_manifest *m, struct vcb_err *err)
{
    json_t *layers = json_object_get(man, "layers"), *l;
    size_t i;
    if (!json_is_array(layers))
        return vcb_err_usage(err, "manifest %s: no \"layers\" array", m->digest);
    m->layers = calloc(json_array_size(layers) + 1, sizeof(*m->layers));
    if (!m->layers)
        return vcb_err_sys(err, ENOMEM, "manifest %s", m->digest);
    json_array_foreach(layers, i, l)
    {
        char field[64];
        const char *type = json_string_value(json_object_get(l, "mediaType"));
        struct oci_layer *ly = &m->layers[m->n_layers++];
        snprintf(field, sizeof(field), "manifest layers[%zu]", i);
        if (!type_in(type, layer_types))
            return vcb_err_usage(err, "%s.mediaType: '%s' is not a layer vcbench can unpack", field,
                                 type ? type : "(none)");
        if (descriptor_read(l, field, ly->member, ly->digest, &ly->size, err) < 0)
            return -1;
    }
    return 0;
}

/* The manifest document doc (of digest) into m: its config and layers. */
static int manifest_from_doc(struct oci_blobs *b, json_t *doc, const char *type, const char *field,
                             const char *digest, struct oci_manifest *m, struct vcb_err *err)
{
    char cfield[300], cdigest[80];
    if (type && !type_in(type, manifest_types))
        return vcb_err_usage(err, "%s.mediaType: '%s' is not an image manifest", field, type);
    snprintf(m->digest, sizeof(m->digest), "%s", digest);
    snprintf(cfield, sizeof(cfield), "manifest %s config", digest);
    m->config = descriptor_json(b, json_object_get(doc, "config"), cfield, cdigest, err);
    if (!m->config)
        return -1;
    snprintf(m->config_member, sizeof(m->config_member), "blobs/sha256/%s", cdigest + 7);
    return manifest_layers(doc, m, err);
}

/* The manifest the descriptor names, through image indexes, into m. */
static int manifest_load(struct oci_blobs *b, json_t *desc, const char *field,
                         struct oci_manifest *m, struct vcb_err *err)
{
    char digest[80], nested[128];
    json_t *held = NULL; /* the descriptor picked from an index already let go */
    int rc = 1, depth;
    for (depth = 0; rc == 1 && depth < 4; depth++) {
        const char *type = json_string_value(json_object_get(desc, "mediaType"));
        json_t *doc = descriptor_json(b, desc, field, digest, err);
        if (!doc) {
            rc = -1;
            break;
        }
        if (type_in(type, index_types) || json_object_get(doc, "manifests")) {
            snprintf(nested, sizeof(nested), "index %s", digest);
            json_t *next = index_pick(doc, nested, err);
            json_decref(held);
            held = json_incref(next);
            json_decref(doc);
            if (!held) {
                rc = -1;
                break;
            }
            desc = held;
            field = nested;
            continue;
        }
        rc = manifest_from_doc(b, doc, type, field, digest, m, err);
        json_decref(doc);
        break;
    }
    json_decref(held);
    if (rc == 1)
        rc = vcb_err_usage(err, "%s: image indexes nested more than %d deep", field, depth);
    return rc;
}

int oci_layout_resolve(struct oci_blobs *b, const char *tag, struct oci_manifest *m,
                       struct vcb_err *err)
{
    char field[64];
    memset(m, 0, sizeof(*m));
    cleanup_json json_t *index = oci_blob_json(b, "index.json", err);
    if (!index)
        return -1;
    json_t *desc = index_find_tag(index, tag, field, err);
    if (!desc || manifest_load(b, desc, field, m, err) < 0) {
        oci_manifest_free(m);
        return -1;
    }
    return 0;
}
