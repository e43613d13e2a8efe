/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ARMv7-M Thumb-2 JIT (Cortex-M3/M4/M7).
 *
 * A verified program is translated at load time by the front end's two
 * passes (jit.c: linear, no recursion, no memory but the caller's buffer):
 * pass 0 picks which eBPF registers live in host registers and sizes every
 * slot's code (every branch to another slot or to a fault stub has a fixed
 * 32-bit encoding, so sizes never depend on where targets land), pass 1
 * writes it. Buffer: the front end's header and slot table around the
 * prologue and shared exit and fault handlers, one block per slot, then
 * the stubs (a budget fault: movw r1, #slot; b handler, 8 B; a cache miss:
 * 20 B, it comes back).
 *
 * Registers: eBPF values are 64-bit, Thumb-2's are 32, so an eBPF register
 * is a (lo, hi) pair, or one register when pass 0 finds it only ever holds
 * zero-extended 32-bit values (every write a 32-bit ALU op, a narrow load,
 * a non-negative constant...: counters and checksums). The most used of
 * r0..r9 (uses in loops weigh 8x per nesting level) get the seven host
 * registers r4-r9 and lr; the rest live in the context's reg[] array (the
 * spill area, laid out as the interpreter's registers), r10 always. Host
 * r11 holds the run context, r10 the budget; r0-r3 and r12 are scratch.
 *
 * Guarantees, as the interpreters give them (src/core/interp.c):
 * - every load and store not through r10 is checked inline against the
 *   front end's region cache for its size and direction (window base and
 *   limit: one 64-bit subtraction and compare); a miss goes to the front
 *   end's fc_jit_c_miss(), which checks region id, bounds, permission and
 *   the current frame's bottom against the region table and fills the
 *   cache, or faults with the cause fc_mem_cause() gives the interpreter.
 *   Accesses through r10 with a constant offset are the verifier's proven
 *   ones and go straight to the frame.
 * - the budget is paid where the interpreter pays it: taken backward jumps
 *   inline (subs; bpl target), calls, returns and helpers in the C routines
 *   below, which use the interpreter's own functions (fc_call_enter,
 *   fc_call_leave, fc_call_helper through fc_jit_c_call), so fc_vm_t::left
 *   after a run is the interpreter's.
 * - 64-bit division, modulo, 64-bit shifts by a register and atomics run in
 *   C (Cortex-M has no 64-bit divide); 32-bit ones use udiv/sdiv, whose
 *   results for a zero divisor and INT_MIN / -1 are RFC 9669's.
 * - a fault returns the same code and pc as the interpreter.
 */
#include <string.h>

#include "jit_internal.h"

#include "fc/isa_table.h"
#include "fc/verify.h"

#if FC_JIT_THUMB2 && !FC_JIT_X86_64

/* ---- the run state the generated code works on (fields reached through offsetof) ---- */

struct jt_state;
typedef int (*jt_fn_t)(struct jt_state *st, uint32_t pc);

enum { FN_HELPER, FN_CALL, FN_EXIT, FN_SLOW, FN_COUNT };

/*
 * What this backend keeps beside the front end's run context (host r11
 * holds the context itself, jit_internal.h: registers, region table and
 * caches, frame pointer, stack_lo, pc; its saved_sp field points here):
 * the C routines the code calls and the local calls' frames. While the
 * code runs, the budget is host r10 and, around calls, the low word of
 * fc_jit_ctx_t::budget; tmp_sp holds where a local return continues.
 */
typedef struct jt_state {
    fc_jit_ctx_t *ctx;
    const uint8_t *base;
    const uint32_t *tab;
    jt_fn_t fn[FN_COUNT];
    uint8_t *(*miss)(struct jt_state *st, uint32_t k, uint64_t d);
    fc_frame_t frames[FC_CALL_DEPTH_MAX];
} jt_state_t;

#define STUB_BYTES 8u
#define MISS_BYTES 20u
#define NMAPPED 3

/* host registers */
enum { R0 = 0, R1, R2, R3, BUD = 10, ST = 11, IP = 12, SP = 13, LR = 14, PCR = 15 };
/* condition codes */
enum { EQ = 0, NE, HS, LO, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE };
/* data-processing opcodes (both the immediate and the shifted-register forms) */
enum { AND = 0, BIC = 1, ORR = 2, ORN = 3, EOR = 4, ADD = 8, ADC = 10, SBC = 11, SUB = 13, RSB = 14 };
/* shift types */
enum { LSL = 0, LSR = 1, ASR = 2 };

/* ---- the emitter ---- */

typedef struct {
    uint8_t *buf;      /* NULL while sizing (pass 1) */
    uint32_t pos;      /* bytes of code so far */
    uint32_t limit;    /* the slot table starts here (pass 2) */
    uint32_t *tab;     /* slot -> code offset: pass 1 writes it, pass 2 reads it */
    uint32_t cold;     /* offset of the first stub (pass 2) */
    uint32_t nstub;    /* bytes of stubs so far */
    uint32_t h_exit, h_ret, h_budget, h_miss;
    int err;
    /*
     * The register map as the compile state keeps it (fc_jit_state_t::lbl):
     * nibble 2r (lo) and 2r + 1 (hi) of map[] is the host register of eBPF
     * register r's half, 0xf in the spill area; bits 16-25 of map[2]: the
     * registers that only ever hold zero-extended 32-bit values.
     */
    uint32_t map[3];
    const fc_vm_t *vm;
    uint8_t alias, alias_of; /* get_lo reads eBPF register alias from alias_of (fuse_mov); 0xff: none */
} em_t;

static void put16(em_t *e, uint32_t at, uint16_t h)
{
    if (e->buf == NULL)
        return;
    if (at + 2u > e->limit) {
        e->err = FC_ERR_NOMEM;
        return;
    }
    e->buf[at] = (uint8_t)h;
    e->buf[at + 1] = (uint8_t)(h >> 8);
}

static void h16(em_t *e, uint16_t h)
{
    put16(e, e->pos, h);
    e->pos += 2;
}

static void h32(em_t *e, uint32_t hw1, uint32_t hw2)
{
    h16(e, (uint16_t)hw1);
    h16(e, (uint16_t)hw2);
}

/* Thumb-2 modified immediate of v as i:imm3:imm8, or -1. */
static int mod_imm(uint32_t v)
{
    uint32_t b = v & 0xffu;
    if (v < 256u)
        return (int)v;
    if (v == (b | b << 16))
        return (int)(0x100u | b);
    if (v == b * 0x01010101u)
        return (int)(0x300u | b);
    b = (v >> 8) & 0xffu;
    if (v == (b << 8 | b << 24))
        return (int)(0x200u | b);
    /* eight significant bits, the top one set, rotated right by 32 - low (v >= 256: low >= 1) */
    unsigned high = 31u - (unsigned)__builtin_clz(v), low = high - 7u;
    if (v & ((1u << low) - 1u))
        return -1;
    return (int)(((32u - low) << 7) | ((v >> low) & 0x7fu));
}

static void dp_imm(em_t *e, unsigned op, unsigned s, unsigned rd, unsigned rn, int enc)
{
    uint32_t m = (uint32_t)enc;
    h32(e, 0xf000u | ((m >> 11) & 1u) << 10 | op << 5 | s << 4 | rn,
        ((m >> 8) & 7u) << 12 | rd << 8 | (m & 0xffu));
}

static void dp_reg(em_t *e, unsigned op, unsigned s, unsigned rd, unsigned rn, unsigned rm,
                   unsigned type, unsigned amt)
{
    h32(e, 0xea00u | op << 5 | s << 4 | rn,
        ((amt >> 2) & 7u) << 12 | rd << 8 | (amt & 3u) << 6 | type << 4 | rm);
}

