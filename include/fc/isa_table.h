/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_isa_table The ISA table
 * @ingroup fc_isa
 * @brief Every valid opcode once, as an X-macro: the interpreters' dispatch,
 *        the verifier's tables and checks, the specialiser, the assembler,
 *        the disassembler and the JITs are expanded from these rows, so they
 *        cannot disagree about which opcodes exist or what their fields mean.
 *
 * @par The row contract
 * FC_ISA_TABLE(X) calls X once per valid opcode, in the order of
 * include/fc/isa.h's classes, with nine arguments:
 *
 *     X(name, value, cls, sem, zero, flags, size, opr, mnem)
 *
 * - @c name: the opcode's name, a token (ADD64_K, LDXW, JEQ32_X...); the
 *   constant @c FC_OP_<name> (enum fc_op) has its value.
 * - @c value: the opcode byte, a constant 0..255.
 * - @c cls: the class, a token: @c FC_CLS_<cls> is (value & 7).
 * - @c sem: the semantic family, a token that expansions paste onto their own
 *   prefix (a handler macro per family): BIN (binary ALU operation with a
 *   C operator), SH (shift: the count is masked to the width), DIV, MOD
 *   (off 0 unsigned, 1 signed; see fc_isa semantics in src/core/vm_internal.h),
 *   NEG, MOV (X form: off 0, or 8/16/32 for a sign extension), END (byte
 *   swap; imm is the width 16, 32 or 64), LDDW, LDX, ST, STX, ATOMIC (imm
 *   selects the operation), JA (target pc + 1 + off), GOTOL (target
 *   pc + 1 + imm), JCC (conditional jump with a C comparison operator), JSET,
 *   CALL (src 0 helper imm, src 1 local pc + 1 + imm), EXIT.
 * - @c zero: the fields that must be zero, an OR of FC_Z_DST, FC_Z_SRC,
 *   FC_Z_OFF and FC_Z_IMM (0 for none); every other field is an operand.
 *   FC_ZMASK(zero) is the same as a mask over the little-endian 64-bit slot.
 *   Fields whose values are constrained further (a division's off, a
 *   sign extension's width, a swap's width, an atomic's operation, LDDW's
 *   src) are the family's rule (@c sem), not a zero field.
 * - @c flags: an OR of FC_F_* (registers read and written, memory direction,
 *   control flow, second slot, signedness).
 * - @c size: bytes a memory access moves (1, 2, 4, 8), 0 for no access.
 * - @c opr: the C operator of BIN, SH and JCC/JSET rows (+, <<, ==...) so an
 *   expansion can write the operation; empty for the others. Signedness is
 *   FC_F_SIGNED, the width the class.
 * - @c mnem: the operator or keyword of the llvm-objdump syntax the assembler
 *   and disassembler use ("+=", "s>>=", "s<", "goto", "u32"...).
 *
 * @note The signature is stable: new columns go at the end, and every
 *       expansion keeps working by taking them with a trailing "..." (write
 *       expansions as @c X(name, value, ...) where they need few columns).
 *       Row order is not part of the contract.
 * @{
 */
#ifndef FC_ISA_TABLE_H
#define FC_ISA_TABLE_H

#include "fc/isa.h"

/* Zero-field bits of the zero column (small, so a verifier can keep one byte per opcode). */
#define FC_Z_DST 1u /**< dst nibble must be zero */
#define FC_Z_SRC 2u /**< src nibble must be zero */
#define FC_Z_OFF 4u /**< offset must be zero */
#define FC_Z_IMM 8u /**< immediate must be zero */
/** @brief The zero column @p z as a mask over the slot read as a little-endian 64-bit word. */
#define FC_ZMASK(z) ((((z) & FC_Z_DST) ? 0x0f00ull : 0) | (((z) & FC_Z_SRC) ? 0xf000ull : 0) | \
                     (((z) & FC_Z_OFF) ? 0xffff0000ull : 0) | (((z) & FC_Z_IMM) ? 0xffffffff00000000ull : 0))

/* Flags column. */
#define FC_F_RDST   0x001u /**< reads dst */
#define FC_F_WDST   0x002u /**< writes dst */
#define FC_F_RSRC   0x004u /**< reads the src register */
#define FC_F_LOAD   0x008u /**< reads memory (base register: src for LDX, dst for atomics) */
#define FC_F_STORE  0x010u /**< writes memory at dst + off */
#define FC_F_JUMP   0x020u /**< may transfer control to a target in the program */
#define FC_F_CALL   0x040u /**< a call (helper or local) */
#define FC_F_EXIT   0x080u /**< returns */
#define FC_F_WIDE   0x100u /**< takes two slots (LDDW) */
#define FC_F_DIV    0x200u /**< division or modulo */
#define FC_F_SIGNED 0x400u /**< signed: comparison, arithmetic shift, sign-extending load */

