/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Load-time specialisation: one linear pass over verified code, writing a
 * copy where frequent instructions use opcodes the ISA leaves free (see
 * vm_internal.h). Only facts the verifier established are used: r10-based
 * accesses are in bounds, registers are below 11.
 */
#include "fc/isa.h"
#include "fc/vm.h"
#include "vm_internal.h"

#if FC_SPECIALISE
/*
 * The forms in groups, for measuring what each buys (scripts/spec-forms.sh
 * builds with -DFC_SPEC_OFF=FC_SPEC_G_<group> to leave one out; the table
 * in docs/vm.md is its output). A group left out also takes the fused
 * forms built on it.
 */
#define FC_SPEC_GROUPS(X)                                                                      \
    X(SPLIT_ALU) /* register ALU operations with pre-split registers */                        \
    X(SPLIT_JX)  /* register compare jumps, pre-split */                                       \
    X(CACHE)     /* loads and stores through a register, with region caches */                 \
    X(STACK)     /* loads and stores through r10, proven in bounds */                          \
    X(BACK)      /* backward jumps: the budget charged without testing the direction */        \
    X(MOV_OP)    /* "d = s; d op= t" and "d = s; d op= K" as one 3-operand instruction */      \
    X(ADDK_MOV)  /* "d += K; e = s" */                                                         \
    X(LOOP)      /* a counter step (and a copy) with the backward jump after it */             \
    X(LDDW_ADD)  /* "d = K64; d += s" */                                                       \
    X(IDX_LDX)   /* "d = s + t; e = load8 [d + off]" */
#define FC_SPEC_G_ENUM(g) FC_SPEC_G_##g,
enum { FC_SPEC_G_NONE_, FC_SPEC_GROUPS(FC_SPEC_G_ENUM) };
#ifndef FC_SPEC_OFF
#define FC_SPEC_OFF 0 /* every group */
#endif
#define ON(g) (FC_SPEC_OFF != FC_SPEC_G_##g)

static const uint8_t alu_x[2][16] = {
    /* by (op >> 4) for ALU, then ALU64; 0: keep the raw form */
    { FC_S_ADD32, FC_S_SUB32, FC_S_MUL32, 0, FC_S_OR32, FC_S_AND32, FC_S_LSH32, FC_S_RSH32,
      0, 0, FC_S_XOR32, FC_S_MOV32, FC_S_ARSH32, 0, 0, 0 },
    { FC_S_ADD64, FC_S_SUB64, FC_S_MUL64, 0, FC_S_OR64, FC_S_AND64, FC_S_LSH64, FC_S_RSH64,
      0, 0, FC_S_XOR64, FC_S_MOV64, FC_S_ARSH64, 0, 0, 0 },
};
static const uint8_t jmp_x[2][16] = {
    { 0, FC_S_JEQ, FC_S_JGT, FC_S_JGE, 0, FC_S_JNE, FC_S_JSGT, FC_S_JSGE,
      0, 0, FC_S_JLT, FC_S_JLE, FC_S_JSLT, FC_S_JSLE, 0, 0 },
    { 0, FC_S_JEQ32, FC_S_JGT32, FC_S_JGE32, 0, FC_S_JNE32, FC_S_JSGT32, FC_S_JSGE32,
      0, 0, FC_S_JLT32, FC_S_JLE32, FC_S_JSLT32, FC_S_JSLE32, 0, 0 },
};
/* by size bits (op >> 3) & 3: W, H, B, DW */
static const uint8_t ldx[4] = { FC_S_LDXW, FC_S_LDXH, FC_S_LDXB, FC_S_LDXDW };
static const uint8_t ldx10[4] = { FC_S_LDXW10, FC_S_LDXH10, FC_S_LDXB10, FC_S_LDXDW10 };
static const uint8_t stx[4] = { FC_S_STXW, FC_S_STXH, FC_S_STXB, FC_S_STXDW };
static const uint8_t stx10[4] = { FC_S_STXW10, FC_S_STXH10, FC_S_STXB10, FC_S_STXDW10 };
static const uint8_t st10[4] = { FC_S_STW10, FC_S_STH10, FC_S_STB10, FC_S_STDW10 };
/* backward form of a jump by its (split) opcode, 0 for none */
#define BACK(b, f) [f] = b,
static const uint8_t back[256] = { FC_SBACK(BACK) };
#undef BACK

