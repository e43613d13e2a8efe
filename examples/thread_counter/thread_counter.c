/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The talk's thread counter: attached to the scheduler's switch hook, it
 * counts the switches into each thread in its tenant's key-value store
 * (key = thread id, value = switches into it). The firmware or femtod
 * reads the counters back by iterating the tenant's store.
 *
 * Build: femto build thread_counter.c -o thread_counter.img
 * Context (read-only): { u32 previous, u32 next } thread ids.
 * Returns 0, or the store's error (negative) when the count could not be kept.
 */
#include <stdint.h>

#include "femto/helpers.h"

typedef struct {
    uint32_t previous; /* thread switched out */
    uint32_t next;     /* thread switched in */
} sched_ctx_t;

int thread_counter(const sched_ctx_t *ctx, uint32_t len)
{
    uint64_t switches = 0;
    if (len < sizeof *ctx)
        return -1;
    /* absent means never counted: switches stays 0 */
    fc_store_get_tenant(ctx->next, &switches);
    return (int)fc_store_put_tenant(ctx->next, switches + 1);
}
