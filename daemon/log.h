/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's bottom layer: the clock and log lines. Depends on nothing else
 * of the daemon, so every other file may use it.
 */
#ifndef FD_LOG_H
#define FD_LOG_H

#include <stdint.h>

/* Start the clock (once, at start) and choose whether log lines are printed. */
void fd_log_init(int quiet);
/* Milliseconds since fd_log_init(). */
uint64_t fd_uptime_ms(void);
/* One log line on stderr: "femtod[seconds] ...". */
void fd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* FD_LOG_H */
