/* SPDX-License-Identifier: Apache-2.0 */
/* Counts its runs in tenant key 7 up to 20, then leaves it: a store that changes, then settles. */
#include "femto/femto.h"

FC_ENTRY(ticker) int ticker(const void *ctx, uint32_t len)
{
    (void)ctx, (void)len;
    uint64_t n = 0;
    fc_store_get_tenant(7, &n);
    if (n < 20)
        fc_store_put_tenant(7, n + 1);
    return 0;
}