static void mov(em_t *e, unsigned rd, unsigned rm)
{
    if (rd != rm)
        h16(e, (uint16_t)(0x4600u | (rd & 8u) << 4 | rm << 3 | (rd & 7u)));
}

/* rd = rm shifted by a constant 1..31 (0: a plain move) */
static void shift_imm(em_t *e, unsigned type, unsigned rd, unsigned rm, unsigned n)
{
    if (n == 0)
        mov(e, rd, rm);
    else
        dp_reg(e, ORR, 0, rd, PCR, rm, type, n);
}

static void shift_reg(em_t *e, unsigned type, unsigned rd, unsigned rn, unsigned rm)
{
    h32(e, 0xfa00u | type << 5 | rn, 0xf000u | rd << 8 | rm);
}

static void movw(em_t *e, unsigned top, unsigned rd, uint32_t imm)
{
    h32(e, (top ? 0xf2c0u : 0xf240u) | ((imm >> 11) & 1u) << 10 | ((imm >> 12) & 0xfu),
        ((imm >> 8) & 7u) << 12 | rd << 8 | (imm & 0xffu));
}

static void li(em_t *e, unsigned rd, uint32_t v)
{
    int enc = mod_imm(v);
    if (enc >= 0) {
        dp_imm(e, ORR, 0, rd, PCR, enc);
    } else if ((enc = mod_imm(~v)) >= 0) {
        dp_imm(e, ORN, 0, rd, PCR, enc);
    } else {
        movw(e, 0, rd, v & 0xffffu);
        if (v >> 16)
            movw(e, 1, rd, v >> 16);
    }
}

static void mul3(em_t *e, unsigned hw1, unsigned hw2)
{
    h32(e, hw1, hw2);
}

/* loads and stores: {imm12 form, imm8 form} opcodes */
enum { LDR, STR, LDRH, STRH, LDRB, STRB, LDRSH, LDRSB };
static const uint16_t ldst_op[8][2] = {
    { 0xf8d0, 0xf850 }, { 0xf8c0, 0xf840 }, { 0xf8b0, 0xf830 }, { 0xf8a0, 0xf820 },
    { 0xf890, 0xf810 }, { 0xf880, 0xf800 }, { 0xf9b0, 0xf930 }, { 0xf990, 0xf910 },
};

/* rt <-> [rn + off], off in -255..4095 */
static void ldst(em_t *e, unsigned kind, unsigned rt, unsigned rn, int32_t off)
{
    if (off >= 0)
        h32(e, ldst_op[kind][0] | rn, rt << 12 | (uint32_t)off);
    else
        h32(e, ldst_op[kind][1] | rn, rt << 12 | 0xc00u | (uint32_t)-off);
}

#define ST_OFF(f) ((int32_t)offsetof(fc_jit_ctx_t, f))
#define EXT_OFF(f) ((int32_t)offsetof(jt_state_t, f))
_Static_assert(offsetof(fc_jit_ctx_t, cbase) % 4 == 0 &&
                   offsetof(fc_jit_ctx_t, cbase) + 8 * FC_JIT_NCACHE <= 1020,
               "the checked access loads a cache's base with one ldrd (imm8 x 4)");

/* ---- branches: fixed sizes, encoded only when writing ---- */

static void enc_bw(em_t *e, uint32_t at, uint32_t target, int cond)
{
    if (e->buf == NULL)
        return;
    int32_t d = (int32_t)target - (int32_t)(at + 4u);
    uint32_t u = (uint32_t)d >> 1, s = d < 0;
    if (cond < 0) { /* -1: b.w, -2: bl */
        if (d < -(1 << 24) || d >= (1 << 24))
            e->err = FC_ERR_TOO_BIG;
        uint32_t i1 = (u >> 22) & 1u, i2 = (u >> 21) & 1u;
        uint32_t j1 = (~i1 ^ s) & 1u, j2 = (~i2 ^ s) & 1u;
        put16(e, at, (uint16_t)(0xf000u | s << 10 | ((u >> 11) & 0x3ffu)));
        put16(e, at + 2, (uint16_t)((cond == -2 ? 0xd000u : 0x9000u) | j1 << 13 | j2 << 11 | (u & 0x7ffu)));
    } else {
        if (d < -(1 << 20) || d >= (1 << 20))
            e->err = FC_ERR_TOO_BIG;
        uint32_t j1 = (u >> 17) & 1u, j2 = (u >> 18) & 1u;
        put16(e, at, (uint16_t)(0xf000u | s << 10 | (uint32_t)cond << 6 | ((u >> 11) & 0x3fu)));
        put16(e, at + 2, (uint16_t)(0x8000u | j1 << 13 | j2 << 11 | (u & 0x7ffu)));
    }
}

static void bw(em_t *e, uint32_t target, int cond)
{
    enc_bw(e, e->pos, target, cond);
    e->pos += 4;
}

/* A 16-bit conditional branch over code emitted next: returns where to patch. */
static uint32_t skip_begin(em_t *e)
{
    uint32_t at = e->pos;
    e->pos += 2;
    return at;
}

static void skip_end(em_t *e, uint32_t at, int cond)
{
    int32_t d = (int32_t)e->pos - (int32_t)(at + 4u);
    put16(e, at, (uint16_t)(0xd000u | (uint32_t)cond << 8 | (((uint32_t)d >> 1) & 0xffu)));
}

/* A stub that loads the slot into r1 and goes to @p handler; its address. */
static uint32_t stub(em_t *e, uint32_t pc, uint32_t handler)
{
    uint32_t at = e->cold + e->nstub;
    e->nstub += STUB_BYTES;
    if (e->buf != NULL) {
        uint32_t save = e->pos;
        e->pos = at;
        movw(e, 0, R1, pc);
        bw(e, handler, -1);
        e->pos = save;
    }
    return at;
}

/*
 * A region-cache miss of cache k at slot pc (d in r2:r3): lr is saved (it
 * may hold an eBPF register), h_miss finds the host address in C (r1) and
 * returns here, the stub goes back to the access at @p back.
 */
static uint32_t miss_stub(em_t *e, uint32_t pc, unsigned k, uint32_t back)
{
    uint32_t at = e->cold + e->nstub;
    e->nstub += MISS_BYTES;
    if (e->buf != NULL) {
        uint32_t save = e->pos;
        e->pos = at;
        ldst(e, STR, LR, ST, ST_OFF(tmp[0]));
        h16(e, (uint16_t)(0x2000u | k)); /* movs r0, #k */
        movw(e, 0, R1, pc);
        bw(e, e->h_miss, -2);
        bw(e, back, -1);
        h16(e, 0xbf00); /* nop: stubs keep 4-byte steps */
        e->pos = save;
    }
    return at;
}

static uint32_t slot_code(const em_t *e, uint32_t slot)
{
    return e->tab != NULL && e->buf != NULL ? e->tab[slot] : 0;
}

/* ---- eBPF registers: mapped pairs or the spill area ---- */

static int is_z32(const em_t *e, unsigned r) { return (e->map[2] >> (16u + r)) & 1u; }

/* Host register of half @p half (0 lo, 1 hi) of eBPF register r, -1 in the spill area (r10 always). */
static int hreg(const em_t *e, unsigned r, unsigned half)
{
    unsigned n = 2u * r + half, h = r < 10 ? (e->map[n / 8u] >> (4u * (n % 8u))) & 0xfu : 0xfu;
    return h == 0xfu ? -1 : (int)h;
}

