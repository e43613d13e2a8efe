/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ordinary C for `femto build`: initialised and zeroed globals, string
 * literals, const tables (.rodata.cst*), a pointer table in .data, static
 * functions (local calls), a switch. Built natively too, and both results
 * must agree.
 */
#ifdef NATIVE
#include <stdint.h>
#define FC_ENTRY(n)
#else
#include "femto/femto.h"
#endif

static const char greeting[] = "hello, femto-containers";
static const uint16_t squares[8] = { 0, 1, 4, 9, 16, 25, 36, 49 };
static uint32_t counter = 7;             /* .data */
static uint32_t scratch[16];             /* .bss */
static const char *const words[] = { "zero", "one", "two", "three" }; /* pointers in .data */

static uint32_t strsum(const char *s)
{
    uint32_t h = 5381;
    while (*s)
        h = h * 33 + (uint8_t)*s++;
    return h;
}

static uint32_t classify(uint32_t x)
{
    switch (x % 7) {
    case 0: return 11;
    case 1: return 23;
    case 2: return 37;
    case 3: return strsum(words[x % 4]);
    case 4: return squares[x % 8];
    case 5: return 1000 + x;
    default: return x * 3;
    }
}

FC_ENTRY(main) uint64_t main_entry(void *ctx, uint64_t len);
FC_ENTRY(main) uint64_t main_entry(void *ctx, uint64_t len)
{
    (void)ctx;
    uint64_t acc = strsum(greeting);
    for (uint32_t i = 0; i < 16; i++) {
        scratch[i] = classify(i + counter);
        acc = acc * 31 + scratch[i];
    }
    counter++;
    return acc ^ len;
}

#ifdef NATIVE
#include <stdio.h>
int main(void)
{
    printf("r0 = 0x%llx\n", (unsigned long long)main_entry(0, 0));
    return 0;
}
#endif
