/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A JSON formatter: the input as {"n":N,"v":[b0,b1,...],"sum":S} in a .bss
 * buffer (decimal digits without division, as a sensor report would be
 * built); returns the length and a checksum of the text.
 */
#include "kernel.h"

static char out[4096];

static uint32_t put_uint(char *o, uint32_t at, uint32_t v)
{
    static const uint32_t pow10[] = { 1000000000, 100000000, 10000000, 1000000, 100000,
                                      10000, 1000, 100, 10, 1 };
    int started = 0;
    for (int i = 0; i < 10; i++) {
        char d = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d != '0' || started || i == 9) {
            o[at++] = d;
            started = 1;
        }
    }
    return at;
}

static uint32_t put_str(char *o, uint32_t at, const char *s)
{
    while (*s)
        o[at++] = *s++;
    return at;
}

KERNEL(json)
{
    const uint8_t *p = (const uint8_t *)ctx;
    uint32_t n = len > 600 ? 600 : (uint32_t)len, sum = 0, at = 0;
    at = put_str(out, at, "{\"n\":");
    at = put_uint(out, at, n);
    at = put_str(out, at, ",\"v\":[");
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            out[at++] = ',';
        at = put_uint(out, at, p[i]);
        sum += p[i];
    }
    at = put_str(out, at, "],\"sum\":");
    at = put_uint(out, at, sum);
    out[at++] = '}';
    uint32_t h = 2166136261u; /* FNV-1a of the text */
    for (uint32_t i = 0; i < at; i++)
        h = (h ^ (uint8_t)out[i]) * 16777619u;
    return (uint64_t)at << 32 | h;
}
