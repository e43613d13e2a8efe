/* SPDX-License-Identifier: Apache-2.0 */
/* femtod's clock and log lines (log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static uint64_t start_us;
static int log_quiet;

static uint64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void fd_log_init(int quiet)
{
    start_us = mono_us();
    log_quiet = quiet;
}

uint64_t fd_uptime_ms(void)
{
    return (mono_us() - start_us) / 1000u;
}

void fd_log(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "femtod[%8.3f] ", (double)fd_uptime_ms() / 1000.0);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
