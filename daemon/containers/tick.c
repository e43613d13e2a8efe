/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's periodic timer hook: counts ticks in its tenant's store
 * (TICK_KEY) and remembers the last tick's time (TICK_KEY + 1).
 *
 * Build: femto build tick.c -I daemon -o tick.img
 */
#include "femto/femto.h"
#include "femtod_ctx.h"

#define TICK_KEY 0x7101u

FC_ENTRY(tick) int tick(const femtod_timer_ctx_t *ctx, uint32_t len)
{
    if (len < sizeof *ctx)
        return -1;
    uint64_t n = 0;
    fc_store_get_tenant(TICK_KEY, &n);
    fc_store_put_tenant(TICK_KEY, n + 1);
    fc_store_put_tenant(TICK_KEY + 1, ctx->now_ms);
    return 0;
}
