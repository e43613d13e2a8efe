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

/* Every opcode the verifier accepts, once: the dispatch table is built from it. */
#define FC_OPCODES(X)                                                              \
    /* ALU64 */ X(0x07) X(0x0f) X(0x17) X(0x1f) X(0x27) X(0x2f) X(0x37) X(0x3f)    \
    X(0x47) X(0x4f) X(0x57) X(0x5f) X(0x67) X(0x6f) X(0x77) X(0x7f) X(0x87)        \
    X(0x97) X(0x9f) X(0xa7) X(0xaf) X(0xb7) X(0xbf) X(0xc7) X(0xcf) X(0xd7)        \
    /* ALU */ X(0x04) X(0x0c) X(0x14) X(0x1c) X(0x24) X(0x2c) X(0x34) X(0x3c)      \
    X(0x44) X(0x4c) X(0x54) X(0x5c) X(0x64) X(0x6c) X(0x74) X(0x7c) X(0x84)        \
    X(0x94) X(0x9c) X(0xa4) X(0xac) X(0xb4) X(0xbc) X(0xc4) X(0xcc) X(0xd4) X(0xdc) \
    /* memory */ X(0x18) X(0x61) X(0x69) X(0x71) X(0x79) X(0x81) X(0x89) X(0x91)   \
    X(0x62) X(0x6a) X(0x72) X(0x7a) X(0x63) X(0x6b) X(0x73) X(0x7b) X(0xc3) X(0xdb) \
    /* JMP */ X(0x05) X(0x15) X(0x1d) X(0x25) X(0x2d) X(0x35) X(0x3d) X(0x45)      \
    X(0x4d) X(0x55) X(0x5d) X(0x65) X(0x6d) X(0x75) X(0x7d) X(0xa5) X(0xad)        \
    X(0xb5) X(0xbd) X(0xc5) X(0xcd) X(0xd5) X(0xdd) X(0x85) X(0x95)                \
    /* JMP32 */ X(0x06) X(0x16) X(0x1e) X(0x26) X(0x2e) X(0x36) X(0x3e) X(0x46)    \
    X(0x4e) X(0x56) X(0x5e) X(0x66) X(0x6e) X(0x76) X(0x7e) X(0xa6) X(0xae)        \
    X(0xb6) X(0xbe) X(0xc6) X(0xce) X(0xd6) X(0xde)

#if FC_COMPUTED_GOTO
/* Labels are named after the opcode's value, so named and numeric opcodes agree. */
#define LNAME_(v)  L_##v
#define LNAME(op)  LNAME_(op)
#define VMCASE(op) LNAME(op):
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

/* ALU with an immediate (K) and a register (X) form. */
#define ALU64_OP(k, x, OPR) \
    VMCASE(k) DSTK = DSTK OPR IMMU; NEXT; \
    VMCASE(x) DST = DST OPR SRC; NEXT;
#define ALU32_OP(k, x, OPR) \
    VMCASE(k) DSTK = (uint32_t)((uint32_t)DSTK OPR (uint32_t)IMM); NEXT; \
    VMCASE(x) DST = (uint32_t)((uint32_t)DST OPR (uint32_t)SRC); NEXT;

/* Conditional jumps: 64-bit compare (JMP) and 32-bit compare (JMP32). */
#define JCOND(k, x, T, OPR) \
    VMCASE(k) if ((T)DSTK OPR (T)IMMU) JUMP(OFF); NEXT; \
    VMCASE(x) if ((T)DST OPR (T)SRC) JUMP(OFF); NEXT;
#define JSET(k, x, T) \
    VMCASE(k) if ((T)DSTK & (T)IMMU) JUMP(OFF); NEXT; \
    VMCASE(x) if ((T)DST & (T)SRC) JUMP(OFF); NEXT;

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
/* "d = load; e op= d": e in byte 5 */
#define SLDX_ALU32(op, size, EXPR, OPR)                                      \
    SLDX_THEN(op, size, EXPR,                                                \
              reg[ip[5]] = (uint32_t)((uint32_t)reg[ip[5]] OPR (uint32_t)v_); \
              ip += FC_INSN_SIZE)
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
#define S3ALU32(op, OPR) \
    VMCASE(op) XDST = (uint32_t)((uint32_t)reg[ip[4]] OPR (uint32_t)reg[ip[5]]); ip += FC_INSN_SIZE; NEXT;
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

