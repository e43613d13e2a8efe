/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86-64 backend (System V). eBPF r0..r9 live in host registers for
 * the whole run; r10 is kept as the host address of the frame (rbp), so a
 * proven stack access is one instruction. The rest of the machine:
 *
 *   r15  the run's context (fc_jit_ctx_t), every field through offsetof;
 *        the budget left is its field (sub [r15 + budget], n costs what a
 *        register would)
 *   r12  the host address of the window of the program's most used region
 *        cache, so those accesses need no add
 *   rcx, r11  scratch (shift counts, addresses, divisors)
 *
 * Every access the verifier did not prove goes through the region cache
 * of its size and direction (as the specialised interpreter's): a hit is
 * lea, sub, cmp, jae, add, then the access; a miss calls out of line into
 * fc_jit_c_miss(), which does the interpreter's full check, refills the
 * cache or faults. Faults leave through per-site stubs after the code
 * that record the slot and the cause. Helper calls and atomics call into
 * C (jit.c) with the registers spilled to the context; local calls use the
 * host stack for r6..r9 and the call's slot, with the interpreter's frame
 * rules and budget. Every jump is rel32, so both passes emit the same
 * sizes and the second only fills in the targets.
 */
#include "jit_internal.h"

#if FC_JIT_X86_64

/* host registers */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

#define CTX R15
#define HOT R12 /* host address of the hot region cache's window (fc_jit_state_t::hot) */
#define FP  RBP
#define T1  RCX
#define T2  R11

/* eBPF r0..r9 (r10 is FP, a host address) */
static const uint8_t hreg[10] = { RAX, RDI, RSI, RDX, R9, R8, RBX, R13, R14, R10 };

/*
 * fc_jit_state_t::lbl: the shared routines, then the peephole state:
 * L_FLAGS/L_PREV what the host flags hold after this slot / before it
 * (eBPF register + 1 in bits 0-7, 0: nothing known; bit 8: a 64-bit
 * result), L_SETTER the slot that set them, L_SKIP the next slot was
 * compiled with this one. L_MASK: the eBPF registers r0..r9 the program
 * can observe (bit r); L_NEG: host register + 1 holding -cbase[hot] (0: none;
 * with it r12 holds chost[hot] - cbase[hot]), L_HI: one holding
 * cbase[hot] + clim[hot] (0: none). L_LOOP_*: the loop whose one hot
 * access is checked with a single compare (find_loop): its first slot + 1
 * (0: none), the access's slot, the back edge's slot, and the offset after
 * the first slot's entry check, where the back edge lands.
 */
enum { L_ENTER, L_EXIT, L_MISS, L_CCALL, L_CLEAR, L_FLAGS, L_SETTER, L_SKIP, L_PREV, L_MASK, L_NEG, L_HI,
       L_LOOP_H, L_LOOP_A, L_LOOP_J, L_LOOP_RES };
#define FLAGS_OF(r, w) ((uint32_t)(r) + 1u + ((w) ? 0x100u : 0u))

#define STUB_SIZE 40u

#define CF(field) ((int32_t)offsetof(fc_jit_ctx_t, field))

/* condition codes */
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7, CC_L = 12, CC_GE = 13,
       CC_LE = 14, CC_G = 15 };

static void b1(fc_jit_state_t *s, unsigned v) { fc_jit_byte(s, v & 0xffu); }
static void b4(fc_jit_state_t *s, uint32_t v)
{
    for (unsigned k = 0; k < 4; k++)
        b1(s, v >> (8 * k));
}
static void b8(fc_jit_state_t *s, uint64_t v)
{
    b4(s, (uint32_t)v);
    b4(s, (uint32_t)(v >> 32));
}

/* REX prefix; emitted when any bit is set or when forced (byte registers sil, dil). */
static void rex(fc_jit_state_t *s, unsigned w, unsigned r, unsigned base, int force)
{
    unsigned v = 0x40u | (w << 3) | ((r >> 3) << 2) | (base >> 3);
    if (v != 0x40u || force)
        b1(s, v);
}

/* opcode: one byte, or 0x0f and a second when above 0xff */
static void opc(fc_jit_state_t *s, unsigned op)
{
    if (op > 0xffu)
        b1(s, op >> 8);
    b1(s, op);
}

/* op reg, rm (register direct) */
static void rr(fc_jit_state_t *s, unsigned w, unsigned op, unsigned reg, unsigned rm)
{
    rex(s, w, reg, rm, 0);
    opc(s, op);
    b1(s, 0xc0u | ((reg & 7u) << 3) | (rm & 7u));
}

/* ModRM (+SIB, disp) for [base + disp] */
static void modmem(fc_jit_state_t *s, unsigned reg, unsigned base, int32_t disp)
{
    unsigned sib = (base & 7u) == RSP;
    if (disp == 0 && (base & 7u) != RBP) {
        b1(s, ((reg & 7u) << 3) | (base & 7u));
        if (sib) b1(s, 0x24);
    } else if (disp >= -128 && disp <= 127) {
        b1(s, 0x40u | ((reg & 7u) << 3) | (base & 7u));
        if (sib) b1(s, 0x24);
        b1(s, (unsigned)disp);
    } else {
        b1(s, 0x80u | ((reg & 7u) << 3) | (base & 7u));
        if (sib) b1(s, 0x24);
        b4(s, (uint32_t)disp);
    }
}

/* the base "register" of [r12 + rcx], a hit in the hot region cache */
#define MEM_HOT 16u
/* [r12 + index + disp] with r12 = chost - cbase of the hot cache (L_NEG); index + 1 in MEM_HOTX + 1.. */
#define MEM_HOTX 17u

/* op reg, [base + disp] (or the reverse, as the opcode says) */
static void rm(fc_jit_state_t *s, unsigned w, unsigned op, unsigned reg, unsigned base, int32_t disp,
               int force)
{
    if (base > MEM_HOT) { /* [r12 + x + disp] */
        const unsigned x = base - MEM_HOTX - 1u;
        const unsigned v = 0x40u | (w << 3) | ((reg >> 3) << 2) | ((x >> 3) << 1) | (HOT >> 3);
        if (v != 0x40u || force)
            b1(s, v);
        opc(s, op);
        const unsigned mod = disp == 0 ? 0x00u : disp >= -128 && disp <= 127 ? 0x40u : 0x80u;
        b1(s, mod | ((reg & 7u) << 3) | 4u);
        b1(s, ((x & 7u) << 3) | (HOT & 7u));
        if (mod == 0x40u)
            b1(s, (unsigned)disp);
        else if (mod == 0x80u)
            b4(s, (uint32_t)disp);
        return;
    }
    if (base == MEM_HOT) {
        rex(s, w, reg, HOT, force);
        opc(s, op);
        b1(s, ((reg & 7u) << 3) | 4u);
        b1(s, (T1 << 3) | (HOT & 7u)); /* SIB: index rcx, base r12 */
        return;
    }
    rex(s, w, reg, base, force);
    opc(s, op);
    modmem(s, reg, base, disp);
}