static void set_hreg(em_t *e, unsigned r, unsigned half, unsigned h)
{
    unsigned n = 2u * r + half;
    e->map[n / 8u] = (e->map[n / 8u] & ~(0xfu << (4u * (n % 8u)))) | h << (4u * (n % 8u));
}

static unsigned get_lo(em_t *e, unsigned r, unsigned scratch)
{
    if (r == e->alias)
        r = e->alias_of;
    if (hreg(e, r, 0) >= 0)
        return (unsigned)hreg(e, r, 0);
    ldst(e, LDR, scratch, ST, ST_OFF(reg) + 8 * (int32_t)r);
    return scratch;
}

static void li(em_t *e, unsigned rd, uint32_t v);

static unsigned get_hi(em_t *e, unsigned r, unsigned scratch)
{
    if (is_z32(e, r)) {
        li(e, scratch, 0);
        return scratch;
    }
    if (hreg(e, r, 1) >= 0)
        return (unsigned)hreg(e, r, 1);
    ldst(e, LDR, scratch, ST, ST_OFF(reg) + 8 * (int32_t)r + 4);
    return scratch;
}

static unsigned out_lo(const em_t *e, unsigned r, unsigned scratch)
{
    return hreg(e, r, 0) >= 0 ? (unsigned)hreg(e, r, 0) : scratch;
}

static unsigned out_hi(const em_t *e, unsigned r, unsigned scratch)
{
    return hreg(e, r, 1) >= 0 ? (unsigned)hreg(e, r, 1) : scratch;
}

static void set_lo(em_t *e, unsigned r, unsigned h)
{
    if (hreg(e, r, 0) >= 0)
        mov(e, (unsigned)hreg(e, r, 0), h);
    else
        ldst(e, STR, h, ST, ST_OFF(reg) + 8 * (int32_t)r);
}

/* A 32-bit-only register's upper half is zero wherever it lives: nothing to write. */
static void set_hi(em_t *e, unsigned r, unsigned h)
{
    if (is_z32(e, r))
        return;
    if (hreg(e, r, 1) >= 0)
        mov(e, (unsigned)hreg(e, r, 1), h);
    else
        ldst(e, STR, h, ST, ST_OFF(reg) + 8 * (int32_t)r + 4);
}

static void zero_hi(em_t *e, unsigned r)
{
    if (is_z32(e, r))
        return;
    unsigned h = out_hi(e, r, IP);
    li(e, h, 0);
    set_hi(e, r, h);
}

/* The mapped registers to the spill area (before C reads them) and back. */
static void flush_regs(em_t *e, int back)
{
    for (unsigned r = 0; r < FC_NREGS; r++) {
        if (hreg(e, r, 0) >= 0)
            ldst(e, back ? LDR : STR, (unsigned)hreg(e, r, 0), ST, ST_OFF(reg) + 8 * (int32_t)r);
        if (hreg(e, r, 1) >= 0)
            ldst(e, back ? LDR : STR, (unsigned)hreg(e, r, 1), ST, ST_OFF(reg) + 8 * (int32_t)r + 4);
    }
}

static void flush(em_t *e, int back)
{
    flush_regs(e, back);
    ldst(e, back ? LDR : STR, BUD, ST, ST_OFF(budget)); /* the low word */
}

/* Call C routine @p fn for slot @p pc; a nonzero result leaves through the exit. */
static void ccall(em_t *e, unsigned fn, uint32_t pc)
{
    flush(e, 0);
    ldst(e, LDR, R0, ST, ST_OFF(saved_sp));
    movw(e, 0, R1, pc);
    ldst(e, LDR, IP, R0, EXT_OFF(fn) + (int32_t)(fn * sizeof(jt_fn_t)));
    h16(e, 0x47e0); /* blx ip */
    flush(e, 1);
    dp_imm(e, SUB, 1, PCR, R0, 0); /* cmp r0, #0 */
    bw(e, e->h_exit, NE);
}

/* Pay @p n budget units and go to @p target; out of budget: fault at slot @p pc. */
static void pay_and_jump(em_t *e, uint32_t n, uint32_t pc, uint32_t target)
{
    int enc = mod_imm(n);
    if (enc >= 0) {
        dp_imm(e, SUB, 1, BUD, BUD, enc);
    } else {
        li(e, IP, n);
        dp_reg(e, SUB, 1, BUD, BUD, IP, LSL, 0);
    }
    bw(e, target, PL);
    bw(e, stub(e, pc, e->h_budget), -1);
}

/* ---- ALU ---- */

static void alu_bswap(em_t *e, unsigned d, int32_t bits, int swap)
{
    unsigned dl = get_lo(e, d, R0), ol = out_lo(e, d, R0);
    if (bits == 64) {
        if (!swap)
            return;
        unsigned dh = get_hi(e, d, R1);
        h32(e, 0xfa90u | dl, 0xf080u | IP << 8 | dl); /* rev ip, dl */
        h32(e, 0xfa90u | dh, 0xf080u | ol << 8 | dh); /* rev ol, dh */
        set_lo(e, d, ol);
        set_hi(e, d, IP);
        return;
    }
    if (bits == 16) {
        unsigned t = dl;
        if (swap) {
            h32(e, 0xfa90u | dl, 0xf090u | ol << 8 | dl); /* rev16 */
            t = ol;
        }
        h32(e, 0xfa1fu, 0xf080u | ol << 8 | t); /* uxth */
    } else if (swap) {
        h32(e, 0xfa90u | dl, 0xf080u | ol << 8 | dl); /* rev */
    } else {
        mov(e, ol, dl);
    }
    set_lo(e, d, ol);
    zero_hi(e, d);
}

/* rd = rn op (register or immediate v) for the plain 32-bit operations */
static void op32(em_t *e, unsigned op, unsigned rd, unsigned rn, int x, unsigned rm, uint32_t v,
                 unsigned setflags)
{
    int enc = x ? -1 : mod_imm(v);
    if (!x && enc < 0) {
        li(e, R2, v);
        rm = R2;
        x = 1;
    }
    if (x)
        dp_reg(e, op, setflags, rd, rn, rm, LSL, 0);
    else
        dp_imm(e, op, setflags, rd, rn, enc);
}

/* ol = sl sign-extended from bit 8 or 16 (any other width: a plain move) */
static void movsx(em_t *e, unsigned ol, unsigned sl, int16_t bits)
{
    if (bits == 8)
        h32(e, 0xfa4fu, 0xf080u | ol << 8 | sl); /* sxtb */
    else if (bits == 16)
        h32(e, 0xfa0fu, 0xf080u | ol << 8 | sl); /* sxth */
    else
        mov(e, ol, sl);
}

