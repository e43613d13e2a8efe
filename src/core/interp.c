/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The interpreter. Written once; VMCASE/NEXT become either computed-goto
 * labels or switch cases (FC_COMPUTED_GOTO), and both variants are tested.
 *
 * It relies on the verifier: every opcode reached is valid, registers are
 * below 11, r10 is never written, jumps land on instruction starts, and
 * loads/stores through r10 with a constant offset are inside the frame, so
 * those skip the region lookup. Everything else is checked here.
 */
#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/jit.h"
#include "fc/verify.h"
#include "vm_internal.h"

#if !FC_COMPACT

/* Operand fields of the current slot, decoded only where a handler needs them. */
#define DST  reg[ip[1] & 0x0f]
/* K forms, stores of an immediate, neg and byte swaps have src 0 (verified): byte 1 is dst */
#define DSTK reg[ip[1]]
#define SRC  reg[ip[1] >> 4]
#define SRCN (ip[1] >> 4)
#define DSTN (ip[1] & 0x0f)
#define OFF  ((int16_t)(uint16_t)((unsigned)ip[2] | ((unsigned)ip[3] << 8)))
#define IMM  ((int32_t)fc_ld32(ip + 4))
#define IMMU ((uint64_t)(int64_t)IMM) /* immediate sign-extended to 64 bits */
#define PC   ((uint32_t)((ip - code) / FC_INSN_SIZE))

#if FC_COMPUTED_GOTO
/* Labels are named after the opcode's name (FC_OP_ADD64_K, FC_S_ADD32...). */
#define VMCASE(op) L_##op:
#define DISPATCH   do { FC_COUNT_INSN(ip[0]); goto *dispatch[ip[0]]; } while (0)
#define NEXT       do { ip += FC_INSN_SIZE; DISPATCH; } while (0)
#define VMDEFAULT  L_bad:
#else
#define VMCASE(op) case op:
#define DISPATCH   goto next
#define NEXT       do { ip += FC_INSN_SIZE; DISPATCH; } while (0)
#define VMDEFAULT  default:
#endif

/*
 * Taken jump by o slots, straight to the target's handler; backward jumps
 * pay their length from the budget.
 */
#define JUMP(o)                                                 \
    do {                                                        \
        int32_t o_ = (o);                                       \
        if (o_ < 0) {                                           \
            budget += o_;                                       \
            if (budget < 0)                                     \
                goto fault_budget;                              \
        }                                                       \
        ip += ((ptrdiff_t)o_ + 1) * FC_INSN_SIZE;               \
        DISPATCH;                                               \
    } while (0)

/*
 * One handler per row of the ISA table (include/fc/isa_table.h), by the
 * row's family: H_<sem>(name, value, cls, flags, size, opr). The width, the
 * operand source and the signedness are constants of the row, so every
 * condition on them folds away and each handler is the one operation.
 */
