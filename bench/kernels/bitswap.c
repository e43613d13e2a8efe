/* SPDX-License-Identifier: Apache-2.0 */
/* Reverse the bits of every 32-bit word of the input in place; return a digest. */
#include "kernel.h"

static uint32_t reverse(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
    return (x >> 16) | (x << 16);
}

KERNEL(bitswap)
{
    uint32_t *w = (uint32_t *)ctx;
    uint32_t digest = 0;
    for (uint64_t i = 0; i < len / 4; i++) {
        w[i] = reverse(w[i]);
        digest = digest * 31 + w[i];
    }
    return digest;
}
