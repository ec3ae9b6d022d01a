/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log-check — the bounded-logs test's two measurements (no jq or GNU time
 * needed on the host):
 *   log-check rss CMD ARGS...   run CMD, print its peak RSS in KiB on stderr
 *                               (wait4's ru_maxrss) and exit with its status
 *   log-check results FILE CAP INSTANCES MIN_DROPPED
 *                               results.json "logs": every one of INSTANCES
 *                               capped at CAP bytes, each dropped at least
 *                               MIN_DROPPED, totals adding up, logs kept */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

static int failures;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "logs: ");                                                             \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static int rss(char **argv)
{
    struct rusage ru;
    int status;
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return 125;
    fprintf(stderr, "peak rss %ld KiB\n", ru.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static json_int_t num(json_t *o, const char *key)
{
    json_t *j = json_object_get(o, key);
    CHECK(json_is_integer(j), "%s: expected an integer", key);
    return json_integer_value(j);
}

static int results(const char *file, json_int_t cap, json_int_t n, json_int_t min_dropped)
{
    json_error_t e;
    json_t *doc = json_load_file(file, 0, &e), *logs = json_object_get(doc, "logs"), *c;
    if (!json_is_object(logs)) {
        fprintf(stderr, "%s: no \"logs\" object\n", file);
        return 1;
    }
    json_int_t written = 0, dropped = 0;
    CHECK(num(logs, "max_bytes_per_instance") == cap, "max_bytes_per_instance is not %lld",
          (long long)cap);
    CHECK(num(logs, "instances") == n, "instances is not %lld", (long long)n);
    CHECK(num(logs, "capped_instances") == n, "capped_instances is not %lld", (long long)n);
    CHECK(json_array_size(json_object_get(logs, "capped")) == (size_t)n, "capped lists %zu",
          json_array_size(json_object_get(logs, "capped")));
    size_t i;
    json_array_foreach(json_object_get(logs, "capped"), i, c)
    {
        const char *be = json_string_value(json_object_get(c, "backend"));
        CHECK(be && (!strcmp(be, "process") || !strcmp(be, "container")), "capped[%zu]: backend",
              i);
        CHECK(json_is_string(json_object_get(c, "instance")), "capped[%zu]: instance", i);
        CHECK(num(c, "written_bytes") <= cap, "capped[%zu]: wrote more than the cap", i);
        CHECK(num(c, "dropped_bytes") >= min_dropped, "capped[%zu]: dropped only %lld", i,
              (long long)num(c, "dropped_bytes"));
        CHECK(!json_is_string(json_object_get(c, "error")), "capped[%zu]: a write error", i);
        written += num(c, "written_bytes");
        dropped += num(c, "dropped_bytes");
    }
    CHECK(num(logs, "written_bytes") == written && num(logs, "dropped_bytes") == dropped,
          "totals do not add up");
    CHECK(json_is_string(json_object_get(logs, "kept_in")), "kept_in missing");
    CHECK(!json_is_string(json_object_get(logs, "keep_error")), "keep_error set");
    json_decref(doc);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "rss"))
        return rss(argv + 2);
    if (argc == 6 && !strcmp(argv[1], "results"))
        return results(argv[2], atoll(argv[3]), atoll(argv[4]), atoll(argv[5]));
    fprintf(stderr, "usage: log-check rss CMD... | results FILE CAP INSTANCES MIN_DROPPED\n");
    return 2;
}
