/* SPDX-License-Identifier: Apache-2.0 */
/* The smallest useful container: increment a counter held in the context. */
#include "kernel.h"

KERNEL(incr)
{
    uint32_t *counter = (uint32_t *)ctx;
    if (len < 4)
        return 0;
    return ++*counter;
}
