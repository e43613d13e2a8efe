/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compact interpreter (FC_COMPACT=1), for flash-constrained targets.
 *
 * Same contract, results, faults and budget as interp.c, in about a tenth
 * of its flash. Two small dispatches instead of one handler per opcode: on
 * the class (op & 7), then on the operation (op >> 4), each a dense switch
 * the compiler turns into a byte table (tbb on Thumb-2). 32-bit ALU
 * operations are done in 32 bits and 64-bit ones inline, so a 32-bit core
 * runs no generic 64-bit routine on the hot path; fields are decoded with
 * byte and halfword loads; loads and stores go through one translation.
 */
#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/verify.h"
#include "vm_internal.h"

#if FC_COMPACT

/*
 * The switches below list every value of their 4-bit index: the default is
 * unreachable whatever the program, which spares the table's range check.
 */
#if defined(__GNUC__) && !defined(__FRAMAC__)
#define UNREACHABLE() __builtin_unreachable()
#else
#define UNREACHABLE() ((void)0)
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
 * The host address of size bytes at addr for access acc, or NULL: the
 * translation every access goes through (fc_mem_xlate_insn), plus the frame
 * rule: with local calls, stack accesses below the current frame's bottom
 * stack_lo fault (see interp.c).
 */
static inline uint8_t *xlate(const fc_vm_t *vm, uint64_t addr, uint32_t size, uint32_t acc, uint32_t stack_lo)
{
    uint8_t *m = fc_mem_xlate_insn(vm->regions, vm->nregions, addr, size, acc);
    if (m != NULL && (uint32_t)(addr >> 32) == FC_REGION_STACK && (uint32_t)addr < stack_lo)
        return NULL;
    return m;
}

/*
 * The ALU operations once for both widths: a op= b on T (uint32_t or
 * uint64_t) of width W, shifts, division and sign extension by the ISA's
 * rules (vm_internal.h), 32-bit results zero-extended by the store. The byte
 * swaps (END) share a path.
 */
#define ALU_CASES(T, W)                                                                  \
    case FC_ALU_ADD >> 4: a += b; break;                                                     \
    case FC_ALU_SUB >> 4: a -= b; break;                                                     \
    case FC_ALU_MUL >> 4: a *= b; break;                                                     \
    case FC_ALU_OR >> 4: a |= b; break;                                                      \
    case FC_ALU_AND >> 4: a &= b; break;                                                     \
    case FC_ALU_XOR >> 4: a ^= b; break;                                                     \
    case FC_ALU_LSH >> 4: a = (T)fc_alu_shift(FC_ALU_LSH, a, (uint32_t)b, W); break;          \
    case FC_ALU_RSH >> 4: a = (T)fc_alu_shift(FC_ALU_RSH, a, (uint32_t)b, W); break;          \
    case FC_ALU_ARSH >> 4: a = (T)fc_alu_shift(FC_ALU_ARSH, a, (uint32_t)b, W); break;        \
    case FC_ALU_NEG >> 4: a = 0 - a; break;                                                  \
    case FC_ALU_MOV >> 4: a = (T)movsx(b, OFF); break;                                       \
    case FC_ALU_DIV >> 4: a = (T)fc_alu_div(FC_ALU_DIV, a, b, OFF, W, 0); break;             \
    case FC_ALU_MOD >> 4: a = (T)fc_alu_div(FC_ALU_MOD, a, b, OFF, W, 0); break;             \
    case FC_ALU_END >> 4: case 0xe: case 0xf:                                                \
        goto swap;                                                                           \
    default:                                                                                 \
        UNREACHABLE();

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
    /* the offset and immediate are read where they are used, so they hold no register */
