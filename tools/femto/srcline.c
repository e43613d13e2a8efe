/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
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

/*
 * Run llvm-objdump -d -l on one section of obj and call fn for each
 * instruction with the line row in force there ("" when none); fn returns
 * nonzero to stop. Returns 0 when the listing was read, -1 otherwise.
 */
int femto_srclines(const char *obj, const char *section, femto_srcline_fn fn, void *arg)
{
    const char *tool = getenv("LLVM_OBJDUMP") ? getenv("LLVM_OBJDUMP") : "llvm-objdump-19";
    char secarg[128];
    snprintf(secarg, sizeof secarg, "--section=%s", section);
    const char *args[] = { tool, "-d", "-l", "--no-show-raw-insn", secarg, obj, NULL };
    int rfd;
    pid_t pid = femto_spawn((char *const *)args, 1, 1, &rfd);
    if (pid < 0)
        return -1;
    FILE *in = fdopen(rfd, "r");
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
        if (at > UINT32_MAX || fn((uint32_t)at, last, arg) != 0)
            break;
    }
    free(line);
    if (in != NULL)
        fclose(in);
    else
        close(rfd);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

typedef struct {
    uint32_t slot;
    char *buf;
    size_t buflen;
    int found;
} one_t;

static int find_one(uint32_t slot, const char *row, void *arg)
{
    one_t *o = arg;
    if (slot != o->slot)
        return 0;
    if (row[0]) {
        snprintf(o->buf, o->buflen, "%s", row);
        o->found = 1;
    }
    return 1;
}

int femto_srcline(const char *obj, const char *section, uint32_t slot, char *buf, size_t buflen)
{
    one_t o = { slot, buf, buflen, 0 };
    if (buflen == 0)
        return -1;
    femto_srclines(obj, section, find_one, &o);
    return o.found ? 0 : -1;
}
