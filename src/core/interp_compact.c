/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compact interpreter (FC_COMPACT=1), for flash-constrained targets.
 *
 * Same contract, results, faults and budget as interp.c, but decoded by
 * instruction class instead of one handler per opcode: one ALU routine
 * serves both widths and both operand sources (32-bit operations work on
 * zero- or sign-extended 64-bit values and truncate the result), one
 * compare serves every jump, one path every load and store. About a third
 * of the fast interpreter's flash on Cortex-M4, at some cost in speed.
 */
#include "fc/isa.h"
#include "fc/verify.h"
#include "vm_internal.h"

#if FC_COMPACT

static const uint8_t access_size[4] = { 4, 2, 1, 8 };

static uint64_t load_le(const uint8_t *p, unsigned size)
{
    uint64_t v = 0;
    while (size--)
        v = (v << 8) | p[size];
    return v;
}

static void store_le(uint8_t *p, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = (uint64_t)1 << (bits - 1);
    return bits >= 64 ? v : ((v & ((m << 1) - 1)) ^ m) - m;
}

static uint64_t bswap(uint64_t v, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bits; i += 8, v >>= 8)
        r = (r << 8) | (v & 0xff);
    return r;
}

/* ALU on 64-bit operands; for 32-bit classes a and s arrive truncated. */
static uint64_t alu(uint8_t op, int is64, int16_t off, uint64_t a, uint64_t s)
{
    unsigned bits = is64 ? 64 : 32;
    uint64_t sa, ss;

    switch (op >> 4) {
    case FC_ALU_ADD >> 4: return a + s;
    case FC_ALU_SUB >> 4: return a - s;
    case FC_ALU_MUL >> 4: return a * s;
    case FC_ALU_OR >> 4:  return a | s;
    case FC_ALU_AND >> 4: return a & s;
    case FC_ALU_XOR >> 4: return a ^ s;
    case FC_ALU_LSH >> 4: return a << (s & (bits - 1));
    case FC_ALU_RSH >> 4: return a >> (s & (bits - 1));
    case FC_ALU_ARSH >> 4: return (uint64_t)((int64_t)sext(a, bits) >> (s & (bits - 1)));
    case FC_ALU_NEG >> 4: return 0 - a;
    case FC_ALU_MOV >> 4:
        /*@ assert fc_fact_movsx: off == 0 || off == 8 || off == 16 || off == 32; */
        return off ? sext(s, (unsigned)off) : s;
    case FC_ALU_DIV >> 4:
        if (s == 0)
            return 0;
        if (!off)
            return a / s;
        sa = sext(a, bits);
        ss = sext(s, bits);
        if (ss == UINT64_MAX) /* x / -1: negate, wrapping at the minimum */
            return 0 - sa;
        return (uint64_t)((int64_t)sa / (int64_t)ss);
    default: /* FC_ALU_MOD */
        if (s == 0)
            return a;
        if (!off)
            return a % s;
        sa = sext(a, bits);
        ss = sext(s, bits);
        if (ss == UINT64_MAX)
            return 0;
        return (uint64_t)((int64_t)sa % (int64_t)ss);
    }
}

static int cond(uint8_t op, int is64, uint64_t a, uint64_t s)
{
    unsigned bits = is64 ? 64 : 32;
    int64_t sa, ss;

    switch (op >> 4) {
    case FC_JMP_JEQ >> 4:  return a == s;
    case FC_JMP_JGT >> 4:  return a > s;
    case FC_JMP_JGE >> 4:  return a >= s;
    case FC_JMP_JSET >> 4: return (a & s) != 0;
    case FC_JMP_JNE >> 4:  return a != s;
    case FC_JMP_JLT >> 4:  return a < s;
    case FC_JMP_JLE >> 4:  return a <= s;
    default:
        break;
    }
    sa = (int64_t)sext(a, bits);
    ss = (int64_t)sext(s, bits);
    switch (op >> 4) {
    case FC_JMP_JSGT >> 4: return sa > ss;
    case FC_JMP_JSGE >> 4: return sa >= ss;
    case FC_JMP_JSLT >> 4: return sa < ss;
    default:               return sa <= ss; /* JSLE */
    }
}

