/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cg-fake.h — fake cgroup trees in a temp dir for the cgroup backend tests
 * (as libvirt's vircgrouptest does): a v2 root and a v1 tree, planting
 * files, and asserting a file's exact contents. */
#ifndef CG_FAKE_H
#define CG_FAKE_H

#include <string.h>
#include <sys/stat.h>

#include "container-priv.h"

#define NAME "vcb-1a2b3c4d-1"

struct fake {
    char root[PATH_MAX];
    struct ct_cg_host host;
    struct ct_cgroup cg;
};

static inline void plant(const struct fake *f, const char *rel, const char *text)
{
    char path[PATH_MAX + 64];
    struct vcb_err err = {0};
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    assert_int_equal(vcb_write_file(path, text, strlen(text), &err), 0);
}

static inline void plant_dir(const struct fake *f, const char *rel)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    assert_int_equal(mkdir(path, 0755), 0);
}

/* Assert the exact contents of a file in the tree. */
#define assert_file(f, rel, expected)                                                              \
    do {                                                                                           \
        char path_[PATH_MAX + 64];                                                                 \
        char *text_ = NULL;                                                                        \
        struct vcb_err err_ = {0};                                                                 \
        snprintf(path_, sizeof path_, "%s/%s", (f)->root, rel);                                    \
        assert_int_equal(vcb_read_file(path_, &text_, NULL, &err_), 0);                            \
        assert_string_equal(text_, expected);                                                      \
        free(text_);                                                                               \
    } while (0)

static inline bool exists(const struct fake *f, const char *rel)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    return vcb_path_exists(path);
}

static inline struct fake *fake_new(void)
{
    struct fake *f = calloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/test-ct-cgroup-XXXXXX");
    assert_non_null(mkdtemp(f->root));
    return f;
}

static inline void fake_open(struct fake *f)
{
    struct vcb_err err = {0};
    assert_int_equal(ct_cg_host_init(&f->host, f->root, &err), 0);
    assert_true(f->host.fake);
    ct_cgroup_init(&f->cg, &f->host, NAME);
}

static inline int fake_teardown(void **state)
{
    struct fake *f = *state;
    struct vcb_err err = {0};
    ct_cgroup_close(&f->cg);
    vcb_rm_rf(f->root, &err);
    free(f);
    return 0;
}

/* A v2 root: controllers listed, swap accounting on (vcbench has memory.swap.max). */
static inline int v2_setup(void **state)
{
    struct fake *f = fake_new();
    plant(f, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
    plant(f, "cgroup.subtree_control", "");
    plant_dir(f, "vcbench");
    plant(f, "vcbench/memory.swap.max", "max\n");
    fake_open(f);
    *state = f;
    return 0;
}

/* A v1 tree as on this host but with cpu,cpuacct co-mounted. */
static inline int v1_setup(void **state)
{
    struct fake *f = fake_new();
    plant_dir(f, "memory");
    plant_dir(f, "memory/vcbench");
    plant(f, "memory/vcbench/memory.memsw.limit_in_bytes", "9223372036854771712\n");
    plant_dir(f, "cpu,cpuacct");
    plant_dir(f, "pids");
    plant_dir(f, "cpuset");
    plant(f, "cpuset/cpuset.cpus", "0-1\n");
    plant(f, "cpuset/cpuset.mems", "0\n");
    plant_dir(f, "devices");
    fake_open(f);
    *state = f;
    return 0;
}

#endif
