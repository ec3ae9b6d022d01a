/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-sh.h — a shell command line, formatted, run by the unit tests that
 * set up or check files with the system's tools; its status as system(). */
#ifndef TESTS_TEST_SH_H
#define TESTS_TEST_SH_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((format(printf, 1, 2))) static inline int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd);
}

#endif
