/* SPDX-License-Identifier: Apache-2.0 */
/* expect: returns a value wider than 8 bytes */
#include <femto/femto.h>

struct pair {
    uint64_t a, b;
};

static __attribute__((noinline)) struct pair make(uint64_t x) /* refused-here */
{
    struct pair r = { x, x * 3 };
    return r;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    struct pair q = make(len + ctx[0]);
    return q.a ^ q.b;
}
