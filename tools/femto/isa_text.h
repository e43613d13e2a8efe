/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The assembler's and the disassembler's text of each opcode, expanded from
 * the ISA table (include/fc/isa_table.h): its mnemonic in llvm-objdump's
 * syntax and its family, by opcode value (NULL for opcodes not in the ISA).
 */
#ifndef FEMTO_ISA_TEXT_H
#define FEMTO_ISA_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fc/isa_table.h"

enum {
    ISA_T_NONE, ISA_T_BIN, ISA_T_SH, ISA_T_DIV, ISA_T_MOD, ISA_T_NEG, ISA_T_MOV, ISA_T_END,
    ISA_T_LDDW, ISA_T_LDX, ISA_T_ST, ISA_T_STX, ISA_T_ATOMIC, ISA_T_JA, ISA_T_GOTOL, ISA_T_JCC,
    ISA_T_JSET, ISA_T_CALL, ISA_T_EXIT,
};

typedef struct {
    const char *mnem;
    uint8_t sem;
} isa_text_t;

#define ISA_TEXT_ROW(name, value, cls, sem, zero, flags, size, opr, mnem) [value] = { mnem, ISA_T_##sem },
static const isa_text_t isa_text[256] = { FC_ISA_TABLE(ISA_TEXT_ROW) };
#undef ISA_TEXT_ROW

/* An ALU operation with a C-like operator (binary, shift, division, modulo). */
static inline bool isa_is_alu_op(uint8_t sem)
{
    return sem == ISA_T_BIN || sem == ISA_T_SH || sem == ISA_T_DIV || sem == ISA_T_MOD;
}

/* A conditional jump. */
static inline bool isa_is_jcond(uint8_t sem)
{
    return sem == ISA_T_JCC || sem == ISA_T_JSET;
}

/*
 * The operator of operation op (opcode & 0xf0) in class cls, as the
 * register form's row spells it, when that row is an ALU operator
 * (jump false) or a conditional jump (jump true); NULL otherwise.
 */
static inline const char *isa_op_text(unsigned op, uint8_t cls, bool jump)
{
    const isa_text_t *t = &isa_text[(op & 0xf0u) | cls | FC_SRC_X];
    return t->mnem && (jump ? isa_is_jcond(t->sem) : isa_is_alu_op(t->sem)) ? t->mnem : NULL;
}

/* The operation (opcode & 0xf0) whose operator in class cls is s, or -1. */
static inline int isa_op_by_text(const char *s, uint8_t cls, bool jump)
{
    for (unsigned op = 0; op < 256; op += 16) {
        const char *m = isa_op_text(op, cls, jump);
        if (m && !strcmp(m, s))
            return (int)op;
    }
    return -1;
}

#endif /* FEMTO_ISA_TEXT_H */