static void emit_alu32(em_t *e, fc_insn_t i)
{
    unsigned d = i.dst, op = i.op & 0xf0u;
    int x = (i.op & FC_SRC_X) != 0;
    uint32_t k = (uint32_t)i.imm;

    if (op == FC_ALU_END) {
        alu_bswap(e, d, i.imm, x);
        return;
    }
    if (op == FC_ALU_MOV) {
        unsigned ol = out_lo(e, d, R0);
        if (!x) {
            li(e, ol, k);
        } else {
            movsx(e, ol, get_lo(e, i.src, R0), i.off);
        }
        set_lo(e, d, ol);
        zero_hi(e, d);
        return;
    }
    unsigned dl = get_lo(e, d, R0), ol = out_lo(e, d, R0);
    unsigned sl = x ? get_lo(e, i.src, R2) : R2;
    switch (op) {
    case FC_ALU_ADD: op32(e, ADD, ol, dl, x, sl, k, 0); break;
    case FC_ALU_SUB: op32(e, SUB, ol, dl, x, sl, k, 0); break;
    case FC_ALU_OR:  op32(e, ORR, ol, dl, x, sl, k, 0); break;
    case FC_ALU_AND: op32(e, AND, ol, dl, x, sl, k, 0); break;
    case FC_ALU_XOR: op32(e, EOR, ol, dl, x, sl, k, 0); break;
    case FC_ALU_NEG: dp_imm(e, RSB, 0, ol, dl, 0); break;
    case FC_ALU_LSH:
    case FC_ALU_RSH:
    case FC_ALU_ARSH: {
        unsigned type = op == FC_ALU_LSH ? LSL : op == FC_ALU_RSH ? LSR : ASR;
        if (x) {
            dp_imm(e, AND, 0, IP, sl, 31);
            shift_reg(e, type, ol, dl, IP);
        } else {
            shift_imm(e, type, ol, dl, k & 31u);
        }
        break;
    }
    default: { /* MUL, DIV, MOD: operands in registers */
        if (!x)
            li(e, R2, k);
        if (op == FC_ALU_MUL) {
            mul3(e, 0xfb00u | dl, 0xf000u | ol << 8 | sl);
        } else {
            unsigned div = i.off ? 0xfb90u : 0xfbb0u;
            if (op == FC_ALU_DIV) {
                mul3(e, div | dl, 0xf0f0u | ol << 8 | sl);
            } else { /* ol = dl - (dl / sl) * sl: the dividend for a zero divisor */
                mul3(e, div | dl, 0xf0f0u | IP << 8 | sl);
                mul3(e, 0xfb00u | IP, (uint32_t)dl << 12 | ol << 8 | 0x10u | sl);
            }
        }
        break;
    }
    }
    set_lo(e, d, ol);
    zero_hi(e, d);
}

static void shift64_imm(em_t *e, unsigned d, unsigned op, unsigned n)
{
    if (n == 0)
        return;
    unsigned dl = get_lo(e, d, R0), dh = get_hi(e, d, R1);
    unsigned ol = out_lo(e, d, R0), oh = out_hi(e, d, R1);
    if (op == FC_ALU_LSH) {
        if (n < 32) {
            shift_imm(e, LSL, IP, dh, n);
            dp_reg(e, ORR, 0, oh, IP, dl, LSR, 32 - n);
            shift_imm(e, LSL, ol, dl, n);
        } else {
            shift_imm(e, LSL, oh, dl, n - 32);
            li(e, ol, 0);
        }
    } else {
        unsigned type = op == FC_ALU_RSH ? LSR : ASR;
        if (n < 32) {
            shift_imm(e, LSR, IP, dl, n);
            dp_reg(e, ORR, 0, ol, IP, dh, LSL, 32 - n);
            shift_imm(e, type, oh, dh, n);
        } else {
            shift_imm(e, type, ol, dh, n - 32);
            if (type == LSR)
                li(e, oh, 0);
            else
                shift_imm(e, ASR, oh, dh, 31);
        }
    }
    set_lo(e, d, ol);
    set_hi(e, d, oh);
}

static void emit_alu64(em_t *e, fc_insn_t i, uint32_t pc)
{
    unsigned d = i.dst, op = i.op & 0xf0u;
    int x = (i.op & FC_SRC_X) != 0;
    uint32_t k = (uint32_t)i.imm, kh = i.imm < 0 ? 0xffffffffu : 0;

    switch (op) {
    case FC_ALU_END:
        alu_bswap(e, d, i.imm, 1);
        return;
    case FC_ALU_DIV:
    case FC_ALU_MOD:
        ccall(e, FN_SLOW, pc);
        return;
    case FC_ALU_LSH:
    case FC_ALU_RSH:
    case FC_ALU_ARSH:
        if (x)
            ccall(e, FN_SLOW, pc);
        else
            shift64_imm(e, d, op, k & 63u);
        return;
    case FC_ALU_MOV: {
        unsigned ol = out_lo(e, d, R0), oh = out_hi(e, d, R1);
        if (!x) {
            li(e, ol, k);
            li(e, oh, kh);
        } else if (i.off == 0) {
            unsigned sl = get_lo(e, i.src, R0), sh = get_hi(e, i.src, R1);
            set_lo(e, d, sl);
            set_hi(e, d, sh);
            return;
        } else {
            movsx(e, ol, get_lo(e, i.src, R0), i.off);
            shift_imm(e, ASR, oh, ol, 31);
        }
        set_lo(e, d, ol);
        set_hi(e, d, oh);
        return;
    }
    default:
        break;
    }
    unsigned dl = get_lo(e, d, R0), dh = get_hi(e, d, R1);
    unsigned ol = out_lo(e, d, R0), oh = out_hi(e, d, R1);
    if (op == FC_ALU_NEG) {
        dp_imm(e, RSB, 1, ol, dl, 0);
        dp_reg(e, SBC, 0, oh, dh, dh, LSL, 1); /* -hi - borrow */
        set_lo(e, d, ol);
        set_hi(e, d, oh);
        return;
    }
    if (!x && (op == FC_ALU_ADD || op == FC_ALU_SUB)) {
        /* add or subtract a small constant: the carry into the high word */
        int sub = (op == FC_ALU_SUB) != (i.imm < 0);
        uint32_t mag = i.imm < 0 ? 0u - k : k;
        int enc = mod_imm(mag);
        if (enc >= 0) {
            dp_imm(e, sub ? SUB : ADD, 1, ol, dl, enc);
            dp_imm(e, sub ? SBC : ADC, 0, oh, dh, 0);
            set_lo(e, d, ol);
            set_hi(e, d, oh);
            return;
        }
    }
    unsigned sl = R2, sh = R3;
    if (x) {
        sl = get_lo(e, i.src, R2);
        sh = get_hi(e, i.src, R3);
    } else {
        li(e, R2, k);
        li(e, R3, kh);
    }
    switch (op) {
    case FC_ALU_ADD:
        dp_reg(e, ADD, 1, ol, dl, sl, LSL, 0);
        dp_reg(e, ADC, 0, oh, dh, sh, LSL, 0);
        break;
    case FC_ALU_SUB:
        dp_reg(e, SUB, 1, ol, dl, sl, LSL, 0);
        dp_reg(e, SBC, 0, oh, dh, sh, LSL, 0);
        break;
    case FC_ALU_OR:
    case FC_ALU_AND:
    case FC_ALU_XOR: {
        unsigned o = op == FC_ALU_OR ? ORR : op == FC_ALU_AND ? AND : EOR;
        dp_reg(e, o, 0, ol, dl, sl, LSL, 0);
        dp_reg(e, o, 0, oh, dh, sh, LSL, 0);
        break;
    }
    default: /* MUL: dl * sl + (dl * sh + dh * sl) << 32 */
        mul3(e, 0xfb00u | dl, 0xf000u | IP << 8 | sh);                      /* mul ip, dl, sh */
        mul3(e, 0xfb00u | dh, (uint32_t)IP << 12 | IP << 8 | sl);         /* mla ip, dh, sl, ip */
        mul3(e, 0xfba0u | dl, ol << 12 | oh << 8 | sl);                     /* umull ol, oh, dl, sl */
        dp_reg(e, ADD, 0, oh, oh, IP, LSL, 0);
        break;
    }
    set_lo(e, d, ol);
    set_hi(e, d, oh);
}

/* ---- memory ---- */

static const uint8_t access_size[4] = { 4, 2, 1, 8 };


/*
 * Translate base + off for an access of 1 << lg bytes inline, leaving the
 * host address in r1 + r2 (8-byte accesses: in r1, r2 free): through the front end's region cache for this size
 * and direction (d = address - cbase < clim: host chost + d), else through
 * the miss stub, which fills the cache or faults with the interpreter's
 * cause (fc_jit_c_miss: region, bounds, permission, frame bottom).
 */
