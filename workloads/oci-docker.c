/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-docker.c — what `docker save` writes: manifest.json names the config
 * and the layers (uncompressed tars) of each image. There is no manifest
 * digest, so the image is named by its config's digest (docker's image
 * id), and each layer is checked against the config's rootfs.diff_ids:
 * the config names every byte. */
#include <errno.h>
#include <string.h>

#include "vcb-json.h"
#include "wl-oci-priv.h"
#include "sha256.h"

/* The config: its digest is computed, and must match its file name when
 * that name is "<hex>.json" (docker's and skopeo's way). */
static int docker_config(struct oci_blobs *b, const char *member, struct oci_manifest *m,
                         struct vcb_err *err)
{
    char path[PATH_MAX], hex[65], named[80];
    if (oci_blob_path(b, member, OCI_JSON_MAX, path, err) < 0 || wl_sha256_file(path, hex, err) < 0)
        return -1;
    snprintf(m->digest, sizeof(m->digest), "sha256:%s", hex);
    snprintf(m->config_member, sizeof(m->config_member), "%s", member);
    const char *base = strrchr(member, '/') ? strrchr(member, '/') + 1 : member;
    snprintf(named, sizeof(named), "sha256:%.64s", base);
    if (strlen(base) == 64 + 5 && strcmp(base + 64, ".json") == 0 && oci_digest_valid(named) &&
        strcmp(named, m->digest) != 0)
        return vcb_err_usage(err, "manifest.json Config: digest mismatch: %s hashes to %s", member,
                             m->digest);
    m->config = oci_blob_json(b, member, err);
    return m->config ? 0 : -1;
}

static int docker_layers(json_t *entry, struct oci_manifest *m, struct vcb_err *err)
{
    json_t *layers = json_object_get(entry, "Layers"), *l;
    json_t *diff_ids = json_object_get(json_object_get(m->config, "rootfs"), "diff_ids");
    size_t i;
    if (!json_is_array(layers))
        return vcb_err_usage(err, "manifest.json Layers: expected an array");
    if (json_array_size(diff_ids) != json_array_size(layers))
        return vcb_err_usage(err, "%s rootfs.diff_ids: %zu layers, manifest.json Layers has %zu",
                             m->config_member, json_array_size(diff_ids), json_array_size(layers));
    m->layers = calloc(json_array_size(layers) + 1, sizeof(*m->layers));
    if (!m->layers)
        return vcb_err_sys(err, ENOMEM, "manifest.json");
    json_array_foreach(layers, i, l)
    {
        struct oci_layer *ly = &m->layers[m->n_layers++];
        const char *name = json_string_value(l);
        const char *diff = json_string_value(json_array_get(diff_ids, i));
        if (!name ||
            snprintf(ly->member, sizeof(ly->member), "%s", name) >= (int)sizeof(ly->member))
            return vcb_err_usage(err, "manifest.json Layers[%zu]: expected a file name", i);
        if (!oci_digest_valid(diff))
            return vcb_err_usage(err, "%s rootfs.diff_ids[%zu]: expected sha256:<64 hex digits>",
                                 m->config_member, i);
        snprintf(ly->digest, sizeof(ly->digest), "%s", diff);
        ly->size = -1;
    }
    return 0;
}

int oci_docker_resolve(struct oci_blobs *b, struct oci_manifest *m, struct vcb_err *err)
{
    memset(m, 0, sizeof(*m));
    cleanup_json json_t *list = oci_blob_json(b, "manifest.json", err);
    if (!list)
        return -1;
    if (!json_is_array(list) || json_array_size(list) != 1)
        return vcb_err_usage(err,
                             "manifest.json: expected one image, found %zu (vcbench takes "
                             "an archive of one image)",
                             json_array_size(list));
    json_t *entry = json_array_get(list, 0);
    const char *config = json_string_value(json_object_get(entry, "Config"));
    if (!config)
        return vcb_err_usage(err, "manifest.json Config: expected the config's file name");
    if (docker_config(b, config, m, err) < 0 || docker_layers(entry, m, err) < 0) {
        oci_manifest_free(m);
        return -1;
    }
    return 0;
}
