/* SPDX-License-Identifier: Apache-2.0 */
/* femto run's fault-to-line test: reads past the context (the line marked below faults). */
#include <femto/femto.h>

FC_ENTRY(peek) uint64_t peek(const uint8_t *ctx, uint64_t len)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < len; i++)
        sum += ctx[i];
    return sum + ctx[len + 64]; /* FAULT: one region past the end */
}
