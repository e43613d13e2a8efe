/* SPDX-License-Identifier: Apache-2.0 */
/* 64-bit maths: a 64x64->128 product in halves, division, rotations, a PRNG (xorshift64*). */
#include <femto/femto.h>

static uint64_t mulhi(uint64_t a, uint64_t b)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static uint64_t isqrt(uint64_t x)
{
    uint64_t r = 0, bit = 1ull << 62;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (uint64_t i = 0; i < len; i++)
        s = (s ^ ctx[i]) * 0x100000001b3ull;
    uint64_t acc = 0;
    for (int i = 0; i < 64; i++) {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        uint64_t r = s * 0x2545f4914f6cdd1dull;
        uint64_t d = (r >> 40) | 1;
        acc += mulhi(r, s) ^ (r / d) ^ (r % d) ^ isqrt(r);
        acc = (acc << (i & 63)) | (acc >> ((64 - (i & 63)) & 63));
        acc += (uint64_t)((int64_t)r >> 13) + (uint64_t)((int64_t)r / (int64_t)(d | 0x8000));
    }
    return acc;
}
