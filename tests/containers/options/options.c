/* SPDX-License-Identifier: Apache-2.0 */
/* -D and -I reach the compiler: SCALE comes from -D, the table from -I inc. */
#include <femto/femto.h>

#include "opt_table.h"

#ifndef SCALE
#error "SCALE must come from -DSCALE=N"
#endif

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t acc = 0;
    for (uint64_t i = 0; i < len; i++)
        acc = acc * SCALE + opt_table[ctx[i] % OPT_TABLE_LEN];
    return acc;
}
