/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JIT's architecture-independent front end, shared by the backends
 * (jit_x86_64.c, jit_thumb2.c): the run's context that compiled code works
 * on (reached through offsetof, so fields may move), the compile state with
 * its per-slot offsets and passes, the C functions compiled code calls for
 * the rare, long operations (helper calls, atomics, region-cache misses),
 * and the facts about a slot a backend needs (which accesses the verifier
 * proved, where a jump lands, what a transfer of control costs).
 */
#ifndef FC_JIT_INTERNAL_H
#define FC_JIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "fc/isa.h"
#include "fc/jit.h"
#include "fc/vm.h"
#include "../core/vm_internal.h"

/*
 * Region caches, as the specialised interpreter keeps them: one per access
 * size (1, 2, 4, 8 bytes: index 0..3) and direction (+4 for stores). A hit
 * is d = addr - base < lim, host address chost + d; lim 0 never hits.
 */
#define FC_JIT_NCACHE 8

/* The state of one run, on the C stack of fc_jit_run(); compiled code holds its address. */
typedef struct fc_jit_ctx {
    uint64_t reg[FC_NREGS];         /* r0..r10 on entry, and where registers are spilled around calls */
    int64_t budget;                 /* units left (negative: exhausted) while spilled */
    fc_vm_t *vm;                    /* its region table is the one the C side reads */
    uintptr_t stack;                /* host address of the stack region's byte 0 */
    uintptr_t fp;                   /* host address r10 points to */
    uintptr_t saved_sp;             /* the host stack pointer on entry (the backend's use) */
    uintptr_t tmp_sp;               /* the host stack pointer around a call into C */
    uint64_t vdelta;                /* r10's value minus fp: FC_VADDR(FC_REGION_STACK, 0) - stack */
    uint64_t tmp[2];                /* scratch for the backend */
    uint64_t cbase[FC_JIT_NCACHE];  /* region caches: first virtual address of the window */
    uint64_t clim[FC_JIT_NCACHE];   /* length of the window minus size - 1 (0: empty) */
    uint8_t *chost[FC_JIT_NCACHE];  /* host address of the window's first byte */
    uint32_t stack_lo;              /* offset of the current frame's bottom (programs with calls) */
    uint32_t depth;                 /* local calls active */
    uint32_t pc;                    /* the slot of a fault or of the exit */
    int32_t err;                    /* FC_OK, or the fault */
} fc_jit_ctx_t;

/* Cache index of an access of 1 << lg bytes; stores use the second half. */
#define FC_JIT_CACHE(lg, store) ((unsigned)(lg) + ((store) ? 4u : 0u))

/* The header at the start of a compiled buffer. */
typedef struct {
    uint32_t magic;    /* FC_JIT_MAGIC */
    uint32_t nslots;   /* the program's length */
    uint32_t table;    /* offset of the per-slot offsets (uint32_t each) */
    uint32_t enter;    /* offset of the entry routine */
    uint64_t prog;     /* address of the program it was compiled from */
    uint32_t umap;     /* offset of the unsafe-entry bitmap (fc_jit_mark_unsafe) */
    uint8_t hot;       /* a region cache k the run fills from the context region up front (fc_jit_state_t::hot) */
    uint8_t hot_o;     /* k ^ 4, the same size's other direction, filled with it */
    uint8_t hot_m1;    /* its access size minus 1 */
    uint8_t hot_acc;   /* the access it needs, FC_MEM_READ or FC_MEM_WRITE (the other: hot_o's) */
    uint32_t cold;     /* nonzero: the code reads a region cache other than hot and hot ^ 4 (the run empties them all) */
    uint32_t stack;    /* nonzero: the code or the C it calls reads stack, fp or vdelta (r10 named, a call, an atomic) */
} fc_jit_hdr_t;

#define FC_JIT_MAGIC 0x544a4346u /* "FCJT" */

/* The compile state; the backend emits at p, which never passes end. */
typedef struct fc_jit_state {
    const fc_vm_t *vm;
    const uint8_t *code;      /* the program's slots */
    uint32_t nslots;
    unsigned pass;            /* 0: sizes and offsets, 1: final bytes (same sizes) */
    uint8_t *buf;             /* start of the buffer (the header) */
    uint8_t *p;               /* emission cursor */
    uint8_t *end;             /* first byte the code may not reach */
    uint32_t *off;            /* off[pc]: offset of slot pc's code from buf (filled by pass 0) */
    int overflow;             /* set when p would pass end */
    uint32_t pc;              /* slot being compiled */
    /* out-of-line code after the slots (fault and miss stubs), fixed size each */
    uint32_t stub_base;       /* offset of the first stub (known from pass 0) */
    uint32_t nstubs;          /* stubs emitted so far in this pass */
    uint8_t *stub_p;          /* the stubs' own cursor in pass 1 */
    uint32_t lbl[16];         /* backend's shared routines (exit, trampolines): offsets, and its state */
    uint8_t *tmap;            /* bit pc: control arrives at slot pc from elsewhere (a target) */
    uint8_t *umap;            /* bit pc: entering at slot pc is not safe (kept with the code) */
    uint32_t hot;             /* the busiest region cache, filled up front (the front end's choice; x86-64 keeps it in r12) */
} fc_jit_state_t;

/* Whether control can reach slot pc other than from slot pc - 1 (jump or call target, return point). */
static inline int fc_jit_is_target(const fc_jit_state_t *s, uint32_t pc)
{
    return pc < s->nslots && (s->tmap[pc / 8] >> (pc % 8) & 1u);
}

