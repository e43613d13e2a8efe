/* SPDX-License-Identifier: Apache-2.0 */
/* expect: 128-bit arithmetic is not supported */
#include <femto/femto.h>

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    unsigned __int128 p = (unsigned __int128)len * (0x9e3779b97f4a7c15ull + ctx[0]); /* refused-here */
    return (uint64_t)(p >> 64);
}