static void mov_rr(fc_jit_state_t *s, unsigned w, unsigned dst, unsigned src)
{
    if (dst != src || !w)
        rr(s, w, 0x89, src, dst);
}
static void load_ctx(fc_jit_state_t *s, unsigned reg, int32_t field) { rm(s, 1, 0x8b, reg, CTX, field, 0); }
static void store_ctx(fc_jit_state_t *s, unsigned reg, int32_t field) { rm(s, 1, 0x89, reg, CTX, field, 0); }
/* mov dword [ctx + field], imm */
static void store_ctx32(fc_jit_state_t *s, int32_t field, uint32_t imm)
{
    rm(s, 0, 0xc7, 0, CTX, field, 0);
    b4(s, imm);
}
/* group-1 op (n: add 0, or 1, and 4, sub 5, xor 6, cmp 7) on a register with imm32 */
static void alu_ri(fc_jit_state_t *s, unsigned w, unsigned n, unsigned reg, int32_t imm)
{
    rr(s, w, 0x81, n, reg);
    b4(s, (uint32_t)imm);
}
/* group-1 op on dword [ctx + field] with imm32 */
static void alu_ctx32(fc_jit_state_t *s, unsigned n, int32_t field, uint32_t imm)
{
    rm(s, 0, 0x81, n, CTX, field, 0);
    b4(s, imm);
}
/* sub qword [ctx + budget], n */
static void pay(fc_jit_state_t *s, uint32_t n)
{
    rm(s, 1, 0x81, 5, CTX, CF(budget), 0);
    b4(s, n);
}
static void mov_ri64(fc_jit_state_t *s, unsigned reg, uint64_t v)
{
    rex(s, 1, 0, reg, 0);
    b1(s, 0xb8u + (reg & 7u));
    b8(s, v);
}
static void mov_ri32(fc_jit_state_t *s, unsigned reg, uint32_t v)
{
    rex(s, 0, 0, reg, 0);
    b1(s, 0xb8u + (reg & 7u));
    b4(s, v);
}
static void push(fc_jit_state_t *s, unsigned reg)
{
    rex(s, 0, 0, reg, 0);
    b1(s, 0x50u + (reg & 7u));
}
static void pop(fc_jit_state_t *s, unsigned reg)
{
    rex(s, 0, 0, reg, 0);
    b1(s, 0x58u + (reg & 7u));
}

/* rel32 to an offset in the buffer */
static void rel32(fc_jit_state_t *s, uint32_t to)
{
    b4(s, (uint32_t)((int64_t)to - (int64_t)(fc_jit_here(s) + 4)));
}
static void jmp_to(fc_jit_state_t *s, uint32_t to) { b1(s, 0xe9); rel32(s, to); }
static void call_to(fc_jit_state_t *s, uint32_t to) { b1(s, 0xe8); rel32(s, to); }
static void jcc_to(fc_jit_state_t *s, unsigned cc, uint32_t to)
{
    b1(s, 0x0f);
    b1(s, 0x80u + cc);
    rel32(s, to);
}
/* short forward jump, patched by land() */
static uint8_t *jcc8(fc_jit_state_t *s, unsigned cc)
{
    b1(s, cc == 16 ? 0xebu : 0x70u + cc);
    uint8_t *at = s->p;
    b1(s, 0);
    return at;
}
static void land(fc_jit_state_t *s, uint8_t *at)
{
    if (at < s->end)
        *at = (uint8_t)(s->p - (at + 1));
}
#define JMP8 16u

static uint32_t slot_at(const fc_jit_state_t *s, uint32_t pc) { return s->off[pc]; }

/*
 * Out-of-line code for one site, STUB_SIZE bytes after the slots: the
 * bytes go to the stubs' cursor; returns the stub's offset.
 */
static uint32_t stub_begin(fc_jit_state_t *s, uint8_t **save)
{
    uint32_t at = s->stub_base + s->nstubs * STUB_SIZE;
    *save = s->p;
    if (s->pass == 1)
        s->p = s->stub_p;
    return at;
}
static void stub_end(fc_jit_state_t *s, uint8_t *save, uint32_t at)
{
    if (s->pass == 1) {
        while (fc_jit_here(s) < at + STUB_SIZE)
            b1(s, 0xcc);
        s->stub_p = s->p;
    }
    s->p = save;
    s->nstubs++;
}
/* a fault at the current slot with a fixed cause */
static uint32_t stub_fault(fc_jit_state_t *s, int err)
{
    uint8_t *save;
    uint32_t at = stub_begin(s, &save);
    if (s->pass == 1) {
        store_ctx32(s, CF(pc), s->pc);
        store_ctx32(s, CF(err), (uint32_t)err);
        jmp_to(s, s->lbl[L_EXIT]);
    }
    stub_end(s, save, at);
    return at;
}
/* a cache miss: rcx = address - base; back at resume with rcx the host address */
static void lea_bid(fc_jit_state_t *s, unsigned d, unsigned base, unsigned index, int32_t disp);
/* fast: the single-compare check of base (the loop's access): make rcx = d first */
static uint32_t stub_miss(fc_jit_state_t *s, unsigned k, uint32_t resume, int fast, unsigned base)
{
    uint8_t *save;
    uint32_t at = stub_begin(s, &save);
    if (s->pass == 1) {
        if (fast)
            lea_bid(s, T1, base, s->lbl[L_NEG] - 1u, 0);
        store_ctx32(s, CF(pc), s->pc);
        mov_ri32(s, T2, k);
        call_to(s, s->lbl[L_MISS]);
        if (k == s->hot && s->lbl[L_NEG] == 0)
            rr(s, 1, 0x29, HOT, T1); /* sub rcx, r12: the access adds it back */
        jmp_to(s, resume);
    }
    stub_end(s, save, at);
    return at;
}

