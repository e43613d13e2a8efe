/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-assembled programs for the runtime tests: fc_insn_t initialisers encoded by fc_insn_encode(). */
#ifndef FC_TEST_ASM_H
#define FC_TEST_ASM_H

#include <stddef.h>
#include <stdint.h>

#include "fc/isa.h"

#define I(op, dst, src, off, imm) { (op), (dst), (src), (off), (imm) }
#define EXIT I(0x95, 0, 0, 0, 0)
#define MOV64K(d, k) I(0xb7, d, 0, 0, k)
#define MOV64X(d, s) I(0xbf, d, s, 0, 0)
#define ADD64K(d, k) I(0x07, d, 0, 0, k)
#define LDXW(d, s, o) I(0x61, d, s, o, 0)
#define LDXDW(d, s, o) I(0x79, d, s, o, 0)
#define STW(d, o, k) I(0x62, d, 0, o, k)
#define STDW(d, o, k) I(0x7a, d, 0, o, k)
#define STXDW(d, s, o) I(0x7b, d, s, o, 0)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define JA(o) I(0x05, 0, 0, o, 0)
#define LDDW_LO(d, lo) I(0x18, d, 0, 0, (int32_t)(lo))
#define LDDW_HI(hi) I(0x00, 0, 0, 0, (int32_t)(hi))
/* r<d> = 64-bit constant v (two slots) */
#define LDDW(d, v) LDDW_LO(d, (uint32_t)(uint64_t)(v)), LDDW_HI((uint32_t)((uint64_t)(v) >> 32))

/* Encode n instructions into out (8 bytes each); returns the byte length. */
static inline size_t asm_encode(uint8_t *out, const fc_insn_t *ins, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fc_insn_encode(out + 8 * i, ins[i]);
    return 8 * n;
}

#define ASM(out, ...)                                                                   \
    asm_encode((out), (const fc_insn_t[]){ __VA_ARGS__ },                               \
               sizeof((const fc_insn_t[]){ __VA_ARGS__ }) / sizeof(fc_insn_t))

#endif /* FC_TEST_ASM_H */
