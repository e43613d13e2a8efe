/* SPDX-License-Identifier: Apache-2.0 */
/* Running a helper program (clang, llvm-objdump) with one of its outputs piped back. */
#ifndef FEMTO_SPAWN_H
#define FEMTO_SPAWN_H

#include <sys/types.h>

/*
 * Start args[0] (searched in PATH) with its file descriptor fd (1 or 2)
 * writing into a pipe whose reading end goes to *rfd; with quiet, its
 * standard error goes to /dev/null (when fd is 1). When args[0] cannot be
 * run the child prints why on standard error and exits 127. Returns the
 * child's pid (wait for it with waitpid), or -1 with nothing started.
 */
pid_t femto_spawn(char *const *args, int fd, int quiet, int *rfd);

#endif /* FEMTO_SPAWN_H */