/* Short forms for the rows below only. */
#define FC_R_ALUK  (FC_F_RDST | FC_F_WDST)
#define FC_R_ALUX  (FC_F_RDST | FC_F_WDST | FC_F_RSRC)
#define FC_R_JK    (FC_F_RDST | FC_F_JUMP)
#define FC_R_JX    (FC_F_RDST | FC_F_RSRC | FC_F_JUMP)
#define FC_R_ZK    (FC_Z_SRC | FC_Z_OFF) /* ALU K: src and off are zero */
#define FC_R_ZX    (FC_Z_OFF | FC_Z_IMM) /* ALU X */

/*
 * One ALU operation in both widths and both sources. W is 64 or 32, B the
 * opcode's base for that width (ALU64 0x07, ALU 0x04).
 */
#define FC_ISA_ALU_(X, W, C, B)                                                                          \
    X(ADD##W##_K, (B) | 0x00, C, BIN, FC_R_ZK, FC_R_ALUK, 0, +, "+=")                                 \
    X(ADD##W##_X, (B) | 0x08, C, BIN, FC_R_ZX, FC_R_ALUX, 0, +, "+=")                                 \
    X(SUB##W##_K, (B) | 0x10, C, BIN, FC_R_ZK, FC_R_ALUK, 0, -, "-=")                                 \
    X(SUB##W##_X, (B) | 0x18, C, BIN, FC_R_ZX, FC_R_ALUX, 0, -, "-=")                                 \
    X(MUL##W##_K, (B) | 0x20, C, BIN, FC_R_ZK, FC_R_ALUK, 0, *, "*=")                                 \
    X(MUL##W##_X, (B) | 0x28, C, BIN, FC_R_ZX, FC_R_ALUX, 0, *, "*=")                                 \
    X(DIV##W##_K, (B) | 0x30, C, DIV, FC_Z_SRC, FC_R_ALUK | FC_F_DIV, 0, /, "/=")                     \
    X(DIV##W##_X, (B) | 0x38, C, DIV, FC_Z_IMM, FC_R_ALUX | FC_F_DIV, 0, /, "/=")                     \
    X(OR##W##_K, (B) | 0x40, C, BIN, FC_R_ZK, FC_R_ALUK, 0, |, "|=")                                  \
    X(OR##W##_X, (B) | 0x48, C, BIN, FC_R_ZX, FC_R_ALUX, 0, |, "|=")                                  \
    X(AND##W##_K, (B) | 0x50, C, BIN, FC_R_ZK, FC_R_ALUK, 0, &, "&=")                                 \
    X(AND##W##_X, (B) | 0x58, C, BIN, FC_R_ZX, FC_R_ALUX, 0, &, "&=")                                 \
    X(LSH##W##_K, (B) | 0x60, C, SH, FC_R_ZK, FC_R_ALUK, 0, <<, "<<=")                                \
    X(LSH##W##_X, (B) | 0x68, C, SH, FC_R_ZX, FC_R_ALUX, 0, <<, "<<=")                                \
    X(RSH##W##_K, (B) | 0x70, C, SH, FC_R_ZK, FC_R_ALUK, 0, >>, ">>=")                                \
    X(RSH##W##_X, (B) | 0x78, C, SH, FC_R_ZX, FC_R_ALUX, 0, >>, ">>=")                                \
    X(NEG##W, (B) | 0x80, C, NEG, FC_Z_SRC | FC_Z_OFF | FC_Z_IMM, FC_R_ALUK, 0, , "-")                \
    X(MOD##W##_K, (B) | 0x90, C, MOD, FC_Z_SRC, FC_R_ALUK | FC_F_DIV, 0, %, "%=")                     \
    X(MOD##W##_X, (B) | 0x98, C, MOD, FC_Z_IMM, FC_R_ALUX | FC_F_DIV, 0, %, "%=")                     \
    X(XOR##W##_K, (B) | 0xa0, C, BIN, FC_R_ZK, FC_R_ALUK, 0, ^, "^=")                                 \
    X(XOR##W##_X, (B) | 0xa8, C, BIN, FC_R_ZX, FC_R_ALUX, 0, ^, "^=")                                 \
    X(MOV##W##_K, (B) | 0xb0, C, MOV, FC_R_ZK, FC_F_WDST, 0, , "=")                                   \
    X(MOV##W##_X, (B) | 0xb8, C, MOV, FC_Z_IMM, FC_F_WDST | FC_F_RSRC, 0, , "=")                      \
    X(ARSH##W##_K, (B) | 0xc0, C, SH, FC_R_ZK, FC_R_ALUK | FC_F_SIGNED, 0, >>, "s>>=")                \
    X(ARSH##W##_X, (B) | 0xc8, C, SH, FC_R_ZX, FC_R_ALUX | FC_F_SIGNED, 0, >>, "s>>=")

/* One conditional jump in both sources; W is empty (64-bit) or 32. */
#define FC_ISA_JCC_(X, N, W, C, B, V, SEM, FL, OPR, M)                                                   \
    X(N##W##_K, (B) | (V), C, SEM, FC_Z_SRC, FC_R_JK | (FL), 0, OPR, M)                                \
    X(N##W##_X, (B) | (V) | 0x08, C, SEM, FC_Z_IMM, FC_R_JX | (FL), 0, OPR, M)
#define FC_ISA_JMPS_(X, W, C, B)                                                                         \
    FC_ISA_JCC_(X, JEQ, W, C, B, 0x10, JCC, 0, ==, "==")                                               \
    FC_ISA_JCC_(X, JGT, W, C, B, 0x20, JCC, 0, >, ">")                                                 \
    FC_ISA_JCC_(X, JGE, W, C, B, 0x30, JCC, 0, >=, ">=")                                               \
    FC_ISA_JCC_(X, JSET, W, C, B, 0x40, JSET, 0, &, "&")                                               \
    FC_ISA_JCC_(X, JNE, W, C, B, 0x50, JCC, 0, !=, "!=")                                               \
    FC_ISA_JCC_(X, JSGT, W, C, B, 0x60, JCC, FC_F_SIGNED, >, "s>")                                     \
    FC_ISA_JCC_(X, JSGE, W, C, B, 0x70, JCC, FC_F_SIGNED, >=, "s>=")                                   \
    FC_ISA_JCC_(X, JLT, W, C, B, 0xa0, JCC, 0, <, "<")                                                 \
    FC_ISA_JCC_(X, JLE, W, C, B, 0xb0, JCC, 0, <=, "<=")                                               \
    FC_ISA_JCC_(X, JSLT, W, C, B, 0xc0, JCC, FC_F_SIGNED, <, "s<")                                     \
    FC_ISA_JCC_(X, JSLE, W, C, B, 0xd0, JCC, FC_F_SIGNED, <=, "s<=")

/** @brief The ISA: one X(name, value, cls, sem, zero, flags, size, opr, mnem) per valid opcode. */
#define FC_ISA_TABLE(X)                                                                                  \
    FC_ISA_ALU_(X, 64, ALU64, 0x07)                                                                    \
    X(BSWAP, 0xd7, ALU64, END, FC_Z_SRC | FC_Z_OFF, FC_R_ALUK, 0, , "bswap")                           \
    FC_ISA_ALU_(X, 32, ALU, 0x04)                                                                      \
    X(LE, 0xd4, ALU, END, FC_Z_SRC | FC_Z_OFF, FC_R_ALUK, 0, , "le")                                   \
    X(BE, 0xdc, ALU, END, FC_Z_SRC | FC_Z_OFF, FC_R_ALUK, 0, , "be")                                   \
    X(LDDW, 0x18, LD, LDDW, FC_Z_OFF, FC_F_WDST | FC_F_WIDE, 8, , "ll")                               \
    X(LDXW, 0x61, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD, 4, , "u32")                  \
    X(LDXH, 0x69, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD, 2, , "u16")                  \
    X(LDXB, 0x71, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD, 1, , "u8")                   \
    X(LDXDW, 0x79, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD, 8, , "u64")                 \
    X(LDXSW, 0x81, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD | FC_F_SIGNED, 4, , "s32")   \
    X(LDXSH, 0x89, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD | FC_F_SIGNED, 2, , "s16")   \
    X(LDXSB, 0x91, LDX, LDX, FC_Z_IMM, FC_F_WDST | FC_F_RSRC | FC_F_LOAD | FC_F_SIGNED, 1, , "s8")    \
    X(STW, 0x62, ST, ST, FC_Z_SRC, FC_F_RDST | FC_F_STORE, 4, , "u32")                                \
    X(STH, 0x6a, ST, ST, FC_Z_SRC, FC_F_RDST | FC_F_STORE, 2, , "u16")                                \
    X(STB, 0x72, ST, ST, FC_Z_SRC, FC_F_RDST | FC_F_STORE, 1, , "u8")                                 \
    X(STDW, 0x7a, ST, ST, FC_Z_SRC, FC_F_RDST | FC_F_STORE, 8, , "u64")                               \
    X(STXW, 0x63, STX, STX, FC_Z_IMM, FC_F_RDST | FC_F_RSRC | FC_F_STORE, 4, , "u32")                 \
    X(STXH, 0x6b, STX, STX, FC_Z_IMM, FC_F_RDST | FC_F_RSRC | FC_F_STORE, 2, , "u16")                 \
    X(STXB, 0x73, STX, STX, FC_Z_IMM, FC_F_RDST | FC_F_RSRC | FC_F_STORE, 1, , "u8")                  \
    X(STXDW, 0x7b, STX, STX, FC_Z_IMM, FC_F_RDST | FC_F_RSRC | FC_F_STORE, 8, , "u64")                \
    X(ATOMIC_W, 0xc3, STX, ATOMIC, 0, FC_F_RDST | FC_F_RSRC | FC_F_LOAD | FC_F_STORE, 4, , "u32")     \
    X(ATOMIC_DW, 0xdb, STX, ATOMIC, 0, FC_F_RDST | FC_F_RSRC | FC_F_LOAD | FC_F_STORE, 8, , "u64")    \
    X(JA, 0x05, JMP, JA, FC_Z_DST | FC_Z_SRC | FC_Z_IMM, FC_F_JUMP, 0, , "goto")                      \
    FC_ISA_JMPS_(X, , JMP, 0x05)                                                                       \
    X(CALL, 0x85, JMP, CALL, FC_Z_DST | FC_Z_OFF, FC_F_CALL, 0, , "call")                             \
    X(EXIT, 0x95, JMP, EXIT, FC_Z_DST | FC_Z_SRC | FC_Z_OFF | FC_Z_IMM, FC_F_EXIT, 0, , "exit")       \
    X(JA32, 0x06, JMP32, GOTOL, FC_Z_DST | FC_Z_SRC | FC_Z_OFF, FC_F_JUMP, 0, , "gotol")              \
    FC_ISA_JMPS_(X, 32, JMP32, 0x06)

#define FC_ISA_ENUM_(name, value, ...) FC_OP_##name = (value),
/** @brief Every valid opcode by name: FC_OP_ADD64_K, FC_OP_LDXW, FC_OP_JEQ32_X... */
enum fc_op { FC_ISA_TABLE(FC_ISA_ENUM_) };
#undef FC_ISA_ENUM_

#define FC_ISA_ONE_(name, value, ...) +1
/** @brief Number of valid opcodes (rows of FC_ISA_TABLE). */
#define FC_ISA_COUNT (0 FC_ISA_TABLE(FC_ISA_ONE_))

/*
 * The valid opcodes as sixteen 16-bit bitmaps, FC_ISA_VW<k> for values
 * 16k..16k+15 (enumerators, so each expands the table once).
 */
#define FC_ISA_VW_(name, value, ...) | (((value) >> 4) == FC_ISA_K_ ? 1 << ((value) & 15) : 0)
enum {
#define FC_ISA_K_ 0
    FC_ISA_VW0 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 1
    FC_ISA_VW1 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 2
    FC_ISA_VW2 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 3
    FC_ISA_VW3 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 4
    FC_ISA_VW4 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 5
    FC_ISA_VW5 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 6
    FC_ISA_VW6 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 7
    FC_ISA_VW7 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 8
    FC_ISA_VW8 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 9
    FC_ISA_VW9 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 10
    FC_ISA_VW10 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 11
    FC_ISA_VW11 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 12
    FC_ISA_VW12 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 13
    FC_ISA_VW13 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 14
    FC_ISA_VW14 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
#define FC_ISA_K_ 15
    FC_ISA_VW15 = 0 FC_ISA_TABLE(FC_ISA_VW_),
#undef FC_ISA_K_
};
#undef FC_ISA_VW_
/**
 * @brief 1 when @p x (0..255) is a valid opcode, as a constant expression
 *        (static assertions, free opcode values chosen at compile time); at
 *        run time index a table expanded from FC_ISA_TABLE instead.
 */
#define FC_ISA_VALID(x) \
    ((((x) < 0 || (x) > 255) ? 0 : (((x) >> 4 == 0 ? FC_ISA_VW0 : (x) >> 4 == 1 ? FC_ISA_VW1 : (x) >> 4 == 2 ? FC_ISA_VW2 : (x) >> 4 == 3 ? FC_ISA_VW3 : (x) >> 4 == 4 ? FC_ISA_VW4 : (x) >> 4 == 5 ? FC_ISA_VW5 : (x) >> 4 == 6 ? FC_ISA_VW6 : (x) >> 4 == 7 ? FC_ISA_VW7 : (x) >> 4 == 8 ? FC_ISA_VW8 : (x) >> 4 == 9 ? FC_ISA_VW9 : (x) >> 4 == 10 ? FC_ISA_VW10 : (x) >> 4 == 11 ? FC_ISA_VW11 : (x) >> 4 == 12 ? FC_ISA_VW12 : (x) >> 4 == 13 ? FC_ISA_VW13 : (x) >> 4 == 14 ? FC_ISA_VW14 : FC_ISA_VW15) >> ((x) & 15))) & 1)

#endif /* FC_ISA_TABLE_H */
/** @} */
