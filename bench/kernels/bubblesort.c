/* SPDX-License-Identifier: Apache-2.0 */
/* Bubble sort of the input's 32-bit words in place; return a position-weighted sum. */
#include "kernel.h"

KERNEL(bubblesort)
{
    uint32_t *a = (uint32_t *)ctx;
    uint64_t n = len / 4;
    for (uint64_t i = 0; i + 1 < n; i++)
        for (uint64_t j = 0; j + 1 < n - i; j++)
            if (a[j] > a[j + 1]) {
                uint32_t t = a[j];
                a[j] = a[j + 1];
                a[j + 1] = t;
            }
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; i++)
        sum += (i + 1) * a[i];
    return sum;
}
