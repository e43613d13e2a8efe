/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compact interpreter (FC_COMPACT=1), for flash-constrained targets.
 *
 * Same contract, results, faults and budget as interp.c, in about a tenth
 * of its flash. One dispatch per instruction, on the class and source bit
 * (op & 15, a dense switch: a tbh on Thumb-2, no table of opcodes, its
 * last value the default so that the range check needs no subtraction); the
 * frequent ALU forms (32-bit add and register copy, 64-bit add of an
 * immediate) are tested first in their case and need no second decoding;
 * the other ALU operations share alu(), out of line; jumps of both widths
 * share one condition switch. Loads hit the last region they translated (a
 * window) inline; stores test their window, and loads translate on a miss,
 * out of line, through the one call site they share.
 * Fields are read where they are used.
 */
#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/verify.h"
#include "vm_internal.h"

#if FC_COMPACT

/*
 * UNREACHABLE marks the values a switch cannot see in verified code (the
 * verifier refuses those opcodes), so they cost no code. NOINLINE keeps the
 * paths out of fc_vm_run (alu, xlate: a load window's miss and the stores'
 * translation, rmw: atomics) whatever gcc's heuristics: inlined, they cost
 * the hot loop registers.
 */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define UNREACHABLE() __builtin_unreachable()
#define NOINLINE __attribute__((noinline))
#else
#define UNREACHABLE() ((void)0)
#define NOINLINE
#endif

/*
 * What the decoding below assumes of the opcodes, checked against every row
 * of the ISA table at compile time (a new row it would decode otherwise
 * stops the build): an access's size is access_size[(op >> 3) & 3]; a
 * sign-extending load is MODE_MEMSX; an atomic is MODE_ATOMIC, 4 or 8 bytes;
 * a jump's operation (op >> 4) is one the jump switch has (0 to 0xd).
 */
