/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gp.c — drive gnuplot, the sanctioned shell-out: one script and one data
 * file per plot in DIR/plots, kept so a reader can tweak and redo a plot.
 * Each script draws SVG first, then the same plot again as PNG. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "rpt-priv.h"

#define GP_SIZE "960,540"

/* The host line goes in the bottom-left corner of every plot; runs from
 * different hosts get a line each, tagged with the run (four at most). */
static void gp_host_label(struct rpt_gp *gp)
{
    char line[200], first[200], tagged[240];
    const struct rpt_ctx *ctx = gp->ctx;
    bool differ = false;
    rpt_host_line(ctx->runs[0], first, sizeof(first));
    for (size_t i = 1; i < ctx->n_runs; i++) {
        rpt_host_line(ctx->runs[i], line, sizeof(line));
        differ |= strcmp(line, first) != 0;
    }
    size_t lines = differ ? (ctx->n_runs < 4 ? ctx->n_runs : 4) : 1;
    for (size_t i = 0; i < lines; i++) {
        rpt_host_line(ctx->runs[i], line, sizeof(line));
        if (snprintf(tagged, sizeof(tagged), "%s%s%s%s", differ ? "[" : "",
                     differ ? ctx->runs[i]->label : "", differ ? "] " : "", line) < 0)
            continue;
        if (strlen(tagged) > 170) /* what fits across at this font size */
            strcpy(tagged + 167, "...");
        rpt_utf8_trim(tagged);
        fprintf(gp->script, "set label %zu ", 90 + i);
        rpt_gp_str(gp->script, tagged);
        fprintf(gp->script, " at screen 0.01, screen %.3f font ',8' tc rgb '#666666'\n",
                0.02 + 0.028 * (double)(lines - 1 - i));
    }
    gp->host_lines = lines;
    rpt_gp_bmargin(gp, 1);
}

static void gp_preamble(struct rpt_gp *gp, const char *title)
{
    FILE *f = gp->script;
    fprintf(f,
            "# %s: made by 'vcbench report' from results files.\n"
            "# Edit and run 'gnuplot %s.gp' in this directory to redo it.\n",
            gp->id, gp->id);
    fprintf(f, "set encoding utf8\n"
               "set terminal svg size " GP_SIZE " dynamic noenhanced font 'sans,11' "
               "background '#ffffff'\n");
    fprintf(f, "set output '%s.svg'\n", gp->id);
    /* The title is a label: gnuplot would put an outside key above a title. */
    fprintf(f, "set datafile separator '\\t'\n"
               "set label 97 ");
    rpt_gp_str(f, title);
    fprintf(f, " at screen 0.5, screen 0.955 center font ',14'\n"
               "set border 3 lc rgb '#444444'\n"
               "set tics nomirror out\n"
               "set grid ytics lc rgb '#d9d9d9' dt 1\n"
               /* Between title and graph: a legend never hides data. */
               "set key at screen 0.5, screen 0.905 center top horizontal noautotitle "
               "samplen 2 spacing 1.1 width 1\n"
               "set tmargin 5\n"
               "set style fill solid 0.85 border -1\n");
    gp_host_label(gp);
}

int rpt_gp_open(struct rpt_gp *gp, const struct rpt_ctx *ctx, const char *id, const char *title,
                struct vcb_err *err)
{
    char path[4096];
    *gp = (struct rpt_gp){.ctx = ctx};
    snprintf(gp->id, sizeof(gp->id), "%s", id);
    snprintf(path, sizeof(path), "%s/plots/%s.gp", ctx->dir, id);
    gp->script = fopen(path, "we");
    if (!gp->script)
        return vcb_err_sys(err, errno, "create %s", path);
    snprintf(path, sizeof(path), "%s/plots/%s.dat", ctx->dir, id);
    gp->data = fopen(path, "we");
    if (!gp->data) {
        int e = errno;
        rpt_gp_abort(gp);
        return vcb_err_sys(err, e, "create %s", path);
    }
    gp_preamble(gp, title);
    return 0;
}

void rpt_gp_abort(struct rpt_gp *gp)
{
    if (gp->script)
        fclose(gp->script);
    if (gp->data)
        fclose(gp->data);
    gp->script = gp->data = NULL;
}

void rpt_gp_discard(struct rpt_gp *gp)
{
    char path[4096];
    rpt_gp_abort(gp);
    snprintf(path, sizeof(path), "%s/plots/%s.gp", gp->ctx->dir, gp->id);
    unlink(path);
    snprintf(path, sizeof(path), "%s/plots/%s.dat", gp->ctx->dir, gp->id);
    unlink(path);
}

/* pngcairo where the gnuplot has it, else the libgd png terminal. */
void rpt_gp_png_terminal(FILE *f)
{
    fprintf(f, "\nif (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
               "  set terminal pngcairo size " GP_SIZE " noenhanced font 'sans,10' "
               "background '#ffffff'\n"
               "} else {\n"
               "  set terminal png size " GP_SIZE " noenhanced font 'sans,10' "
               "background '#ffffff'\n"
               "}\n");
}

static void gp_png_pass(FILE *f, const char *id)
{
    rpt_gp_png_terminal(f);
    fprintf(f, "set output '%s.png'\nreplot\nunset output\n", id);
}

