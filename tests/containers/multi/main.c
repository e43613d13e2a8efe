/* SPDX-License-Identifier: Apache-2.0 */
/* Two files calling each other's functions (femto build links their IR into
 * one module); each has its own static mix() that must stay its own. */
#include <femto/femto.h>

#include "multi.h"

static uint64_t mix(uint64_t h, uint8_t b)
{
    return (h ^ b) * 0x100000001b3ull;
}

uint64_t main_hash(const uint8_t *p, uint64_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    return util_checksum(ctx, len) ^ util_scaled(len) << 32;
}