/* the host register holding eBPF register r, r10's value materialised in T2 */
static unsigned use(fc_jit_state_t *s, unsigned r)
{
    if (r < 10)
        return hreg[r];
    load_ctx(s, T2, CF(vdelta));
    rr(s, 1, 0x01, FP, T2); /* add r11, rbp */
    return T2;
}

/*
 * The eBPF registers r0..r9 the program can observe (bit r): named by a
 * slot, r0 (the result), and all of them when it calls helpers or does
 * atomics (what C sees of the registers is then the spill area, all of it);
 * bit 10 when the code uses FP (rbp), which is then saved and loaded.
 */
static uint32_t reg_mask(const fc_jit_state_t *s)
{
    uint32_t m = 1u;
    for (uint32_t pc = 0; pc < s->nslots; pc++) {
        const fc_insn_t i = fc_jit_insn(s, pc);
        if (i.op == FC_OP_CALL && i.src != FC_CALL_LOCAL)
            return 0x7ffu;
        if ((i.op & 7u) == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_ATOMIC)
            return 0x7ffu;
        /* bit 10: rbp (FP) is used: r10 named, or a local call moves it */
        m |= (i.dst <= 10 ? 1u << i.dst : 0u) | (i.src <= 10 ? 1u << i.src : 0u);
        if (i.op == FC_OP_CALL)
            m |= 1u << 10;
        if (i.op == FC_OP_LDDW)
            pc++;
    }
    return m;
}

/*
 * A host register of an eBPF register the program never observes, to hold
 * -cbase[hot]: a hot access's d is then one lea. 0 when every one is used.
 */
static uint32_t free_reg(uint32_t *mask)
{
    static const uint8_t order[9] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
    for (unsigned k = 0; k < 9; k++)
        if (!(*mask >> order[k] & 1u)) {
            *mask |= 1u << order[k];
            return hreg[order[k]] + 1u;
        }
    return 0;
}

/*
 * NEG = -cbase[hot], HI = cbase[hot] + clim[hot], r12 = chost[hot] -
 * cbase[hot]: after anything that may have moved or emptied the hot window
 * (or restored an old NEG or HI from the host stack).
 */
static void load_neg(fc_jit_state_t *s)
{
    if (s->lbl[L_NEG] == 0)
        return;
    const unsigned n = s->lbl[L_NEG] - 1u;
    load_ctx(s, n, CF(cbase[s->hot]));
    if (s->lbl[L_HI] != 0) {
        const unsigned h = s->lbl[L_HI] - 1u;
        mov_rr(s, 1, h, n);
        rm(s, 1, 0x03, h, CTX, CF(clim[s->hot]), 0); /* add HI, lim */
    }
    rr(s, 1, 0xf7, 3, n); /* neg */
    load_ctx(s, HOT, CF(chost[s->hot]));
    rr(s, 1, 0x01, n, HOT); /* add r12, NEG */
}

/* spill r0..r9 and the budget / reload them */
static void spill(fc_jit_state_t *s)
{
    for (unsigned r = 0; r < 10; r++)
        store_ctx(s, hreg[r], CF(reg[r]));
    store_ctx(s, FP, CF(fp));
}
static void reload(fc_jit_state_t *s)
{
    for (unsigned r = 0; r < 10; r++)
        load_ctx(s, hreg[r], CF(reg[r]));
}

/* C function address as an immediate */
static uint64_t fn_addr(int (*fn)(fc_jit_ctx_t *))
{
    uint64_t a = 0;
    FC_MEMCPY(&a, &fn, sizeof fn < sizeof a ? sizeof fn : sizeof a);
    return a;
}
static uint64_t miss_addr(void)
{
    uint8_t *(*fn)(fc_jit_ctx_t *, uint64_t, uint32_t) = fc_jit_c_miss;
    uint64_t a = 0;
    FC_MEMCPY(&a, &fn, sizeof fn < sizeof a ? sizeof fn : sizeof a);
    return a;
}

/* call a C side function of jit.c for the current slot; the run ends when it says so */
static void ccall(fc_jit_state_t *s, int (*fn)(fc_jit_ctx_t *))
{
    store_ctx32(s, CF(pc), s->pc);
    mov_ri64(s, T2, fn_addr(fn));
    call_to(s, s->lbl[L_CCALL]);
    rr(s, 0, 0x85, T2, T2); /* test r11d, r11d */
    jcc_to(s, CC_NE, s->lbl[L_EXIT]);
}

/* whether slot i writes eBPF register r (conservative: an LDDW's second half counts as writing r0) */
static int writes(fc_insn_t i, unsigned r)
{
    const unsigned cls = i.op & 7u;
    return i.dst == r && (cls == FC_CLS_ALU || cls == FC_CLS_ALU64 || cls == FC_CLS_LD || cls == FC_CLS_LDX);
}

/*
 * A loop whose one hot access needs a single compare: a backward jump at j
 * to h with a straight-line body (no slot in h+1..j a target, no jump,
 * call, exit or atomic in h..j-1), exactly one checked access of the hot
 * cache's size (either direction) in it, at offset 0 from a register p
 * that the body writes only with one "p += K", 0 <= K < 2^31. The first
 * slot checks on arrival that 0 <= p - cbase < 2^32 (else it empties the
 * hot cache, cbase 0); the back edge lands after that check. Then p >=
 * cbase holds at the access on every iteration (p only grows, without
 * wrapping; a refill happens only at this access and puts cbase at or
 * below p), so p < cbase + clim (p < HI) alone is the full check. The
 * slots after h are no safe entries. Sets L_LOOP_*; 0 in L_LOOP_H: none.
 */
