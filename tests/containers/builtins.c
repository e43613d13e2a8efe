/* SPDX-License-Identifier: Apache-2.0 */
/* __builtin_clz/ctz/ffs/popcount/parity/bswap, 32- and 64-bit. */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t acc = 0;
    for (uint64_t i = 0; i + 8 <= len; i += 8) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++)
            v |= (uint64_t)ctx[i + (uint64_t)k] << (8 * k);
        uint32_t w = (uint32_t)v ^ (uint32_t)(v >> 29);
        acc += (uint64_t)__builtin_clzll(v | 1) + (uint64_t)__builtin_ctzll(v | (1ull << 63));
        acc += (uint64_t)__builtin_clz(w | 1) * 3 + (uint64_t)__builtin_ctz(w | 0x80000000u) * 5;
        acc += (uint64_t)__builtin_ffs((int)w) * 7 + (uint64_t)__builtin_ffsll((long long)(v >> 11)) * 11;
        acc += (uint64_t)__builtin_popcountll(v) * 13 + (uint64_t)__builtin_popcount(w) * 17;
        acc += (uint64_t)__builtin_parity(w) * 19 + (uint64_t)__builtin_parityll(v) * 23;
        acc ^= __builtin_bswap64(v) + __builtin_bswap32(w) + __builtin_bswap16((uint16_t)w);
        acc = acc << 7 | acc >> 57;
    }
    return acc;
}