/*
 * Slot pc's code depends on the slot before it (fused with it, or reusing
 * its flags): fc_vm_run() from entry pc then interprets instead. Only for
 * slots that are not targets.
 */
static inline void fc_jit_mark_unsafe(fc_jit_state_t *s, uint32_t pc)
{
    if (pc < s->nslots)
        s->umap[pc / 8] |= (uint8_t)(1u << (pc % 8));
}

/* Emit one byte (bounded: past end, only the overflow flag is set). */
static inline void fc_jit_byte(fc_jit_state_t *s, unsigned b)
{
    if (s->p < s->end)
        *s->p = (uint8_t)b;
    else
        s->overflow = 1;
    s->p++;
}

/* Offset of the cursor from the start of the buffer. */
static inline uint32_t fc_jit_here(const fc_jit_state_t *s)
{
    return (uint32_t)(s->p - s->buf);
}

/* The decoded slot pc. */
static inline fc_insn_t fc_jit_insn(const fc_jit_state_t *s, uint32_t pc)
{
    return fc_insn_decode(s->code + (size_t)pc * FC_INSN_SIZE);
}

/* The second slot's immediate of the LDDW at pc (its upper 32 bits). */
static inline uint32_t fc_jit_lddw_hi(const fc_jit_state_t *s, uint32_t pc)
{
    return fc_ld32(s->code + (size_t)(pc + 1) * FC_INSN_SIZE + 4);
}

/* Where a jump at pc lands: gotol (JMP32 class JA) has its offset in imm. */
static inline uint32_t fc_jit_target(uint32_t pc, fc_insn_t i)
{
    int32_t o = i.op == FC_OP_JA32 ? i.imm : i.off;
    if (i.op == FC_OP_CALL)
        o = i.imm;
    return (uint32_t)((int64_t)pc + 1 + o);
}

/* Budget a taken jump (or the local call's distance) pays: the slots it goes back, else 0. */
static inline uint32_t fc_jit_back_cost(fc_insn_t i)
{
    int32_t o = (i.op == FC_OP_JA32 || i.op == FC_OP_CALL) ? i.imm : i.off;
    return o < 0 ? (uint32_t)-(int64_t)o : 0u;
}

/*
 * Whether the access of slot i needs no check: loads and stores through
 * r10 (always with a constant offset) were proven inside the frame by the
 * verifier; atomics are always checked, as the interpreters check them.
 */
static inline int fc_jit_proven(fc_insn_t i)
{
    unsigned cls = i.op & 7u;
    if (cls == FC_CLS_LDX)
        return i.src == 10;
    if (cls == FC_CLS_ST || (cls == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_MEM))
        return i.dst == 10;
    return 0;
}

/* log2 of the access size of a load or store. */
static inline unsigned fc_jit_size_lg(uint8_t op)
{
    switch (op & 0x18u) {
    case FC_SIZE_B: return 0;
    case FC_SIZE_H: return 1;
    case FC_SIZE_W: return 2;
    default: return 3;
    }
}

/* The C side compiled code calls (jit.c); each returns 0 to go on, else the run ends (ctx->err). */
int fc_jit_c_call(fc_jit_ctx_t *ctx);
int fc_jit_c_atomic(fc_jit_ctx_t *ctx);
/* A cache miss for cache k at ctx->pc, d = address - cbase[k]: the host address, or NULL (fault). */
uint8_t *fc_jit_c_miss(fc_jit_ctx_t *ctx, uint64_t d, uint32_t k);
/* Forget every cache (after a helper call, a local call, a return). */
static inline void fc_jit_cache_clear(fc_jit_ctx_t *ctx)
{
    FC_MEMSET(ctx->clim, 0, sizeof ctx->clim);
}

/*
 * What a backend provides. Sizes are bounds: a slot's code and its stubs
 * never exceed FC_JIT_SLOT_MAX bytes, the shared routines FC_JIT_FIXED.
 */
void fc_jit_arch_begin(fc_jit_state_t *s);       /* prologue and shared routines; sets hdr enter */
void fc_jit_arch_slot(fc_jit_state_t *s, fc_insn_t i); /* slot s->pc (an LDDW covers two) */
void fc_jit_arch_end(fc_jit_state_t *s);         /* after the last slot */
#if FC_JIT_X86_64
/* The entry routine is a C function of (ctx, target): inline, no call of a call every run. */
static inline void fc_jit_arch_enter(const uint8_t *code, uint32_t enter, fc_jit_ctx_t *ctx, const uint8_t *target)
{
    void (*fn)(fc_jit_ctx_t *, const uint8_t *);
    const uint8_t *at = code + enter;
    FC_MEMCPY(&fn, &at, sizeof fn);
    fn(ctx, target);
}
#else
void fc_jit_arch_enter(const uint8_t *code, uint32_t enter, fc_jit_ctx_t *ctx, const uint8_t *target);
#endif

#if FC_JIT_X86_64
#define FC_JIT_SLOT_MAX 320u
#define FC_JIT_FIXED    512u
#elif FC_JIT_THUMB2
#ifndef FC_JIT_SLOT_MAX
#define FC_JIT_SLOT_MAX 160u
#endif
#ifndef FC_JIT_FIXED
#define FC_JIT_FIXED    512u
#endif
#endif

#endif /* FC_JIT_INTERNAL_H */
