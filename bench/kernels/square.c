/* SPDX-License-Identifier: Apache-2.0 */
/* Sum of squares of the input's 32-bit words (64-bit products). */
#include "kernel.h"

KERNEL(square)
{
    const uint32_t *w = (const uint32_t *)ctx;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < len / 4; i++)
        sum += (uint64_t)w[i] * w[i];
    return sum;
}
