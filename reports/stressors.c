/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stressors.c — our aggressors as the isolation benchmark suite (IBS) names
 * its six stressors, in the IBS's order, so the isolation matrix reads the
 * way the literature lays it out. */
#include <string.h>

#include "rpt-priv.h"

static const struct {
    const char *ours, *ibs;
} stressors[] = {
    {"cpu", "cpu"},       {"memhog", "memory"},
    {"forkbomb", "fork"}, {"membw", "memory bandwidth"},
    {"diskhog", "disk"},  {"netflood", "network"},
};
#define N_STRESSORS (sizeof(stressors) / sizeof(stressors[0]))

int rpt_aggressor_rank(const char *aggressor)
{
    if (!aggressor || strcmp(aggressor, "none") == 0)
        return -1;
    for (size_t i = 0; i < N_STRESSORS; i++)
        if (strcmp(stressors[i].ours, aggressor) == 0)
            return (int)i;
    return (int)N_STRESSORS;
}

void rpt_aggressor_label(const char *aggressor, char *buf, size_t len)
{
    int r = rpt_aggressor_rank(aggressor);
    if (r >= 0 && (size_t)r < N_STRESSORS && strcmp(stressors[r].ibs, aggressor) != 0)
        snprintf(buf, len, "%s (%s)", aggressor, stressors[r].ibs);
    else
        snprintf(buf, len, "%s", aggressor ? aggressor : "?");
}

void rpt_params_text(const struct rpt_entry *e, char *buf, size_t len)
{
    const char *a = rpt_param_str(e, "aggressor");
    char token[96], label[96];
    snprintf(buf, len, "%s", e->params_key);
    if (!a || rpt_aggressor_rank(a) < 0)
        return;
    snprintf(token, sizeof(token), "aggressor=%s", a);
    rpt_aggressor_label(a, label, sizeof(label));
    char *at = strstr(e->params_key, token);
    size_t end = at ? (size_t)(at - e->params_key) + strlen(token) : 0;
    if (!at || strcmp(label, a) == 0 || (e->params_key[end] && e->params_key[end] != ' '))
        return;
    snprintf(buf, len, "%.*saggressor=%s%s", (int)(at - e->params_key), e->params_key, label,
             e->params_key + end);
    rpt_utf8_trim(buf);
}

int rpt_victim_rank(const char *victim)
{
    static const char *const victims[] = {"cpu", "membw", "lat", "diskio", "netio"};
    size_t i = 0;
    while (victim && i < sizeof(victims) / sizeof(victims[0]) && strcmp(victims[i], victim) != 0)
        i++;
    return (int)i;
}
