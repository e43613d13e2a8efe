/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between vm.c, verify.c and interp.c only: not part of the API. */
#ifndef FC_VM_INTERNAL_H
#define FC_VM_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/vm.h"

/*
 * Address translation, written once for the interpreter and the helpers.
 * Region id N is table entry N-1; id 0 wraps to a huge index and fails the
 * single compare, so NULL and every unmapped id fault the same way. The end
 * check subtracts instead of adding, so no offset or size (a helper's length
 * may be any 64-bit value) can wrap it.
 */
/*@ requires fc_regions_ok((fc_region_t *)regions, nregions);
    assigns \nothing;
    ensures fc_xlated(\result, (fc_region_t *)regions, nregions, addr, size, access);
*/
static inline uint8_t *fc_mem_xlate(const fc_region_t *regions, uint32_t nregions,
                                    uint64_t addr, uint64_t size, uint32_t access)
{
    uint64_t idx = (addr >> 32) - 1u;
    if (idx >= nregions)
        return NULL;
    /*@ split idx; */
    const fc_region_t *r = &regions[idx];
    uint32_t off = (uint32_t)addr;
    if (size > r->len || off > r->len - size || (r->flags & access) != access || r->host == NULL)
        return NULL;
    return r->host + off;
}

/*
 * The interpreter's variant: size is a constant 1..8, so offset + size cannot
 * wrap in 64 bits, and a region with a length has a host address (fc_vm_run
 * documents that contract), so there is no NULL test on the hot path.
 */
/*@ requires fc_regions_ok((fc_region_t *)regions, nregions);
    requires 1 <= size <= 8;
    assigns \nothing;
    ensures fc_xlated(\result, (fc_region_t *)regions, nregions, addr, size, access);
*/
static inline uint8_t *fc_mem_xlate_insn(const fc_region_t *regions, uint32_t nregions,
                                         uint64_t addr, uint32_t size, uint32_t access)
{
    uint64_t idx = (addr >> 32) - 1u;
    if (idx >= nregions)
        return NULL;
    /*@ split idx; */
    const fc_region_t *r = &regions[idx];
    uint32_t off = (uint32_t)addr;
    if ((uint64_t)off + size > r->len || (r->flags & access) != access)
        return NULL;
    return r->host + off;
}

/* Why fc_mem_xlate() refused: out of bounds or not permitted. */
static inline int fc_mem_cause(const fc_region_t *regions, uint32_t nregions,
                               uint64_t addr, uint64_t size, uint32_t access)
{
    uint64_t idx = (addr >> 32) - 1u;
    if (idx >= nregions)
        return FC_ERR_MEM;
    const fc_region_t *r = &regions[idx];
    if (size > r->len || (uint32_t)addr > r->len - size || r->host == NULL)
        return FC_ERR_MEM;
    return (r->flags & access) != access ? FC_ERR_MEM_PERM : FC_ERR_MEM;
}

/*
 * Little-endian loads and stores of guest memory, whatever the host's order.
 * -ffreestanding turns memcpy into a call; the builtin keeps these fixed-size
 * copies as single (unaligned-safe) loads and stores.
 */
#if defined(__GNUC__)
#define FC_MEMCPY __builtin_memcpy
#define FC_MEMSET __builtin_memset
#else
#define FC_MEMCPY memcpy
#define FC_MEMSET memset
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FC_HOST_BE 1
#else
#define FC_HOST_BE 0
#endif

static inline uint16_t fc_bswap16(uint16_t x) { return (uint16_t)((x >> 8) | (x << 8)); }
static inline uint32_t fc_bswap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}
static inline uint64_t fc_bswap64(uint64_t x)
{
    return ((uint64_t)fc_bswap32((uint32_t)x) << 32) | fc_bswap32((uint32_t)(x >> 32));
}

