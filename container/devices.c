/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* devices.c — the device policy, enforced by the kernel: the OCI default
 * allowlist (null, zero, full, random, urandom, tty, ptmx and the pts of the
 * container's own devpts), read, write and mknod. Anything else — /dev/kvm,
 * loop and zram devices, userfaultfd, the host's consoles — can be neither
 * made nor opened from inside, whatever node a container manages to create.
 *
 * One table serves both cgroup versions: v1 gets "a" denied and one allow
 * rule per entry in devices.deny/devices.allow (once, in the parent group
 * "vcbench", when it has no children: a new group copies its parent's list,
 * so a start then reads its list back instead of writing nine rules); v2 gets a BPF_CGROUP_DEVICE
 * program built here by hand (a dozen instructions per rule do not justify
 * libbpf), loaded once per process and attached to each instance's group. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

#include "container-priv.h"

const struct ct_dev_rule ct_dev_allowed[] = {
    {'c', 1, 3},    /* null */
    {'c', 1, 5},    /* zero */
    {'c', 1, 7},    /* full */
    {'c', 1, 8},    /* random */
    {'c', 1, 9},    /* urandom */
    {'c', 5, 0},    /* tty: after setsid() it has no terminal to reach */
    {'c', 5, 2},    /* ptmx */
    {'c', 136, -1}, /* pts */
    {0, 0, 0},
};

int ct_dev_rule_format(const struct ct_dev_rule *r, char *buf, size_t len)
{
    char minor[16] = "*";
    if (r->minor >= 0)
        snprintf(minor, sizeof minor, "%d", r->minor);
    return snprintf(buf, len, "%c %d:%s rwm", r->type, r->major, minor);
}

static int dev_v1_write(const struct ct_cgroup *cg, int dfd, struct vcb_err *err)
{
    char rule[48];
    if (ct_cg_write(cg, dfd, "devices.deny", "a", err) < 0)
        return -1;
    for (const struct ct_dev_rule *r = ct_dev_allowed; r->type; r++) {
        ct_dev_rule_format(r, rule, sizeof rule);
        if (ct_cg_write(cg, dfd, "devices.allow", rule, err) < 0)
            return -1;
    }
    return 0;
}

/* Whether the group at dfd denies by default and allows exactly the table:
 * devices.list shows "a *:* rwm" for a group that allows by default, else
 * its allow rules in the order they were added. */
static bool dev_v1_has_table(const struct ct_cgroup *cg, int dfd)
{
    char want[256] = "", have[256];
    size_t off = 0;
    for (const struct ct_dev_rule *r = ct_dev_allowed; r->type && off < sizeof want; r++) {
        off += (size_t)ct_dev_rule_format(r, want + off, sizeof want - off);
        off += (size_t)snprintf(want + off, sizeof want - off, "\n");
    }
    return ct_cg_read(cg, dfd, "devices.list", have, sizeof have, &(struct vcb_err){0}) == 0 &&
           strcmp(have, want) == 0;
}

void ct_dev_v1_parent(const struct ct_cgroup *cg, int parent)
{
    static bool tried;
    if (cg->host->fake || __atomic_exchange_n(&tried, true, __ATOMIC_RELAXED))
        return;
    if (!dev_v1_has_table(cg, parent))
        (void)dev_v1_write(cg, parent, &(struct vcb_err){0}); /* refused while it has children */
}

int ct_dev_v1_apply(const struct ct_cgroup *cg, int dfd, struct vcb_err *err)
{
    /* Copied from the parent at mkdir, and read back: the list is what the
     * kernel enforces, however it got there. */
    if (dev_v1_has_table(cg, dfd))
        return 0;
    return dev_v1_write(cg, dfd, err);
}

/* ---- the v2 program ---- */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    return (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

#define R_ACCESS_TYPE 2 /* (access << 16) | type, then the type alone */
#define R_MAJOR       4
#define R_MINOR       5

/* One rule: "if type, major and minor match, allow". Every allowed device is
 * rwm, so the access bits need no test. Returns the instructions written. */
static size_t emit_rule(const struct ct_dev_rule *r, struct bpf_insn *p)
{
    int type = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    size_t n = 0, checks = 1 + (r->major >= 0) + (r->minor >= 0);
    /* Each failed check jumps over the rest of this rule to the next one. */
    int16_t skip = (int16_t)(checks + 2);
    p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, R_ACCESS_TYPE, 0, --skip, type);
    if (r->major >= 0)
        p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, R_MAJOR, 0, --skip, r->major);
    if (r->minor >= 0)
        p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, R_MINOR, 0, --skip, r->minor);
    p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
    p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return n;
}

#define CT_DEV_PROG_MAX 128

size_t ct_dev_program(struct bpf_insn *prog)
{
    size_t n = 0;
    /* struct bpf_cgroup_dev_ctx: access_type, major, minor (u32 each). */
    prog[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, R_ACCESS_TYPE, BPF_REG_1, 0, 0);
    prog[n++] = insn(BPF_ALU | BPF_AND | BPF_K, R_ACCESS_TYPE, 0, 0, 0xffff);
    prog[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, R_MAJOR, BPF_REG_1, 4, 0);
    prog[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, R_MINOR, BPF_REG_1, 8, 0);
    for (const struct ct_dev_rule *r = ct_dev_allowed; r->type; r++)
        n += emit_rule(r, prog + n);
    prog[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0); /* deny */
    prog[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    return n;
}

static int dev_prog_fd = -1;
static struct vcb_err dev_prog_err;
static pthread_once_t dev_prog_once = PTHREAD_ONCE_INIT;

static void dev_prog_load(void)
{
    static char log[4096];
    struct bpf_insn prog[CT_DEV_PROG_MAX];
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (uintptr_t)prog;
    a.insn_cnt = (uint32_t)ct_dev_program(prog);
    a.license = (uintptr_t) "GPL";
    a.log_buf = (uintptr_t)log;
    a.log_size = sizeof log;
    a.log_level = 1;
    dev_prog_fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
    if (dev_prog_fd < 0)
        vcb_err_sys(&dev_prog_err, errno, "device policy: load the BPF program (%.200s)", log);
}

int ct_dev_v2_program_fd(struct vcb_err *err)
{
    pthread_once(&dev_prog_once, dev_prog_load);
    if (dev_prog_fd < 0)
        *err = dev_prog_err;
    return dev_prog_fd;
}

int ct_dev_v2_attach(const struct ct_cgroup *cg, int dfd, struct vcb_err *err)
{
    union bpf_attr a;
    if (ct_dev_v2_program_fd(err) < 0)
        return vcb_err_prefix(err, "cgroup %s", cg->name);
    memset(&a, 0, sizeof a);
    a.target_fd = (uint32_t)dfd;
    a.attach_bpf_fd = (uint32_t)dev_prog_fd;
    a.attach_type = BPF_CGROUP_DEVICE;
    a.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a) < 0)
        return vcb_err_sys(err, errno, "cgroup %s: attach the device policy (BPF_CGROUP_DEVICE)",
                           cg->name);
    return 0;
}
