/* SPDX-License-Identifier: Apache-2.0 */
/* Signed division, modulo and sign extension at every width (cpu v4 sdiv/smod/movsx). */
#include <femto/femto.h>

static int64_t s64_at(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return (int64_t)v;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t acc = 0;
    for (uint64_t i = 0; i + 16 <= len; i += 16) {
        int64_t a = s64_at(ctx + i), b = s64_at(ctx + i + 8);
        int32_t a32 = (int32_t)a, b32 = (int32_t)(b >> 20) | 1;
        int16_t a16 = (int16_t)a;
        int8_t b8 = (int8_t)b;
        if (b == 0 || (a == INT64_MIN && b == -1))
            b = 3;
        if (b32 == -1)
            b32 = 5;
        if (b8 == 0)
            b8 = -7;
        acc = acc * 31 + (uint64_t)(a / b) + (uint64_t)(a % b);
        acc = acc * 31 + (uint32_t)(a32 / b32) + (uint32_t)(a32 % b32);
        acc = acc * 31 + (uint64_t)(int64_t)(a16 / b8) + (uint64_t)(int64_t)(a16 % b8);
        acc = acc * 31 + (uint64_t)(a32 / 10) + (uint64_t)(a32 % 10) + (uint64_t)(a / -1000);
        acc = acc * 31 + (uint64_t)(int64_t)(int8_t)a + (uint64_t)(int64_t)(int16_t)b +
              (uint64_t)(int64_t)(int32_t)(a >> 7);
    }
    return acc;
}
