/* SPDX-License-Identifier: Apache-2.0 */
/* expect: over 1 KiB */
#include <femto/femto.h>

struct big {
    uint8_t bytes[1500];
};
static struct big a, b;

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    a.bytes[len % 1500] = ctx[0];
    b = a; /* refused-here */
    return b.bytes[7];
}