#define W64(cls) (FC_CLS_##cls == FC_CLS_ALU64 || FC_CLS_##cls == FC_CLS_JMP)
#define WBITS(cls) (W64(cls) ? 64u : 32u)
#define ISX(v) (((v) & FC_SRC_X) != 0)
/* dst: a K form has src 0 (verified), so byte 1 is dst */
#define D(v) reg[ISX(v) ? DSTN : ip[1]]
#define OPND(v) (ISX(v) ? SRC : IMMU)
#define H_BIN(n, v, cls, fl, sz, opr) \
    VMCASE(FC_OP_##n) D(v) = W64(cls) ? D(v) opr OPND(v) : (uint32_t)((uint32_t)D(v) opr (uint32_t)OPND(v)); NEXT;
#define H_SH(n, v, cls, fl, sz, opr) \
    VMCASE(FC_OP_##n) D(v) = fc_alu_shift((v) & 0xf0u, D(v), ISX(v) ? (uint32_t)SRC : (uint32_t)IMM, WBITS(cls)); NEXT;
#define H_DIV(n, v, cls, fl, sz, opr) \
    VMCASE(FC_OP_##n) D(v) = fc_alu_div((v) & 0xf0u, D(v), OPND(v), OFF != 0, WBITS(cls), !ISX(v)); NEXT;
#define H_MOD H_DIV
#define H_NEG(n, v, cls, fl, sz, opr) VMCASE(FC_OP_##n) DSTK = fc_trunc(0 - DSTK, WBITS(cls)); NEXT;
#define H_MOV(n, v, cls, fl, sz, opr)                                                   \
    VMCASE(FC_OP_##n)                                                                   \
        if (!ISX(v)) DSTK = fc_trunc(IMMU, WBITS(cls));                                 \
        else if (OFF == 0) DST = fc_trunc(SRC, WBITS(cls));                             \
        else DST = fc_trunc(fc_sext(SRC, (unsigned)OFF), WBITS(cls));                   \
        NEXT;
/* le truncates (the VM is little-endian), be and bswap swap */
#define H_END(n, v, cls, fl, sz, opr)                                                   \
    VMCASE(FC_OP_##n)                                                                   \
        switch (IMM) {                                                                  \
        case 16: DSTK = (v) == FC_OP_LE ? (uint16_t)DSTK : fc_bswap16((uint16_t)DSTK); break; \
        case 32: DSTK = (v) == FC_OP_LE ? (uint32_t)DSTK : fc_bswap32((uint32_t)DSTK); break; \
        default: if ((v) != FC_OP_LE) DSTK = fc_bswap64(DSTK); break;                   \
        }                                                                               \
        NEXT;
#define H_LDDW(n, v, cls, fl, sz, opr)                                                  \
    VMCASE(FC_OP_##n)                                                                   \
        DSTK = (uint64_t)(uint32_t)IMM | ((uint64_t)fc_ld32(ip + 12) << 32);            \
        ip += FC_INSN_SIZE;                                                             \
        NEXT;
#define H_LDX(n, v, cls, fl, sz, opr)                                                   \
    VMCASE(FC_OP_##n)                                                                   \
        LOAD(sz, ((fl) & FC_F_SIGNED) ? fc_sext(fc_ldn(p_, sz), 8 * (sz)) : fc_ldn(p_, sz)); \
        NEXT;
#define H_ST(n, v, cls, fl, sz, opr) VMCASE(FC_OP_##n) STORE(sz, fc_stn(p_, sz, IMMU)); NEXT;
#define H_STX(n, v, cls, fl, sz, opr) VMCASE(FC_OP_##n) STORE(sz, fc_stn(p_, sz, SRC)); NEXT;
#define H_ATOMIC(n, v, cls, fl, sz, opr)                                                \
    VMCASE(FC_OP_##n) {                                                                 \
        int32_t op_ = IMM;                                                              \
        int wrote_r0_;                                                                  \
        uint8_t *p_;                                                                    \
        XLATE(p_, DST, sz, FC_MEM_READ | FC_MEM_WRITE);                                 \
        uint64_t old_ = fc_atomic_rmw(p_, (sz) == 8, op_, SRC, reg[0], &wrote_r0_);     \
        old_ = (sz) == 4 ? (uint32_t)old_ : old_;                                       \
        if (wrote_r0_)                                                                  \
            reg[0] = old_;                                                              \
        else if (op_ & FC_ATOMIC_FETCH)                                                 \
            SRC = old_;                                                                 \
        NEXT;                                                                           \
    }
#define H_JA(n, v, cls, fl, sz, opr) VMCASE(FC_OP_##n) JUMP(OFF);
#define H_GOTOL(n, v, cls, fl, sz, opr) VMCASE(FC_OP_##n) JUMP(IMM);
/* a compare of the row's width and signedness */
#define CMP(v, cls, fl, a, b, opr)                                                      \
    (((fl) & FC_F_SIGNED)                                                               \
         ? (W64(cls) ? ((int64_t)(a) opr (int64_t)(b)) != 0                             \
                     : ((int32_t)(uint32_t)(a) opr (int32_t)(uint32_t)(b)) != 0)         \
         : (W64(cls) ? ((uint64_t)(a) opr (uint64_t)(b)) != 0                           \
                     : ((uint32_t)(a) opr (uint32_t)(b)) != 0))
#define H_JCC(n, v, cls, fl, sz, opr) \
    VMCASE(FC_OP_##n) if (CMP(v, cls, fl, D(v), OPND(v), opr)) JUMP(OFF); NEXT;
#define H_JSET H_JCC
/* calls and exit are written out below */
#define H_CALL(n, v, cls, fl, sz, opr)
#define H_EXIT(n, v, cls, fl, sz, opr)
#define HANDLER(name, value, cls, sem, zero, flags, size, opr, ...) H_##sem(name, value, cls, flags, size, opr)

/*
 * Memory operands. Accesses through r10 with a constant offset were proven
 * by the verifier and skip the lookup; everything else is translated.
 */
#define STACK_AT(o) (stack + (uint32_t)reg[10] + (o))
/*
 * An address in the stack region below stack_lo (the current frame's bottom
 * in a program with local calls, else 0) faults too: one subtraction and
 * compare, since any other region's address gives a larger difference.
 */
#define BELOW_FRAME(a) ((a) - FC_VADDR(FC_REGION_STACK, 0) < stack_lo)
#define XLATE(p, base, size, acc)                                            \
    do {                                                                     \
        fault_addr = (base) + (uint64_t)(int64_t)OFF;                        \
        p = fc_mem_xlate_insn(regions, nregions, fault_addr, size, acc);          \
        if (p == NULL || BELOW_FRAME(fault_addr)) { fault_size = size; fault_acc = acc; goto fault_mem; } \
    } while (0)
#define LOAD(size, EXPR)                                                     \
    do {                                                                     \
        const uint8_t *p_;                                                   \
        if (SRCN == 10) p_ = STACK_AT(OFF);                                  \
        else XLATE(p_, SRC, size, FC_MEM_READ);                              \
        DST = (EXPR);                                                        \
    } while (0)
#define STORE(size, STMT)                                                    \
    do {                                                                     \
        uint8_t *p_;                                                         \
        if (DSTN == 10) p_ = STACK_AT(OFF);                                  \
        else XLATE(p_, DST, size, FC_MEM_WRITE);                             \
        STMT;                                                                \
    } while (0)

#if defined(__GNUC__)
#define LIKELY(c) __builtin_expect(!!(c), 1)
#else
#define LIKELY(c) (c)
#endif

#if FC_SPECIALISE
/*
 * Specialised forms written by fc_vm_specialise() (opcode values the ISA
 * leaves unused; see vm_internal.h): registers pre-split into byte 1 (dst)
 * and byte 4 (src), and stack accesses already known to go through r10.
 */
#define XDST reg[ip[1]]
#define XSRC reg[ip[4]]
#define SALU64(op, OPR) VMCASE(op) XDST = XDST OPR XSRC; NEXT;
#define SALU32(op, OPR) VMCASE(op) XDST = (uint32_t)((uint32_t)XDST OPR (uint32_t)XSRC); NEXT;
#define SJX(op, T, OPR) VMCASE(op) if ((T)XDST OPR (T)XSRC) JUMP(OFF); NEXT;
/*
 * Loads through a register remember, per access size, the last readable
 * region they used (a program often reads bytes from one region and words
 * from another, such as a packet and a table): a hit costs a subtraction and
 * one compare with the limit lim = len - size + 1 (0 when the region is
 * shorter, so nothing hits). An address of any other region, below or
 * above, gives a huge or too large difference. All start empty; a miss
 * does the full check (the same one as fc_mem_xlate_insn()) and refills
 * the cache from the region it looked up, in one step, and the cache of
 * the same size for the other direction too (what a program reads it
 * often writes back: a counter, a packet, an array sorted in place).
 */
#define CACHE_MISS(c, o, p, from, size, acc, oacc)                           \
    do {                                                                     \
        fault_addr = (from) + (uint64_t)(int64_t)OFF;                        \
        uint64_t i_ = (fault_addr >> 32) - 1u;                               \
        if (i_ >= nregions) { fault_size = size; fault_acc = acc; goto fault_mem; } \
        const fc_region_t *r_ = &regions[i_];                                \
        uint64_t l_ = r_->len >= size ? (uint64_t)r_->len - (size - 1) : 0;  \
        const uint32_t lo_ = i_ == FC_REGION_STACK - 1 ? stack_lo : 0;       \
        if ((r_->flags & acc) != acc || (uint32_t)fault_addr >= l_ ||        \
            (uint32_t)fault_addr < lo_) {                                    \
            fault_size = size; fault_acc = acc; goto fault_mem;              \
        }                                                                    \
        /* the stack's window starts at the frame's bottom */                \
        c.base = o.base = (fault_addr & ~(uint64_t)UINT32_MAX) + lo_;        \
        c.lim = l_ - lo_;                                                    \
        o.lim = (r_->flags & oacc) ? l_ - lo_ : 0;                           \
        c##_host = o##_host = r_->host + lo_;                                \
        p = r_->host + (uint32_t)fault_addr;                                 \
    } while (0)
#define SLDX(op, size, EXPR) SLDX_THEN(op, size, EXPR, (void)0)
/* then STMT, for a fused pair (which skips its second slot in STMT) */
#define SLDX_THEN(op, size, EXPR, STMT) SLDX_PRE(op, size, (void)0, EXPR, STMT)
/* PRE first, for a fused form that ends in the load (PRE moves ip onto it) */
#define SLDX_PRE(op, size, PRE, EXPR, STMT)                                  \
    VMCASE(op) {                                                             \
        const uint8_t *p_;                                                   \
        PRE;                                                                 \
        uint64_t d_ = XSRC + (uint64_t)(int64_t)OFF - rc##size.base;         \
        if (LIKELY(d_ < rc##size.lim))                                       \
            p_ = rc##size##_host + d_;                                       \
        else {                                                               \
            CACHE_MISS(rc##size, wc##size, p_, XSRC, size, FC_MEM_READ, FC_MEM_WRITE);            \
        }                                                                    \
        const uint64_t v_ = (EXPR);                                          \
        XDST = v_;                                                           \
        STMT;                                                                \
        NEXT;                                                                \
    }
/*
 * "d = s + t; e = load [d + off]" (an indexed load, a[i]): the add's
 * operands as in FC_S3_ADD64, the load read from its own slot, two slots
 * on, where a fault reports it.
 */
#define SIDX_LDX(op, size, EXPR)                                             \
    SLDX_PRE(op, size, XDST = reg[ip[4]] + reg[ip[5]]; ip += 2 * FC_INSN_SIZE, EXPR, (void)0)
#define SLDX10(op, EXPR) VMCASE(op) { const uint8_t *p_ = STACK_AT(OFF); XDST = (EXPR); NEXT; }
/* Stores through a register keep their own caches, the same way. */
#define SSTX(op, size, STMT)                                                 \
    VMCASE(op) {                                                             \
        uint8_t *p_;                                                         \
        uint64_t d_ = XDST + (uint64_t)(int64_t)OFF - wc##size.base;         \
        if (LIKELY(d_ < wc##size.lim))                                       \
            p_ = wc##size##_host + d_;                                       \
        else {                                                               \
            CACHE_MISS(wc##size, rc##size, p_, XDST, size, FC_MEM_WRITE, FC_MEM_READ);            \
        }                                                                    \
        STMT;                                                                \
        NEXT;                                                                \
    }
#define SST10(op, STMT) VMCASE(op) { uint8_t *p_ = STACK_AT(OFF); STMT; NEXT; }
#define S3ALU64(op, OPR) VMCASE(op) XDST = reg[ip[4]] OPR reg[ip[5]]; ip += FC_INSN_SIZE; NEXT;
/* the immediate of the second slot of a fused pair */
#define IMM2 ((int32_t)fc_ld32(ip + 12))
#define S3K64(op, EXPR) VMCASE(op) XDST = (EXPR); ip += FC_INSN_SIZE; NEXT;
#define S3K32(op, EXPR) VMCASE(op) XDST = (uint32_t)(EXPR); ip += FC_INSN_SIZE; NEXT;
/* a taken backward jump: o is negative (fc_vm_specialise() checked) */
#define JUMPB(o)                                                \
    do {                                                        \
        int32_t o_ = (o);                                       \
        budget += o_;                                           \
        if (budget < 0)                                         \
            goto fault_budget;                                  \
        ip += ((ptrdiff_t)o_ + 1) * FC_INSN_SIZE;               \
        DISPATCH;                                               \
    } while (0)
#define SJKB(op, T, OPR) VMCASE(op) if ((T)DSTK OPR (T)IMMU) JUMPB(OFF); NEXT;
#define SJXB(op, T, OPR) VMCASE(op) if ((T)XDST OPR (T)XSRC) JUMPB(OFF); NEXT;
#define FC_SPECIAL_OPCODES(X) FC_SOPS(X)
#else
#define FC_SPECIAL_OPCODES(X)
#endif

#if FC_JIT
/*
 * Compiled code (fc_jit_enable) is dispatched before the interpreter's
 * function is entered, so its frame set-up (saved registers, the register
 * file) costs a JIT run nothing.
 */
__attribute__((noinline)) static int interp(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);
int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    if (vm != NULL && (vm->verified & FC_VERIFIED_JIT))
        return fc_jit_run(vm, entry, r1, r2, r0);
    return interp(vm, entry, r1, r2, r0);
}
static int interp(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
#else
int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
#endif
{
#if FC_COMPUTED_GOTO
#define LABEL(op) [op] = &&L_##op,
#define ROW_LABEL(name, ...) LABEL(FC_OP_##name)
#pragma GCC diagnostic push
#if defined(__clang__)
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
    /* Unknown opcodes first, then each valid one overrides its slot. */
    static const void *const dispatch[256] = {
        [0 ... 255] = &&L_bad,
        FC_ISA_TABLE(ROW_LABEL)
        FC_SPECIAL_OPCODES(LABEL)
    };
#pragma GCC diagnostic pop
#undef LABEL
#undef ROW_LABEL
#endif
    /*
     * 16 registers so that any nibble indexes in bounds, as defence in depth;
     * r0 and r3..r9 start at 0 here, r1, r2 and r10 are set by
     * fc_run_begin(); r11..r15 are never read by verified code and are left
     * as they are (per-run cost: 8 stores, not a memset).
     */
    uint64_t reg[16];
    reg[0] = 0;
    FC_MEMSET(&reg[3], 0, 7 * sizeof reg[0]);
    fc_frame_t frames[FC_CALL_DEPTH_MAX];
    unsigned depth = 0;
    int err;
    uint64_t fault_addr = 0, fault_size = 0;
    uint32_t fault_acc = 0;

    if (vm == NULL)
        return FC_ERR_INVAL;
    const uint8_t *code = vm->fast ? vm->fast : vm->code;
    fc_region_t *regions = vm->regions;
    uint32_t nregions = vm->nregions;
    uint8_t *stack = regions[FC_REGION_STACK - 1].host;
    const uint32_t frame = vm->frame;
    int32_t budget = vm->budget > INT32_MAX ? INT32_MAX : (int32_t)vm->budget;

    vm->pc = entry;
    if ((err = fc_run_begin(vm, entry, reg, r1, r2)) != FC_OK)
        return err;
    const uint8_t *ip = code + (size_t)entry * FC_INSN_SIZE;
    /* bottom of the current frame for accesses through other registers */
    uint32_t stack_lo = (vm->verified & FC_VERIFIED_CALLS) ? (uint32_t)reg[10] - frame : 0;
#if FC_SPECIALISE
    /*
     * The loads' and the stores' region caches by access size, all empty
     * (limit 0: nothing hits) until their first miss fills them. Zeroing
     * them is the whole per-run cost (a few vector stores; filling them
     * from r1's region up front cost more than the misses it saved).
     */
    struct fc_cache { uint64_t base, lim; } rcache[4], wcache[4];
    uint8_t *chost[8];
    /* three 64-byte blocks: compilers zero each with a few vector stores */
    FC_MEMSET(rcache, 0, sizeof rcache);
    FC_MEMSET(wcache, 0, sizeof wcache);
    FC_MEMSET(chost, 0, sizeof chost);
#define rc1 rcache[0]
#define rc2 rcache[1]
#define rc4 rcache[2]
#define rc8 rcache[3]
#define wc1 wcache[0]
#define wc2 wcache[1]
#define wc4 wcache[2]
#define wc8 wcache[3]
#define rc1_host chost[0]
#define rc2_host chost[1]
#define rc4_host chost[2]
#define rc8_host chost[3]
#define wc1_host chost[4]
#define wc2_host chost[5]
#define wc4_host chost[6]
#define wc8_host chost[7]
#endif

#if FC_COMPUTED_GOTO
    DISPATCH;
#else
next:
    FC_COUNT_INSN(ip[0]);
    switch (ip[0]) {
#endif
    FC_ISA_TABLE(HANDLER)

    VMCASE(FC_OP_CALL)
        if (--budget < 0)
            goto fault_budget;
        if (SRCN == FC_CALL_LOCAL) {
            /* a call back to an earlier slot pays the distance, as a backward jump does */
            if (IMM < 0 && (budget += IMM) < 0)
                goto fault_budget;
            if ((err = fc_call_enter(frames, &depth, reg, frame, PC)) != FC_OK)
                goto fault;
            /* the frame grows down: the caches' stack windows stay inside it */
            stack_lo -= frame;
            ip += (ptrdiff_t)IMM * FC_INSN_SIZE;
            NEXT;
        }
        vm->left = (uint32_t)budget; /* what the helper may charge (fc_vm_charge) */
        err = fc_call_helper(vm, (uint32_t)IMM, reg, PC);
        budget = (int32_t)vm->left;
        if (err == FC_STOP)
            goto done;
        if (err != FC_OK)
            goto fault;
#if FC_SPECIALISE
        /* a helper may have changed the region table */
        FC_MEMSET(rcache, 0, sizeof rcache);
        FC_MEMSET(wcache, 0, sizeof wcache);
#endif
        NEXT;
    VMCASE(FC_OP_EXIT)
        if (depth == 0)
            goto done;
        /* returning to the slot after an earlier call pays the distance back */
        if (PC > frames[depth - 1].ret && (budget -= (int32_t)(PC - frames[depth - 1].ret)) < 0)
            goto fault_budget;
        ip = code + (size_t)fc_call_leave(frames, &depth, reg, frame) * FC_INSN_SIZE;
        stack_lo += frame;
#if FC_SPECIALISE
        /* the callee's frame is gone: no cache may still reach into it */
        FC_MEMSET(rcache, 0, sizeof rcache);
        FC_MEMSET(wcache, 0, sizeof wcache);
#endif
        NEXT;

#if FC_SPECIALISE
    SALU32(FC_S_ADD32, +) SALU32(FC_S_SUB32, -) SALU32(FC_S_MUL32, *)
    SALU32(FC_S_OR32, |) SALU32(FC_S_AND32, &) SALU32(FC_S_XOR32, ^)
    VMCASE(FC_S_LSH32) XDST = (uint32_t)((uint32_t)XDST << (XSRC & 31)); NEXT;
    VMCASE(FC_S_RSH32) XDST = (uint32_t)XDST >> (XSRC & 31); NEXT;
    VMCASE(FC_S_ARSH32) XDST = (uint32_t)((int32_t)(uint32_t)XDST >> (XSRC & 31)); NEXT;
    VMCASE(FC_S_MOV32) XDST = (uint32_t)XSRC; NEXT;
    S3ALU64(FC_S3_ADD64, +)
    S3K64(FC_S3K_ADD64, reg[ip[4]] + (uint64_t)(int64_t)IMM2)
    S3K64(FC_S3K_LSH64, reg[ip[4]] << (IMM2 & 63))
    S3K64(FC_S3K_RSH64, reg[ip[4]] >> (IMM2 & 63))
    S3K32(FC_S3K_ADD32, (uint32_t)reg[ip[4]] + (uint32_t)IMM2)
    S3K32(FC_S3K_AND32, (uint32_t)reg[ip[4]] & (uint32_t)IMM2)
    S3K32(FC_S3K_LSH32, (uint32_t)reg[ip[4]] << (IMM2 & 31))
    S3K32(FC_S3K_RSH32, (uint32_t)reg[ip[4]] >> (IMM2 & 31))
    VMCASE(FC_S2_ADDK64_MOV32) XDST += IMMU; reg[ip[2]] = (uint32_t)reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    SALU64(FC_S_ADD64, +) SALU64(FC_S_SUB64, -) SALU64(FC_S_MUL64, *)
    SALU64(FC_S_OR64, |) SALU64(FC_S_AND64, &) SALU64(FC_S_XOR64, ^)
    VMCASE(FC_S_LSH64) XDST <<= (XSRC & 63); NEXT;
    VMCASE(FC_S_RSH64) XDST >>= (XSRC & 63); NEXT;
    VMCASE(FC_S_ARSH64) XDST = (uint64_t)((int64_t)XDST >> (XSRC & 63)); NEXT;
    VMCASE(FC_S_MOV64) XDST = XSRC; NEXT;
    SLDX(FC_S_LDXW, 4, fc_ld32(p_)) SLDX(FC_S_LDXH, 2, fc_ld16(p_))
    SLDX(FC_S_LDXB, 1, *p_) SLDX(FC_S_LDXDW, 8, fc_ld64(p_))
    SLDX10(FC_S_LDXW10, fc_ld32(p_)) SLDX10(FC_S_LDXH10, fc_ld16(p_))
    SLDX10(FC_S_LDXB10, *p_) SLDX10(FC_S_LDXDW10, fc_ld64(p_))
    SSTX(FC_S_STXW, 4, fc_st32(p_, (uint32_t)XSRC)) SSTX(FC_S_STXH, 2, fc_st16(p_, (uint16_t)XSRC))
    SSTX(FC_S_STXB, 1, *p_ = (uint8_t)XSRC) SSTX(FC_S_STXDW, 8, fc_st64(p_, XSRC))
    SST10(FC_S_STXW10, fc_st32(p_, (uint32_t)XSRC)) SST10(FC_S_STXH10, fc_st16(p_, (uint16_t)XSRC))
    SST10(FC_S_STXB10, *p_ = (uint8_t)XSRC) SST10(FC_S_STXDW10, fc_st64(p_, XSRC))
    SST10(FC_S_STW10, fc_st32(p_, (uint32_t)IMM)) SST10(FC_S_STH10, fc_st16(p_, (uint16_t)IMM))
    SST10(FC_S_STB10, *p_ = (uint8_t)IMM) SST10(FC_S_STDW10, fc_st64(p_, IMMU))
    /*
     * loop tails: the pair, then the jump two slots on (its K, XSRC and OFF
     * read there); the jump tests the counter d, which the specialiser
     * checked, so the new value is compared without reading it back
     */
    VMCASE(FC_SL_A64M32_JNE) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; reg[ip[2]] = (uint32_t)reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ != IMMU) JUMPB(OFF);
        NEXT;
    }
    VMCASE(FC_SL_A64M32_JLTX) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; reg[ip[2]] = (uint32_t)reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ < XSRC) JUMPB(OFF);
        NEXT;
    }
    SIDX_LDX(FC_S3_ADD64_LDXB, 1, *p_)
    VMCASE(FC_S3_LDDW_ADD64)
        XDST = ((uint64_t)(uint32_t)IMM | ((uint64_t)fc_ld32(ip + 12) << 32)) + reg[ip[20]];
        ip += 2 * FC_INSN_SIZE;
        NEXT;
    VMCASE(FC_SB_JA) JUMPB(OFF);
    SJKB(FC_SB_JNE, uint64_t, !=) SJKB(FC_SB_JLT, uint64_t, <) SJKB(FC_SB_JLE, uint64_t, <=)
    SJKB(FC_SB_JGT, uint64_t, >) SJKB(FC_SB_JGE, uint64_t, >=)
    SJKB(FC_SB_JSLT, int64_t, <) SJKB(FC_SB_JSGT, int64_t, >)
    SJKB(FC_SB_JNE32, uint32_t, !=) SJKB(FC_SB_JLT32, uint32_t, <) SJKB(FC_SB_JLE32, uint32_t, <=)
    SJKB(FC_SB_JGT32, uint32_t, >) SJKB(FC_SB_JGE32, uint32_t, >=)
    SJKB(FC_SB_JSLT32, int32_t, <) SJKB(FC_SB_JSGT32, int32_t, >)
    SJXB(FC_SB_JNEX, uint64_t, !=) SJXB(FC_SB_JLTX, uint64_t, <) SJXB(FC_SB_JLEX, uint64_t, <=)
    SJXB(FC_SB_JGTX, uint64_t, >) SJXB(FC_SB_JGEX, uint64_t, >=)
    SJXB(FC_SB_JSLTX, int64_t, <) SJXB(FC_SB_JSGTX, int64_t, >)
    SJXB(FC_SB_JNEX32, uint32_t, !=) SJXB(FC_SB_JLTX32, uint32_t, <) SJXB(FC_SB_JLEX32, uint32_t, <=)
    SJXB(FC_SB_JGTX32, uint32_t, >) SJXB(FC_SB_JGEX32, uint32_t, >=)
    SJXB(FC_SB_JSLTX32, int32_t, <) SJXB(FC_SB_JSGTX32, int32_t, >)
    SJX(FC_S_JEQ, uint64_t, ==) SJX(FC_S_JNE, uint64_t, !=)
    SJX(FC_S_JGT, uint64_t, >) SJX(FC_S_JGE, uint64_t, >=)
    SJX(FC_S_JLT, uint64_t, <) SJX(FC_S_JLE, uint64_t, <=)
    SJX(FC_S_JSGT, int64_t, >) SJX(FC_S_JSGE, int64_t, >=)
    SJX(FC_S_JSLT, int64_t, <) SJX(FC_S_JSLE, int64_t, <=)
    SJX(FC_S_JEQ32, uint32_t, ==) SJX(FC_S_JNE32, uint32_t, !=)
    SJX(FC_S_JGT32, uint32_t, >) SJX(FC_S_JGE32, uint32_t, >=)
    SJX(FC_S_JLT32, uint32_t, <) SJX(FC_S_JLE32, uint32_t, <=)
    SJX(FC_S_JSGT32, int32_t, >) SJX(FC_S_JSGE32, int32_t, >=)
    SJX(FC_S_JSLT32, int32_t, <) SJX(FC_S_JSLE32, int32_t, <=)
#endif

    VMDEFAULT
        /* unreachable after verification; fail closed all the same */
        err = FC_ERR_OPCODE;
        goto fault;
#if !FC_COMPUTED_GOTO
    }
#endif

fault_mem:
    err = fc_mem_cause(regions, nregions, fault_addr, fault_size, fault_acc);
    goto fault;
fault_budget:
    err = FC_ERR_BUDGET;
fault:
    vm->pc = PC;
    vm->left = budget > 0 ? (uint32_t)budget : 0;
    return err;
done:
    vm->pc = PC;
    vm->left = (uint32_t)budget;
    if (r0)
        *r0 = reg[0];
    return FC_OK;
}

#endif /* !FC_COMPACT */