static inline uint16_t fc_ld16(const uint8_t *p)
{
    uint16_t v; FC_MEMCPY(&v, p, 2); return FC_HOST_BE ? fc_bswap16(v) : v;
}
static inline uint32_t fc_ld32(const uint8_t *p)
{
    uint32_t v; FC_MEMCPY(&v, p, 4); return FC_HOST_BE ? fc_bswap32(v) : v;
}
static inline uint64_t fc_ld64(const uint8_t *p)
{
    uint64_t v; FC_MEMCPY(&v, p, 8); return FC_HOST_BE ? fc_bswap64(v) : v;
}
static inline void fc_st16(uint8_t *p, uint16_t v)
{
    if (FC_HOST_BE) v = fc_bswap16(v);
    FC_MEMCPY(p, &v, 2);
}
static inline void fc_st32(uint8_t *p, uint32_t v)
{
    if (FC_HOST_BE) v = fc_bswap32(v);
    FC_MEMCPY(p, &v, 4);
}
static inline void fc_st64(uint8_t *p, uint64_t v)
{
    if (FC_HOST_BE) v = fc_bswap64(v);
    FC_MEMCPY(p, &v, 8);
}

/* Loads and stores of 1, 2, 4 or 8 bytes (a constant size folds to one access). */
static inline uint64_t fc_ldn(const uint8_t *p, unsigned size)
{
    return size == 1 ? *p : size == 2 ? fc_ld16(p) : size == 4 ? fc_ld32(p) : fc_ld64(p);
}
static inline void fc_stn(uint8_t *p, unsigned size, uint64_t v)
{
    if (size == 1)
        *p = (uint8_t)v;
    else if (size == 2)
        fc_st16(p, (uint16_t)v);
    else if (size == 4)
        fc_st32(p, (uint32_t)v);
    else
        fc_st64(p, v);
}

/*
 * The ISA's arithmetic rules, written once for every engine (RFC 9669):
 * sign extension from a width, shifts masked to the operation's width,
 * division by zero giving 0 and modulo by zero leaving the dividend, signed
 * INT_MIN / -1 wrapping (and its remainder 0). bits is 32 or 64; operands
 * of a 32-bit operation may carry anything above bit 31, results do not.
 */
static inline uint64_t fc_sext(uint64_t v, unsigned bits)
{
    switch (bits) { /* a constant width folds to one sign-extending move */
    case 8:  return (uint64_t)(int64_t)(int8_t)(uint8_t)v;
    case 16: return (uint64_t)(int64_t)(int16_t)(uint16_t)v;
    case 32: return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    default: return v;
    }
}
static inline uint64_t fc_trunc(uint64_t v, unsigned bits)
{
    return bits == 32 ? (uint32_t)v : v;
}
/*
 * Shift by s masked to the width: op is FC_ALU_LSH, FC_ALU_RSH or
 * FC_ALU_ARSH (the count's low 32 bits are enough to mask it).
 */
static inline uint64_t fc_alu_shift(unsigned op, uint64_t a, uint32_t s, unsigned bits)
{
    unsigned n = s & (bits - 1);
    if (bits == 32) { /* in 32 bits, so a host's 32-bit shift masks the count itself */
        uint32_t x = (uint32_t)a;
        return op == FC_ALU_LSH ? (uint32_t)(x << n) : op == FC_ALU_RSH ? x >> n
                                                     : (uint32_t)((int32_t)x >> n);
    }
    return op == FC_ALU_LSH ? a << n : op == FC_ALU_RSH ? a >> n : (uint64_t)((int64_t)a >> n);
}
/*
 * Division (op FC_ALU_DIV) or modulo (FC_ALU_MOD), signed when sgn; nz is a
 * constant 1 where the divisor is known not to be zero (an immediate the
 * verifier checked), which drops the test.
 */
static inline uint64_t fc_alu_div(unsigned op, uint64_t a, uint64_t b, int sgn, unsigned bits, int nz)
{
    if (bits == 32) { /* in 32 bits, as the shift: a host's 32-bit divide */
        uint32_t x = (uint32_t)a, y = (uint32_t)b;
        if (!nz && y == 0)
            return op == FC_ALU_DIV ? 0 : x;
        if (!sgn)
            return op == FC_ALU_DIV ? x / y : x % y;
        if (y == UINT32_MAX) /* x / -1: negate, wrapping at the minimum; x % -1 is 0 */
            return op == FC_ALU_DIV ? (uint32_t)(0 - x) : 0;
        return op == FC_ALU_DIV ? (uint32_t)((int32_t)x / (int32_t)y) : (uint32_t)((int32_t)x % (int32_t)y);
    }
    if (!nz && b == 0)
        return op == FC_ALU_DIV ? 0 : a;
    if (!sgn)
        return op == FC_ALU_DIV ? a / b : a % b;
    if (b == UINT64_MAX)
        return op == FC_ALU_DIV ? 0 - a : 0;
    return op == FC_ALU_DIV ? (uint64_t)((int64_t)a / (int64_t)b) : (uint64_t)((int64_t)a % (int64_t)b);
}

