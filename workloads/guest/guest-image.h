/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest-image.h — how an image from outside (an OCI image, a root
 * filesystem directory) carries vcb-init and what it needs to run the
 * image's own command. Everything vcbench adds sits under one directory that
 * no image may have: the importer refuses an image that writes there, so
 * the user's files and vcbench's never collide.
 *
 * The importer writes the image config's parts as plain files, so the
 * static vcb-init needs no JSON reader:
 *   entrypoint, cmd  the words, each NUL-terminated (absent: none)
 *   env              NAME=VALUE entries, each NUL-terminated (absent: none)
 *   workdir          one absolute path, no newline (absent: /)
 *   user             "UID:GID" in decimal, resolved by the importer from the
 *                    image's /etc/passwd and /etc/group (absent: 0:0)
 * vcb-init is started as `<WL_OWN_INIT> --image [--ready KIND]
 * [--metric NAME:UNIT=REGEX]... [--command CMD ARGS...]`, where CMD overrides the
 * image's cmd as `docker run IMAGE CMD…` does. */
#ifndef WL_GUEST_IMAGE_H
#define WL_GUEST_IMAGE_H

#define WL_OWN_DIR        "/.vcbench"
#define WL_OWN_INIT       WL_OWN_DIR "/init"
#define WL_OWN_ENTRYPOINT WL_OWN_DIR "/entrypoint"
#define WL_OWN_CMD        WL_OWN_DIR "/cmd"
#define WL_OWN_ENV        WL_OWN_DIR "/env"
#define WL_OWN_WORKDIR    WL_OWN_DIR "/workdir"
#define WL_OWN_USER       WL_OWN_DIR "/user"
#define WL_OWN_MODULES    WL_OWN_DIR "/modules" /* a VM's virtio modules, <name>.ko */
/* Only in the boot initramfs of an image too big to be one: the image is
 * the VM's read-only disk /dev/vda (ext4), which vcb-init makes its root. */
#define WL_OWN_ROOT_DISK WL_OWN_DIR "/root-disk"
#define WL_ROOT_DISK_DEV "/dev/vda"
/* vcb-init's first argument for an image's own command (a built-in
 * workload's name never starts with '-'). */
#define WL_IMAGE_MODE_ARG "--image"
/* What starts the command words. Not "--": a kernel command line ends its
 * init's arguments at a second "--", so a VM's vcb-init would never see
 * them. */
#define WL_IMAGE_CMD_ARG "--command"

/* ---- the rules of --ready and --metric (guest-image-args.c) ---------------
 * One parser for vcb-init, which must not trust its arguments, and for the
 * host, which refuses a bad value before anything starts: what one accepts,
 * the other does. libc only. A refusal fills why with what was expected. */
#include <regex.h>
#include <stddef.h>
#include <stdint.h>

enum wl_ready_kind {
    WL_READY_START, /* the exec succeeded (default) */
    WL_READY_EXIT,  /* the command exited 0 */
    WL_READY_LINE,  /* a line of its stdout or stderr matched */
    WL_READY_TCP,   /* 127.0.0.1:PORT accepts a connection */
};
struct wl_ready {
    enum wl_ready_kind kind;
    uint16_t port; /* WL_READY_TCP */
};
#define WL_METRICS_MAX 8
struct wl_metric {
    char name[64];
    char unit[32];
};
/* re: where the regex (line:'s, the metric's) is compiled; NULL: compiled
 * only to check it. A caller given re frees it (regfree) when it is set. */
int wl_ready_parse(const char *kind, struct wl_ready *out, regex_t *re, char *why, size_t len);
int wl_metric_parse(const char *spec, struct wl_metric *out, regex_t *re, char *why, size_t len);

#endif
