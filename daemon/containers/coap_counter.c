/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A CoAP response formatter (femtod's CoAP-request hook): GET /app/NAME
 * runs it and its output is the response. It reports its tenant's
 * counters as JSON: switches into threads 1..4 (thread_counter), timer
 * ticks (tick.c) and requests seen (net_counter.c).
 *
 * Build: femto build coap_counter.c -I daemon -o coap_counter.img
 */
#include "femto/femto.h"
#include "femtod_ctx.h"

#define TICK_KEY 0x7101u /* tick.c */
#define NET_KEY  0x4e01u /* net_counter.c */

static uint32_t put_str(femtod_coap_ctx_t *c, uint32_t at, const char *s)
{
    while (*s && at < FEMTOD_COAP_OUT_MAX)
        c->out[at++] = *s++;
    return at;
}

static uint32_t put_u64(femtod_coap_ctx_t *c, uint32_t at, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < 20);
    while (n && at < FEMTOD_COAP_OUT_MAX)
        c->out[at++] = tmp[--n];
    return at;
}

static uint64_t get(uint32_t key)
{
    uint64_t v = 0;
    fc_store_get_tenant(key, &v); /* absent reads as 0 */
    return v;
}

FC_ENTRY(coap_counter) int coap_counter(femtod_coap_ctx_t *ctx, uint32_t len)
{
    if (len < sizeof *ctx)
        return -1;
    uint32_t at = put_str(ctx, 0, "{\"switches\":{");
    for (uint32_t t = 1; t <= 4; t++) {
        if (t > 1)
            at = put_str(ctx, at, ",");
        at = put_str(ctx, at, "\"");
        at = put_u64(ctx, at, t);
        at = put_str(ctx, at, "\":");
        at = put_u64(ctx, at, get(t));
    }
    at = put_str(ctx, at, "},\"ticks\":");
    at = put_u64(ctx, at, get(TICK_KEY));
    at = put_str(ctx, at, ",\"requests\":");
    at = put_u64(ctx, at, get(NET_KEY));
    at = put_str(ctx, at, "}");
    ctx->out_len = at;
    return 0;
}
