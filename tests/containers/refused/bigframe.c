/* SPDX-License-Identifier: Apache-2.0 */
/* expect: needs a stack frame over 512 B */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len) /* refused-here */
{
    volatile uint8_t buf[600];
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = ctx[i % len];
    return buf[len % sizeof buf];
}
