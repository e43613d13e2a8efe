/* SPDX-License-Identifier: Apache-2.0 */
/* expect: a variable-length array or alloca() */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    volatile uint8_t buf[len % 64 + 1]; /* refused-here */
    buf[0] = ctx[0];
    return buf[0];
}
