/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compact interpreter (FC_COMPACT=1), for flash-constrained targets.
 *
 * Same contract, results, faults and budget as interp.c, in about a tenth
 * of its flash. One dispatch per instruction: a byte table expanded from
 * the ISA table maps the opcode to a kind, and a dense switch on the kind
 * (a tbh on Thumb-2) reaches a handler specialised enough to need no
 * second decoding for the frequent operations (add and mov of both widths
 * and sources, 32-bit ones in 32 bits); rare ALU operations share alu(),
 * jumps share one condition switch. Loads have their own path with the
 * translation inlined, in 32-bit arithmetic; stores and atomics call the
 * same translation out of line. Fields are read where they are used.
 */
#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/verify.h"
#include "vm_internal.h"

#if FC_COMPACT

/*
 * UNREACHABLE marks the values a switch cannot see in verified code (the
 * verifier refuses those opcodes), so they cost no code. The load path
 * inlines the translation (ALWAYS_INLINE), the rarer stores call it
 * (NOINLINE): one copy inlined, not two, whatever gcc's heuristics.
 */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define UNREACHABLE() __builtin_unreachable()
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define UNREACHABLE() ((void)0)
#define ALWAYS_INLINE inline
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

/* a mov's source, sign-extended from off bits when off is nonzero */
static inline uint64_t movsx(uint64_t s, int16_t off)
{
    /*@ assert fc_fact_movsx: off == 0 || off == 8 || off == 16 || off == 32; */
    return off ? fc_sext(s, (unsigned)off) : s;
}

static uint64_t bswap(uint64_t v, unsigned bits)
{
    return bits == 16 ? fc_bswap16((uint16_t)v) : bits == 32 ? fc_bswap32((uint32_t)v) : fc_bswap64(v);
}

/*
 * The host address of size bytes at addr for access acc, or NULL: what
 * fc_mem_xlate_insn does, in 32-bit arithmetic (the region id and the
 * offset are the address's two words, and size is 1 to 8, so the end check
 * needs no 64-bit sum), which spares a 32-bit core the 64-bit compares on
 * every access; plus the frame rule: with local calls, stack accesses below
 * the current frame's bottom stack_lo fault (see interp.c). EVA checks it
 * with the interpreter (docs/proofs.md); WP does not (its shift-to-word
 * step timed out), unlike fc_mem_xlate_insn.
 */
static ALWAYS_INLINE uint8_t *xlate(const fc_vm_t *vm, uint64_t addr, uint32_t size, uint32_t acc,
                                     uint32_t stack_lo)
{
    const uint32_t id = (uint32_t)(addr >> 32), off = (uint32_t)addr;
    const uint32_t idx = id - 1u;
    if (idx >= vm->nregions)
        return NULL;
    /*@ split idx; */
    const fc_region_t *r = &vm->regions[idx];
    if (off > r->len || r->len - off < size || (r->flags & acc) != acc ||
        (id == FC_REGION_STACK && off < stack_lo))
        return NULL;
    return r->host + off;
}

/* The same for stores and atomics, out of line: loads are the frequent accesses. */
static NOINLINE uint8_t *xlate_store(const fc_vm_t *vm, uint64_t addr, uint32_t size, uint32_t acc,
                                     uint32_t stack_lo)
{
    return xlate(vm, addr, size, acc, stack_lo);
}

/*
 * The ALU operations once for both widths, in 64 bits: a 32-bit operation
 * runs on operands extended from 32 bits (sign-extended for the signed ones,
 * arsh, sdiv and smod) and its result is truncated, which gives the ISA's
 * 32-bit results (shift counts masked to 31, INT32_MIN / -1 wrapping) with
 * one copy of the code. Shifts and division are the ISA's shared rules
 * (vm_internal.h). Only the rarer operations come here: add and mov have
 * their own kinds in fc_vm_run (a movsx comes back here).
 */
