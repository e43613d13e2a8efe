/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "srcline.h"

/* "; /path/file.c:12" (a line-table row), not "; func():" */
static int is_line_row(const char *s, size_t len)
{
    if (len < 4 || s[0] != ';' || s[1] != ' ')
        return 0;
    size_t i = len;
    while (i > 2 && s[i - 1] >= '0' && s[i - 1] <= '9')
        i--;
    return i < len && i > 3 && s[i - 1] == ':';
}

int femto_srcline(const char *obj, const char *section, uint32_t slot, char *buf, size_t buflen)
{
    const char *tool = getenv("LLVM_OBJDUMP") ? getenv("LLVM_OBJDUMP") : "llvm-objdump";
    char secarg[128];
    snprintf(secarg, sizeof secarg, "--section=%s", section);
    int fds[2];
    if (buflen == 0 || pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        execlp(tool, tool, "-d", "-l", "--no-show-raw-insn", secarg, obj, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    int found = -1;
    char last[512] = "";
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (in != NULL && (n = getline(&line, &cap, in)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (is_line_row(line, (size_t)n)) {
            snprintf(last, sizeof last, "%s", line + 2);
            continue;
        }
        if (!strncmp(line, "Disassembly of section ", 23)) {
            last[0] = 0;
            continue;
        }
        /* an instruction: "     12:\t..." with the slot index in decimal */
        char *p = line;
        while (*p == ' ')
            p++;
        char *end;
        unsigned long at = strtoul(p, &end, 10);
        if (end == p || *end != ':' || end[1] != '\t')
            continue;
        if (at == slot) {
            if (last[0]) {
                snprintf(buf, buflen, "%s", last);
                found = 0;
            }
            break;
        }
    }
    free(line);
    if (in != NULL)
        fclose(in);
    else
        close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return found;
}