static uint64_t sdiv64(uint64_t a, uint64_t b)
{
    if (b == 0) return 0;
    if (b == UINT64_MAX) return 0 - a; /* INT64_MIN / -1 wraps */
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static uint64_t smod64(uint64_t a, uint64_t b)
{
    if (b == 0) return a;
    if (b == UINT64_MAX) return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static uint32_t sdiv32(uint32_t a, uint32_t b)
{
    if (b == 0) return 0;
    if (b == UINT32_MAX) return 0 - a;
    return (uint32_t)((int32_t)a / (int32_t)b);
}
static uint32_t smod32(uint32_t a, uint32_t b)
{
    if (b == 0) return a;
    if (b == UINT32_MAX) return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}

int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
#if FC_COMPUTED_GOTO
#define LABEL(op) [op] = &&LNAME(op),
#pragma GCC diagnostic push
#if defined(__clang__)
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
    /* Unknown opcodes first, then each valid one overrides its slot. */
    static const void *const dispatch[256] = {
        [0 ... 255] = &&L_bad,
        FC_OPCODES(LABEL)
        FC_SPECIAL_OPCODES(LABEL)
    };
#pragma GCC diagnostic pop
#undef LABEL
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
#if FC_JIT
    if (vm->verified & FC_VERIFIED_JIT) /* compiled code (fc_jit_enable) */
        return fc_jit_run(vm, entry, r1, r2, r0);
#endif
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
    ALU64_OP(0x07, 0x0f, +)
    ALU64_OP(0x17, 0x1f, -)
    ALU64_OP(0x27, 0x2f, *)
    ALU64_OP(0x47, 0x4f, |)
    ALU64_OP(0x57, 0x5f, &)
    ALU64_OP(0xa7, 0xaf, ^)
    VMCASE(0x37) DSTK = OFF ? sdiv64(DSTK, IMMU) : DSTK / IMMU; NEXT;
    VMCASE(0x3f) DST = OFF ? sdiv64(DST, SRC) : (SRC ? DST / SRC : 0); NEXT;
    VMCASE(0x97) DSTK = OFF ? smod64(DSTK, IMMU) : DSTK % IMMU; NEXT;
    VMCASE(0x9f) DST = OFF ? smod64(DST, SRC) : (SRC ? DST % SRC : DST); NEXT;
    VMCASE(0x67) DSTK <<= (IMM & 63); NEXT;
    VMCASE(0x6f) DST <<= (SRC & 63); NEXT;
    VMCASE(0x77) DSTK >>= (IMM & 63); NEXT;
    VMCASE(0x7f) DST >>= (SRC & 63); NEXT;
    VMCASE(0xc7) DSTK = (uint64_t)((int64_t)DSTK >> (IMM & 63)); NEXT;
    VMCASE(0xcf) DST = (uint64_t)((int64_t)DST >> (SRC & 63)); NEXT;
    VMCASE(0x87) DSTK = 0 - DSTK; NEXT;
    VMCASE(0xb7) DSTK = IMMU; NEXT;
    VMCASE(0xbf)
        switch (OFF) {
        case 8:  DST = (uint64_t)(int64_t)(int8_t)SRC; break;
        case 16: DST = (uint64_t)(int64_t)(int16_t)SRC; break;
        case 32: DST = (uint64_t)(int64_t)(int32_t)SRC; break;
        default: DST = SRC; break;
        }
        NEXT;
    VMCASE(0xd7)
        switch (IMM) {
        case 16: DST = fc_bswap16((uint16_t)DST); break;
        case 32: DST = fc_bswap32((uint32_t)DST); break;
        default: DST = fc_bswap64(DST); break;
        }
        NEXT;

    ALU32_OP(0x04, 0x0c, +)
    ALU32_OP(0x14, 0x1c, -)
    ALU32_OP(0x24, 0x2c, *)
    ALU32_OP(0x44, 0x4c, |)
    ALU32_OP(0x54, 0x5c, &)
    ALU32_OP(0xa4, 0xac, ^)
    VMCASE(0x34) DSTK = OFF ? sdiv32((uint32_t)DSTK, (uint32_t)IMM) : (uint32_t)DSTK / (uint32_t)IMM; NEXT;
    VMCASE(0x3c) {
        uint32_t s = (uint32_t)SRC;
        DST = OFF ? sdiv32((uint32_t)DST, s) : (s ? (uint32_t)DST / s : 0);
        NEXT;
    }
    VMCASE(0x94) DSTK = OFF ? smod32((uint32_t)DSTK, (uint32_t)IMM) : (uint32_t)DSTK % (uint32_t)IMM; NEXT;
    VMCASE(0x9c) {
        uint32_t s = (uint32_t)SRC;
        DST = OFF ? smod32((uint32_t)DST, s) : (s ? (uint32_t)DST % s : (uint32_t)DST);
        NEXT;
    }
    VMCASE(0x64) DSTK = (uint32_t)((uint32_t)DSTK << (IMM & 31)); NEXT;
    VMCASE(0x6c) DST = (uint32_t)((uint32_t)DST << (SRC & 31)); NEXT;
    VMCASE(0x74) DSTK = (uint32_t)DSTK >> (IMM & 31); NEXT;
    VMCASE(0x7c) DST = (uint32_t)DST >> (SRC & 31); NEXT;
    VMCASE(0xc4) DSTK = (uint32_t)((int32_t)(uint32_t)DSTK >> (IMM & 31)); NEXT;
    VMCASE(0xcc) DST = (uint32_t)((int32_t)(uint32_t)DST >> (SRC & 31)); NEXT;
    VMCASE(0x84) DSTK = 0 - (uint32_t)DSTK; NEXT;
    VMCASE(0xb4) DSTK = (uint32_t)IMM; NEXT;
    VMCASE(0xbc)
        switch (OFF) {
        case 8:  DST = (uint64_t)(uint32_t)(int32_t)(int8_t)SRC; break;
        case 16: DST = (uint64_t)(uint32_t)(int32_t)(int16_t)SRC; break;
        default: DST = (uint32_t)SRC; break;
        }
        NEXT;
    VMCASE(0xd4) /* to little-endian: the VM is little-endian, so truncate */
        switch (IMM) {
        case 16: DST = (uint16_t)DST; break;
        case 32: DST = (uint32_t)DST; break;
        default: break;
        }
        NEXT;
    VMCASE(0xdc) /* to big-endian */
        switch (IMM) {
        case 16: DST = fc_bswap16((uint16_t)DST); break;
        case 32: DST = fc_bswap32((uint32_t)DST); break;
        default: DST = fc_bswap64(DST); break;
        }
        NEXT;

    VMCASE(0x18)
        DST = (uint64_t)(uint32_t)IMM | ((uint64_t)fc_ld32(ip + 12) << 32);
        ip += FC_INSN_SIZE;
        NEXT;
    VMCASE(0x61) LOAD(4, fc_ld32(p_)); NEXT;
    VMCASE(0x69) LOAD(2, fc_ld16(p_)); NEXT;
    VMCASE(0x71) LOAD(1, *p_); NEXT;
    VMCASE(0x79) LOAD(8, fc_ld64(p_)); NEXT;
    VMCASE(0x81) LOAD(4, (uint64_t)(int64_t)(int32_t)fc_ld32(p_)); NEXT;
    VMCASE(0x89) LOAD(2, (uint64_t)(int64_t)(int16_t)fc_ld16(p_)); NEXT;
    VMCASE(0x91) LOAD(1, (uint64_t)(int64_t)(int8_t)*p_); NEXT;
    VMCASE(0x62) STORE(4, fc_st32(p_, (uint32_t)IMM)); NEXT;
    VMCASE(0x6a) STORE(2, fc_st16(p_, (uint16_t)IMM)); NEXT;
    VMCASE(0x72) STORE(1, *p_ = (uint8_t)IMM); NEXT;
    VMCASE(0x7a) STORE(8, fc_st64(p_, IMMU)); NEXT;
    VMCASE(0x63) STORE(4, fc_st32(p_, (uint32_t)SRC)); NEXT;
    VMCASE(0x6b) STORE(2, fc_st16(p_, (uint16_t)SRC)); NEXT;
    VMCASE(0x73) STORE(1, *p_ = (uint8_t)SRC); NEXT;
    VMCASE(0x7b) STORE(8, fc_st64(p_, SRC)); NEXT;
    VMCASE(0xc3)
    VMCASE(0xdb) {
        unsigned sz = ip[0] == 0xdb ? 8u : 4u;
        int32_t op = IMM;
        int wrote_r0;
        uint8_t *p;
        XLATE(p, DST, sz, FC_MEM_READ | FC_MEM_WRITE);
        uint64_t old = fc_atomic_rmw(p, sz == 8, op, SRC, reg[0], &wrote_r0);
        if (sz == 4)
            old = (uint32_t)old;
        if (wrote_r0)
            reg[0] = old;
        else if (op & FC_ATOMIC_FETCH)
            SRC = old;
        NEXT;
    }

    VMCASE(0x05) JUMP(OFF);
    VMCASE(0x06) JUMP(IMM);
    JCOND(0x15, 0x1d, uint64_t, ==)
    JCOND(0x25, 0x2d, uint64_t, >)
    JCOND(0x35, 0x3d, uint64_t, >=)
    JCOND(0xa5, 0xad, uint64_t, <)
    JCOND(0xb5, 0xbd, uint64_t, <=)
    JCOND(0x55, 0x5d, uint64_t, !=)
    JCOND(0x65, 0x6d, int64_t, >)
    JCOND(0x75, 0x7d, int64_t, >=)
    JCOND(0xc5, 0xcd, int64_t, <)
    JCOND(0xd5, 0xdd, int64_t, <=)
    JSET(0x45, 0x4d, uint64_t)
    JCOND(0x16, 0x1e, uint32_t, ==)
    JCOND(0x26, 0x2e, uint32_t, >)
    JCOND(0x36, 0x3e, uint32_t, >=)
    JCOND(0xa6, 0xae, uint32_t, <)
    JCOND(0xb6, 0xbe, uint32_t, <=)
    JCOND(0x56, 0x5e, uint32_t, !=)
    JCOND(0x66, 0x6e, int32_t, >)
    JCOND(0x76, 0x7e, int32_t, >=)
    JCOND(0xc6, 0xce, int32_t, <)
    JCOND(0xd6, 0xde, int32_t, <=)
    JSET(0x46, 0x4e, uint32_t)

    VMCASE(0x85)
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
    VMCASE(0x95)
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
    S3ALU32(FC_S3_ADD32, +) S3ALU32(FC_S3_SUB32, -) S3ALU32(FC_S3_AND32, &)
    S3ALU32(FC_S3_OR32, |) S3ALU32(FC_S3_XOR32, ^)
    S3ALU64(FC_S3_ADD64, +) S3ALU64(FC_S3_SUB64, -) S3ALU64(FC_S3_AND64, &)
    S3ALU64(FC_S3_OR64, |) S3ALU64(FC_S3_XOR64, ^)
    S3ALU32(FC_S3_MUL32, *) S3ALU64(FC_S3_MUL64, *)
    S3K64(FC_S3K_ADD64, reg[ip[4]] + (uint64_t)(int64_t)IMM2)
    S3K64(FC_S3K_AND64, reg[ip[4]] & (uint64_t)(int64_t)IMM2)
    S3K64(FC_S3K_OR64, reg[ip[4]] | (uint64_t)(int64_t)IMM2)
    S3K64(FC_S3K_LSH64, reg[ip[4]] << (IMM2 & 63))
    S3K64(FC_S3K_RSH64, reg[ip[4]] >> (IMM2 & 63))
    S3K32(FC_S3K_ADD32, (uint32_t)reg[ip[4]] + (uint32_t)IMM2)
    S3K32(FC_S3K_AND32, (uint32_t)reg[ip[4]] & (uint32_t)IMM2)
    S3K32(FC_S3K_OR32, (uint32_t)reg[ip[4]] | (uint32_t)IMM2)
    S3K32(FC_S3K_LSH32, (uint32_t)reg[ip[4]] << (IMM2 & 31))
    S3K32(FC_S3K_RSH32, (uint32_t)reg[ip[4]] >> (IMM2 & 31))
    VMCASE(FC_S2_ADDK64_MOV64) XDST += IMMU; reg[ip[2]] = reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    VMCASE(FC_S2_ADDK64_MOV32) XDST += IMMU; reg[ip[2]] = (uint32_t)reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    VMCASE(FC_S2_ADDK32_MOV64)
        XDST = (uint32_t)((uint32_t)XDST + (uint32_t)IMM); reg[ip[2]] = reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    VMCASE(FC_S2_ADDK32_MOV32)
        XDST = (uint32_t)((uint32_t)XDST + (uint32_t)IMM); reg[ip[2]] = (uint32_t)reg[ip[3]];
        ip += FC_INSN_SIZE;
        NEXT;
    SALU64(FC_S_ADD64, +) SALU64(FC_S_SUB64, -) SALU64(FC_S_MUL64, *)
    SALU64(FC_S_OR64, |) SALU64(FC_S_AND64, &) SALU64(FC_S_XOR64, ^)
    VMCASE(FC_S_LSH64) XDST <<= (XSRC & 63); NEXT;
    VMCASE(FC_S_RSH64) XDST >>= (XSRC & 63); NEXT;
    VMCASE(FC_S_ARSH64) XDST = (uint64_t)((int64_t)XDST >> (XSRC & 63)); NEXT;
    VMCASE(FC_S_MOV64) XDST = XSRC; NEXT;
    SLDX(FC_S_LDXW, 4, fc_ld32(p_)) SLDX(FC_S_LDXH, 2, fc_ld16(p_))
    SLDX(FC_S_LDXB, 1, *p_) SLDX(FC_S_LDXDW, 8, fc_ld64(p_))
    SLDX_ALU32(FC_S2_LDXB_ADD32, 1, *p_, +) SLDX_ALU32(FC_S2_LDXH_ADD32, 2, fc_ld16(p_), +)
    /* sum += *p++: s is neither d nor e (checked), so it is read once and stepped from there */
    VMCASE(FC_S2_LDXH_ADD32_STEP) {
        const uint8_t *p_;
        const unsigned sn_ = ip[4];
        const uint64_t a_ = reg[sn_];
        uint64_t d_ = a_ + (uint64_t)(int64_t)OFF - rc2.base;
        if (LIKELY(d_ < rc2.lim))
            p_ = rc2_host + d_;
        else
            CACHE_MISS(rc2, wc2, p_, a_, 2, FC_MEM_READ, FC_MEM_WRITE);
        const uint32_t v_ = fc_ld16(p_);
        XDST = v_;
        reg[ip[5]] = (uint32_t)((uint32_t)reg[ip[5]] + v_);
        reg[sn_] = a_ + (uint64_t)(int64_t)(int32_t)fc_ld32(ip + 20);
        ip += 2 * FC_INSN_SIZE;
        NEXT;
    }
    SLDX_ALU32(FC_S2_LDXW_ADD32, 4, fc_ld32(p_), +) SLDX_ALU32(FC_S2_LDXB_XOR32, 1, *p_, ^)
    SLDX_ALU32(FC_S2_LDXH_XOR32, 2, fc_ld16(p_), ^) SLDX_ALU32(FC_S2_LDXW_XOR32, 4, fc_ld32(p_), ^)
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
    VMCASE(FC_SL_A64M64_JNE) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; reg[ip[2]] = reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ != IMMU) JUMPB(OFF);
        NEXT;
    }
    VMCASE(FC_SL_A64M32_JLTX) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; reg[ip[2]] = (uint32_t)reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ < XSRC) JUMPB(OFF);
        NEXT;
    }
    VMCASE(FC_SL_A64M64_JLTX) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; reg[ip[2]] = reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ < XSRC) JUMPB(OFF);
        NEXT;
    }
    VMCASE(FC_SL_A32M64_JNE32) {
        uint32_t v_ = (uint32_t)XDST + (uint32_t)IMM;
        XDST = v_; reg[ip[2]] = reg[ip[3]]; ip += 2 * FC_INSN_SIZE;
        if (v_ != (uint32_t)IMM) JUMPB(OFF);
        NEXT;
    }
    VMCASE(FC_SL_A64_JLTX) {
        uint64_t v_ = XDST + IMMU;
        XDST = v_; ip += FC_INSN_SIZE;
        if (v_ < XSRC) JUMPB(OFF);
        NEXT;
    }
    SIDX_LDX(FC_S3_ADD64_LDXB, 1, *p_) SIDX_LDX(FC_S3_ADD64_LDXH, 2, fc_ld16(p_))
    SIDX_LDX(FC_S3_ADD64_LDXW, 4, fc_ld32(p_))
    /* pairs of register ALU instructions: "a op1= b; c op2= d", c and d in bytes 2 and 3 */
    VMCASE(FC_S2_MOV64_ADD64) XDST = XSRC; reg[ip[2]] += reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    VMCASE(FC_S2_MUL64_ADD64) XDST *= XSRC; reg[ip[2]] += reg[ip[3]]; ip += FC_INSN_SIZE; NEXT;
    VMCASE(FC_S2_MULK32_ADD32)
        DSTK = (uint32_t)((uint32_t)DSTK * (uint32_t)IMM);
        reg[ip[2]] = (uint32_t)((uint32_t)reg[ip[2]] + (uint32_t)reg[ip[3]]);
        ip += FC_INSN_SIZE;
        NEXT;
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