static void find_loop(fc_jit_state_t *s)
{
    const unsigned hot = s->hot, pair = s->hot ^ 4u;
    s->lbl[L_LOOP_H] = 0;
    if (s->lbl[L_NEG] == 0 || s->lbl[L_HI] == 0)
        return;
    for (uint32_t j = 0; j < s->nslots; j++) {
        const fc_insn_t b = fc_jit_insn(s, j);
        const unsigned bc = b.op & 7u;
        if (b.op == FC_OP_LDDW) {
            j++;
            continue;
        }
        if ((bc != FC_CLS_JMP && bc != FC_CLS_JMP32) || b.op == FC_OP_CALL || b.op == FC_OP_EXIT ||
            fc_jit_back_cost(b) == 0)
            continue;
        const uint32_t h = fc_jit_target(j, b);
        if (h >= j)
            continue;
        uint32_t a = UINT32_MAX, nacc = 0, nadd = 0, ok = 1;
        unsigned p = 0;
        for (uint32_t pc = h; pc < j && ok; pc++) {
            const fc_insn_t i = fc_jit_insn(s, pc);
            const unsigned cls = i.op & 7u;
            if (pc > h && fc_jit_is_target(s, pc))
                ok = 0;
            else if (cls == FC_CLS_JMP || cls == FC_CLS_JMP32 ||
                     (cls == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_ATOMIC))
                ok = 0;
            else if ((cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX) && !fc_jit_proven(i)) {
                const unsigned k = FC_JIT_CACHE(fc_jit_size_lg(i.op), cls != FC_CLS_LDX);
                if (k == hot || k == pair) {
                    nacc++;
                    a = pc;
                    p = cls == FC_CLS_LDX ? i.src : i.dst;
                    if (k != hot || i.off != 0)
                        ok = 0;
                }
            }
            if (i.op == FC_OP_LDDW)
                pc++;
        }
        if (!ok || nacc != 1 || fc_jit_is_target(s, j))
            continue;
        for (uint32_t pc = h; pc < j && ok; pc++) {
            const fc_insn_t i = fc_jit_insn(s, pc);
            if (writes(i, p)) {
                if (i.op != (FC_CLS_ALU64 | FC_ALU_ADD | FC_SRC_K) || i.imm < 0 || ++nadd > 1)
                    ok = 0;
            }
            if (i.op == FC_OP_LDDW) {
                if (writes(fc_jit_insn(s, pc + 1), p))
                    ok = 0;
                pc++;
            }
        }
        if (!ok)
            continue;
        s->lbl[L_LOOP_H] = h + 1;
        s->lbl[L_LOOP_A] = a;
        s->lbl[L_LOOP_J] = j;
        for (uint32_t pc = h + 1; pc <= j; pc++)
            fc_jit_mark_unsafe(s, pc);
        return;
    }
}

/* the loop's first slot: 0 <= p - cbase < 2^32 on arrival, else the hot cache is emptied with cbase 0 */
static void loop_entry(fc_jit_state_t *s)
{
    const fc_insn_t i = fc_jit_insn(s, s->lbl[L_LOOP_A]);
    const unsigned p = hreg[(i.op & 7u) == FC_CLS_LDX ? i.src : i.dst];
    lea_bid(s, T1, p, s->lbl[L_NEG] - 1u, 0);
    rr(s, 1, 0xc1, 5, T1); /* shr rcx, 32 */
    b1(s, 32);
    const uint32_t resume = fc_jit_here(s) + 6u; /* after the jne rel32 below */
    uint8_t *save;
    const uint32_t at = stub_begin(s, &save);
    if (s->pass == 1) {
        rm(s, 1, 0xc7, 0, CTX, CF(cbase[s->hot]), 0);
        b4(s, 0);
        rm(s, 1, 0xc7, 0, CTX, CF(cbase[s->hot ^ 4u]), 0); /* its other direction's stays equal */
        b4(s, 0);
        call_to(s, s->lbl[L_CLEAR]); /* every lim 0, then NEG, HI and r12 from them */
        jmp_to(s, resume);
    }
    stub_end(s, save, at);
    jcc_to(s, CC_NE, at);
    s->lbl[L_LOOP_RES] = fc_jit_here(s);
}

void fc_jit_arch_begin(fc_jit_state_t *s)
{
    if (s->pass == 0) {
        s->lbl[L_MASK] = reg_mask(s);
        uint32_t taken = s->lbl[L_MASK];
        s->lbl[L_NEG] = free_reg(&taken);
        s->lbl[L_HI] = s->lbl[L_NEG] != 0 ? free_reg(&taken) : 0;
        find_loop(s);
        if (s->lbl[L_LOOP_H] == 0)
            s->lbl[L_HI] = 0; /* only the loop's check reads it */
    }
    const uint32_t mask = s->lbl[L_MASK];
    /* the host's callee-saved registers this code writes (r6..r8's only when used) */
    uint8_t saved[6];
    unsigned nsaved = 0;
    if (mask >> 10 & 1u)
        saved[nsaved++] = RBP;
    saved[nsaved++] = R12;
    saved[nsaved++] = R15;
    for (unsigned r = 6; r <= 8; r++)
        if ((mask >> r & 1u) || s->lbl[L_NEG] == hreg[r] + 1u || s->lbl[L_HI] == hreg[r] + 1u ||
            (s->vm->verified & FC_VERIFIED_CALLS))
            saved[nsaved++] = hreg[r];
    /* enter(ctx, target): r1, r2 from the context, the other observed registers 0 */
    s->lbl[L_ENTER] = fc_jit_here(s);
    for (unsigned k = 0; k < nsaved; k++)
        push(s, saved[k]);
    mov_rr(s, 1, CTX, RDI);
    store_ctx(s, RSP, CF(saved_sp));
    mov_rr(s, 1, T2, RSI);
    for (unsigned r = 0; r < 10; r++) {
        if (!(mask >> r & 1u))
            continue;
        if (r == 1 || r == 2)
            load_ctx(s, hreg[r], CF(reg[r]));
        else
            rr(s, 0, 0x31, hreg[r], hreg[r]); /* xor r32, r32 */
    }
    if (mask >> 10 & 1u)
        load_ctx(s, FP, CF(fp));
    if (s->lbl[L_NEG] == 0)
        load_ctx(s, HOT, CF(chost[s->hot])); /* fc_jit_run may have filled it */
    load_neg(s); /* else it loads r12 (chost - cbase) */
    rr(s, 0, 0xff, 4, T2); /* jmp r11 */

    /* exit: r0 and the budget into the context, the host's registers back */
    s->lbl[L_EXIT] = fc_jit_here(s);
    store_ctx(s, RAX, CF(reg[0]));
    load_ctx(s, RSP, CF(saved_sp));
    for (unsigned k = nsaved; k-- > 0;)
        pop(s, saved[k]);
    b1(s, 0xc3);

    /* miss(rcx = d, r11 = cache): the host address in rcx, or the run ends */
    static const uint8_t caller[7] = { RAX, RDX, RSI, RDI, R8, R9, R10 };
    s->lbl[L_MISS] = fc_jit_here(s);
    for (unsigned k = 0; k < 7; k++)
        push(s, caller[k]);
    store_ctx(s, RSP, CF(tmp_sp));
    rr(s, 1, 0x83, 4, RSP); /* and rsp, -16 */
    b1(s, 0xf0);
    mov_rr(s, 1, RDI, CTX);
    mov_rr(s, 1, RSI, T1);
    mov_rr(s, 0, RDX, T2);
    mov_ri64(s, RAX, miss_addr());
    rr(s, 0, 0xff, 2, RAX); /* call rax */
    load_ctx(s, RSP, CF(tmp_sp));
    mov_rr(s, 1, T1, RAX);
    if (s->lbl[L_NEG] == 0)
        load_ctx(s, HOT, CF(chost[s->hot])); /* the refill may have moved the hot window (else load_neg) */
    for (unsigned k = 7; k-- > 0;)
        pop(s, caller[k]);
    load_neg(s);
    rr(s, 1, 0x85, T1, T1);
    jcc_to(s, CC_E, s->lbl[L_EXIT]);
    b1(s, 0xc3);

    /* ccall(r11 = function): registers spilled around it, its result in r11d */
    s->lbl[L_CCALL] = fc_jit_here(s);
    spill(s);
    store_ctx(s, RSP, CF(tmp_sp));
    rr(s, 1, 0x83, 4, RSP);
    b1(s, 0xf0);
    mov_rr(s, 1, RDI, CTX);
    rr(s, 0, 0xff, 2, T2); /* call r11 */
    load_ctx(s, RSP, CF(tmp_sp));
    mov_rr(s, 0, T2, RAX);
    reload(s);
    load_neg(s); /* a helper call empties the caches: HI with them */
    b1(s, 0xc3);

    /* clear: every region cache empty */
    s->lbl[L_CLEAR] = fc_jit_here(s);
    for (unsigned k = 0; k < FC_JIT_NCACHE; k++) {
        rm(s, 1, 0xc7, 0, CTX, CF(clim[k]), 0);
        b4(s, 0);
    }
    load_neg(s); /* a local call's return popped a saved copy of it */
    b1(s, 0xc3);
}

