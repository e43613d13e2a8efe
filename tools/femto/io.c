/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/image.h"
#include "io.h"

uint8_t *femto_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

enum femto_kind femto_kind_of(const uint8_t *buf, size_t len)
{
    if (len >= 4 && !memcmp(buf, FC_IMAGE_MAGIC, 4))
        return FEMTO_KIND_IMAGE;
    if (len >= 4 && !memcmp(buf, "\177ELF", 4))
        return FEMTO_KIND_ELF;
    return FEMTO_KIND_RAW;
}
