/* SPDX-License-Identifier: Apache-2.0 */
/* femto verify's line test: a call of a helper no device offers (the line marked below). */
#include <femto/femto.h>

static long (*const nope)(uint64_t) = (void *)999;

FC_ENTRY(f) uint64_t f(const void *ctx, uint64_t len)
{
    (void)ctx;
    return (uint64_t)nope(len); /* REJECTED */
}
