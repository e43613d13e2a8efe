/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LD_PRELOAD shim of femtod.memstream: open_memstream() fails on demand,
 * while the file FAIL_MEMSTREAM_FLAG names exists. It reads the file's first
 * byte: 'o' makes the open fail (NULL, ENOMEM), 'w' returns a 16-byte
 * fmemopen() stream instead, so the writes into it fail as when the buffer
 * cannot grow (ferror, fclose report it, *ptr stays NULL). Anything else, or
 * no file: the real open_memstream().
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int mode(void)
{
    const char *flag = getenv("FAIL_MEMSTREAM_FLAG");
    FILE *f = flag ? fopen(flag, "r") : NULL;
    if (!f)
        return 0;
    int c = fgetc(f);
    fclose(f);
    return c;
}

FILE *open_memstream(char **ptr, size_t *size)
{
    int m = mode();
    if (m == 'o') {
        errno = ENOMEM;
        return NULL;
    }
    if (m == 'w') {
        *ptr = NULL;
        *size = 0;
        return fmemopen(NULL, 16, "w");
    }
    FILE *(*real)(char **, size_t *);
    *(void **)&real = dlsym(RTLD_NEXT, "open_memstream");
    if (!real) {
        errno = ENOSYS;
        return NULL;
    }
    return real(ptr, size);
}
