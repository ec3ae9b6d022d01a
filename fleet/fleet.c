/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fleet.c — every host's job in parallel: a thread per host, at most
 * --jobs at a time, each taking the next host still waiting. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "fleet-priv.h"

struct fleet_pool {
    struct fleet_job *jobs;
    size_t n;
    atomic_size_t next;
};

static void *pool_worker(void *arg)
{
    struct fleet_pool *p = arg;
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
        fleet_job_run(&p->jobs[i]);
    return NULL;
}

int fleet_run(const struct fleet_hosts *hosts, const struct fleet_opts *opts,
              struct fleet_host_result *res, struct vcb_err *err)
{
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    cleanup_free char *tarball = NULL;
    size_t tarball_len = 0, workers = opts->jobs && opts->jobs < hosts->n ? opts->jobs : hosts->n;
    if (opts->install_src &&
        fleet_tarball(opts->install_src, vcb_git_hash(), &tarball, &tarball_len, err) < 0)
        return -1;
    cleanup_free struct fleet_job *jobs = calloc(hosts->n, sizeof(*jobs));
    cleanup_free pthread_t *threads = calloc(workers, sizeof(*threads));
    if (!jobs || !threads)
        return vcb_err_sys(err, ENOMEM, "fleet: %zu hosts", hosts->n);
    for (size_t i = 0; i < hosts->n; i++) {
        memset(&res[i], 0, sizeof(res[i]));
        jobs[i] = (struct fleet_job){.host = &hosts->hosts[i],
                                     .opts = opts,
                                     .res = &res[i],
                                     .tarball = tarball,
                                     .tarball_len = tarball_len,
                                     .lock = &lock};
    }
    struct fleet_pool pool = {.jobs = jobs, .n = hosts->n};
    size_t started = 0;
    int e = 0;
    while (started < workers && !(e = pthread_create(&threads[started], NULL, pool_worker, &pool)))
        started++;
    if (started == 0)
        return vcb_err_sys(err, e, "fleet: start a thread");
    for (size_t i = 0; i < started; i++) /* fewer threads than asked still run every host */
        pthread_join(threads[i], NULL);
    return 0;
}
