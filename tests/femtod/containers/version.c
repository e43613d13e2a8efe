/* SPDX-License-Identifier: Apache-2.0 */
/* CoAP-request container answering "vN" (N from -DVERSION), for update and crash tests. */
#include "femto/femto.h"
#include "femtod_ctx.h"

#ifndef VERSION
#define VERSION 1
#endif

FC_ENTRY(version) int version(femtod_coap_ctx_t *ctx, uint32_t len)
{
    if (len < sizeof *ctx)
        return -1;
    ctx->out[0] = 'v';
    ctx->out[1] = (char)('0' + VERSION);
    ctx->out_len = 2;
    return 0;
}
