/* SPDX-License-Identifier: Apache-2.0 */
#include "spawn.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

pid_t femto_spawn(char *const *args, int fd, int quiet, int *rfd)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], fd);
        close(fds[0]);
        close(fds[1]);
        if (quiet && fd != 2) {
            int null = open("/dev/null", O_WRONLY);
            if (null < 0)
                _exit(127);
            dup2(null, 2);
            close(null);
        }
        execvp(args[0], args);
        fprintf(stderr, "femto: cannot run %s\n", args[0]);
        _exit(127);
    }
    close(fds[1]);
    *rfd = fds[0];
    return pid;
}
