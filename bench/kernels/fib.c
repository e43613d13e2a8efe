/* SPDX-License-Identifier: Apache-2.0 */
/* Sum of fib(1..n) modulo 2^64, each computed iteratively; n from the input's first byte. */
#include "kernel.h"

static uint64_t fib(uint32_t n)
{
    uint64_t a = 0, b = 1;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

KERNEL(fib)
{
    uint32_t n = len ? *(const uint8_t *)ctx : 0;
    uint64_t sum = 0;
    for (uint32_t i = 1; i <= n; i++)
        sum += fib(i);
    return sum;
}
