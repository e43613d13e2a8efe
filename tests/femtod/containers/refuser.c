/* SPDX-License-Identifier: Apache-2.0 */
/* CoAP-request container that refuses (r0 < 0) and writes why: femtod's 5.00 carries it. */
#include "femto/femto.h"
#include "femtod_ctx.h"

FC_ENTRY(refuser) int refuser(femtod_coap_ctx_t *ctx, uint32_t len)
{
    if (len < sizeof *ctx)
        return -1;
    static const char why[] = "no reading yet";
    for (uint32_t i = 0; i < sizeof why - 1; i++)
        ctx->out[i] = why[i];
    ctx->out_len = sizeof why - 1;
    return -2;
}