/*
 * Pieces of a run shared by both interpreters (interp.c, interp_compact.c),
 * so calls, frames and the run's preconditions are written once.
 */

/* Counting executed instructions in test builds (FC_COUNT_INSNS). */
#if FC_COUNT_INSNS
#define FC_COUNT_INSN(op) ((void)fc_insn_count++, (void)fc_insn_hist[(uint8_t)(op)]++)
#else
#define FC_COUNT_INSN(op) ((void)0)
#endif

/* A local call's saved state: r6..r9 and the slot of the call. */
typedef struct {
    uint64_t saved[4];
    uint32_t ret;
} fc_frame_t;

/*
 * Preconditions of a run; on success r1, r2 and r10 are set. The stack
 * region may have changed since verification, so what the stack proof
 * needs (frame bytes, read-write) is checked again here.
 */
static inline int fc_run_begin(const fc_vm_t *vm, uint32_t entry, uint64_t *reg, uint64_t r1, uint64_t r2)
{
    const fc_region_t *sr = &vm->regions[FC_REGION_STACK - 1];
    if (!vm->verified)
        return FC_ERR_NOT_VERIFIED;
    if (entry >= vm->nslots || (entry > 0 && vm->code[(size_t)(entry - 1) * FC_INSN_SIZE] == FC_OP_LDDW))
        return FC_ERR_BAD_PC;
    if (sr->len < vm->frame || (vm->frame > 0 && (sr->host == NULL || (sr->flags & 3u) != 3u)))
        return FC_ERR_STACK;
    reg[1] = r1;
    reg[2] = r2;
    reg[10] = FC_VADDR(FC_REGION_STACK, sr->len);
    return FC_OK;
}

/*
 * Enter a local call from slot pc: save r6..r9, put the callee's frame right
 * below the caller's. r10 changes in its low word only, the offset (the test
 * above leaves no borrow, and a return adds back what was taken): one 32-bit
 * operation on 32-bit cores instead of two.
 */
static inline int fc_call_enter(fc_frame_t *frames, unsigned *depth, uint64_t *reg, uint32_t frame, uint32_t pc)
{
    if (*depth >= FC_CALL_DEPTH_MAX)
        return FC_ERR_CALL_DEPTH;
    if ((uint32_t)reg[10] < 2 * frame)
        return FC_ERR_STACK_OVERFLOW;
    frames[*depth].ret = pc;
    FC_MEMCPY(frames[*depth].saved, &reg[6], sizeof frames[*depth].saved);
    (*depth)++;
    reg[10] = (reg[10] & ~(uint64_t)UINT32_MAX) | ((uint32_t)reg[10] - frame);
    return FC_OK;
}

/* Return from a local call: restore r6..r9 and r10; the slot of the call. */
static inline uint32_t fc_call_leave(fc_frame_t *frames, unsigned *depth, uint64_t *reg, uint32_t frame)
{
    (*depth)--;
    FC_MEMCPY(&reg[6], frames[*depth].saved, sizeof frames[*depth].saved);
    reg[10] = (reg[10] & ~(uint64_t)UINT32_MAX) | ((uint32_t)reg[10] + frame);
    return frames[*depth].ret;
}

/* Helper id if it may be called, else NULL and the fault (FC_ERR_HELPER, FC_ERR_HELPER_PERM) in *err. */
static inline const fc_helper_t *fc_helper_find(const fc_vm_t *vm, uint32_t id, int *err)
{
    const fc_helper_t *h = fc_vm_helper(vm, id);
    if (h == NULL) {
        *err = FC_ERR_HELPER;
        return NULL;
    }
    if (h->caps & ~vm->caps) {
        *err = FC_ERR_HELPER_PERM;
        return NULL;
    }
    return h;
}