static uint64_t alu(const uint8_t *p, uint64_t a, uint64_t b)
{
    const uint8_t op = p[0];
    const int16_t off = (int16_t)fc_ld16(p + 2);
    const int w32 = (op & 7) == FC_CLS_ALU;
    if ((op >> 4) == (FC_ALU_END >> 4)) { /* ALU le, ALU be, ALU64 bswap */
        const unsigned bits = (unsigned)fc_ld32(p + 4);
        /*@ assert fc_fact_swap: bits == 16 || bits == 32 || bits == 64; */
        /* ALU le: truncate; ALU be and ALU64 bswap: swap */
        if (op == (FC_CLS_ALU | FC_ALU_END))
            return bits == 16 ? (uint16_t)a : bits == 32 ? (uint32_t)a : a;
        return bswap(a, bits);
    }
    if (w32) {
        /* signed: arsh (bit 0xc of the mask), and sdiv, smod (off 1) */
        const int sx = ((1u << (FC_ALU_ARSH >> 4)) >> (op >> 4) & 1u) | (off == 1);
        a = sx ? fc_sext(a, 32) : (uint32_t)a;
        b = sx ? fc_sext(b, 32) : (uint32_t)b;
    }
    const uint32_t n = (uint32_t)b & (w32 ? 31u : 63u);
    switch (op >> 4) {
    case FC_ALU_ADD >> 4:  a += b; break;
    case FC_ALU_SUB >> 4:  a -= b; break;
    case FC_ALU_MUL >> 4:  a *= b; break;
    case FC_ALU_OR >> 4:   a |= b; break;
    case FC_ALU_AND >> 4:  a &= b; break;
    case FC_ALU_XOR >> 4:  a ^= b; break;
    case FC_ALU_LSH >> 4:  a = fc_alu_shift(FC_ALU_LSH, a, n, 64); break;
    case FC_ALU_RSH >> 4:  a = fc_alu_shift(FC_ALU_RSH, a, n, 64); break;
    case FC_ALU_ARSH >> 4: a = fc_alu_shift(FC_ALU_ARSH, a, n, 64); break;
    case FC_ALU_NEG >> 4:  a = 0 - a; break;
    case FC_ALU_MOV >> 4:  a = movsx(b, off); break;
    case FC_ALU_DIV >> 4:  a = fc_alu_div(FC_ALU_DIV, a, b, off, 64, 0); break;
    case FC_ALU_MOD >> 4:  a = fc_alu_div(FC_ALU_MOD, a, b, off, 64, 0); break;
    default:
        UNREACHABLE(); /* 0xe, 0xf: the verifier refuses them */
    }
    return w32 ? (uint32_t)a : a;
}

/*
 * What fc_vm_run dispatches on: one handler per kind, so each instruction
 * takes one dispatch (kind[op], then a dense switch the compiler turns into
 * a jump table). The frequent operations (add and mov, both widths and
 * sources) have their own kinds, specialised enough to need no second
 * decoding; the rare ones share slower generic code (alu, the jumps'
 * condition switch, one path for stores and atomics).
 */
enum {
    K_ADD32X, K_ADD32K, K_ADD64X, K_ADD64K,
    K_MOV32X, K_MOV32K, K_MOV64X, K_MOV64K,
    K_ALUX, K_ALUK, /* every other ALU operation, both widths */
    K_JX, K_JK,     /* jumps, conditional or not, 64-bit */
    K_J32X, K_J32K, /* JMP32 */
    K_CALL, K_EXIT, K_LDDW,
    K_LDX, K_MEM,   /* loads; stores and atomics */
    K_NONE          /* no such opcode: the verifier refuses it (last: a table entry fewer) */
};

/* an opcode's kind, from its value alone (add and mov: ALU64 two kinds above ALU, K one above X) */
#define IS_ALU_(v) (((v) & 7) == FC_CLS_ALU || ((v) & 7) == FC_CLS_ALU64)
#define KIND_ALU_(v, k) ((k) + (((v) & 7) == FC_CLS_ALU64 ? 2 : 0) + (((v) & FC_SRC_X) ? 0 : 1))
#define KIND_OF_(v)                                                                           \
    (IS_ALU_(v) ? (((v) >> 4) == (FC_ALU_ADD >> 4)   ? KIND_ALU_(v, K_ADD32X)                 \
                   : ((v) >> 4) == (FC_ALU_MOV >> 4) ? KIND_ALU_(v, K_MOV32X)                 \
                   : ((v) & FC_SRC_X) && (v) != FC_OP_BE ? K_ALUX : K_ALUK)                  \
     : ((v) & 7) == FC_CLS_LD ? K_LDDW                                                        \
     : ((v) & 7) == FC_CLS_LDX ? K_LDX                                                        \
     : ((v) & 7) == FC_CLS_ST || ((v) & 7) == FC_CLS_STX ? K_MEM                              \
     : ((v) >> 4) == (FC_JMP_CALL >> 4) ? K_CALL                                              \
     : ((v) >> 4) == (FC_JMP_EXIT >> 4) ? K_EXIT                                              \
     : ((v) & 7) == FC_CLS_JMP32 ? (((v) & FC_SRC_X) ? K_J32X : K_J32K)                     \
     : ((v) & FC_SRC_X) ? K_JX : K_JK)