/* lea d, [base + index + disp] (64-bit); index is never rsp */
static void lea_bid(fc_jit_state_t *s, unsigned d, unsigned base, unsigned index, int32_t disp)
{
    b1(s, 0x48u | ((d >> 3) << 2) | ((index >> 3) << 1) | (base >> 3));
    b1(s, 0x8d);
    const unsigned sib = ((index & 7u) << 3) | (base & 7u);
    if (disp == 0 && (base & 7u) != RBP) {
        b1(s, 0x04u | ((d & 7u) << 3));
        b1(s, sib);
    } else if (disp >= -128 && disp <= 127) {
        b1(s, 0x44u | ((d & 7u) << 3));
        b1(s, sib);
        b1(s, (unsigned)disp);
    } else {
        b1(s, 0x84u | ((d & 7u) << 3));
        b1(s, sib);
        b4(s, (uint32_t)disp);
    }
}

void fc_jit_arch_end(fc_jit_state_t *s)
{
    (void)s;
}

/*
 * The host address of a checked access into rcx: through the cache, or
 * the miss stub, which comes back to the access.
 */
/*
 * Whether cache k's accesses go through NEG and r12: the hot cache and its
 * other direction, whose cbase and chost always equal the hot cache's (a
 * fill sets both directions' alike, the run clears both, the loop's reset
 * both).
 */
static int in_window(const fc_jit_state_t *s, unsigned k)
{
    return s->lbl[L_NEG] != 0 && (k == s->hot || k == (s->hot ^ 4u));
}

static void guard(fc_jit_state_t *s, unsigned base, int16_t off, unsigned lg, int store)
{
    const unsigned k = FC_JIT_CACHE(lg, store);
    const int fast = s->lbl[L_LOOP_H] != 0 && s->pc == s->lbl[L_LOOP_A];
    const int win = in_window(s, k);
    if (fast)
        rr(s, 1, 0x39, s->lbl[L_HI] - 1u, base); /* cmp p, HI (find_loop: p >= cbase here) */
    else if (win)
        lea_bid(s, T1, base, s->lbl[L_NEG] - 1u, off); /* lea rcx, [base + NEG + off] */
    else {
        rm(s, 1, 0x8d, T1, base, off, 0);            /* lea rcx, [base + off] */
        rm(s, 1, 0x2b, T1, CTX, CF(cbase[k]), 0);    /* sub rcx, base */
    }
    if (!fast)
        rm(s, 1, 0x3b, T1, CTX, CF(clim[k]), 0); /* cmp rcx, lim */
    /* the stub's address is known only after the jump: reserve, then patch */
    b1(s, 0x0f);
    b1(s, 0x80u + CC_AE);
    uint8_t *at = s->p;
    b4(s, 0);
    if (k != s->hot && !win)
        rm(s, 1, 0x03, T1, CTX, CF(chost[k]), 0); /* add rcx, host */
    uint32_t resume = fc_jit_here(s);
    uint32_t st = stub_miss(s, k, resume, fast, base);
    if (at + 4 <= s->end) {
        uint32_t rel = (uint32_t)((int64_t)st - (int64_t)((uint32_t)(at - s->buf) + 4));
        for (unsigned j = 0; j < 4; j++)
            at[j] = (uint8_t)(rel >> (8 * j));
    }
}

/* where the access of slot i goes: [rbp + off] when proven, else [rcx] or [r12 + rcx] after the guard */
static unsigned operand(fc_jit_state_t *s, fc_insn_t i, unsigned lg, int store, int32_t *disp)
{
    *disp = i.off;
    if (fc_jit_proven(i))
        return FP;
    const unsigned base = hreg[store ? i.dst : i.src];
    guard(s, base, i.off, lg, store);
    *disp = 0;
    if (!in_window(s, FC_JIT_CACHE(lg, store)))
        return FC_JIT_CACHE(lg, store) == s->hot ? MEM_HOT : T1;
    *disp = i.off; /* r12 = chost - cbase: the host address is r12 + base + off */
    return MEM_HOTX + 1u + base;
}

static void emit_load(fc_jit_state_t *s, fc_insn_t i)
{
    const unsigned lg = fc_jit_size_lg(i.op), sx = (i.op & 0xe0u) == FC_MODE_MEMSX;
    int32_t disp;
    const unsigned base = operand(s, i, lg, 0, &disp);
    const unsigned d = hreg[i.dst];
    static const unsigned zx[4] = { 0x0fb6, 0x0fb7, 0x8b, 0x8b };
    static const unsigned sxo[4] = { 0x0fbe, 0x0fbf, 0x63, 0x8b };
    if (sx)
        rm(s, 1, sxo[lg], d, base, disp, 0);
    else
        rm(s, lg == 3, zx[lg], d, base, disp, 0);
}

