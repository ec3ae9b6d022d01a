/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* init-image.c — vcb-init runs an image's own command, as `docker run`
 * would: entrypoint + (the words after `--`, else the image's cmd), exactly
 * the image's env (PATH and HOME defaulted as docker does), its workdir and
 * user. The config parts are the plain files guest-image.h describes. The
 * command's stdout and stderr both come to vcb-init: only its
 * "@vcb result" lines reach the channel, the rest goes to the log. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest-image.h"
#include "init-ready.h"
#include "init.h"

/* What one config file may hold: far more than any real config part. */
#define CONFIG_MAX (1U << 20)

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct words {
    char **v; /* NULL-terminated */
    size_t n;
};

struct image {
    struct words entrypoint, cmd, env;
    char **argv, **envp;
    const char *path; /* the PATH the command is looked up in */
    char *workdir;
    uid_t uid;
    gid_t gid;
    struct init_watch watch;
};

static struct image img;

/* ---- the command line ------------------------------------------------------------ */

/* `--image [--ready KIND] [--metric NAME:UNIT=REGEX]... [--command CMD
 * ARGS...]`; *override gets the words after `--command` (NULL when none). */
static int parse_args(int argc, char **argv, struct words *override)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], WL_IMAGE_CMD_ARG) == 0) {
            override->v = argv + i + 1;
            override->n = (size_t)(argc - i - 1);
            return 0;
        }
        bool ready = strcmp(argv[i], "--ready") == 0;
        if (!ready && strcmp(argv[i], "--metric") != 0) {
            init_log("usage: unknown option '%s' (" WL_IMAGE_MODE_ARG
                     " [--ready KIND] [--metric NAME:UNIT=REGEX]... [" WL_IMAGE_CMD_ARG
                     " CMD ARGS...])",
                     argv[i]);
            return -1;
        }
        if (i + 1 == argc) {
            init_log("usage: %s needs a value", argv[i]);
            return -1;
        }
        i++;
        if ((ready ? init_watch_ready_arg(&img.watch, argv[i])
                   : init_watch_metric_arg(&img.watch, argv[i])) < 0)
            return -1;
    }
    return 0;
}

/* ---- the config files ------------------------------------------------------------- */

