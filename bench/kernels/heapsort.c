/* SPDX-License-Identifier: Apache-2.0 */
/* A heap sort (no recursion) of the input as 16-bit values, in place; returns a position-weighted sum. */
#include "kernel.h"

static void sift(uint16_t *a, uint32_t start, uint32_t end)
{
    uint32_t root = start;
    while (2 * root + 1 <= end) {
        uint32_t child = 2 * root + 1, sw = root;
        if (a[sw] < a[child])
            sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1])
            sw = child + 1;
        if (sw == root)
            return;
        uint16_t t = a[root];
        a[root] = a[sw];
        a[sw] = t;
        root = sw;
    }
}

KERNEL(heapsort)
{
    uint16_t *a = (uint16_t *)ctx;
    uint32_t n = (uint32_t)(len / 2);
    if (n < 2)
        return 0;
    for (uint32_t s = (n - 2) / 2 + 1; s-- > 0;)
        sift(a, s, n - 1);
    for (uint32_t end = n - 1; end > 0; end--) {
        uint16_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end - 1);
    }
    uint64_t h = 0;
    for (uint32_t i = 0; i < n; i++)
        h = h * 31 + a[i];
    return h;
}