/* The last non-empty line gnuplot wrote, for the error message. */
static void gp_log_tail(const char *log, char *out, size_t len)
{
    cleanup_free char *text = NULL;
    size_t n = 0;
    struct vcb_err ignored = {0};
    snprintf(out, len, "no message");
    if (vcb_read_file(log, &text, &n, &ignored) < 0 || n == 0)
        return;
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    char *nl = strrchr(text, '\n');
    snprintf(out, len, "%s", nl ? nl + 1 : text);
}

static int gp_spawn(const char *gnuplot, const char *dir, const char *id, int *status,
                    struct vcb_err *err)
{
    char script[128], log[128];
    snprintf(script, sizeof(script), "%s.gp", id);
    snprintf(log, sizeof(log), "%s.log", id);
    pid_t pid = fork();
    if (pid < 0)
        return vcb_err_sys(err, errno, "fork for gnuplot");
    if (pid == 0) {
        /* Relative names only: no path from outside reaches the script. */
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (chdir(dir) < 0 || null < 0 || dup2(null, 0) < 0)
            _exit(126);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        execl(gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return vcb_err_sys(err, errno, "wait for gnuplot");
    return 0;
}

static int gp_check_output(const char *dir, const char *id, const char *ext, struct vcb_err *err)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s.%s", dir, id, ext);
    if (stat(path, &st) < 0 || st.st_size == 0)
        return vcb_err_set(err, 0, "gnuplot wrote no plots/%s.%s", id, ext);
    return 0;
}

int rpt_gp_finish(struct rpt_gp *gp, struct vcb_err *err)
{
    char dir[4096], log[4200], tail[300];
    int status = 0;
    if (!gp->own_png)
        gp_png_pass(gp->script, gp->id);
    bool write_err = ferror(gp->script) || ferror(gp->data);
    write_err |= fclose(gp->script) != 0;
    write_err |= fclose(gp->data) != 0;
    gp->script = gp->data = NULL;
    if (write_err)
        return vcb_err_set(err, EIO, "write plots/%s.gp: I/O error", gp->id);
    snprintf(dir, sizeof(dir), "%s/plots", gp->ctx->dir);
    if (gp_spawn(gp->ctx->gnuplot, dir, gp->id, &status, err) < 0)
        return -1;
    snprintf(log, sizeof(log), "%s/%s.log", dir, gp->id);
    if (WIFSIGNALED(status))
        return vcb_err_set(err, 0, "gnuplot crashed on plots/%s.gp (signal %d)", gp->id,
                           WTERMSIG(status));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        gp_log_tail(log, tail, sizeof(tail));
        return vcb_err_set(err, 0, "gnuplot failed on plots/%s.gp (exit %d): %s", gp->id,
                           WEXITSTATUS(status), tail);
    }
    if (gp_check_output(dir, gp->id, "svg", err) < 0 ||
        gp_check_output(dir, gp->id, "png", err) < 0)
        return -1;
    struct stat st;
    if (stat(log, &st) == 0 && st.st_size == 0)
        unlink(log);
    return 0;
}

static bool gp_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int rpt_gp_find(const char *configured, char **out, struct vcb_err *err)
{
    const char *name = configured ? configured : getenv("VCB_GNUPLOT");
    if (!name || !*name)
        name = "gnuplot";
    if (strchr(name, '/')) {
        if (!gp_executable(name))
            return vcb_err_set(err, ENOENT,
                               "gnuplot not found at %s: install the Debian package "
                               "gnuplot-nox (apt-get install gnuplot-nox)",
                               name);
        return (*out = strdup(name)) ? 0 : vcb_err_sys(err, ENOMEM, "gnuplot path");
    }
    const char *path = getenv("PATH");
    cleanup_free char *dirs = strdup(path && *path ? path : "/usr/bin:/bin");
    if (!dirs)
        return vcb_err_sys(err, ENOMEM, "gnuplot path");
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char cand[4096];
        snprintf(cand, sizeof(cand), "%s/%s", d, name);
        if (gp_executable(cand))
            return (*out = strdup(cand)) ? 0 : vcb_err_sys(err, ENOMEM, "gnuplot path");
    }
    return vcb_err_set(err, ENOENT,
                       "%s not found in PATH: plots need gnuplot; install the Debian package "
                       "gnuplot-nox (apt-get install gnuplot-nox)",
                       name);
}

/* Room below the graph for tic labels of `tic_lines` lines, the axis label
 * and the host lines. */
void rpt_gp_bmargin(struct rpt_gp *gp, size_t tic_lines)
{
    fprintf(gp->script, "set bmargin %.1f\n",
            3.2 + 1.15 * (double)tic_lines + 1.3 * (double)gp->host_lines);
}

/* Room above the graph for the legend: gnuplot gives every entry the width
 * of the longest, and about 125 characters fit across. */
void rpt_gp_legend(struct rpt_gp *gp, size_t entries, size_t max_chars)
{
    size_t per_row = 125 / (max_chars + 8);
    per_row = per_row ? per_row : 1;
    size_t rows = (entries + per_row - 1) / per_row;
    fprintf(gp->script, "set tmargin %.1f\n", 3.6 + 1.4 * (double)(rows ? rows : 1));
}

double rpt_bar_x(size_t g, size_t s, size_t n_series, double *width)
{
    double w = 0.8 / (double)(n_series ? n_series : 1);
    if (width)
        *width = w;
    return (double)g - 0.4 + w * ((double)s + 0.5);
}
