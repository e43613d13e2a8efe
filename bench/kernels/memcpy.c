/* SPDX-License-Identifier: Apache-2.0 */
/* Copy the first half of the input onto the second half, byte by byte, then checksum it. */
#include "kernel.h"

KERNEL(memcpy)
{
    uint8_t *p = (uint8_t *)ctx;
    uint64_t half = len / 2;
    volatile uint8_t *dst = p + half; /* keep it a byte loop on both sides */
    for (uint64_t i = 0; i < half; i++)
        dst[i] = p[i];
    uint32_t sum = 0;
    for (uint64_t i = 0; i < half; i++)
        sum = sum * 31 + p[half + i];
    return sum;
}