/* all 256 values in order, so the opcodes the ISA lacks get K_NONE */
#define KIND_AT_(v) (FC_ISA_VALID(v) ? KIND_OF_(v) : K_NONE)
#define KIND4_(v) KIND_AT_(v), KIND_AT_((v) + 1), KIND_AT_((v) + 2), KIND_AT_((v) + 3)
#define KIND16_(v) KIND4_(v), KIND4_((v) + 4), KIND4_((v) + 8), KIND4_((v) + 12)
#define KIND64_(v) KIND16_(v), KIND16_((v) + 16), KIND16_((v) + 32), KIND16_((v) + 48)
static const uint8_t kind[256] = { KIND64_(0), KIND64_(64), KIND64_(128), KIND64_(192) };
_Static_assert(KIND_OF_(FC_OP_ADD64_K) == K_ADD64K && KIND_OF_(FC_OP_ADD32_X) == K_ADD32X &&
               KIND_OF_(FC_OP_MOV64_X) == K_MOV64X && KIND_OF_(FC_OP_MOV32_K) == K_MOV32K &&
               KIND_OF_(FC_OP_BE) == K_ALUK && KIND_OF_(FC_OP_LSH32_X) == K_ALUX &&
               KIND_OF_(FC_OP_JNE_K) == K_JK && KIND_OF_(FC_OP_JSLT32_X) == K_J32X &&
               KIND_OF_(FC_OP_CALL) == K_CALL && KIND_OF_(FC_OP_EXIT) == K_EXIT &&
               KIND_OF_(FC_OP_LDDW) == K_LDDW && KIND_OF_(FC_OP_LDXSH) == K_LDX &&
               KIND_OF_(FC_OP_ATOMIC_DW) == K_MEM && KIND_OF_(FC_OP_STB) == K_MEM,
               "kinds of some opcodes");

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
    uint32_t stack_lo = (vm->verified & FC_VERIFIED_CALLS) ? (uint32_t)reg[10] - frame : 0;
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
        uint64_t a, s; /* a jump's operands */

        switch (kind[op]) {
        /* 32-bit operations in 32 bits, the result zero-extended */
        case K_ADD32X: *d = (uint32_t)((uint32_t)*d + (uint32_t)SRC); continue;
        case K_ADD32K: *d = (uint32_t)((uint32_t)*d + (uint32_t)IMM); continue;
        case K_ADD64X: *d += SRC; continue;
        case K_ADD64K: *d += (uint64_t)(int64_t)IMM; continue;
        case K_MOV32X: /* with an offset: movsx, generic */
            if (OFF != 0)
                goto alux;
            *d = (uint32_t)SRC;
            continue;
        case K_MOV32K: *d = (uint32_t)IMM; continue;
        case K_MOV64X:
            if (OFF != 0)
                goto alux;
            *d = SRC;
            continue;
        case K_MOV64K: *d = (uint64_t)(int64_t)IMM; continue;
        case K_ALUX:
        alux:
            *d = alu(p, *d, SRC);
            continue;
        case K_ALUK: /* sign-extended: alu() takes the low word of 32-bit operands */
            *d = alu(p, *d, (uint64_t)(int64_t)IMM);
            continue;
        case K_J32X:
            s = SRC;
            goto jmp32;
        case K_J32K:
            s = (uint64_t)(int64_t)IMM;
        jmp32: {
            /* signed compares (JSGT, JSGE, JSLT, JSLE) on sign-extended words */
            const int sgn = (0x30c0 >> (op >> 4)) & 1;
            a = sgn ? fc_sext(*d, 32) : (uint32_t)*d;
            s = sgn ? fc_sext(s, 32) : (uint32_t)s;
            goto jcc;
        }
        case K_JX:
            s = SRC;
            goto jmp;
        case K_JK:
            s = (uint64_t)(int64_t)IMM;
        jmp:
            a = *d;
        jcc: {
            int32_t jump = OFF;
            switch (op >> 4) {
            case FC_JMP_JA >> 4:
                if (op == FC_OP_JA32)
                    jump = IMM;
                break;
            case FC_JMP_JEQ >> 4:  if (a != s) continue; break;
            case FC_JMP_JGT >> 4:  if (a <= s) continue; break;
            case FC_JMP_JGE >> 4:  if (a < s) continue; break;
            case FC_JMP_JSET >> 4: if (!(a & s)) continue; break;
            case FC_JMP_JNE >> 4:  if (a == s) continue; break;
            case FC_JMP_JLT >> 4:  if (a >= s) continue; break;
            case FC_JMP_JLE >> 4:  if (a > s) continue; break;
            case FC_JMP_JSGT >> 4: if ((int64_t)a <= (int64_t)s) continue; break;
            case FC_JMP_JSGE >> 4: if ((int64_t)a < (int64_t)s) continue; break;
            case FC_JMP_JSLT >> 4: if ((int64_t)a >= (int64_t)s) continue; break;
            case FC_JMP_JSLE >> 4: if ((int64_t)a > (int64_t)s) continue; break;
            default: /* CALL and EXIT have their own kinds; 0xe, 0xf are no jumps */
                UNREACHABLE();
            }
            if (jump < 0 && (budget += jump) < 0)
                goto fault_budget;
            p += (ptrdiff_t)jump * FC_INSN_SIZE;
            continue;
        }
        case K_CALL:
            if (--budget < 0)
                goto fault_budget;
            if ((p[1] >> 4) == FC_CALL_LOCAL) {
                const int32_t imm = IMM;
                if (imm < 0 && (budget += imm) < 0) /* see interp.c */
                    goto fault_budget;
                if ((err = fc_call_enter(frames, &depth, reg, frame, PC)) != FC_OK)
                    goto fault;
                /*@ split depth; */
                stack_lo -= frame;
                p += (ptrdiff_t)imm * FC_INSN_SIZE;
                continue;
            }
            vm->left = (uint32_t)budget;
            err = fc_call_helper(vm, (uint32_t)IMM, reg, PC);
            budget = (int32_t)vm->left;
            if (err == FC_STOP)
                goto done;
            if (err != FC_OK)
                goto fault;
            continue;
        case K_EXIT: {
            if (depth == 0)
                goto done;
            /*@ assert fc_inv_frame: \initialized(&frames[depth - 1].ret) &&
                                     \initialized(&frames[depth - 1].saved[0 .. 3]); */
            uint32_t pc = PC;
            if (pc > frames[depth - 1].ret && (budget -= (int32_t)(pc - frames[depth - 1].ret)) < 0)
                goto fault_budget;
            p = code + (size_t)fc_call_leave(frames, &depth, reg, frame) * FC_INSN_SIZE;
            /*@ split depth; */
            stack_lo += frame;
            continue;
        }
        case K_LDDW:
            /*@ assert fc_fact_lddw: p < code + ((size_t)vm->nslots - 1) * FC_INSN_SIZE; */
            *d = (uint32_t)IMM | ((uint64_t)fc_ld32(p + 12) << 32);
            p += FC_INSN_SIZE;
            continue;
        case K_LDX: { /* LDX, LDXSX: the frequent access, its own path with the translation inlined */
            const uint32_t bytes = access_size[(op >> 3) & 3];
            const uint64_t at = SRC + (uint64_t)(int64_t)OFF;
            const uint8_t *m;
            /*@ split bytes; */
            m = xlate(vm, at, bytes, FC_MEM_READ, stack_lo);
            if (m == NULL)
                goto fault_mem;
            uint64_t v;
            switch (bytes) { /* a switch, not fc_ldn's chain of tests: fewer tests per load */
            case 4:  v = fc_ld32(m); break;
            case 2:  v = fc_ld16(m); break;
            case 1:  v = m[0]; break;
            default: v = fc_ld64(m); break;
            }
            *d = (op & 0xe0) == FC_MODE_MEMSX ? fc_sext(v, 8 * bytes) : v;
            continue;
        }
        case K_MEM: { /* ST, STX, atomics */
            uint64_t *const x = &SRC;
            const uint32_t size = access_size[(op >> 3) & 3];
            const uint32_t acc = (op & 0xe0) == FC_MODE_ATOMIC ? 3u : FC_MEM_WRITE;
            const uint64_t at = *d + (uint64_t)(int64_t)OFF;
            uint8_t *m;
            /*@ split size; */
            m = xlate_store(vm, at, size, acc, stack_lo);
            if (m == NULL)
                goto fault_mem;
            if (acc != 3u) {
                fc_stn(m, size, (op & 7) == FC_CLS_ST ? (uint64_t)(int64_t)IMM : *x);
            } else {
                /*@ assert fc_fact_atomic: size == 4 || size == 8; */
                int wrote_r0;
                uint64_t old = fc_atomic_rmw(m, size == 8, IMM, *x, reg[0], &wrote_r0);
                if (wrote_r0)
                    reg[0] = old;
                else if (IMM & FC_ATOMIC_FETCH)
                    *x = old;
            }
            continue;
        }
        default: /* K_NONE: the verifier refuses such opcodes */
            err = FC_ERR_OPCODE;
            goto fault;
        }
    }

fault_mem: {
        /* the access again, for its cause (out of bounds or not permitted) */
        const uint8_t op = p[0];
        const uint64_t base = reg[(op & 7) == FC_CLS_LDX ? p[1] >> 4 : p[1] & 0x0f];
        const uint32_t acc = (op & 7) == FC_CLS_LDX ? FC_MEM_READ
                             : (op & 0xe0) == FC_MODE_ATOMIC ? 3u : FC_MEM_WRITE;
        err = fc_mem_cause(vm->regions, vm->nregions, base + (uint64_t)(int64_t)fc_ld16(p + 2),
                           access_size[(op >> 3) & 3], acc);
        goto fault;
    }
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
#undef PC
#undef OFF
#undef IMM
#undef SRC
}

#endif /* FC_COMPACT */
