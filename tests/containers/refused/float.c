/* SPDX-License-Identifier: Apache-2.0 */
/* expect: floating point is not supported */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    float scale = (float)len * 1.5f; /* refused-here */
    return (uint64_t)scale + ctx[0];
}