static void mem_check(em_t *e, unsigned base, int16_t off, unsigned lg, int store, uint32_t pc)
{
    unsigned k = FC_JIT_CACHE(lg, store);
    unsigned bl = get_lo(e, base, R2), bh = get_hi(e, base, R3);
    uint32_t mag = off < 0 ? (uint32_t)-(int32_t)off : (uint32_t)off;
    int enc = mod_imm(mag);
    unsigned lo = bl, hi = bh;
    if (off != 0) {
        if (enc < 0) {
            li(e, R0, mag);
            dp_reg(e, off < 0 ? SUB : ADD, 1, R2, bl, R0, LSL, 0);
        } else {
            dp_imm(e, off < 0 ? SUB : ADD, 1, R2, bl, enc);
        }
        dp_imm(e, off < 0 ? SBC : ADC, 0, R3, bh, 0);
        lo = R2;
        hi = R3;
    }
    /* ldrd r0, r1, [r11, #cbase[k]]: both words in one instruction (offset a multiple of 4, below 1020) */
    h32(e, 0xe9d0u | ST, (uint16_t)(R0 << 12 | R1 << 8 | (unsigned)ST_OFF(cbase[k]) / 4u));
    dp_reg(e, SUB, 1, R2, lo, R0, LSL, 0);
    dp_reg(e, SBC, 1, R3, hi, R1, LSL, 0); /* d in r2:r3 */
    ldst(e, LDR, R0, ST, ST_OFF(clim[k]));
    dp_reg(e, SUB, 1, PCR, R2, R0, LSL, 0);
    dp_imm(e, SBC, 1, IP, R3, 0); /* d < clim, 64-bit */
    uint32_t at = e->pos;
    e->pos += 4;
    ldst(e, LDR, R1, ST, ST_OFF(chost[k]));
    if (lg == 3) /* two words: one host address */
        dp_reg(e, ADD, 0, R1, R1, R2, LSL, 0);
    enc_bw(e, at, miss_stub(e, pc, k, e->pos), HS);
}

/* rt <-> [rn + rm] */
static void ldst_reg(em_t *e, unsigned kind, unsigned rt, unsigned rn, unsigned rm)
{
    h32(e, ldst_op[kind][1] | rn, rt << 12 | rm);
}

/* r1 = the host address of r10 + off, proven in the frame by the verifier; the offset left */
static int32_t frame_addr(em_t *e, int16_t off)
{
    ldst(e, LDR, R1, ST, ST_OFF(fp));
    if (off >= -255 && off <= 4091)
        return off;
    li(e, IP, (uint32_t)(int32_t)off);
    dp_reg(e, ADD, 0, R1, R1, IP, LSL, 0);
    return 0;
}

static void emit_mem(em_t *e, fc_insn_t i, uint32_t pc)
{
    unsigned cls = i.op & 7u, sz = (i.op >> 3) & 3u, size = access_size[sz];
    int32_t o = 0;

    if (cls == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_ATOMIC) {
        ccall(e, FN_SLOW, pc);
        return;
    }
    if (cls == FC_CLS_LDX) {
        if (i.src == 10)
            o = frame_addr(e, i.off);
        else
            mem_check(e, i.src, i.off, fc_jit_size_lg(i.op), 0, pc);
        unsigned d = i.dst, ol = out_lo(e, d, R2), oh = out_hi(e, d, R3);
        int sx = (i.op & 0xe0u) == FC_MODE_MEMSX;
        static const uint8_t kind[2][4] = { { LDR, LDRH, LDRB, LDR }, { LDR, LDRSH, LDRSB, LDR } };
        if (i.src != 10 && size < 8)
            ldst_reg(e, kind[sx][sz], ol, R1, R2);
        else
            ldst(e, kind[sx][sz], ol, R1, o);
        set_lo(e, d, ol);
        if (is_z32(e, d))
            return;
        if (size == 8)
            ldst(e, LDR, oh, R1, o + 4);
        else if (sx)
            shift_imm(e, ASR, oh, ol, 31);
        else
            li(e, oh, 0);
        set_hi(e, d, oh);
        return;
    }
    if (i.dst == 10)
        o = frame_addr(e, i.off);
    else
        mem_check(e, i.dst, i.off, fc_jit_size_lg(i.op), 1, pc);
    unsigned vl, vh = R3; /* r2 may hold the offset */
    if (cls == FC_CLS_ST) {
        vl = R0;
        li(e, R0, (uint32_t)i.imm);
        if (size == 8)
            li(e, R3, i.imm < 0 ? 0xffffffffu : 0);
    } else {
        vl = get_lo(e, i.src, R0);
        if (size == 8)
            vh = get_hi(e, i.src, R3);
    }
    static const uint8_t kind[4] = { STR, STRH, STRB, STR };
    if (i.dst != 10 && size < 8)
        ldst_reg(e, kind[sz], vl, R1, R2);
    else
        ldst(e, kind[sz], vl, R1, o);
    if (size == 8)
        ldst(e, STR, vh, R1, o + 4);
}

/* ---- jumps ---- */

/* Flags for the jump's compare; the condition under which it is taken. */
static int compare(em_t *e, fc_insn_t i)
{
    unsigned op = i.op & 0xf0u;
    int x = (i.op & FC_SRC_X) != 0, is64 = (i.op & 7u) == FC_CLS_JMP;
    uint32_t k = (uint32_t)i.imm, kh = i.imm < 0 ? 0xffffffffu : 0;
    int narrowed = 0;
    if (is64 && is_z32(e, i.dst) && (x ? is_z32(e, i.src) : i.imm >= 0)) {
        /* both below 2^32: a 32-bit compare decides, signed ones as unsigned */
        is64 = 0;
        narrowed = 1;
    }
    unsigned al = get_lo(e, i.dst, R0), ah = is64 ? get_hi(e, i.dst, R1) : R1;
    if (is64 && !x && (op == FC_JMP_JEQ || op == FC_JMP_JNE) && mod_imm(k) >= 0) {
        /* equality with a constant: (a.lo ^ k) | (a.hi ^ sign) is zero */
        unsigned t = al;
        if (k != 0) {
            dp_imm(e, EOR, 0, IP, al, mod_imm(k));
            t = IP;
        }
        dp_reg(e, kh ? ORN : ORR, 1, IP, t, ah, LSL, 0);
        return op == FC_JMP_JEQ ? EQ : NE;
    }
    unsigned bl = R2, bh = R3;
    /* 64-bit greater / less-or-equal: compare b with a, so one subtraction decides */
    int swap = is64 && (op == FC_JMP_JGT || op == FC_JMP_JLE || op == FC_JMP_JSGT || op == FC_JMP_JSLE);
    int eq = op == FC_JMP_JEQ || op == FC_JMP_JNE || op == FC_JMP_JSET;
    int immf = !x && !swap && mod_imm(k) >= 0;

    if (x) {
        bl = get_lo(e, i.src, R2);
        if (is64)
            bh = get_hi(e, i.src, R3);
    } else if (!immf) {
        li(e, R2, k);
        if (is64)
            li(e, R3, kh);
    }
    unsigned cop = op == FC_JMP_JSET ? AND : SUB; /* tst or cmp */

    if (!is64) {
        if (immf)
            dp_imm(e, cop, 1, PCR, al, mod_imm(k));
        else
            dp_reg(e, cop, 1, PCR, al, bl, LSL, 0);
    } else if (eq) {
        if (immf)
            dp_imm(e, cop, 1, PCR, al, mod_imm(k));
        else
            dp_reg(e, cop, 1, PCR, al, bl, LSL, 0);
        h16(e, 0xbf08); /* it eq */
        if (immf)
            dp_imm(e, cop, 1, PCR, ah, mod_imm(kh));
        else
            dp_reg(e, cop, 1, PCR, ah, bh, LSL, 0);
    } else if (swap) { /* b - a: flags of the 64-bit subtraction */
        dp_reg(e, SUB, 1, PCR, bl, al, LSL, 0);
        dp_reg(e, SBC, 1, IP, bh, ah, LSL, 0);
    } else if (immf) {
        dp_imm(e, SUB, 1, PCR, al, mod_imm(k));
        dp_imm(e, SBC, 1, IP, ah, mod_imm(kh));
    } else {
        dp_reg(e, SUB, 1, PCR, al, bl, LSL, 0);
        dp_reg(e, SBC, 1, IP, ah, bh, LSL, 0);
    }
    if (narrowed) {
        switch (op) {
        case FC_JMP_JSGE: return HS;
        case FC_JMP_JSLT: return LO;
        case FC_JMP_JSGT: return HI;
        case FC_JMP_JSLE: return LS;
        default: break;
        }
    }
    switch (op) {
    case FC_JMP_JEQ:  return EQ;
    case FC_JMP_JNE:  return NE;
    case FC_JMP_JSET: return NE;
    case FC_JMP_JGE:  return HS;
    case FC_JMP_JLT:  return LO;
    case FC_JMP_JSGE: return GE;
    case FC_JMP_JSLT: return LT;
    default: break;
    }
    if (!is64) {
        switch (op) {
        case FC_JMP_JGT:  return HI;
        case FC_JMP_JLE:  return LS;
        case FC_JMP_JSGT: return GT;
        default:          return LE; /* JSLE */
        }
    }
    switch (op) { /* swapped: b < a means a > b */
    case FC_JMP_JGT:  return LO;
    case FC_JMP_JLE:  return HS;
    case FC_JMP_JSGT: return LT;
    default:          return GE; /* JSLE */
    }
}

