/* SPDX-License-Identifier: Apache-2.0 */
/* Logs: allowed to a tenant with 'log', refused on a hook that does not grant it. */
#include "femto/femto.h"

FC_ENTRY(logger) int logger(const void *ctx, uint32_t len)
{
    (void)ctx;
    return (int)fc_printf("logger: %u\n", len, 0, 0, 0);
}
