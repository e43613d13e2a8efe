/* SPDX-License-Identifier: Apache-2.0 */
/* The libgcc stand-ins of libgcc.c; FW_LIBGCC(x) is __x unless a test renames them. */
#ifndef FW_LIBGCC_H
#define FW_LIBGCC_H

#include <stdint.h>

#ifndef FW_LIBGCC
#define FW_LIBGCC(name) __##name
#endif

uint64_t FW_LIBGCC(muldi3)(uint64_t a, uint64_t b);
uint32_t FW_LIBGCC(udivsi3)(uint32_t n, uint32_t d);
uint32_t FW_LIBGCC(umodsi3)(uint32_t n, uint32_t d);
int32_t FW_LIBGCC(divsi3)(int32_t n, int32_t d);
uint64_t FW_LIBGCC(udivdi3)(uint64_t n, uint64_t d);
uint64_t FW_LIBGCC(umoddi3)(uint64_t n, uint64_t d);
int64_t FW_LIBGCC(divdi3)(int64_t n, int64_t d);
int64_t FW_LIBGCC(moddi3)(int64_t n, int64_t d);

#endif /* FW_LIBGCC_H */
