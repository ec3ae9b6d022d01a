/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-xtics.c — category tics for the plots with one bar or box per
 * series: the series labels, wrapped to keep each category short. */
#include <string.h>

#include "rpt-priv.h"

/* Axis labels keep the category short: the emulated note and the run go
 * on lines of their own. */
void rpt_label_wrap(char *label)
{
    char *dash = strstr(label, " — ");
    if (dash) {
        memmove(dash + 1, dash + strlen(" — "), strlen(dash + strlen(" — ")) + 1);
        dash[0] = '\n';
    }
    char *run = strstr(label, " [");
    if (run)
        run[0] = '\n';
}

/* Category tics: one per series at x = 0, 1, …, labels wrapped, and the
 * bottom margin they need. */
void rpt_gp_xtics(struct rpt_gp *gp, const struct rpt_series *s, size_t n)
{
    FILE *f = gp->script;
    size_t max_lines = 1;
    fprintf(f, "set xtics (");
    for (size_t i = 0; i < n; i++) {
        char label[sizeof(s[i].label)];
        size_t lines = 1;
        snprintf(label, sizeof(label), "%s", s[i].label);
        rpt_label_wrap(label);
        for (const char *c = label; *c; c++)
            lines += *c == '\n';
        max_lines = lines > max_lines ? lines : max_lines;
        fprintf(f, "%s", i ? ", " : "");
        rpt_gp_str(f, label);
        fprintf(f, " %zu", i);
    }
    fprintf(f, ") scale 0\nset xrange [-0.6:%zu.6]\n", n ? n - 1 : 0);
    rpt_gp_bmargin(gp, max_lines);
}
