/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event-driven form of a periodic loop: attached to the timer hook
 * (femto-containers_timer), it runs once per tick and counts the ticks it
 * saw into its tenant's store (key 1000) and the last tick number (key 1001),
 * keys above any thread id so they do not meet a thread counter's.
 */
#include <stdint.h>
#include "femto/helpers.h"

typedef struct {
    uint64_t now_us;
    uint32_t tick;
    uint32_t period_ms;
} timer_ctx_t;

int tick_counter(const timer_ctx_t *ctx, uint32_t len)
{
    uint64_t n = 0;
    if (len < sizeof *ctx)
        return -1;
    fc_store_get_tenant(1000, &n);
    fc_store_put_tenant(1000, n + 1);
    return (int)fc_store_put_tenant(1001, ctx->tick);
}