/* Go to slot @p target when @p cond holds (-1: always); a backward jump pays its length. */
static void jump_to(em_t *e, uint32_t pc, int64_t off, int cond)
{
    uint32_t target = (uint32_t)((int64_t)pc + 1 + off);
    if (off >= 0) {
        if (off > 0)
            bw(e, slot_code(e, target), cond);
        return;
    }
    uint32_t at = cond >= 0 ? skip_begin(e) : 0;
    pay_and_jump(e, (uint32_t)-off, pc, slot_code(e, target));
    if (cond >= 0)
        skip_end(e, at, cond ^ 1);
}

static void emit_jmp(em_t *e, fc_insn_t i, uint32_t pc)
{
    unsigned op = i.op & 0xf0u;
    switch (op) {
    case FC_JMP_JA:
        jump_to(e, pc, (i.op & 7u) == FC_CLS_JMP32 ? i.imm : i.off, -1);
        return;
    case FC_JMP_CALL:
        if (i.src == FC_CALL_LOCAL) {
            ccall(e, FN_CALL, pc);
            bw(e, slot_code(e, (uint32_t)((int64_t)pc + 1 + i.imm)), -1);
        } else {
            ccall(e, FN_HELPER, pc);
        }
        return;
    case FC_JMP_EXIT:
        if (e->vm->verified & FC_VERIFIED_CALLS) {
            ccall(e, FN_EXIT, pc);
            ldst(e, LDR, IP, ST, ST_OFF(tmp_sp));
            h16(e, 0x4760); /* bx ip */
        } else {
            movw(e, 0, R1, pc);
            ldst(e, STR, R1, ST, ST_OFF(pc));
            li(e, R0, 1);
            bw(e, e->h_exit, -1);
        }
        return;
    default:
        jump_to(e, pc, i.off, compare(e, i));
        return;
    }
}

/* ---- the passes ---- */

/*
 * Whether slot i leaves a zero-extended 32-bit value in its destination
 * (given the registers already known to hold only such values), or writes
 * no register at all.
 */
static int z32_def(fc_insn_t i, uint32_t z32, const uint8_t *slot)
{
    unsigned cls = i.op & 7u, op = i.op & 0xf0u;
    int x = (i.op & FC_SRC_X) != 0, sz = (z32 >> i.src) & 1u, dz = (z32 >> i.dst) & 1u;
    switch (cls) {
    case FC_CLS_ALU: /* zero-extended, but le64 and be64 keep (or move) the upper half */
        return op != FC_ALU_END || i.imm != 64 || (!x && dz);
    case FC_CLS_ALU64:
        switch (op) {
        case FC_ALU_MOV: return x ? i.off == 0 && sz : i.imm >= 0;
        case FC_ALU_AND: return x ? sz || dz : i.imm >= 0 || dz;
        case FC_ALU_OR:
        case FC_ALU_XOR: return x ? sz && dz : i.imm >= 0 && dz;
        case FC_ALU_RSH: return !x && (i.imm & 63) >= 32;
        default: return 0;
        }
    case FC_CLS_LDX:
        return (i.op & 0xe0u) == FC_MODE_MEM && (i.op & 0x18u) != FC_SIZE_DW;
    case FC_CLS_LD:
        return fc_ld32(slot + FC_INSN_SIZE + 4) == 0;
    default:
        return 1; /* stores, jumps: no destination (calls and atomics: see z32_clobbers) */
    }
}

/* Registers an instruction writes besides its destination field. */
static uint32_t z32_clobbers(fc_insn_t i)
{
    if (i.op == FC_OP_CALL && i.src == FC_CALL_HELPER)
        return 1u; /* a helper's 64-bit result in r0 */
    if ((i.op & 7u) == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_ATOMIC)
        return i.imm == FC_ATOMIC_CMPXCHG ? 1u : (i.imm & FC_ATOMIC_FETCH) ? 1u << i.src : 0;
    return 0;
}

/*
 * Pass 0's register choice: which of r0..r9 only ever hold 32-bit values
 * (one host register then), and the most used ones, uses in loops weighing
 * 8x per level of nesting, in the seven host registers r4-r9 and lr. The
 * slot table (zero, not yet used) holds the loop nesting meanwhile.
 */
static const uint8_t pool[7] = { 4, 5, 6, 7, 8, 9, LR };

/* Which register fields an opcode reads or writes, from the ISA table (0: not an opcode). */
#define USE_DST 1u
#define USE_SRC 2u
#define USE_WDST 4u
#define USES(name, value, cls, sem, zero, flags, ...)                                      \
    [value] = (uint8_t)((((flags) & (FC_F_RDST | FC_F_WDST)) ? USE_DST : 0u) |            \
                        (((flags) & FC_F_RSRC) ? USE_SRC : 0u) | (((flags) & FC_F_WDST) ? USE_WDST : 0u)),
static const uint8_t reg_use[256] = { FC_ISA_TABLE(USES) };
#undef USES