/*
 * 3-operand form of "d = s; d op= x" by the second instruction's opcode, for
 * the pairs that pay on more than one bench kernel (docs/vm.md): "d = s;
 * d += t" (64-bit) and "d = s; d op= K" for add, and (32-bit) and the
 * shifts; 0 when there is none.
 */
static uint8_t fused(uint8_t op2, int is64)
{
    if (!(op2 & FC_SRC_X)) {
        switch (op2 & 0xf0) {
        case FC_ALU_ADD: return is64 ? FC_S3K_ADD64 : FC_S3K_ADD32;
        case FC_ALU_AND: return is64 ? 0 : FC_S3K_AND32;
        case FC_ALU_LSH: return is64 ? FC_S3K_LSH64 : FC_S3K_LSH32;
        case FC_ALU_RSH: return is64 ? FC_S3K_RSH64 : FC_S3K_RSH32;
        default:         return 0;
        }
    }
    return (op2 & 0xf0) == FC_ALU_ADD && is64 ? FC_S3_ADD64 : 0;
}

/* Rewrite one slot in place as op with dst in byte 1 and, if with_src, src in byte 4. */
static void split(uint8_t *p, uint8_t op, int with_src)
{
    uint8_t dst = (uint8_t)(p[1] & 0x0f), src = (uint8_t)(p[1] >> 4);
    p[0] = op;
    p[1] = dst;
    if (with_src) {
        const uint8_t w[4] = { src, 0, 0, 0 };
        FC_MEMCPY(p + 4, w, 4);
    }
}
#endif

