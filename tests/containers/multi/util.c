/* SPDX-License-Identifier: Apache-2.0 */
/* The other half of multi/main.c: calls back into it. */
#include <femto/femto.h>

#include "multi.h"

static uint64_t mix(uint64_t h, uint8_t b) /* same name as main.c's, another function */
{
    return h * 31 + b;
}

static uint64_t table[4] = { 3, 5, 7, 11 };

uint64_t util_checksum(const uint8_t *p, uint64_t n)
{
    uint64_t h = 0;
    for (uint64_t i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h + main_hash(p, n / 2);
}

uint64_t util_scaled(uint64_t v)
{
    return v * table[v & 3];
}