static void emit_store(fc_jit_state_t *s, fc_insn_t i)
{
    const unsigned lg = fc_jit_size_lg(i.op);
    int32_t disp;
    const unsigned base = operand(s, i, lg, 1, &disp);
    if ((i.op & 7u) == FC_CLS_ST) {
        if (lg == 1)
            b1(s, 0x66);
        rm(s, lg == 3, lg == 0 ? 0xc6 : 0xc7, 0, base, disp, 0);
        if (lg == 0)
            b1(s, (unsigned)i.imm);
        else if (lg == 1) {
            b1(s, (unsigned)i.imm);
            b1(s, (unsigned)i.imm >> 8);
        } else
            b4(s, (uint32_t)i.imm);
        return;
    }
    const unsigned v = use(s, i.src);
    if (lg == 1)
        b1(s, 0x66);
    rm(s, lg == 3, lg == 0 ? 0x88 : 0x89, v, base, disp, lg == 0);
}

/* dst = dst / src or dst % src (w: 64-bit); src may be T2 already (immediates) */
static void emit_div(fc_jit_state_t *s, unsigned w, unsigned d, unsigned src, int mod, int sgn, int known)
{
    uint8_t *zero = NULL, *neg1 = NULL, *done1 = NULL, *done2 = NULL;
    if (!known) {
        rr(s, w, 0x85, src, src);
        zero = jcc8(s, CC_E);
    }
    if (sgn && !known) {
        rr(s, w, 0x83, 7, src); /* cmp src, -1 */
        b1(s, 0xff);
        neg1 = jcc8(s, CC_E);
    }
    mov_rr(s, 1, T2, src);
    store_ctx(s, RAX, CF(tmp[0]));
    store_ctx(s, RDX, CF(tmp[1]));
    mov_rr(s, 1, RAX, d);
    if (sgn) {
        rex(s, w, 0, 0, 0);
        b1(s, 0x99); /* cqo / cdq */
    } else
        rr(s, 0, 0x31, RDX, RDX);
    rr(s, w, 0xf7, sgn ? 7 : 6, T2); /* idiv / div r11 */
    mov_rr(s, 1, T2, mod ? RDX : RAX);
    load_ctx(s, RAX, CF(tmp[0]));
    load_ctx(s, RDX, CF(tmp[1]));
    mov_rr(s, w, d, T2);
    if (known)
        return;
    done1 = jcc8(s, JMP8);
    if (sgn) {
        land(s, neg1);
        if (mod)
            rr(s, 0, 0x31, d, d);  /* x % -1 = 0 */
        else
            rr(s, w, 0xf7, 3, d);  /* x / -1 = -x (wraps) */
        done2 = jcc8(s, JMP8);
    }
    land(s, zero);
    if (!mod)
        rr(s, 0, 0x31, d, d);      /* x / 0 = 0 */
    else if (!w)
        mov_rr(s, 0, d, d);        /* x % 0 = x (32 bits of it) */
    land(s, done1);
    if (done2 != NULL)
        land(s, done2);
}

/* lea d, [base + index] */
static void lea_bi(fc_jit_state_t *s, unsigned w, unsigned d, unsigned base, unsigned index)
{
    unsigned v = 0x40u | (w << 3) | ((d >> 3) << 2) | ((index >> 3) << 1) | (base >> 3);
    if (v != 0x40u)
        b1(s, v);
    b1(s, 0x8d);
    const unsigned sib = ((index & 7u) << 3) | (base & 7u);
    if ((base & 7u) == RBP) { /* rbp and r13 as a base need a displacement */
        b1(s, 0x44u | ((d & 7u) << 3));
        b1(s, sib);
        b1(s, 0);
    } else {
        b1(s, 0x04u | ((d & 7u) << 3));
        b1(s, sib);
    }
}

/*
 * "d = s; d += t" (or += K) in two slots, the second no target: one lea,
 * the second slot then compiles to nothing (and is no safe entry).
 */
static int fuse_lea(fc_jit_state_t *s, fc_insn_t i, unsigned w, unsigned d, unsigned src)
{
    const uint32_t pc = s->pc;
    if (pc + 1 >= s->nslots || fc_jit_is_target(s, pc + 1) || i.src == 10)
        return 0;
    const fc_insn_t n = fc_jit_insn(s, pc + 1);
    const uint8_t addx = (uint8_t)((w ? FC_CLS_ALU64 : FC_CLS_ALU) | FC_ALU_ADD | FC_SRC_X);
    const uint8_t addk = (uint8_t)((w ? FC_CLS_ALU64 : FC_CLS_ALU) | FC_ALU_ADD | FC_SRC_K);
    if (n.dst != i.dst || (n.op != addx && n.op != addk) || (n.op == addx && n.src == 10))
        return 0;
    if (n.op == addk)
        rm(s, w, 0x8d, d, src, n.imm, 0); /* lea d, [s + K] */
    else {
        const unsigned t = n.src == i.dst ? src : hreg[n.src]; /* d + d after d = s is s + s */
        lea_bi(s, w, d, src, t);
    }
    s->lbl[L_SKIP] = 1;
    fc_jit_mark_unsafe(s, pc + 1);
    return 1;
}

