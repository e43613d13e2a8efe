/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>

#include "hex.h"

static int nibble(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long fc_hex_parse(const char *text, size_t len, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)text[i];
        if (isspace(c) || c == ',') {
            if (hi >= 0)
                return -1; /* a byte must be two digits */
            continue;
        }
        int v = nibble(c);
        if (v < 0)
            return -1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi >= 0 ? -1 : (long)n;
}
