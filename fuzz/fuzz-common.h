/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-common.h — small helpers shared by the fuzz targets: turn fuzzer
 * bytes into C strings and argv vectors, and fail loudly on a broken
 * invariant (abort, so libFuzzer saves the input). */
#ifndef VCB_FUZZ_COMMON_H
#define VCB_FUZZ_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "invariant broken: %s: ", #cond);                                      \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A NUL-terminated copy of data (embedded NULs end the string early, as
 * they would in argv or a JSON string). Caller frees. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#define FUZZ_ARGV_MAX 24

/* Split data on NUL bytes into argv[1..]; argv[0] is `prog`. The strings
 * live in *buf (caller frees). Returns argc. */
static inline int fuzz_argv(const uint8_t *data, size_t size, const char *prog, char **buf,
                            char *argv[FUZZ_ARGV_MAX + 1])
{
    char *b = malloc(size + 1);
    if (!b)
        abort();
    memcpy(b, data, size);
    b[size] = '\0';
    int argc = 0;
    argv[argc++] = (char *)prog;
    for (size_t i = 0; i <= size && argc < FUZZ_ARGV_MAX;) {
        argv[argc++] = b + i;
        i += strlen(b + i) + 1;
    }
    argv[argc] = NULL;
    *buf = b;
    return argc;
}

#endif