static void emit_alu(fc_jit_state_t *s, fc_insn_t i)
{
    const unsigned w = (i.op & 7u) == FC_CLS_ALU64, x = (i.op & FC_SRC_X) != 0;
    const unsigned d = hreg[i.dst];
    const unsigned op = i.op & 0xf0u;
    unsigned src = x ? use(s, i.src) : 0;
    static const uint8_t g1[16] = { [FC_ALU_ADD >> 4] = 0, [FC_ALU_SUB >> 4] = 5, [FC_ALU_OR >> 4] = 1,
                                    [FC_ALU_AND >> 4] = 4, [FC_ALU_XOR >> 4] = 6 };
    static const uint8_t rrop[16] = { [FC_ALU_ADD >> 4] = 0x01, [FC_ALU_SUB >> 4] = 0x29,
                                      [FC_ALU_OR >> 4] = 0x09, [FC_ALU_AND >> 4] = 0x21,
                                      [FC_ALU_XOR >> 4] = 0x31 };
    switch (op) {
    case FC_ALU_ADD: case FC_ALU_SUB: case FC_ALU_OR: case FC_ALU_AND: case FC_ALU_XOR:
        if (x)
            rr(s, w, rrop[op >> 4], src, d);
        else
            alu_ri(s, w, g1[op >> 4], d, i.imm);
        /* the flags now tell whether dst is zero, for a jump that tests it */
        s->lbl[L_FLAGS] = FLAGS_OF(i.dst, w);
        s->lbl[L_SETTER] = s->pc;
        break;
    case FC_ALU_MUL:
        if (x)
            rr(s, w, 0x0faf, d, src);
        else {
            rr(s, w, 0x69, d, d);
            b4(s, (uint32_t)i.imm);
        }
        break;
    case FC_ALU_DIV:
    case FC_ALU_MOD: {
        const int mod = op == FC_ALU_MOD, sgn = i.off != 0;
        if (x) {
            emit_div(s, w, d, src, mod, sgn, 0);
            break;
        }
        if (sgn && i.imm == -1) { /* known at compile time: no idiv, which would trap */
            if (mod)
                rr(s, 0, 0x31, d, d);
            else
                rr(s, w, 0xf7, 3, d);
            break;
        }
        if (w)
            rr(s, 1, 0xc7, 0, T2), b4(s, (uint32_t)i.imm); /* sign-extended, as IMMU */
        else
            mov_ri32(s, T2, (uint32_t)i.imm);
        emit_div(s, w, d, T2, mod, sgn, 1);
        break;
    }
    case FC_ALU_LSH: case FC_ALU_RSH: case FC_ALU_ARSH: {
        const unsigned n = op == FC_ALU_LSH ? 4 : op == FC_ALU_RSH ? 5 : 7;
        if (x) {
            mov_rr(s, 0, T1, src);
            rr(s, w, 0xd3, n, d);
            if (!w)
                mov_rr(s, 0, d, d); /* a count of 0 writes nothing: zero-extend anyway */
        } else {
            const unsigned c = (unsigned)i.imm & (w ? 63u : 31u);
            if (c == 0) {
                if (!w)
                    mov_rr(s, 0, d, d);
                break;
            }
            rr(s, w, 0xc1, n, d);
            b1(s, c);
        }
        break;
    }
    case FC_ALU_NEG:
        rr(s, w, 0xf7, 3, d);
        break;
    case FC_ALU_MOV:
        if (x && i.off == 0 && fuse_lea(s, i, w, d, src))
            break;
        /* a move changes no flags: what they say of another register stays true */
        if ((s->lbl[L_PREV] & 0xffu) != i.dst + 1u)
            s->lbl[L_FLAGS] = s->lbl[L_PREV];
        if (!x) {
            if (w)
                rr(s, 1, 0xc7, 0, d), b4(s, (uint32_t)i.imm);
            else
                mov_ri32(s, d, (uint32_t)i.imm);
        } else if (i.off == 8) {
            rex(s, w, d, src, 1);
            opc(s, 0x0fbe);
            b1(s, 0xc0u | ((d & 7u) << 3) | (src & 7u));
        } else if (i.off == 16)
            rr(s, w, 0x0fbf, d, src);
        else if (i.off == 32 && w)
            rr(s, 1, 0x63, d, src);
        else
            mov_rr(s, w, d, src);
        break;
    case FC_ALU_END: {
        const int swap = w || (i.op & FC_SRC_X); /* ALU64 bswap, or ALU to big-endian */
        if (i.imm == 16) {
            if (swap) {
                b1(s, 0x66);
                rr(s, 0, 0xc1, 1, d); /* ror r16, 8 */
                b1(s, 8);
            }
            rr(s, 0, 0x0fb7, d, d); /* movzx r32, r16 */
        } else if (i.imm == 32) {
            if (swap) {
                rex(s, 0, 0, d, 0);
                b1(s, 0x0f);
                b1(s, 0xc8u + (d & 7u));
            } else
                mov_rr(s, 0, d, d);
        } else if (swap) {
            rex(s, 1, 0, d, 0);
            b1(s, 0x0f);
            b1(s, 0xc8u + (d & 7u));
        }
        break;
    }
    default:
        jmp_to(s, stub_fault(s, FC_ERR_OPCODE));
        break;
    }
}

/* condition code of a jump operation */
static int jcc_of(unsigned op)
{
    switch (op) {
    case FC_JMP_JEQ: return CC_E;
    case FC_JMP_JNE: return CC_NE;
    case FC_JMP_JSET: return CC_NE;
    case FC_JMP_JGT: return CC_A;
    case FC_JMP_JGE: return CC_AE;
    case FC_JMP_JLT: return CC_B;
    case FC_JMP_JLE: return CC_BE;
    case FC_JMP_JSGT: return CC_G;
    case FC_JMP_JSGE: return CC_GE;
    case FC_JMP_JSLT: return CC_L;
    case FC_JMP_JSLE: return CC_LE;
    default: return -1;
    }
}

/* a taken jump to t; backward ones pay the distance first */
static void emit_taken(fc_jit_state_t *s, int cc, uint32_t t, uint32_t cost)
{
    if (cost == 0) {
        if (cc < 0)
            jmp_to(s, slot_at(s, t));
        else
            jcc_to(s, (unsigned)cc, slot_at(s, t));
        return;
    }
    uint8_t *skip = cc < 0 ? NULL : jcc8(s, (unsigned)cc ^ 1u);
    pay(s, cost);
    /* find_loop's back edge lands after its first slot's entry check */
    const int loop = s->lbl[L_LOOP_H] != 0 && s->pc == s->lbl[L_LOOP_J];
    jcc_to(s, CC_GE, loop ? s->lbl[L_LOOP_RES] : slot_at(s, t));
    jmp_to(s, stub_fault(s, FC_ERR_BUDGET));
    if (skip != NULL)
        land(s, skip);
}

