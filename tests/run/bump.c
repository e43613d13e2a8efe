/* SPDX-License-Identifier: Apache-2.0 */
/* femto run's --mem-out test: adds its index to every context byte, returns the length. */
#include <femto/femto.h>

FC_ENTRY(bump) uint64_t bump(uint8_t *ctx, uint64_t len)
{
    for (uint64_t i = 0; i < len; i++)
        ctx[i] = (uint8_t)(ctx[i] + i);
    return len;
}
