/* SPDX-License-Identifier: Apache-2.0 */
/* expect: a call with more than 5 arguments */
#include <femto/femto.h>

static __attribute__((noinline)) uint64_t six(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, /* refused-here */
                                              uint64_t f)
{
    return a + b * c + d * e + f;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    return six(len, ctx[0], ctx[1], ctx[2], ctx[3], ctx[4]);
}
