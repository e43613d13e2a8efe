/* SPDX-License-Identifier: Apache-2.0 */
/* expect: __builtin_trap() or abort() has no eBPF instruction */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    if (len == 0)
        __builtin_trap(); /* refused-here */
    return ctx[0];
}