#define OFF ((int16_t)fc_ld16(p + 2))
#define IMM ((int32_t)fc_ld32(p + 4))

    for (;; p += FC_INSN_SIZE) {
        /*@ assert fc_fact_pc: code <= p < code + (size_t)vm->nslots * FC_INSN_SIZE; */
        const uint8_t op = p[0];
        FC_COUNT_INSN(op);
        uint64_t *const d = &reg[p[1] & 0x0f];
        uint64_t s;

        /* class and source together (op & 15): a register source is read on the way in */
        switch (op & 0x0f) {
        case FC_CLS_ALU | FC_SRC_X:
            s = reg[p[1] >> 4];
            goto alu32;
        case FC_CLS_ALU:
            s = (uint32_t)IMM;
        alu32: {
            uint32_t a = (uint32_t)*d, b = (uint32_t)s;
            switch (op >> 4) {
                ALU_CASES(uint32_t, 32)
            }
            *d = a;
            continue;
        }
        case FC_CLS_ALU64 | FC_SRC_X:
            s = reg[p[1] >> 4];
            goto alu64;
        case FC_CLS_ALU64:
            s = (uint64_t)(int64_t)IMM;
        alu64: {
            uint64_t a = *d, b = s;
            switch (op >> 4) {
                ALU_CASES(uint64_t, 64)
            }
            *d = a;
            continue;
        }
        swap: {
            unsigned bits = (unsigned)IMM;
            /*@ assert fc_fact_swap: bits == 16 || bits == 32 || bits == 64; */
            /* ALU le: truncate; ALU be and ALU64 bswap: swap */
            if (op == (FC_CLS_ALU | FC_ALU_END))
                *d = bits == 16 ? (uint16_t)*d : bits == 32 ? (uint32_t)*d : *d;
            else
                *d = bswap(*d, bits);
            continue;
        }
        case FC_CLS_JMP | FC_SRC_X:
        case FC_CLS_JMP32 | FC_SRC_X:
            s = reg[p[1] >> 4];
            goto jmp;
        case FC_CLS_JMP:
        case FC_CLS_JMP32:
            s = (uint64_t)(int64_t)IMM;
        jmp: {
            int32_t jump = OFF;
            uint64_t a = *d;
            if ((op & 7) == FC_CLS_JMP32) {
                /* signed compares (JSGT, JSGE, JSLT, JSLE) on sign-extended words */
                int sgn = (0x30c0 >> (op >> 4)) & 1;
                a = sgn ? fc_sext(a, 32) : (uint32_t)a;
                s = sgn ? fc_sext(s, 32) : (uint32_t)s;
            }
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
            case FC_JMP_CALL >> 4:
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
            case FC_JMP_EXIT >> 4: {
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
            case 0xe: case 0xf: /* no such jump: the verifier refuses them */
                err = FC_ERR_OPCODE;
                goto fault;
            default:
                UNREACHABLE();
            }
            if (jump < 0 && (budget += jump) < 0)
                goto fault_budget;
            p += (ptrdiff_t)jump * FC_INSN_SIZE;
            continue;
        }
        case FC_CLS_LD:
        case FC_CLS_LD | FC_SIZE_H: /* LDDW */
            /*@ assert fc_fact_lddw: p < code + ((size_t)vm->nslots - 1) * FC_INSN_SIZE; */
            *d = (uint32_t)IMM | ((uint64_t)fc_ld32(p + 12) << 32);
            p += FC_INSN_SIZE;
            continue;
        case FC_CLS_LDX:
        case FC_CLS_LDX | FC_SIZE_H: { /* LDX, LDXSX */
            const uint32_t bytes = access_size[(op >> 3) & 3];
            const uint8_t *m;
            /*@ split bytes; */
            m = xlate(vm, reg[p[1] >> 4] + (uint64_t)(int64_t)OFF, bytes, FC_MEM_READ, stack_lo);
            if (m == NULL)
                goto fault_mem;
            uint64_t v;
            switch (bytes) {
            case 4:  v = fc_ld32(m); break;
            case 2:  v = fc_ld16(m); break;
            case 1:  v = m[0]; break;
            default: v = fc_ld64(m); break;
            }
            *d = (op & 0xe0) == FC_MODE_MEMSX ? fc_sext(v, 8 * bytes) : v;
            continue;
        }
        default:
            UNREACHABLE();
            /* fall through */
        case FC_CLS_ST: case FC_CLS_ST | FC_SIZE_H:
        case FC_CLS_STX: case FC_CLS_STX | FC_SIZE_H: {
            const uint32_t acc = (op & 0xe0) == FC_MODE_ATOMIC ? 3u : FC_MEM_WRITE;
            const uint32_t size = access_size[(op >> 3) & 3];
            uint8_t *m;
            /*@ split size; */
            m = xlate(vm, *d + (uint64_t)(int64_t)OFF, size, acc, stack_lo);
            if (m == NULL)
                goto fault_mem;
            uint64_t *const x = &reg[p[1] >> 4];
            if (acc != 3u) {
                const uint64_t v = (op & 7) == FC_CLS_ST ? (uint64_t)(int64_t)IMM : *x;
                switch (size) {
                case 4:  fc_st32(m, (uint32_t)v); break;
                case 2:  fc_st16(m, (uint16_t)v); break;
                case 1:  m[0] = (uint8_t)v; break;
                default: fc_st64(m, v); break;
                }
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
#undef ALU_CASES
}

#endif /* FC_COMPACT */
