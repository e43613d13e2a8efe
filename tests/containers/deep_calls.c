/* SPDX-License-Identifier: Apache-2.0 */
/* A chain of four local calls, each with a 200-byte frame: the image must ask
 * for every frame (about 1 KiB), not 512 B, and the verifier must say so. */
#include <femto/femto.h>

#define LEVEL(name, next)                                                           \
    static __attribute__((noinline)) uint64_t name(const uint8_t *p, uint64_t n)    \
    {                                                                               \
        volatile uint8_t buf[200];                                                  \
        for (unsigned i = 0; i < sizeof buf; i++)                                   \
            buf[i] = (uint8_t)(p[i % n] + i);                                       \
        uint64_t below = next(p + 1, n - 1);                                        \
        uint64_t s = 0;                                                             \
        for (unsigned i = 0; i < sizeof buf; i++)                                   \
            s = s * 33 + buf[i];                                                    \
        return s ^ below;                                                           \
    }

static __attribute__((noinline)) uint64_t leaf(const uint8_t *p, uint64_t n)
{
    volatile uint8_t buf[200];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = p[i % n];
    return buf[17] + buf[199] * 256u;
}
LEVEL(level3, leaf)
LEVEL(level2, level3)
LEVEL(level1, level2)

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    return level1(ctx, len);
}