/* Run helper h, found by fc_helper_find(), with vm->pc its caller's slot: FC_OK, FC_STOP, or the fault. */
static inline int fc_helper_run(fc_vm_t *vm, const fc_helper_t *h, uint64_t *reg)
{
    int err = h->fn(vm, &reg[1], &reg[0]);
    return err > 0 && err != FC_STOP ? FC_ERR_HELPER_FAIL : err;
}

/* Call helper id from slot pc: FC_OK, FC_STOP, or the fault. */
static inline int fc_call_helper(fc_vm_t *vm, uint32_t id, uint64_t *reg, uint32_t pc)
{
    int err;
    const fc_helper_t *const h = fc_helper_find(vm, id, &err);
    if (h == NULL)
        return err;
    vm->pc = pc;
    return fc_helper_run(vm, h, reg);
}

/* Read-modify-write of an atomic instruction; old value returned. */
static inline uint64_t fc_atomic_rmw(uint8_t *p, int is64, int32_t op, uint64_t src, uint64_t r0, int *wrote_r0)
{
    uint64_t old = is64 ? fc_ld64(p) : fc_ld32(p), val;
    *wrote_r0 = 0;
    switch (op & ~FC_ATOMIC_FETCH) {
    case FC_ATOMIC_ADD: val = old + src; break;
    case FC_ATOMIC_OR:  val = old | src; break;
    case FC_ATOMIC_AND: val = old & src; break;
    case FC_ATOMIC_XOR: val = old ^ src; break;
    case FC_ATOMIC_XCHG & ~FC_ATOMIC_FETCH: val = src; break;
    default: /* cmpxchg */
        *wrote_r0 = 1;
        if (is64 ? old == r0 : (uint32_t)old == (uint32_t)r0)
            val = src;
        else
            return old;
        break;
    }
    if (is64)
        fc_st64(p, val);
    else
        fc_st32(p, (uint32_t)val);
    return old;
}

/*
 * Specialised opcodes (opcode values RFC 9669 leaves unused, so raw code can
 * never contain them: the verifier rejects them). fc_vm_specialise() writes
 * them into a RAM copy of verified code; only the interpreter reads them.
 * Their values are not written anywhere: FC_SPEC_FORMS below lists the
 * forms and the enum gives each the next opcode the ISA table leaves free.
 * Layout: byte 1 = dst register, byte 4 = src register, bytes 2-3 = offset,
 * bytes 4-7 = immediate for the ST forms.
 */
/* FC_S_LDXW: load through a register other than r10 */
/* FC_S_LDXW10: load through r10: proven in bounds */
/* FC_S_JEQ: register-register compares */

/*
 * Fused pairs "d = s; d += t" (clang emits them for 3-operand arithmetic):
 * byte 1 = d, byte 4 = s, byte 5 = t; the handler then skips the second
 * slot, which keeps its own form for jumps that land on it. "d = s; d op= K"
 * (add, and32, shifts): byte 1 = d, byte 4 = s, K read from the second slot.
 * Only the forms that pay on more than one of the 15 bench kernels are
 * here (docs/vm.md, scripts/spec-forms.sh).
 */

/*
 * "d += K; e = s" (a loop counter moved on, then a register copied: clang's
 * loop tails): byte 1 = d, byte 2 = e, byte 3 = s, K in bytes 4-7 as in
 * the add; the second slot keeps its own form, as for the pairs above.
 */


/*
 * Backward forms of the frequent loop-closing jumps: the offset is known to
 * be negative, so a taken jump charges the budget without testing the
 * direction. FC_SBACK(X) lists (backward opcode, form it replaces): the
 * K forms keep the raw layout, the X forms the split one of FC_S_J*.
 */