static void choose_map(em_t *e, uint32_t *tab)
{
    const fc_vm_t *vm = e->vm;
    uint32_t n = vm->nslots, w[10] = { 0 };
    /* r1 and r2 arrive as 64-bit arguments; the rest start at zero */
    uint32_t z32 = 0x3f9u;
    for (unsigned round = 0; round < 11; round++) {
        uint32_t before = z32;
        for (uint32_t pc = 0; pc < n; pc++) {
            const uint8_t *slot = vm->code + (size_t)pc * FC_INSN_SIZE;
            fc_insn_t i = fc_insn_decode(slot);
            unsigned cls = i.op & 7u;
            if ((reg_use[i.op] & USE_WDST) && i.dst < 10 && !z32_def(i, z32, slot))
                z32 &= ~(1u << i.dst);
            z32 &= ~z32_clobbers(i);
            if (cls == FC_CLS_LD)
                pc++;
        }
        if (z32 == before)
            break;
    }
    /* loop nesting: +1 from a backward jump's target to the jump */
    for (uint32_t pc = 0; pc < n; pc++) {
        fc_insn_t i = fc_insn_decode(vm->code + (size_t)pc * FC_INSN_SIZE);
        unsigned cls = i.op & 7u, op = i.op & 0xf0u;
        if ((cls == FC_CLS_JMP || cls == FC_CLS_JMP32) && op != FC_JMP_CALL && op != FC_JMP_EXIT &&
            fc_jit_back_cost(i) > 0 && tab != NULL) {
            tab[fc_jit_target(pc, i)]++;
            if (pc + 1 < n)
                tab[pc + 1]--;
        }
    }
    uint32_t depth = 0;
    for (uint32_t pc = 0; pc < n; pc++) {
        fc_insn_t i = fc_insn_decode(vm->code + (size_t)pc * FC_INSN_SIZE);
        if (tab != NULL) {
            depth += tab[pc];
            tab[pc] = 0;
        }
        uint32_t wt = 1u << (3u * (depth < 4 ? depth : 4));
        if ((reg_use[i.op] & USE_DST) && i.dst < 10)
            w[i.dst] += wt;
        if ((reg_use[i.op] & USE_SRC) && i.src < 10)
            w[i.src] += wt;
    }
    e->map[0] = e->map[1] = 0xffffffffu;
    e->map[2] = 0xffffu | z32 << 16;
    unsigned used = 0, done = 0;
    for (;;) {
        unsigned best = 10;
        for (unsigned r = 0; r < 10; r++)
            if (!((done >> r) & 1u) && w[r] > 0 && (best == 10 || w[r] > w[best]))
                best = r;
        if (best == 10)
            break;
        done |= 1u << best;
        unsigned need = is_z32(e, best) ? 1u : 2u;
        if (used + need > sizeof pool)
            continue;
        set_hreg(e, best, 0, pool[used++]);
        if (need == 2)
            set_hreg(e, best, 1, pool[used++]);
    }
}

/*
 * The front end's passes (jit.c) drive the emitter: an em_t is made from
 * the compile state for each call and written back. Pass 0 only sizes
 * (nothing is written, the table is not read); pass 1 writes.
 */
/* L_MAP..L_MAP+2: the register map; L_SKIP: the next slot was fused into this one (fuse_mov) */
enum { L_ENTER, L_EXIT, L_RET, L_BUDGET, L_MISS, L_MAP, L_SKIP = L_MAP + 3 };

static void em_from(em_t *e, const fc_jit_state_t *s)
{
    memset(e, 0, sizeof *e);
    e->vm = s->vm;
    e->alias = 0xff;
    e->buf = s->pass == 1 ? s->buf : NULL;
    e->pos = fc_jit_here(s);
    e->limit = (uint32_t)(s->end - s->buf);
    e->tab = s->off;
    e->cold = s->stub_base;
    e->nstub = s->nstubs;
    e->h_exit = s->lbl[L_EXIT];
    e->h_ret = s->lbl[L_RET];
    e->h_budget = s->lbl[L_BUDGET];
    e->h_miss = s->lbl[L_MISS];
    for (unsigned k = 0; k < 3; k++)
        e->map[k] = s->lbl[L_MAP + k];
}

static void em_to(const em_t *e, fc_jit_state_t *s)
{
    s->p = s->buf + e->pos;
    s->nstubs = e->nstub; /* counted in bytes: stubs differ in size */
    if (s->pass == 1)
        s->stub_p = s->buf + s->stub_base + e->nstub;
    if (e->err != FC_OK || e->pos > e->limit || (s->pass == 1 && s->stub_base + e->nstub > e->limit))
        s->overflow = 1;
}

void fc_jit_arch_begin(fc_jit_state_t *s)
{
    em_t e;
    if (s->pass == 0) {
        em_from(&e, s);
        choose_map(&e, s->off);
        for (unsigned k = 0; k < 3; k++)
            s->lbl[L_MAP + k] = e.map[k];
    }
    s->lbl[L_SKIP] = 0;
    em_from(&e, s);
    /* entry: int code(fc_jit_ctx_t *ctx, uint32_t slot_address) */
    s->lbl[L_ENTER] = e.pos;
    h32(&e, 0xe92d, 0x4ff8); /* push {r3-r11, lr}: 8-byte aligned for the C calls */
    mov(&e, ST, R0);
    mov(&e, IP, R1);
    flush(&e, 1);
    h16(&e, 0x4760); /* bx ip */
    /* leave with r0: the registers for the result, the budget for fc_vm_t::left */
    e.h_exit = s->lbl[L_EXIT] = e.pos;
    flush_regs(&e, 0);
    e.h_ret = s->lbl[L_RET] = e.pos;
    ldst(&e, STR, BUD, ST, ST_OFF(budget)); /* the low word */
    h32(&e, 0xe8bd, 0x8ff8); /* pop {r3-r11, pc} */
    /* out of budget at slot r1 */
    e.h_budget = s->lbl[L_BUDGET] = e.pos;
    ldst(&e, STR, R1, ST, ST_OFF(pc));
    li(&e, R0, (uint32_t)FC_ERR_BUDGET);
    bw(&e, e.h_ret, -1);
    /* a cache miss (miss_stub): r0 = cache, r1 = slot, r2:r3 = d, lr = back into the stub; back with the host address in r1 + r2 */
    e.h_miss = s->lbl[L_MISS] = e.pos;
    ldst(&e, STR, LR, ST, ST_OFF(tmp[1]));
    ldst(&e, STR, R1, ST, ST_OFF(pc));
    mov(&e, R1, R0);
    ldst(&e, LDR, R0, ST, ST_OFF(saved_sp));
    ldst(&e, LDR, IP, R0, EXT_OFF(miss));
    h16(&e, 0x47e0); /* blx ip */
    mov(&e, R1, R0);
    li(&e, R2, 0); /* the access adds r2 */
    ldst(&e, LDR, IP, ST, ST_OFF(tmp[1]));
    ldst(&e, LDR, LR, ST, ST_OFF(tmp[0]));
    dp_imm(&e, SUB, 1, PCR, R0, 0); /* cmp r0, #0 */
    h16(&e, 0xbf18); /* it ne */
    h16(&e, 0x4760); /* bxne ip: the host address in r1 */
    ldst(&e, LDR, R0, ST, ST_OFF(err));
    bw(&e, e.h_ret, -1);
    em_to(&e, s);
}

/*
 * "wd = ws; wd op= wt (or K)" in two slots, op add, sub, or, and or xor,
 * the second slot no target: one three-operand instruction. The second
 * slot then compiles to nothing and is no safe entry: fc_jit_run()
 * interprets a run entered there (fc_jit_mark_unsafe), with the same results.
 * The second slot's own emitter does the work (get_lo reads wd as ws);
 * out of line, 58 B less flash.
 */
