/* SPDX-License-Identifier: Apache-2.0 */
/* Reads past its context: faults at run time (the daemon answers 5.00 and goes on). */
#include "femto/femto.h"
#include "femtod_ctx.h"

FC_ENTRY(crasher) int crasher(femtod_coap_ctx_t *ctx, uint32_t len)
{
    volatile const uint8_t *p = (const uint8_t *)ctx;
    return p[len + 4096];
}