#define FC_SBACK(X)                                                                 \
    X(FC_SB_JA, FC_OP_JA) X(FC_SB_JNE, FC_OP_JNE_K) X(FC_SB_JLT, FC_OP_JLT_K) X(FC_SB_JLE, FC_OP_JLE_K)  \
    X(FC_SB_JGT, FC_OP_JGT_K) X(FC_SB_JGE, FC_OP_JGE_K) X(FC_SB_JSLT, FC_OP_JSLT_K) X(FC_SB_JSGT, FC_OP_JSGT_K)   \
    X(FC_SB_JNE32, FC_OP_JNE32_K) X(FC_SB_JLT32, FC_OP_JLT32_K) X(FC_SB_JLE32, FC_OP_JLE32_K)                  \
    X(FC_SB_JGT32, FC_OP_JGT32_K) X(FC_SB_JGE32, FC_OP_JGE32_K) X(FC_SB_JSLT32, FC_OP_JSLT32_K)                 \
    X(FC_SB_JSGT32, FC_OP_JSGT32_K) X(FC_SB_JNEX, FC_S_JNE) X(FC_SB_JLTX, FC_S_JLT)           \
    X(FC_SB_JLEX, FC_S_JLE) X(FC_SB_JGTX, FC_S_JGT) X(FC_SB_JGEX, FC_S_JGE)         \
    X(FC_SB_JSLTX, FC_S_JSLT) X(FC_SB_JSGTX, FC_S_JSGT) X(FC_SB_JNEX32, FC_S_JNE32) \
    X(FC_SB_JLTX32, FC_S_JLT32) X(FC_SB_JLEX32, FC_S_JLE32)                         \
    X(FC_SB_JGTX32, FC_S_JGT32) X(FC_SB_JGEX32, FC_S_JGE32)                         \
    X(FC_SB_JSLTX32, FC_S_JSLT32) X(FC_SB_JSGTX32, FC_S_JSGT32)

/*
 * Loop tails: a "d += K; e = s" pair (the layout above, e not d) directly
 * followed by a backward jump that tests d, executed without a dispatch in
 * between; the jump is read from its own slot, two slots on.
 */
/* FC_SL_A64M32_JNE: FC_S2_ADDK64_MOV32, FC_SB_JNE */
/* FC_SL_A64M32_JLTX: FC_S2_ADDK64_MOV32, FC_SB_JLTX */
#define FC_SLOOP(X)                                                                 \
    X(FC_SL_A64M32_JNE, FC_S2_ADDK64_MOV32, FC_SB_JNE)                              \
    X(FC_SL_A64M32_JLTX, FC_S2_ADDK64_MOV32, FC_SB_JLTX)

/*
 * "d = K64 (LDDW); d += s" (the address of a table entry): the LDDW's first
 * slot gets this opcode, s is read from the add's own slot (FC_S_ADD64, two
 * slots on), which stays as it is for jumps onto it.
 */

/*
 * "d = s + t; e = load8 [d + off]" (an indexed byte load): FC_S3_ADD64's
 * layout, the load read from its own slot two slots on.
 */