int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    uint64_t reg[16] = { 0 };
    fc_frame_t frames[FC_CALL_DEPTH_MAX];
    unsigned depth = 0;
    int err;

    if (vm == NULL)
        return FC_ERR_INVAL;
    const uint8_t *code = vm->code;
    const uint32_t frame = vm->frame;
    int32_t budget = vm->budget > INT32_MAX ? INT32_MAX : (int32_t)vm->budget;
    uint32_t pc = entry;

    vm->pc = entry;
    if ((err = fc_run_begin(vm, entry, reg, r1, r2)) != FC_OK)
        return err;
    /* bottom of the current frame for accesses through other registers (see interp.c) */
    uint32_t stack_lo = (vm->verified & FC_VERIFIED_CALLS) ? (uint32_t)reg[10] - frame : 0;

    for (;; pc++) {
        FC_COUNT_INSN(code[(size_t)pc * FC_INSN_SIZE]);
        /*@ assert fc_fact_pc: pc < vm->nslots; */
        fc_insn_t i = fc_insn_decode(code + (size_t)pc * FC_INSN_SIZE);
        uint8_t cls = (uint8_t)(i.op & 7);
        int is64 = cls == FC_CLS_ALU64 || cls == FC_CLS_JMP;
        uint64_t *d = &reg[i.dst];
        uint64_t s = (i.op & FC_SRC_X) ? reg[i.src] : (uint64_t)(int64_t)i.imm;
        int32_t jump = i.off;

        switch (cls) {
        case FC_CLS_ALU:
        case FC_CLS_ALU64:
            if ((i.op & 0xf0) == FC_ALU_END) {
                unsigned bits = (unsigned)i.imm;
                /*@ assert fc_fact_swap: bits == 16 || bits == 32 || bits == 64; */
                uint64_t m = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
                /* ALU le: truncate; ALU be and ALU64 bswap: swap */
                *d = (cls == FC_CLS_ALU && !(i.op & FC_SRC_X)) ? (*d & m) : bswap(*d, bits);
            } else if (is64) {
                *d = alu(i.op, 1, i.off, *d, s);
            } else {
                *d = (uint32_t)alu(i.op, 0, i.off, (uint32_t)*d, (uint32_t)s);
            }
            continue;
        case FC_CLS_JMP:
        case FC_CLS_JMP32:
            switch (i.op & 0xf0) {
            case FC_JMP_JA:
                if (cls == FC_CLS_JMP32)
                    jump = i.imm;
                break;
            case FC_JMP_CALL:
                if (--budget < 0)
                    goto fault_budget;
                if (i.src == FC_CALL_LOCAL) {
                    if (i.imm < 0 && (budget += i.imm) < 0) /* see interp.c */
                        goto fault_budget;
                    if ((err = fc_call_enter(frames, &depth, reg, frame, pc)) != FC_OK)
                        goto fault;
                    /*@ split depth; */
                    stack_lo -= frame;
                    pc += (uint32_t)i.imm;
                    continue;
                }
                vm->left = (uint32_t)budget;
                err = fc_call_helper(vm, (uint32_t)i.imm, reg, pc);
                budget = (int32_t)vm->left;
                if (err == FC_STOP)
                    goto done;
                if (err != FC_OK)
                    goto fault;
                continue;
            case FC_JMP_EXIT:
                if (depth == 0)
                    goto done;
                /*@ assert fc_inv_frame: \initialized(&frames[depth - 1].ret) &&
                                         \initialized(&frames[depth - 1].saved[0 .. 3]); */
                if (pc > frames[depth - 1].ret && (budget -= (int32_t)(pc - frames[depth - 1].ret)) < 0)
                    goto fault_budget;
                pc = fc_call_leave(frames, &depth, reg, frame);
                /*@ split depth; */
                stack_lo += frame;
                continue;
            default:
                if (!cond(i.op, is64, is64 ? *d : (uint32_t)*d, is64 ? s : (uint32_t)s))
                    continue;
                break;
            }
            if (jump < 0) {
                budget += jump;
                if (budget < 0)
                    goto fault_budget;
            }
            pc += (uint32_t)jump;
            continue;
        case FC_CLS_LD: /* LDDW */
            /*@ assert fc_fact_lddw: pc < vm->nslots - 1; */
            *d = (uint32_t)i.imm | ((uint64_t)fc_ld32(code + (size_t)pc * FC_INSN_SIZE + 12) << 32);
            pc++;
            continue;
        default: {
            unsigned size = access_size[(i.op >> 3) & 3];
            int ld = cls == FC_CLS_LDX;
            uint32_t acc = ld ? FC_MEM_READ : (i.op & 0xe0) == FC_MODE_ATOMIC ? 3u : FC_MEM_WRITE;
            uint64_t addr = (ld ? reg[i.src] : *d) + (uint64_t)(int64_t)i.off;
            /*@ split size; */
            uint8_t *p = fc_mem_xlate_insn(vm->regions, vm->nregions, addr, size, acc);
            if (p == NULL || addr - FC_VADDR(FC_REGION_STACK, 0) < stack_lo) {
                err = fc_mem_cause(vm->regions, vm->nregions, addr, size, acc);
                goto fault;
            }
            if (ld) {
                uint64_t v = load_le(p, size);
                *d = (i.op & 0xe0) == FC_MODE_MEMSX ? sext(v, size * 8) : v;
            } else if (acc != 3u) {
                store_le(p, size, cls == FC_CLS_ST ? (uint64_t)(int64_t)i.imm : reg[i.src]);
            } else {
                /*@ assert fc_fact_atomic: size == 4 || size == 8; */
                int wrote_r0;
                uint64_t old = fc_atomic_rmw(p, size == 8, i.imm, reg[i.src], reg[0], &wrote_r0);
                if (wrote_r0)
                    reg[0] = old;
                else if (i.imm & FC_ATOMIC_FETCH)
                    reg[i.src] = old;
            }
            continue;
        }
        }
    }

fault_budget:
    err = FC_ERR_BUDGET;
fault:
    vm->pc = pc;
    vm->left = budget > 0 ? (uint32_t)budget : 0;
    return err;
done:
    vm->pc = pc;
    vm->left = (uint32_t)budget;
    if (r0)
        *r0 = reg[0];
    return FC_OK;
}

#endif /* FC_COMPACT */