__attribute__((noinline)) static int fuse_mov(em_t *e, fc_jit_state_t *s, fc_insn_t i)
{
    const uint32_t pc = s->pc;
    if (i.op != (FC_CLS_ALU | FC_ALU_MOV | FC_SRC_X) || i.off != 0 || i.src == 10 ||
        pc + 1 >= s->nslots || fc_jit_is_target(s, pc + 1))
        return 0;
    const fc_insn_t n = fc_jit_insn(s, pc + 1);
    const unsigned op = n.op & 0xf0u;
    if ((n.op & 7u) != FC_CLS_ALU || n.dst != i.dst || ((n.op & FC_SRC_X) && n.src == 10) ||
        (op != FC_ALU_ADD && op != FC_ALU_SUB && op != FC_ALU_OR && op != FC_ALU_AND && op != FC_ALU_XOR))
        return 0;
    /* the second slot's code, with wd read from ws (which wd is by then) */
    e->alias = i.dst;
    e->alias_of = i.src;
    emit_alu32(e, n);
    e->alias = 0xff;
    fc_jit_mark_unsafe(s, pc + 1);
    s->lbl[L_SKIP] = 1;
    return 1;
}

void fc_jit_arch_slot(fc_jit_state_t *s, fc_insn_t i)
{
    em_t e;
    uint32_t pc = s->pc;
    if (s->lbl[L_SKIP]) { /* compiled with the slot before (fuse_mov) */
        s->lbl[L_SKIP] = 0;
        return;
    }
    em_from(&e, s);
    switch (i.op & 7u) {
    case FC_CLS_ALU:
        if (!fuse_mov(&e, s, i))
            emit_alu32(&e, i);
        break;
    case FC_CLS_ALU64:
        emit_alu64(&e, i, pc);
        break;
    case FC_CLS_JMP:
    case FC_CLS_JMP32:
        emit_jmp(&e, i, pc);
        break;
    case FC_CLS_LD: { /* LDDW: the verifier checked the second slot */
        unsigned ol = out_lo(&e, i.dst, R0), oh = out_hi(&e, i.dst, R1);
        li(&e, ol, (uint32_t)i.imm);
        li(&e, oh, fc_jit_lddw_hi(s, pc));
        set_lo(&e, i.dst, ol);
        set_hi(&e, i.dst, oh);
        break;
    }
    default:
        emit_mem(&e, i, pc);
        break;
    }
    em_to(&e, s);
}

void fc_jit_arch_end(fc_jit_state_t *s)
{
    (void)s;
#if defined(__arm__)
    /* the code was written as data: complete the writes, then refetch */
    if (s->pass == 1)
        __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

/* ---- run time: the C routines the code calls, and the entry ---- */

/* The budget as the code leaves it (the low word) and back as the front end keeps it. */
static int32_t budget_of(const fc_jit_ctx_t *ctx)
{
    return (int32_t)(uint32_t)(uint64_t)ctx->budget;
}

static fc_insn_t insn_at(const jt_state_t *st, uint32_t pc)
{
    return fc_insn_decode(st->ctx->vm->code + (size_t)pc * FC_INSN_SIZE);
}

static int fault(jt_state_t *st, uint32_t pc, int err)
{
    st->ctx->pc = pc;
    return err;
}

/* The front end's C side (a helper call, an atomic). */
static int front(jt_state_t *st, uint32_t pc, int (*fn)(fc_jit_ctx_t *))
{
    fc_jit_ctx_t *ctx = st->ctx;
    ctx->pc = pc;
    ctx->budget = budget_of(ctx);
    ctx->err = FC_OK;
    if (!fn(ctx))
        return FC_OK;
    return ctx->err == FC_OK ? FC_STOP : ctx->err;
}

static int rt_helper(jt_state_t *st, uint32_t pc)
{
    return front(st, pc, fc_jit_c_call);
}

static int rt_call(jt_state_t *st, uint32_t pc)
{
    fc_jit_ctx_t *ctx = st->ctx;
    int32_t imm = insn_at(st, pc).imm, budget = budget_of(ctx);
    uint32_t frame = ctx->vm->frame;
    int err = FC_OK;
    if (--budget < 0 || (imm < 0 && (budget += imm) < 0)) /* a call back pays the distance */
        err = FC_ERR_BUDGET;
    ctx->budget = budget;
    if (err != FC_OK)
        return fault(st, pc, err);
    ctx->reg[10] = FC_VADDR(FC_REGION_STACK, 0) + (uint64_t)(ctx->fp - ctx->stack);
    unsigned depth = ctx->depth;
    err = fc_call_enter(st->frames, &depth, ctx->reg, frame, pc);
    ctx->depth = depth;
    if (err != FC_OK)
        return fault(st, pc, err);
    ctx->stack_lo -= frame;
    ctx->fp -= frame;
    fc_jit_cache_clear(ctx); /* the stack's window starts at the frame's bottom */
    return FC_OK;
}

static int rt_exit(jt_state_t *st, uint32_t pc)
{
    fc_jit_ctx_t *ctx = st->ctx;
    uint32_t frame = ctx->vm->frame;
    if (ctx->depth == 0)
        return fault(st, pc, FC_STOP); /* the program's end: r0 is the result */
    uint32_t ret = st->frames[ctx->depth - 1].ret;
    int32_t budget = budget_of(ctx);
    if (pc > ret)
        budget -= (int32_t)(pc - ret);
    ctx->budget = budget;
    if (budget < 0)
        return fault(st, pc, FC_ERR_BUDGET);
    unsigned depth = ctx->depth;
    ret = fc_call_leave(st->frames, &depth, ctx->reg, frame);
    ctx->depth = depth;
    ctx->stack_lo += frame;
    ctx->fp += frame;
    fc_jit_cache_clear(ctx);
    ctx->tmp_sp = (uintptr_t)(st->base + st->tab[ret + 1]) | 1u; /* where the code goes on */
    return FC_OK;
}

static uint8_t *rt_miss(jt_state_t *st, uint32_t k, uint64_t d)
{
    return fc_jit_c_miss(st->ctx, d, k);
}

/* 64-bit division, modulo, shifts by a register, and atomics */
static int rt_slow(jt_state_t *st, uint32_t pc)
{
    fc_insn_t i = insn_at(st, pc);
    uint64_t *d = &st->ctx->reg[i.dst];
    if ((i.op & 7u) == FC_CLS_STX)
        return front(st, pc, fc_jit_c_atomic);
    uint64_t s = (i.op & FC_SRC_X) ? st->ctx->reg[i.src] : (uint64_t)(int64_t)i.imm;
    unsigned op = i.op & 0xf0u;
    if (op == FC_ALU_DIV || op == FC_ALU_MOD)
        *d = fc_alu_div(op, *d, s, i.off != 0, 64, 0);
    else
        *d = fc_alu_shift(op, *d, (uint32_t)s, 64);
    return FC_OK;
}

void fc_jit_arch_enter(const uint8_t *code, uint32_t enter, fc_jit_ctx_t *ctx, const uint8_t *target)
{
    jt_state_t st;
    /* the header is 8-aligned (fc_jit_enable): read in place, no copy on every run */
    const fc_jit_hdr_t *hdr = (const fc_jit_hdr_t *)(const void *)code;
    st.ctx = ctx;
    st.base = code;
    st.tab = (const uint32_t *)(const void *)(code + hdr->table);
    st.fn[FN_HELPER] = rt_helper;
    st.fn[FN_CALL] = rt_call;
    st.fn[FN_EXIT] = rt_exit;
    st.fn[FN_SLOW] = rt_slow;
    st.miss = rt_miss;
    ctx->saved_sp = (uintptr_t)&st;
    typedef int (*jt_entry_t)(fc_jit_ctx_t *, uint32_t);
    jt_entry_t run;
    uintptr_t at = (uintptr_t)(code + enter) | 1u;
    FC_MEMCPY(&run, &at, sizeof run);
    int rc = run(ctx, (uint32_t)(uintptr_t)target | 1u);
    ctx->budget = budget_of(ctx);
    ctx->err = rc < 0 ? rc : FC_OK;
}

#endif /* FC_JIT_THUMB2 && !FC_JIT_X86_64 */