/* The whole of an optional file: *data NULL when it is absent. */
static int read_config(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    char *buf = fd < 0 ? NULL : malloc(CONFIG_MAX + 1);
    ssize_t n = 0;
    size_t got = 0;
    while (buf && got <= CONFIG_MAX &&
           ((n = read(fd, buf + got, CONFIG_MAX + 1 - got)) > 0 || (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (!buf || n < 0 || got > CONFIG_MAX) {
        init_log("image config %s: %s", path,
                 got > CONFIG_MAX ? "larger than 1 MiB" : strerror(fd < 0 || n < 0 ? e : ENOMEM));
        free(buf);
        return -1;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

/* Words, each NUL-terminated (entrypoint, cmd, env); absent: none. */
static int read_words(const char *path, struct words *w)
{
    char *data;
    size_t len;
    if (read_config(path, &data, &len) < 0)
        return -1;
    if (len > 0 && data[len - 1] != '\0') {
        init_log("image config %s: the last word is not NUL-terminated", path);
        free(data);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        w->n += data[i] == '\0';
    w->v = calloc(w->n + 1, sizeof(*w->v));
    for (size_t i = 0, k = 0; w->v && i < len; i += strlen(data + i) + 1)
        w->v[k++] = data + i;
    return w->v ? 0 : -1;
}

/* One line without NUL or newline: the workdir (an absolute path) or the
 * user ("UID:GID"). *out stays NULL when the file is absent. */
static int read_line_file(const char *path, char **out)
{
    size_t len;
    if (read_config(path, out, &len) < 0)
        return -1;
    if (*out && (len == 0 || strlen(*out) != len || strchr(*out, '\n'))) {
        init_log("image config %s: not one line", path);
        return -1;
    }
    return 0;
}

static int parse_id(const char *s, const char *end, unsigned *out)
{
    char *stop;
    errno = 0;
    unsigned long v = s[0] >= '0' && s[0] <= '9' ? strtoul(s, &stop, 10) : ULONG_MAX;
    if (v >= UINT_MAX || errno || stop != end) /* (uid_t)-1 means "no change" */
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int read_user(void)
{
    char *user;
    unsigned uid = 0, gid = 0;
    if (read_line_file(WL_OWN_USER, &user) < 0)
        return -1;
    const char *colon = user ? strchr(user, ':') : NULL;
    if (user && (!colon || parse_id(user, colon, &uid) < 0 ||
                 parse_id(colon + 1, colon + 1 + strlen(colon + 1), &gid) < 0)) {
        init_log("image config %s: '%s' is not UID:GID", WL_OWN_USER, user);
        return -1;
    }
    img.uid = (uid_t)uid;
    img.gid = (gid_t)gid;
    return 0;
}

static const char *env_get(char **env, const char *name)
{
    size_t n = strlen(name);
    for (; *env; env++)
        if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
            return *env + n + 1;
    return NULL;
}

/* The image's env, with PATH and HOME added when it has none. */
static int build_env(void)
{
    img.envp = calloc(img.env.n + 3, sizeof(*img.envp));
    if (!img.envp)
        return -1;
    memcpy(img.envp, img.env.v, img.env.n * sizeof(*img.envp));
    size_t n = img.env.n;
    if (!env_get(img.envp, "PATH"))
        img.envp[n++] = "PATH=" DEFAULT_PATH;
    if (!env_get(img.envp, "HOME"))
        img.envp[n++] = "HOME=/";
    img.path = env_get(img.envp, "PATH");
    return 0;
}

/* entrypoint + (the override, else the image's cmd). */
static int build_argv(const struct words *override)
{
    const struct words *tail = override->n > 0 ? override : &img.cmd;
    size_t n = img.entrypoint.n + tail->n;
    if (n == 0) {
        init_log("the image has no command: no entrypoint, no cmd and none after '--'");
        return -1;
    }
    img.argv = calloc(n + 1, sizeof(*img.argv));
    if (!img.argv)
        return -1;
    memcpy(img.argv, img.entrypoint.v, img.entrypoint.n * sizeof(*img.argv));
    memcpy(img.argv + img.entrypoint.n, tail->v, tail->n * sizeof(*img.argv));
    return 0;
}

static int load_config(const struct words *override)
{
    if (read_words(WL_OWN_ENTRYPOINT, &img.entrypoint) < 0 ||
        read_words(WL_OWN_CMD, &img.cmd) < 0 || read_words(WL_OWN_ENV, &img.env) < 0 ||
        read_line_file(WL_OWN_WORKDIR, &img.workdir) < 0 || read_user() < 0)
        return -1;
    if (img.workdir && img.workdir[0] != '/') {
        init_log("image config %s: '%s' is not an absolute path", WL_OWN_WORKDIR, img.workdir);
        return -1;
    }
    return build_env() < 0 || build_argv(override) < 0 ? -1 : 0;
}

/* ---- the command's lines ---------------------------------------------------------- */

/* Only results pass: ready, init and exit are vcb-init's to say. */
static void image_line(struct init *in, char *line)
{
    if (strncmp(line, "@vcb result ", 12) == 0)
        init_write_line(in->chan_out, line);
    else if (strncmp(line, "@vcb ", 5) == 0)
        init_log("not relayed (the command may send \"@vcb result\" lines only): %s", line);
    else
        init_write_line(STDERR_FILENO, line);
    init_watch_line(in, line);
}

int init_image_prepare(struct init *in, int argc, char **argv)
{
    struct words override = {0};
    init_watch_init(&img.watch);
    if (parse_args(argc, argv, &override) < 0)
        return 2;
    if (load_config(&override) < 0)
        return 127;
    in->on_line = image_line;
    in->watch = &img.watch;
    return 0;
}

/* ---- in the child ------------------------------------------------------------------ */

/* Look the command up in the image's PATH (not vcb-init's), as execvp would. */
static _Noreturn void exec_in_path(int status_fd)
{
    const char *file = img.argv[0];
    if (!file[0])
        init_exec_failed(status_fd, "cannot run the command: its name is empty");
    if (strchr(file, '/')) {
        execve(file, img.argv, img.envp);
        init_exec_failed(status_fd, "cannot run %s: %s", file, strerror(errno));
    }
    int err = ENOENT;
    for (const char *dir = img.path;; dir++) {
        size_t len = strcspn(dir, ":");
        char full[PATH_MAX];
        /* an empty PATH entry is the working directory */
        if (snprintf(full, sizeof(full), "%.*s/%s", len ? (int)len : 1, len ? dir : ".", file) <
            (int)sizeof(full)) {
            execve(full, img.argv, img.envp);
            if (errno == EACCES)
                err = EACCES; /* said if nothing later runs */
            else if (errno != ENOENT && errno != ENOTDIR)
                init_exec_failed(status_fd, "cannot run %s: %s", full, strerror(errno));
        }
        dir += len;
        if (!*dir)
            break;
    }
    init_exec_failed(status_fd, "cannot run %s (PATH=%s): %s", file, img.path, strerror(err));
}

static void exec_image(void *ctx, int status_fd)
{
    (void)ctx;
    const char *dir = img.workdir ? img.workdir : "/";
    if (chdir(dir) < 0)
        init_exec_failed(status_fd, "workdir %s: %s", dir, strerror(errno));
    /* An unprivileged vcb-init can drop no groups: it runs as it is when
     * that is what the image asks for. */
    bool same = geteuid() == img.uid && getegid() == img.gid && geteuid() != 0;
    if (!same && setgroups(0, NULL) < 0)
        init_exec_failed(status_fd, "setgroups: %s", strerror(errno));
    if (!same && setgid(img.gid) < 0)
        init_exec_failed(status_fd, "setgid %u: %s", (unsigned)img.gid, strerror(errno));
    if (!same && setuid(img.uid) < 0)
        init_exec_failed(status_fd, "setuid %u: %s", (unsigned)img.uid, strerror(errno));
    exec_in_path(status_fd);
}

int init_image_start(struct init *in)
{
    if (init_spawn(in, exec_image, NULL, true) < 0)
        return 127;
    init_watch_started(in);
    return 0;
}
