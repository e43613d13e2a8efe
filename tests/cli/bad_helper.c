/* SPDX-License-Identifier: Apache-2.0 */
/* A container the verifier must refuse: it calls helper 999, which no device offers. */
#include <femto/femto.h>

static int weigh(int x)
{
    return x * 3;
}

FC_ENTRY(main) int main_entry(const uint8_t *ctx, uint32_t len)
{
    int s = 0;
    for (uint32_t i = 0; i < len; i++)
        s += weigh(ctx[i]);
    long (*missing)(long) = (long (*)(long))999;
    return (int)missing(s); /* BAD_LINE */
}
