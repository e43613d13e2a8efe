/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the global store: refused by the verifier for a tenant without store_global. */
#include "femto/femto.h"

FC_ENTRY(global_writer) int global_writer(const void *ctx, uint32_t len)
{
    (void)ctx;
    return (int)fc_store_put_global(1, len);
}
