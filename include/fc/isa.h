/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_isa eBPF instruction set
 * @brief Opcode constants and instruction decoding (RFC 9669 plus LLVM cpu v4).
 *
 * An instruction slot is 8 bytes, little-endian on every host:
 * byte 0 opcode, byte 1 dst (low nibble) and src (high nibble),
 * bytes 2-3 signed offset, bytes 4-7 signed immediate. LDDW takes two slots.
 * Decoding goes byte by byte, so it is correct on any host endianness.
 * fc_insn_decode() and fc_insn_encode() are pure: ISR-safe and reentrant.
 * @{
 */
#ifndef FC_ISA_H
#define FC_ISA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* instruction classes (opcode & 0x07) */
#define FC_CLS_LD     0x00 /**< non-standard loads: LDDW only (LD_ABS/LD_IND legacy) */
#define FC_CLS_LDX    0x01 /**< load into register from memory */
#define FC_CLS_ST     0x02 /**< store immediate to memory */
#define FC_CLS_STX    0x03 /**< store register to memory, atomics */
#define FC_CLS_ALU    0x04 /**< 32-bit arithmetic, result zero-extended */
#define FC_CLS_JMP    0x05 /**< 64-bit jumps, call, exit */
#define FC_CLS_JMP32  0x06 /**< 32-bit compare jumps */
#define FC_CLS_ALU64  0x07 /**< 64-bit arithmetic */

/* source operand (opcode & 0x08) */
#define FC_SRC_K      0x00 /**< operand is the immediate */
#define FC_SRC_X      0x08 /**< operand is the src register */

/* ALU operations (opcode & 0xf0) */
#define FC_ALU_ADD    0x00 /**< dst += src */
#define FC_ALU_SUB    0x10 /**< dst -= src */
#define FC_ALU_MUL    0x20 /**< dst *= src */
#define FC_ALU_DIV    0x30 /**< dst /= src (off 1: signed); by zero gives 0 */
#define FC_ALU_OR     0x40 /**< dst |= src */
#define FC_ALU_AND    0x50 /**< dst &= src */
#define FC_ALU_LSH    0x60 /**< dst <<= src, shift masked to width */
#define FC_ALU_RSH    0x70 /**< dst >>= src, logical, masked */
#define FC_ALU_NEG    0x80 /**< dst = -dst */
#define FC_ALU_MOD    0x90 /**< dst %= src (off 1: signed); by zero leaves dst */
#define FC_ALU_XOR    0xa0 /**< dst ^= src */
#define FC_ALU_MOV    0xb0 /**< dst = src (off 8/16/32: sign-extend from that width) */
#define FC_ALU_ARSH   0xc0 /**< dst >>= src, arithmetic, masked */
#define FC_ALU_END    0xd0 /**< byte swap: ALU le/be (imm 16/32/64), ALU64 bswap */

/* jump operations (opcode & 0xf0) */
#define FC_JMP_JA     0x00 /**< pc += off (JMP32 class: pc += imm, "gotol") */
#define FC_JMP_JEQ    0x10 /**< jump if dst == src */
#define FC_JMP_JGT    0x20 /**< jump if dst > src, unsigned */
#define FC_JMP_JGE    0x30 /**< jump if dst >= src, unsigned */
#define FC_JMP_JSET   0x40 /**< jump if dst & src */
#define FC_JMP_JNE    0x50 /**< jump if dst != src */
#define FC_JMP_JSGT   0x60 /**< jump if dst > src, signed */
#define FC_JMP_JSGE   0x70 /**< jump if dst >= src, signed */
#define FC_JMP_CALL   0x80 /**< call: src 0 helper imm, src 1 local pc+imm+1 */
#define FC_JMP_EXIT   0x90 /**< return r0 (from a local call or the program) */
#define FC_JMP_JLT    0xa0 /**< jump if dst < src, unsigned */
#define FC_JMP_JLE    0xb0 /**< jump if dst <= src, unsigned */
#define FC_JMP_JSLT   0xc0 /**< jump if dst < src, signed */
#define FC_JMP_JSLE   0xd0 /**< jump if dst <= src, signed */

/* memory access size (opcode & 0x18) and mode (opcode & 0xe0) */
#define FC_SIZE_W     0x00 /**< 4 bytes */
#define FC_SIZE_H     0x08 /**< 2 bytes */
#define FC_SIZE_B     0x10 /**< 1 byte */
#define FC_SIZE_DW    0x18 /**< 8 bytes */
#define FC_MODE_IMM   0x00 /**< LDDW (with FC_SIZE_DW) */
#define FC_MODE_ABS   0x20 /**< legacy packet load, rejected */
#define FC_MODE_IND   0x40 /**< legacy packet load, rejected */
#define FC_MODE_MEM   0x60 /**< regular load/store */
#define FC_MODE_MEMSX 0x80 /**< sign-extending load (cpu v4) */
#define FC_MODE_ATOMIC 0xc0 /**< atomic read-modify-write (STX, W or DW) */

/* atomic operations (imm of an atomic instruction) */
#define FC_ATOMIC_ADD     0x00 /**< *addr += src */
#define FC_ATOMIC_OR      0x40 /**< *addr |= src */
#define FC_ATOMIC_AND     0x50 /**< *addr &= src */
#define FC_ATOMIC_XOR     0xa0 /**< *addr ^= src */
#define FC_ATOMIC_FETCH   0x01 /**< modifier: src = old value */
#define FC_ATOMIC_XCHG    0xe1 /**< src = xchg(*addr, src) */
#define FC_ATOMIC_CMPXCHG 0xf1 /**< r0 = cmpxchg(*addr, r0, src) */

/* call sources (src field of a CALL) */
#define FC_CALL_HELPER 0 /**< imm is a helper id */
#define FC_CALL_LOCAL  1 /**< imm is a pc-relative local function */

/* call through register: not in RFC 9669, so not in the ISA table; rejected */
#define FC_OP_CALLX   0x8d /**< callx (rejected) */

#define FC_INSN_SIZE  8  /**< bytes per instruction slot */
#define FC_NREGS      11 /**< r0..r10 */

/** @brief One decoded instruction slot. */
typedef struct {
    uint8_t op;   /**< opcode byte */
    uint8_t dst;  /**< destination register, 0..15 as encoded */
    uint8_t src;  /**< source register, 0..15 as encoded */
    int16_t off;  /**< signed offset */
    int32_t imm;  /**< signed immediate */
} fc_insn_t;

/** @brief Decode the slot at @p p (8 bytes, little-endian). */
static inline fc_insn_t fc_insn_decode(const uint8_t *p)
{
    fc_insn_t i;
    i.op = p[0];
    i.dst = (uint8_t)(p[1] & 0x0f);
    i.src = (uint8_t)(p[1] >> 4);
    i.off = (int16_t)(uint16_t)((unsigned)p[2] | ((unsigned)p[3] << 8));
    i.imm = (int32_t)((uint32_t)p[4] | ((uint32_t)p[5] << 8) |
                      ((uint32_t)p[6] << 16) | ((uint32_t)p[7] << 24));
    return i;
}

/** @brief Encode @p i into 8 bytes at @p p (little-endian). */
static inline void fc_insn_encode(uint8_t *p, fc_insn_t i)
{
    uint16_t off = (uint16_t)i.off;
    uint32_t imm = (uint32_t)i.imm;
    p[0] = i.op;
    p[1] = (uint8_t)((i.dst & 0x0f) | (i.src << 4));
    p[2] = (uint8_t)off;
    p[3] = (uint8_t)(off >> 8);
    p[4] = (uint8_t)imm;
    p[5] = (uint8_t)(imm >> 8);
    p[6] = (uint8_t)(imm >> 16);
    p[7] = (uint8_t)(imm >> 24);
}

#ifdef __cplusplus
}
#endif

/* every valid opcode by name (FC_OP_LDDW, FC_OP_JA, FC_OP_CALL, FC_OP_EXIT...) */
#include "fc/isa_table.h"

#endif /* FC_ISA_H */
/** @} */
