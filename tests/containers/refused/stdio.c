/* SPDX-License-Identifier: Apache-2.0 */
/* expect: <stdio.h> is not in the container SDK */
#include <femto/femto.h>
#include <stdio.h> /* refused-here */

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    return len + ctx[0];
}