/* The specialised forms, one X(name) each; FC_SOPS is the old name of the list. */
#define FC_SPEC_FORMS(X)                                                                              \
    /* split registers: ALU */                                                                      \
    X(FC_S_ADD32) X(FC_S_SUB32) X(FC_S_MUL32) X(FC_S_OR32) X(FC_S_AND32) X(FC_S_XOR32)              \
    X(FC_S_LSH32) X(FC_S_RSH32) X(FC_S_ARSH32) X(FC_S_MOV32) X(FC_S_ADD64) X(FC_S_SUB64)            \
    X(FC_S_MUL64) X(FC_S_OR64) X(FC_S_AND64) X(FC_S_XOR64) X(FC_S_LSH64) X(FC_S_RSH64)              \
    X(FC_S_ARSH64) X(FC_S_MOV64)                                                                    \
    /* split registers: compare jumps */                                                            \
    X(FC_S_JEQ) X(FC_S_JGT) X(FC_S_JGE) X(FC_S_JLT) X(FC_S_JLE) X(FC_S_JNE) X(FC_S_JSGT)            \
    X(FC_S_JSGE) X(FC_S_JSLT) X(FC_S_JSLE) X(FC_S_JEQ32) X(FC_S_JGT32) X(FC_S_JGE32)                \
    X(FC_S_JLT32) X(FC_S_JLE32) X(FC_S_JNE32) X(FC_S_JSGT32) X(FC_S_JSGE32) X(FC_S_JSLT32)          \
    X(FC_S_JSLE32)                                                                                  \
    /* loads and stores through a register (region caches) */                                       \
    X(FC_S_LDXW) X(FC_S_LDXH) X(FC_S_LDXB) X(FC_S_LDXDW) X(FC_S_STXW) X(FC_S_STXH) X(FC_S_STXB)     \
    X(FC_S_STXDW)                                                                                   \
    /* loads and stores through r10 (proven) */                                                     \
    X(FC_S_LDXW10) X(FC_S_LDXH10) X(FC_S_LDXB10) X(FC_S_LDXDW10) X(FC_S_STXW10) X(FC_S_STXH10)      \
    X(FC_S_STXB10) X(FC_S_STXDW10) X(FC_S_STW10) X(FC_S_STH10) X(FC_S_STB10) X(FC_S_STDW10)         \
    /* backward jumps (FC_SBACK) */                                                                 \
    X(FC_SB_JA) X(FC_SB_JNE) X(FC_SB_JLT) X(FC_SB_JLE) X(FC_SB_JGT) X(FC_SB_JGE) X(FC_SB_JSLT)      \
    X(FC_SB_JSGT) X(FC_SB_JNE32) X(FC_SB_JLT32) X(FC_SB_JLE32) X(FC_SB_JGT32) X(FC_SB_JGE32)        \
    X(FC_SB_JSLT32) X(FC_SB_JSGT32) X(FC_SB_JNEX) X(FC_SB_JLTX) X(FC_SB_JLEX) X(FC_SB_JGTX)         \
    X(FC_SB_JGEX) X(FC_SB_JSLTX) X(FC_SB_JSGTX) X(FC_SB_JNEX32) X(FC_SB_JLTX32) X(FC_SB_JLEX32)     \
    X(FC_SB_JGTX32) X(FC_SB_JGEX32) X(FC_SB_JSLTX32) X(FC_SB_JSGTX32)                               \
    /* fused: "d = s; d op= t" and "d = s; d op= K" */                                              \
    X(FC_S3_ADD64) X(FC_S3K_ADD64) X(FC_S3K_LSH64) X(FC_S3K_RSH64) X(FC_S3K_ADD32)                  \
    X(FC_S3K_AND32) X(FC_S3K_LSH32) X(FC_S3K_RSH32)                                                 \
    /* fused: "d += K; e = s", loop tails (FC_SLOOP) */                                             \
    X(FC_S2_ADDK64_MOV32) X(FC_SL_A64M32_JNE) X(FC_SL_A64M32_JLTX)                                  \
    /* fused: "d = K64; d += s", "d = s + t; e = load8 [d + off]" */           \
    X(FC_S3_LDDW_ADD64) X(FC_S3_ADD64_LDXB)
#define FC_SOPS(X) FC_SPEC_FORMS(X)

/*
 * Each form's opcode: the first value the ISA table leaves free at or after
 * the previous form's plus one (name##_at_, the enumerator before it), from 1
 * on; valid opcodes come at most 7 in a row (0x61..0x67), so 8 candidates
 * suffice, and the assertions below check every form's value.
 */
#define FC_FREE1_(p) (!FC_ISA_VALID(p) ? (p) : !FC_ISA_VALID((p) + 1) ? (p) + 1 : (p) + 2)
#define FC_FREE_FROM_(p)                                                                        \
    (!(FC_ISA_VALID(p) && FC_ISA_VALID((p) + 1)) ? FC_FREE1_(p)                                 \
     : !(FC_ISA_VALID((p) + 2) && FC_ISA_VALID((p) + 3)) ? FC_FREE1_((p) + 2)                   \
     : !(FC_ISA_VALID((p) + 4) && FC_ISA_VALID((p) + 5)) ? FC_FREE1_((p) + 4) : FC_FREE1_((p) + 6))
#define FC_SPEC_ENUM_(n) n##_at_, n = FC_FREE_FROM_(n##_at_),
enum { FC_S_NONE_ = 0, FC_SPEC_FORMS(FC_SPEC_ENUM_) FC_S_END_ };
#undef FC_SPEC_ENUM_
_Static_assert(FC_S_END_ <= 256, "every specialised form has a free opcode");
#define FC_SPEC_FREE_(n) _Static_assert(!FC_ISA_VALID(n), #n " is a free opcode");
FC_SPEC_FORMS(FC_SPEC_FREE_)
#undef FC_SPEC_FREE_
#define FC_SPEC_ONE_(n) +1
/* number of specialised forms */
#define FC_SPEC_COUNT (0 FC_SPEC_FORMS(FC_SPEC_ONE_))

#endif /* FC_VM_INTERNAL_H */