static void emit_jump(fc_jit_state_t *s, fc_insn_t i)
{
    const unsigned w = (i.op & 7u) == FC_CLS_JMP, op = i.op & 0xf0u;
    const uint32_t t = fc_jit_target(s->pc, i), cost = fc_jit_back_cost(i);
    if (op == FC_JMP_JA) {
        emit_taken(s, -1, t, cost);
        return;
    }
    const int cc = jcc_of(op);
    if (cc < 0) {
        jmp_to(s, stub_fault(s, FC_ERR_OPCODE));
        return;
    }
    const uint32_t f = s->lbl[L_PREV];
    if (!(i.op & FC_SRC_X) && i.imm == 0 && (op == FC_JMP_JEQ || op == FC_JMP_JNE) &&
        (f & 0xffu) == i.dst + 1u && (w || !(f & 0x100u))) {
        /*
         * The ALU before set the flags from dst (a 32-bit result is also
         * its zero-extended 64-bit value): no compare. Entering at any slot
         * after that ALU would find other flags.
         */
        for (uint32_t pc = s->lbl[L_SETTER] + 1; pc <= s->pc; pc++)
            fc_jit_mark_unsafe(s, pc);
        emit_taken(s, cc, t, cost);
        return;
    }
    const unsigned d = use(s, i.dst);
    if (i.op & FC_SRC_X) {
        unsigned src;
        if (i.src == 10 && i.dst == 10)
            src = T2;
        else
            src = use(s, i.src);
        rr(s, w, op == FC_JMP_JSET ? 0x85 : 0x39, src, d);
    } else if (op == FC_JMP_JSET) {
        rr(s, w, 0xf7, 0, d);
        b4(s, (uint32_t)i.imm);
    } else
        alu_ri(s, w, 7, d, i.imm);
    emit_taken(s, cc, t, cost);
}

static void emit_local_call(fc_jit_state_t *s, fc_insn_t i)
{
    const uint32_t frame = s->vm->frame;
    const uint32_t bstub = stub_fault(s, FC_ERR_BUDGET);
    pay(s, 1);
    jcc_to(s, CC_L, bstub);
    if (i.imm < 0) {
        pay(s, fc_jit_back_cost(i));
        jcc_to(s, CC_L, bstub);
    }
    alu_ctx32(s, 7, CF(depth), FC_CALL_DEPTH_MAX);
    jcc_to(s, CC_AE, stub_fault(s, FC_ERR_CALL_DEPTH));
    mov_rr(s, 1, T2, FP);
    rm(s, 1, 0x2b, T2, CTX, CF(stack), 0);       /* r11 = (uint32_t)r10 */
    alu_ri(s, 1, 7, T2, (int32_t)(2 * frame));
    jcc_to(s, CC_B, stub_fault(s, FC_ERR_STACK_OVERFLOW));
    alu_ctx32(s, 0, CF(depth), 1);
    for (unsigned r = 6; r <= 9; r++)
        push(s, hreg[r]);
    b1(s, 0x68); /* push imm32: the call's slot */
    b4(s, s->pc);
    alu_ri(s, 1, 5, FP, (int32_t)frame);
    alu_ctx32(s, 5, CF(stack_lo), frame);
    call_to(s, s->lbl[L_CLEAR]);
    call_to(s, slot_at(s, fc_jit_target(s->pc, i)));
    /* back from its exit: the caller's r6..r9, frame and caches */
    rr(s, 1, 0x83, 0, RSP);
    b1(s, 8);
    for (unsigned r = 10; r-- > 6;)
        pop(s, hreg[r]);
    alu_ri(s, 1, 0, FP, (int32_t)frame);
    alu_ctx32(s, 0, CF(stack_lo), frame);
    alu_ctx32(s, 5, CF(depth), 1);
    call_to(s, s->lbl[L_CLEAR]);
}

static void emit_exit(fc_jit_state_t *s)
{
    if (!(s->vm->verified & FC_VERIFIED_CALLS)) {
        store_ctx32(s, CF(pc), s->pc);
        jmp_to(s, s->lbl[L_EXIT]);
        return;
    }
    alu_ctx32(s, 7, CF(depth), 0);
    uint8_t *ret = jcc8(s, CC_NE);
    store_ctx32(s, CF(pc), s->pc);
    jmp_to(s, s->lbl[L_EXIT]);
    land(s, ret);
    /* returning to the slot after an earlier call pays the distance back */
    mov_ri32(s, T2, s->pc);
    rm(s, 1, 0x2b, T2, RSP, 8, 0);               /* r11 = pc - call slot */
    uint8_t *free_ = jcc8(s, CC_BE);
    rm(s, 1, 0x29, T2, CTX, CF(budget), 0);      /* sub [budget], r11 */
    jcc_to(s, CC_L, stub_fault(s, FC_ERR_BUDGET));
    land(s, free_);
    b1(s, 0xc3);
}

void fc_jit_arch_slot(fc_jit_state_t *s, fc_insn_t i)
{
    if (s->lbl[L_SKIP]) { /* compiled with the slot before */
        s->lbl[L_SKIP] = 0;
        return;
    }
    /* what the flags say on arrival: nothing at a target */
    s->lbl[L_PREV] = fc_jit_is_target(s, s->pc) ? 0 : s->lbl[L_FLAGS];
    if (s->lbl[L_LOOP_H] != 0 && s->pc + 1u == s->lbl[L_LOOP_H])
        loop_entry(s);
    s->lbl[L_FLAGS] = 0;
    switch (i.op & 7u) {
    case FC_CLS_ALU:
    case FC_CLS_ALU64:
        emit_alu(s, i);
        return;
    case FC_CLS_LD:
        if (i.op == FC_OP_LDDW && s->pc + 1 < s->nslots) {
            if ((s->lbl[L_PREV] & 0xffu) != i.dst + 1u)
                s->lbl[L_FLAGS] = s->lbl[L_PREV];
            mov_ri64(s, hreg[i.dst], (uint64_t)(uint32_t)i.imm | ((uint64_t)fc_jit_lddw_hi(s, s->pc) << 32));
            return;
        }
        break;
    case FC_CLS_LDX:
        emit_load(s, i);
        return;
    case FC_CLS_ST:
        emit_store(s, i);
        return;
    case FC_CLS_STX:
        if ((i.op & 0xe0u) == FC_MODE_ATOMIC)
            ccall(s, fc_jit_c_atomic);
        else
            emit_store(s, i);
        return;
    case FC_CLS_JMP:
        if (i.op == FC_OP_CALL) {
            if (i.src == FC_CALL_LOCAL)
                emit_local_call(s, i);
            else
                ccall(s, fc_jit_c_call);
            return;
        }
        if (i.op == FC_OP_EXIT) {
            emit_exit(s);
            return;
        }
        emit_jump(s, i);
        return;
    case FC_CLS_JMP32:
        emit_jump(s, i);
        return;
    default:
        break;
    }
    jmp_to(s, stub_fault(s, FC_ERR_OPCODE)); /* unreachable after verification; fail closed */
}

#endif /* FC_JIT_X86_64 */