#define CHECK_ROW(name, value, cls, sem, zero, flags, size, ...)                              \
    _Static_assert((size) == 0 || (FC_CLS_##cls) == FC_CLS_LD ||                              \
                   (size) == ((0x08010204u >> (8 * (((value) >> 3) & 3))) & 0xffu),          \
                   #name ": access size");                                                    \
    _Static_assert((FC_CLS_##cls) != FC_CLS_LDX ||                                            \
                   (((flags) & FC_F_SIGNED) != 0) == (((value) & 0xe0) == FC_MODE_MEMSX),     \
                   #name ": sign-extending load");                                            \
    _Static_assert(((flags) & (FC_F_LOAD | FC_F_STORE)) != (FC_F_LOAD | FC_F_STORE) ||         \
                   (((value) & 0xe0) == FC_MODE_ATOMIC && ((size) == 4 || (size) == 8)),     \
                   #name ": atomic");                                                         \
    _Static_assert(((FC_CLS_##cls) != FC_CLS_JMP && (FC_CLS_##cls) != FC_CLS_JMP32) ||         \
                   ((value) >> 4) <= 0xd, #name ": jump operation");
FC_ISA_TABLE(CHECK_ROW)
#undef CHECK_ROW

/* bytes of an access, indexed by (op >> 3) & 3: W, H, B, DW */
static const uint8_t access_size[4] = { 4, 2, 1, 8 };

#define SIGN64 ((uint64_t)1 << 63)

/*
 * a mov's source, sign-extended from off bits when off is nonzero: the low
 * word extended from 8, 16 or 32 bits by two 32-bit shifts (left by
 * 32 - off, arithmetic right back), then the word from 32 (one 64-bit
 * extension, not one per width: fewer bytes)
 */
static inline uint64_t movsx(uint64_t s, int16_t off)
{
    /*@ assert fc_fact_movsx: off == 0 || off == 8 || off == 16 || off == 32; */
    if (off == 0)
        return s;
    const unsigned k = 32u - (unsigned)off; /* 24, 16, 0 */
    return fc_sext((uint32_t)((int32_t)((uint32_t)s << k) >> k), 32);
}

/*
 * The last region an access kind (read, write, atomic) translated, as a
 * window of offsets that every access of up to 8 bytes may use: offsets
 * lo <= off < lo + span of region id, so off + 8 stays within the region's
 * length, and lo is the frame's bottom in the stack (the frame rule: with
 * local calls, stack accesses below the current frame fault, see interp.c).
 * A hit is one compare of off - lo (an offset below lo wraps to a huge
 * difference) and one of the id, in 32 bits. span 0 never hits: the
 * windows start so, and are emptied wherever a translation could change
 * (the frame's bottom at calls and returns, the region table in a helper).
 */
struct win {
    uint8_t *host;
    uint32_t id, lo, span;
};

/*
 * What a translation needs besides the access, in one place so that the
 * miss takes its arguments in registers: the windows of reads, writes and
 * atomics (access bits - 1), the frame's bottom, and the fault of a miss.
 * The registers stay a local array: inside this struct they cost 340
 * guest instructions per Fletcher32 run on Cortex-M4 for 24 B (measured).
 */
struct access {
    const fc_vm_t *vm;
    struct win win[3];
    uint32_t stack_lo;
    int err;
};

/*
 * The region of the size bytes at addr, NULL if it has no such bytes:
 * fc_mem_xlate_insn()'s bounds test (for no access in particular), written
 * on the id and the offset in 32 bits, which takes fewer instructions on a
 * 32-bit core than its 64-bit sums. WP proves the contract for every input
 * (docs/proofs.md, step 1a): the region is the address's and holds the
 * bytes, readable, and writable when the region grants writes.
 */
/*@ requires fc_regions_ok((fc_region_t *)regions, nregions);
    requires 1 <= size <= 8;
    assigns \nothing;
    behavior mapped:
      assumes fc_mapped((fc_region_t *)regions, nregions, addr, size, 0);
      ensures \result == regions + fc_vidx(addr);
      ensures \valid_read(\result->host + fc_voff(addr) + (0 .. size - 1));
      ensures (\result->flags & FC_MEM_WRITE) != 0 ==>
              \valid(\result->host + fc_voff(addr) + (0 .. size - 1));
    behavior unmapped:
      assumes !fc_mapped((fc_region_t *)regions, nregions, addr, size, 0);
      ensures \result == \null;
    complete behaviors;
    disjoint behaviors;
*/
static inline const fc_region_t *region_of(const fc_region_t *regions, uint32_t nregions,
                                           uint64_t addr, uint32_t size)
{
    const uint64_t idx = (addr >> 32) - 1u; /* in 64 bits, as fc_vidx(): WP proves it so */
    const uint32_t off = (uint32_t)addr;
    if (idx >= nregions)
        return NULL;
    /*@ split idx; */
    const fc_region_t *const r = &regions[idx];
    return size <= r->len && off <= r->len - size ? r : NULL;
}

/* what xlate and the stores decode: of the loads and stores, only atomics have op >= 0xc0 */
#define CHECK_MEM(name, value, cls, sem, zero, flags, size, ...)                              \
    _Static_assert(((FC_CLS_##cls) != FC_CLS_LDX && (FC_CLS_##cls) != FC_CLS_ST &&            \
                    (FC_CLS_##cls) != FC_CLS_STX) ||                                          \
                   (((value) >= FC_MODE_ATOMIC) == (((value) & 0xe0) == FC_MODE_ATOMIC)),    \
                   #name ": atomic mode");
FC_ISA_TABLE(CHECK_MEM)
#undef CHECK_MEM

/*
 * Every store's translation, and a load window's miss (once per region and
 * access kind in most runs), out of line: the access of load or store op
 * at addr, a hit in its kind's window (loads test theirs inline first), else
 * translated in full (region_of() and the frame rule) with its window
 * refilled from its region: its host address; else NULL and the fault in
 * st->err, the cause fc_mem_cause() gives, tested in its order (FC_ERR_MEM
 * out of bounds or below the frame, FC_ERR_MEM_PERM mapped but not
 * permitted), with one translation instead of two.
 */
static NOINLINE uint8_t *xlate(struct access *st, uint32_t op, uint64_t addr)
{
    const fc_vm_t *const vm = st->vm;
    /* loads (class 1) have bit 1 clear, stores (2, 3) set; only atomics have mode 0xc0 */
    const uint32_t k = ((op >> 1) & 1) + (op >= FC_MODE_ATOMIC);
    struct win *const w = &st->win[k];
    const uint32_t size = access_size[(op >> 3) & 3];
    _Static_assert(FC_MEM_READ == 1 && FC_MEM_WRITE == 2, "window i is access bits i + 1");
    const uint32_t acc = k + 1; /* its window's: read, write, both */
    const uint32_t id = (uint32_t)(addr >> 32), off = (uint32_t)addr;
    /*@ split size; */
    if (off - w->lo < w->span && id == w->id) {
        uint8_t *const m = w->host + off;
        /*@ assert fc_inv_win: \valid_read(m + (0 .. size - 1)); */
        return m;
    }
    const fc_region_t *const r = region_of(vm->regions, vm->nregions, addr, size);
    int err = FC_ERR_MEM;
    if (r != NULL && (r->flags & acc) != acc) { /* fc_mem_cause's order: not permitted, whatever the frame */
        err = FC_ERR_MEM_PERM;
    } else if (r != NULL) {
        const uint32_t lo = id == FC_REGION_STACK ? st->stack_lo : 0; /* the frame rule */
        if (off >= lo) {
            uint8_t *const h = r->host;
            w->host = h;
            w->id = id;
            w->lo = lo;
            w->span = r->len - lo >= 8 ? r->len - lo - 7 : 0;
            uint8_t *const m = h + off;
            /* region_of's contract, for EVA (which analyses its body, not its contract): WP proves it */
            /*@ assert fc_region_of: \valid_read(m + (0 .. size - 1)); */
            return m;
        }
    }
    st->err = err;
    return NULL;
}

/*
 * An atomic's value to store at m (translated, valid for its 4 or 8 bytes),
 * fc_atomic_rmw's rules; the caller stores it with the plain stores (the
 * low word for a 32-bit atomic; a failed compare-exchange stores the old
 * value back, which leaves memory as it was). Out of line: atomics are rare
 * and, inline, their registers cost fc_vm_run's store path more.
 */
static NOINLINE uint64_t rmw(const uint8_t *m, const uint8_t *p, uint64_t *reg)
{
    const uint32_t aop = fc_ld32(p + 4);
    uint64_t *const x = &reg[p[1] >> 4];
    /*@ assert fc_fact_atomic: (p[0] & 0x18) == FC_SIZE_W || (p[0] & 0x18) == FC_SIZE_DW; */
    const int dw = (p[0] & 0x18) == FC_SIZE_DW;
    uint64_t old;
    if (dw) {
        /*@ assert fc_inv_win: \valid_read(m + (0 .. 7)); */
        old = fc_ld64(m);
    } else {
        /*@ assert fc_inv_win: \valid_read(m + (0 .. 3)); */
        old = fc_ld32(m);
    }
    uint64_t v = *x;
    if (aop == FC_ATOMIC_CMPXCHG) { /* r0 gets the old value, memory src if old was r0 */
        const uint64_t diff = old ^ reg[0]; /* the low words compared, and a DW's high ones */
        if ((uint32_t)diff != 0 || (dw && (diff >> 32) != 0))
            v = old;
        reg[0] = old;
        return v;
    }
    /* add, or, and, xor in their numbers' order (xchg, 0xe1, stores src as it is) */
    if (aop <= (FC_ATOMIC_ADD | FC_ATOMIC_FETCH))
        v += old;
    else if (aop <= (FC_ATOMIC_OR | FC_ATOMIC_FETCH))
        v |= old;
    else if (aop <= (FC_ATOMIC_AND | FC_ATOMIC_FETCH))
        v &= old;
    else if (aop <= (FC_ATOMIC_XOR | FC_ATOMIC_FETCH))
        v ^= old;
    if (aop & FC_ATOMIC_FETCH)
        *x = old;
    return v;
}

/* a >> n in 64 bits, n 0..63: the one variable 64-bit shift, which alu() builds the others on */
static NOINLINE uint64_t shr(uint64_t a, uint32_t n)
{
    return a >> n;
}

/*
 * The ALU operations once for both widths, in 64 bits: a 32-bit operation
 * runs on operands zero-extended from 32 bits (sdiv and smod sign-extend
 * them, arsh its left one) and its result is truncated, which
 * gives the ISA's 32-bit results (shift counts masked to 31, INT32_MIN / -1
 * wrapping) with one copy of the code. Only the rarer operations come here
 * (fc_vm_run does the frequent forms itself; a movsx comes here): the
 * caller passes the slot, the destination register's address (alu() reads
 * and writes the register) and the source operand, the register or the
 * immediate as the source bit says (a byte swap does not use it; its width
 * is read from the slot). The ISA's rules (vm_internal.h's fc_alu_shift,
 * fc_alu_div) are rewritten here in fewer bytes: every shift and byte swap
 * is one right shift, shr() (a left shift multiplies by 2^n, sharing the
 * multiplication; a logical one is the arithmetic one of a nonnegative
 * value), and division and modulo one divmod call of each signedness.
 */
static NOINLINE void alu(const uint8_t *p, uint64_t *d, uint64_t b)
{
    const uint8_t op = p[0];
    uint64_t a = *d;
    const int16_t off = (int16_t)fc_ld16(p + 2);
    _Static_assert((FC_CLS_ALU & 1) == 0 && (FC_CLS_ALU64 & 1) == 1, "bit 0 tells the ALU classes");
    const int w32 = !(op & 1); /* of the two classes that come here, ALU, not ALU64 */
    if ((op >> 4) == (FC_ALU_END >> 4)) { /* ALU le, ALU be, ALU64 bswap */
        const unsigned bits = (unsigned)fc_ld32(p + 4);
        /*@ assert fc_fact_swap: bits == 16 || bits == 32 || bits == 64; */
        /*
         * ALU be and ALU64 bswap swap the low bits: the whole word swapped,
         * its top bits are those bytes in reverse, shifted down; ALU le
         * keeps the low bits: the same swap twice (the second undoes the
         * first), one shift call for the three.
         */
        int again = op == (FC_CLS_ALU | FC_ALU_END); /* le: one swap more */
        do {
            a = shr(fc_bswap64(a), 64 - bits);
            again = !again; /* 0 after le's first swap only */
        } while (!again);
        *d = a;
        return;
    }
    if (w32) { /* the words' values for rsh, div, mod; the rest reads only their low bits */
        a = (uint32_t)a;
        b = (uint32_t)b;
    }
    const uint32_t n = (uint32_t)b & (w32 ? 31u : 63u);
    uint64_t neg = 0; /* all ones for an arsh of a negative a, else 0 (rsh) */
    switch (op >> 4) {
    case FC_ALU_SUB >> 4:  b = 0 - b; /* a - b as a + -b */
        /* fall through */
    case FC_ALU_ADD >> 4:  a += b; break;
    case FC_ALU_LSH >> 4:  b = shr(SIGN64, 63 - n); /* times 2^n */
        /* fall through */
    case FC_ALU_MUL >> 4:  a *= b; break;
    case FC_ALU_OR >> 4:   a |= b; break;
    case FC_ALU_AND >> 4:  a &= b; break;
    case FC_ALU_XOR >> 4:  a ^= b; break;
    case FC_ALU_ARSH >> 4: /* a negative a complemented, with zeros above its sign */
        if (w32)
            a = fc_sext(a, 32);
        neg = 0 - (a >> 63);
        /* fall through */
    case FC_ALU_RSH >> 4:  a = shr(a ^ neg, n) ^ neg; break;
    case FC_ALU_NEG >> 4:  a = 0 - a; break;
    case FC_ALU_MOV >> 4:  a = movsx(b, off); break;
    case FC_ALU_DIV >> 4:
    case FC_ALU_MOD >> 4: {
        /*
         * fc_alu_div's rules with one call of each signedness (quotient and
         * remainder come from the same call): by zero, 0 and the dividend;
         * a signed x / -1 negated, wrapping at the minimum, x % -1 is 0
         * (the call divides -x by 1: the same quotient and remainder).
         */
        uint64_t q, r;
        if (b == 0) {
            q = 0;
            r = a;
        } else if (off != 1) {
            q = a / b;
            r = a % b;
        } else {
            if (w32) { /* sdiv32, smod32: on the signed words */
                a = fc_sext(a, 32);
                b = fc_sext(b, 32);
            }
            if (b == UINT64_MAX) { /* x / -1 as -x / 1, which cannot overflow */
                a = 0 - a;
                b = 1;
            }
            q = (uint64_t)((int64_t)a / (int64_t)b);
            r = (uint64_t)((int64_t)a % (int64_t)b);
        }
        a = (op >> 4) == (FC_ALU_DIV >> 4) ? q : r;
        break;
    }
    default:
        UNREACHABLE(); /* 0xe, 0xf: the verifier refuses them */
    }
    *d = w32 ? (uint32_t)a : a;
}

/*
 * What a transfer of jump slots costs the budget, as a negative amount: a
 * backward one pays its distance, a forward one nothing (jump & all ones
 * when negative, without a branch: fewer instructions on the loop's jump).
 */
static inline int32_t backward(int32_t jump)
{
    return jump & -(int32_t)((uint32_t)jump >> 31);
}

int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    uint64_t reg[16] = { 0 };
    fc_frame_t frames[FC_CALL_DEPTH_MAX];
    unsigned depth = 0;
    int err;

    if (vm == NULL)
        return FC_ERR_INVAL;
    const uint8_t *const code = vm->code;
    const uint32_t frame = vm->frame;
    int32_t budget = vm->budget > INT32_MAX ? INT32_MAX : (int32_t)vm->budget;

    vm->pc = entry;
    if ((err = fc_run_begin(vm, entry, reg, r1, r2)) != FC_OK)
        return err;
    /* bottom of the current frame for accesses through other registers (see interp.c) */
    struct access st;
    FC_MEMSET(&st, 0, sizeof st); /* the windows empty */
    st.vm = vm;
    st.stack_lo = (vm->verified & FC_VERIFIED_CALLS) ? (uint32_t)reg[10] - frame : 0;
    /* the current slot; its number (PC) is needed only by calls, returns and faults */
    const uint8_t *p = code + (size_t)entry * FC_INSN_SIZE;
#define PC ((uint32_t)((size_t)(p - code) / FC_INSN_SIZE))
    /* the fields are read where they are used, so they hold no register */
#define OFF ((int16_t)fc_ld16(p + 2))
#define IMM ((int32_t)fc_ld32(p + 4))
#define SRC (reg[p[1] >> 4])

    for (;; p += FC_INSN_SIZE) {
        /*@ assert fc_fact_pc: code <= p < code + (size_t)vm->nslots * FC_INSN_SIZE; */
        const uint8_t op = p[0];
        FC_COUNT_INSN(op);
        uint64_t *const d = &reg[p[1] & 0x0f];
        uint64_t s, t; /* the source (a load's or store's address), and a jump's left operand */

        /*
         * One dispatch on the class and source (op & 15): a dense switch of
         * all 16 values (tbh on Thumb-2, no table of opcodes); the frequent
         * ALU forms are tested first in their case, the others share alu().
         * gcc range-checks the index of any switch and makes one case the
         * out-of-range target: with that case the default and the last
         * value (15, ALU64 with a register source), the check is a compare,
         * without the subtraction that case 0 costs (docs/embedded.md).
         */
        switch (op & 0x0f) {
        case FC_CLS_ALU | FC_SRC_X:
            if (op == FC_OP_MOV32_X && OFF == 0) { /* register copies (an offset: movsx, in alu) */
                *d = (uint32_t)SRC;
                continue;
            }
            if ((op >> 4) == (FC_ALU_ADD >> 4)) { /* in 32 bits, the result zero-extended */
                *d = (uint32_t)((uint32_t)*d + (uint32_t)SRC);
                continue;
            }
            goto alux;
        default: /* FC_CLS_ALU64 | FC_SRC_X, the one value left (see above) */
        alux: /* the source read here, not before the tests: they need only part of it */
            /*
             * the destination spelled again, not d: given d, gcc computes
             * its address at every dispatch (1,400 guest instructions per
             * Fletcher32 run on Cortex-M4, measured)
             */
            alu(p, reg + (p[1] & 15u), SRC);
            continue;
        case FC_CLS_ALU64:
            if (op == FC_OP_ADD64_K) { /* pointer and counter steps */
                *d += (uint64_t)(int64_t)IMM;
                continue;
            }
            /* fall through */
        case FC_CLS_ALU: /* sign-extended: alu() takes the low word of 32-bit operands */
            alu(p, reg + (p[1] & 15u), (uint64_t)(int64_t)IMM);
            continue;
        case FC_CLS_JMP32 | FC_SRC_X:
            s = SRC;
            goto jmp32;
        case FC_CLS_JMP32:
            s = (uint64_t)(int64_t)IMM;
        jmp32:
            /*
             * Sign extension keeps the unsigned order of words, their
             * equality and whether they share a set bit, so JMP32 compares
             * its sign-extended words with the 64-bit conditions.
             */
            t = fc_sext(*d, 32);
            s = fc_sext(s, 32);
            goto jcc;
        case FC_CLS_JMP:
            s = (uint64_t)(int64_t)IMM;
            goto jmp64;
        case FC_CLS_JMP | FC_SRC_X:
            s = SRC;
        jmp64:
            t = *d;
        jcc: {
            int32_t jump = OFF;
            unsigned cond = op >> 4;
            _Static_assert((((FC_JMP_JSGT >> 4) & ~4) | 2) == FC_JMP_JGT >> 4 &&
                           (((FC_JMP_JSGE >> 4) & ~4) | 2) == FC_JMP_JGE >> 4 &&
                           (((FC_JMP_JSLT >> 4) & ~4) | 2) == FC_JMP_JLT >> 4 &&
                           (((FC_JMP_JSLE >> 4) & ~4) | 2) == FC_JMP_JLE >> 4,
                           "a signed jump's unsigned twin");
        again:
            switch (cond) {
            case FC_JMP_JA >> 4:
                if (op == FC_OP_JA32)
                    jump = IMM;
                break;
            case FC_JMP_JEQ >> 4:  if (t != s) continue; break;
            case FC_JMP_JNE >> 4:  if (t == s) continue; break;
            case FC_JMP_JSET >> 4: if (!(t & s)) continue; break;
            case FC_JMP_JGT >> 4:  if (t <= s) continue; break;
            case FC_JMP_JGE >> 4:  if (t < s) continue; break;
            case FC_JMP_JLT >> 4:  if (t >= s) continue; break;
            case FC_JMP_JLE >> 4:  if (t > s) continue; break;
            case FC_JMP_JSGT >> 4:
            case FC_JMP_JSGE >> 4:
            case FC_JMP_JSLT >> 4:
            case FC_JMP_JSLE >> 4:
                /*
                 * a signed compare is the unsigned one (bit 2 of the
                 * operation cleared, bit 1 set) with bit 63 of both operands
                 * flipped: one flip, then the switch again
                 */
                t ^= SIGN64;
                s ^= SIGN64;
                cond = (cond & ~4u) | 2u;
                goto again;
            case FC_JMP_CALL >> 4:
                if (--budget < 0)
                    goto fault_budget;
                if ((p[1] >> 4) == FC_CALL_LOCAL) {
                    const int32_t imm = IMM;
                    if ((budget += backward(imm)) < 0) /* see interp.c */
                        goto fault_budget;
                    if ((err = fc_call_enter(frames, &depth, reg, frame, PC)) != FC_OK)
                        goto fault;
                    /*@ split depth; */
                    st.stack_lo -= frame;
                    p += (ptrdiff_t)imm * FC_INSN_SIZE;
                    goto empty; /* jump is a call's offset, 0 (the verifier's zero field): no charge */
                }
                /*
                 * The budget goes through vm->left only while the helper runs
                 * (what it may charge, fc_vm_charge): a helper not found or
                 * not permitted faults with it still in budget.
                 */
                const fc_helper_t *h;
                if ((h = fc_helper_find(vm, (uint32_t)IMM, &err)) == NULL)
                    goto fault;
                vm->pc = PC;
                vm->left = (uint32_t)budget;
                err = fc_helper_run(vm, h, reg);
                budget = (int32_t)vm->left;
                if (err == FC_STOP)
                    goto done;
                if (err != FC_OK)
                    goto fault;
                goto empty; /* the helper may have changed the regions */
            case FC_JMP_EXIT >> 4: {
                if (depth == 0)
                    goto done;
                /*@ assert fc_inv_frame: \initialized(&frames[depth - 1].ret) &&
                                         \initialized(&frames[depth - 1].saved[0 .. 3]); */
                /*
                 * A return is a jump to the slot of its call (then the one
                 * after it), charged below as a backward jump is when that
                 * slot is earlier; restoring before the charge shows in no
                 * fault (the registers and frames are the run's own).
                 */
                const uint32_t pc = PC;
                jump = (int32_t)(fc_call_leave(frames, &depth, reg, frame) - pc);
                /*@ split depth; */
                st.stack_lo += frame;
            empty: /* the frame's bottom or the region table may have changed: span 0 never hits */
                st.win[0].span = st.win[1].span = st.win[2].span = 0;
                break;
            }
            default: /* 0xe, 0xf: the verifier refuses them, and calls and exits in JMP32 */
                UNREACHABLE();
            }
            /* taken jumps, returns, calls and helpers end here */
            if ((budget += backward(jump)) < 0)
                goto fault_budget;
            p += (ptrdiff_t)jump * FC_INSN_SIZE;
            continue;
        }
        case FC_CLS_LD:
        case FC_CLS_LD | FC_SRC_X: /* LDDW (the verifier refuses the rest of the class) */
            /*@ assert fc_fact_lddw: p < code + ((size_t)vm->nslots - 1) * FC_INSN_SIZE; */
            *d = (uint32_t)IMM | ((uint64_t)fc_ld32(p + 12) << 32);
            p += FC_INSN_SIZE;
            continue;
        case FC_CLS_ST: case FC_CLS_ST | FC_SRC_X:
        case FC_CLS_STX: case FC_CLS_STX | FC_SRC_X: /* ST, STX, atomics */
            /*
             * Stores test their window in xlate, out of line (a few
             * instructions more per store, 48 B less here), through the
             * loads' miss call: one call site, and the class bit tested
             * after it sends stores to theirs. An atomic's value comes
             * from rmw(), and every store is one switch on the size, with
             * the window invariant (docs/proofs.md) per size.
             */
            s = *d + (uint64_t)(int64_t)OFF;
            goto miss;
        case FC_CLS_LDX:
        case FC_CLS_LDX | FC_SRC_X: { /* LDX, LDXSX: a hit in the reads' window inline */
            uint8_t *m;
            s = SRC + (uint64_t)(int64_t)OFF;
            if ((uint32_t)s - st.win[0].lo < st.win[0].span && (uint32_t)(s >> 32) == st.win[0].id) {
                m = st.win[0].host + (uint32_t)s;
            } else {
            miss: /* a load's miss, and every store */
                if ((m = xlate(&st, op, s)) == NULL)
                    goto fault_mem;
                if (op & 2) /* a store (class 2 or 3): to the store */
                    goto store;
            }
            /*
             * the load's mode and size in one switch on bits 3 to 5 (the
             * seven loads differ there; no subtraction for the index); the
             * window invariant (docs/proofs.md) per size
             */
            uint64_t v;
            switch ((op >> 3) & 7) {
            case (FC_OP_LDXW >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m + (0 .. 3)); */
                v = fc_ld32(m);
                break;
            case (FC_OP_LDXH >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m + (0 .. 1)); */
                v = fc_ld16(m);
                break;
            case (FC_OP_LDXB >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m); */
                v = m[0];
                break;
            case (FC_OP_LDXSW >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m + (0 .. 3)); */
                v = fc_sext(fc_ld32(m), 32);
                break;
            case (FC_OP_LDXSH >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m + (0 .. 1)); */
                v = fc_sext(fc_ld16(m), 16);
                break;
            case (FC_OP_LDXSB >> 3) & 7:
                /*@ assert fc_inv_win: \valid_read(m); */
                v = fc_sext(m[0], 8);
                break;
            default: /* LDXDW, (0x79 >> 3) & 7 */
                /*@ assert fc_inv_win: \valid_read(m + (0 .. 7)); */
                v = fc_ld64(m);
                break;
            }
            *d = v;
            continue;
            _Static_assert((FC_CLS_STX & 1) && !(FC_CLS_ST & 1), "bit 0: STX's source, a register");
        store:
            v = op >= FC_MODE_ATOMIC ? rmw(m, p, reg) : (op & 1) ? SRC : (uint64_t)(int64_t)IMM;
            switch ((op >> 3) & 3) {
            case FC_SIZE_W >> 3:
                /*@ assert fc_inv_win: \valid(m + (0 .. 3)); */
                fc_st32(m, (uint32_t)v);
                break;
            case FC_SIZE_H >> 3:
                /*@ assert fc_inv_win: \valid(m + (0 .. 1)); */
                fc_st16(m, (uint16_t)v);
                break;
            case FC_SIZE_B >> 3:
                /*@ assert fc_inv_win: \valid(m); */
                m[0] = (uint8_t)v;
                break;
            default: /* DW */
                /*@ assert fc_inv_win: \valid(m + (0 .. 7)); */
                fc_st64(m, v);
                break;
            }
            continue;
        }
        }
    }

fault_mem:
    err = st.err;
    goto fault;
fault_budget:
    err = FC_ERR_BUDGET;
fault: /* one epilogue for faults and the end of the run; a fault leaves no negative budget */
    if (budget < 0)
        budget = 0;
    goto end;
done:
    if (r0)
        *r0 = reg[0];
    err = FC_OK;
end:
    vm->pc = PC;
    vm->left = (uint32_t)budget;
    return err;
#undef PC
#undef OFF
#undef IMM
#undef SRC
}

#endif /* FC_COMPACT */
