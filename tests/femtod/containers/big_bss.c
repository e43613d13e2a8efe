/* SPDX-License-Identifier: Apache-2.0 */
/* Asks for BSS bytes of .bss (femto build -DBSS=N): the device's RAM quota decides. */
#include "femto/femto.h"

#ifndef BSS
#define BSS 1024
#endif

static volatile uint8_t big[BSS];

FC_ENTRY(big_bss) int big_bss(const void *ctx, uint32_t len)
{
    (void)ctx;
    big[len % BSS] = 1;
    return big[0];
}