int fc_vm_specialise(fc_vm_t *vm, uint8_t *buf, size_t len)
{
#if FC_SPECIALISE
    if (vm == NULL || buf == NULL)
        return FC_ERR_INVAL;
    if (!vm->verified)
        return FC_ERR_NOT_VERIFIED;
    if (len / FC_INSN_SIZE < vm->nslots)
        return FC_ERR_NOMEM;
    /* locals: the stores through buf could alias vm's fields (start-up cost) */
    const uint8_t *const code = vm->code;
    const uint32_t n = vm->nslots;
    memcpy(buf, code, (size_t)n * FC_INSN_SIZE);
    /*
     * First pass, reading the original code. "d = s; d op= t" (or "op= K")
     * becomes one 3-operand instruction in the first slot (t == d reads s,
     * as d = s then; K stays in the second slot, read from there); the
     * second slot is then specialised on its own, like every other slot:
     * registers split, r10 accesses marked, backward jumps in their forms.
     */
    int pair_ok = 1; /* the slot may start a pair: it is not the second of one */
    for (uint32_t pc = 0; pc < n; pc++) {
        const uint8_t *a = code + (size_t)pc * FC_INSN_SIZE;
        uint8_t *p = buf + (size_t)pc * FC_INSN_SIZE;
        uint8_t op = a[0], cls = (uint8_t)(op & 7), sz = (uint8_t)((op >> 3) & 3);
        uint8_t dst = (uint8_t)(a[1] & 0x0f), src = (uint8_t)(a[1] >> 4);

        if (op == FC_OP_LDDW) {
            pc++; /* skip its second slot */
            pair_ok = 1;
            continue;
        }
        if (pair_ok && pc + 1 < n && (op == FC_OP_MOV64_X ||
                                      op == FC_OP_MOV32_X) && !a[2] && !a[3]) {
            /* a plain mov (movsx has an offset): fuse with the next "dst op= ..." */
            const uint8_t *b = a + FC_INSN_SIZE;
            int is64 = cls == FC_CLS_ALU64;
            uint8_t f = ON(MOV_OP) ? fused(b[0], is64) : 0;
            if (f != 0 && (b[0] & 0x07) == cls && (b[1] & 0x0f) == dst) {
                uint8_t t = (uint8_t)(b[1] >> 4);
                p[0] = f;
                p[1] = dst;
                p[4] = src;
                p[5] = t == dst ? src : t;
                pair_ok = 0;
                continue;
            }
        }
        pair_ok = 1;
        switch (cls) {
        case FC_CLS_ALU:
        case FC_CLS_ALU64:
            if (ON(SPLIT_ALU) && (op & FC_SRC_X) && alu_x[cls == FC_CLS_ALU64][op >> 4] &&
                ((op & 0xf0) != FC_ALU_MOV || (!a[2] && !a[3])))
                split(p, alu_x[cls == FC_CLS_ALU64][op >> 4], 1);
            break;
        case FC_CLS_JMP:
        case FC_CLS_JMP32:
            if (ON(SPLIT_JX) && (op & FC_SRC_X) && jmp_x[cls == FC_CLS_JMP32][op >> 4])
                split(p, jmp_x[cls == FC_CLS_JMP32][op >> 4], 1);
            if (ON(BACK) && (a[3] & 0x80) && back[p[0]]) /* a negative offset */
                p[0] = back[p[0]];
            break;
        case FC_CLS_LDX:
            if ((op & 0xe0) == FC_MODE_MEM && (src == 10 ? ON(STACK) : ON(CACHE)))
                split(p, src == 10 ? ldx10[sz] : ldx[sz], 1);
            break;
        case FC_CLS_ST:
            if (dst == 10 && ON(STACK))
                split(p, st10[sz], 0);
            break;
        case FC_CLS_STX:
            if ((op & 0xe0) == FC_MODE_MEM && (dst == 10 ? ON(STACK) : ON(CACHE)))
                split(p, dst == 10 ? stx10[sz] : stx[sz], 1);
            break;
        default:
            break;
        }
    }
    /*
     * Second pass, over specialised slots (so neither is part of a pair
     * fused above): "d += K; e = s" (64-bit add, 32-bit mov),
     * "d = K64; d += s" and "d = s + t; e = load8 [d + off]" each become
     * one instruction; a counter pair right before a backward jump becomes
     * a loop tail that runs the jump too.
     */
    for (uint32_t pc = 0; pc + 1 < n; pc++) {
        uint8_t *p = buf + (size_t)pc * FC_INSN_SIZE, *q = p + FC_INSN_SIZE;
        uint8_t j = pc + 2 < n ? q[FC_INSN_SIZE] : 0; /* two slots on */
        switch (p[0]) {
        case FC_OP_LDDW:
            /* "d = K64; d += s" (s not d): the add two slots on */
            if (ON(LDDW_ADD) && j == FC_S_ADD64 && q[FC_INSN_SIZE + 1] == p[1] && q[FC_INSN_SIZE + 4] != p[1])
                p[0] = FC_S3_LDDW_ADD64;
            pc++;
            break;
        case FC_S3_ADD64:
            /* "d = s + t; e = load8 [d + off]" */
            if (ON(IDX_LDX) && j == FC_S_LDXB && q[FC_INSN_SIZE + 4] == p[1])
                p[0] = FC_S3_ADD64_LDXB;
            break;
        case FC_OP_ADD64_K:
            if (ON(ADDK_MOV) && q[0] == FC_S_MOV32) {
                /* "d += K; e = s": the add's dst is byte 1 already (its src nibble is 0) */
                p[0] = FC_S2_ADDK64_MOV32;
                p[2] = q[1];
                p[3] = q[4];
                /* a loop tail only when the jump tests the counter (not overwritten by the mov) */
                if (ON(LOOP) && q[FC_INSN_SIZE + 1] == p[1] && p[2] != p[1]) {
#define LOOP(t, pair, jump) if (p[0] == pair && j == jump) p[0] = t; else
                    FC_SLOOP(LOOP) { }
#undef LOOP
                }
                pc++;
            }
            break;
        default:
            break;
        }
    }
    vm->fast = buf;
    vm->verified &= (uint8_t)~4u; /* FC_VERIFIED_JIT (fc/jit.h): the copy replaces compiled code */
    return FC_OK;
#else
    (void)vm;
    (void)buf;
    (void)len;
    return FC_ERR_NOTSUP;
#endif
}
