/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's network hook: sees the header of every incoming CoAP request.
 * Counts them in its tenant's store (NET_KEY) and refuses (returns -1)
 * requests for app/blocked, to show a filter; femtod answers those 4.03.
 *
 * Build: femto build net_counter.c -I daemon -o net_counter.img
 */
#include "femto/femto.h"
#include "femtod_ctx.h"

#define NET_KEY 0x4e01u

FC_ENTRY(net_counter) int net_counter(const femtod_net_ctx_t *ctx, uint32_t len)
{
    if (len < sizeof *ctx)
        return 0;
    uint64_t n = 0;
    fc_store_get_tenant(NET_KEY, &n);
    fc_store_put_tenant(NET_KEY, n + 1);
    static const char blocked[] = "app/blocked";
    for (uint32_t i = 0; i < sizeof blocked - 1; i++)
        if (ctx->path[i] != blocked[i])
            return 0;
    return -1;
}
