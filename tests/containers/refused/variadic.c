/* SPDX-License-Identifier: Apache-2.0 */
/* expect: variadic functions (...) are not supported */
#include <femto/femto.h>

static __attribute__((noinline)) uint64_t sum(int n, ...) /* refused-here */
{
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    uint64_t s = 0;
    for (int i = 0; i < n; i++)
        s += __builtin_va_arg(ap, uint64_t);
    __builtin_va_end(ap);
    return s;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    return sum(2, len, (uint64_t)ctx[0]);
}
