/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verifier: one linear pass, no allocation.
 *
 * Jumps into the second slot of an LDDW are found without a bitmap: every
 * second slot must carry opcode 0, so a slot is a second slot exactly when
 * the slot before it has the LDDW opcode.
 *
 * Stack proof: the interpreter trusts every load or store whose base is r10
 * with a constant offset. The verifier makes that safe by computing the frame
 * size F (the deepest byte below r10 any instruction reaches, directly or
 * through a pointer derived from r10 by mov/add) and refusing offsets outside
 * [-F, 0); the interpreter guarantees F bytes below r10 in every call frame.
 * Tracking derived pointers is linear and ignores joins: a wrong guess there
 * can only misplace a callee's frame, never break memory safety, because
 * derived pointers are checked at run time like any other.
 */
#include "fc/isa.h"
#include "fc/verify.h"
#include "vm_internal.h"

#define NOTRACK INT32_MIN

typedef struct {
    fc_vm_t *vm;
    fc_verify_info_t *info;
    uint32_t pc;
} ctx_t;

static int reject(ctx_t *c, int err, const char *reason)
{
    c->info->err = err;
    c->info->pc = c->pc;
    c->info->reason = reason;
    return err;
}

/* A jump or call target: inside the program and at the start of an instruction. */
static int check_target(ctx_t *c, int64_t target, int err)
{
    if (target < 0 || target >= (int64_t)c->vm->nslots)
        return reject(c, err, err == FC_ERR_CALL ? "call target outside the program"
                                                 : "jump target outside the program");
    if (target > 0 && c->vm->code[(size_t)(target - 1) * FC_INSN_SIZE] == FC_OP_LDDW)
        return reject(c, err, err == FC_ERR_CALL ? "call into the second slot of an LDDW"
                                                 : "jump into the second slot of an LDDW");
    return FC_OK;
}

static int check_alu(ctx_t *c, fc_insn_t i)
{
    uint8_t op = (uint8_t)(i.op & 0xf0);
    int is64 = (i.op & 0x07) == FC_CLS_ALU64;
    int x = (i.op & FC_SRC_X) != 0;

    if (op == FC_ALU_END) {
        /* the source bit selects le/be here: imm is the width, not an operand */
        if (i.src != 0 || i.off != 0 || (i.imm != 16 && i.imm != 32 && i.imm != 64))
            return reject(c, FC_ERR_OPCODE, "byte swap width must be 16, 32 or 64");
        if (is64 && x)
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        return FC_OK;
    }
    if (x ? i.imm != 0 : i.src != 0)
        return reject(c, FC_ERR_OPCODE, "reserved source field is not zero");
    switch (op) {
    case FC_ALU_DIV:
    case FC_ALU_MOD:
        if (i.off != 0 && i.off != 1)
            return reject(c, FC_ERR_OPCODE, "division offset must be 0 or 1");
        if (!x && i.imm == 0)
            return reject(c, FC_ERR_DIV_ZERO, "division or modulo by immediate zero");
        return FC_OK;
    case FC_ALU_NEG:
        if (x || i.imm != 0 || i.off != 0)
            return reject(c, FC_ERR_OPCODE, "neg takes no operand");
        return FC_OK;
    case FC_ALU_MOV:
        if (i.off == 0 || (x && (i.off == 8 || i.off == 16 || (is64 && i.off == 32))))
            return FC_OK;
        return reject(c, FC_ERR_OPCODE, "bad sign-extension width for movsx");
    case 0xe0:
    case 0xf0:
        return reject(c, FC_ERR_OPCODE, "unknown opcode");
    default:
        if (i.off != 0)
            return reject(c, FC_ERR_OPCODE, "reserved offset field is not zero");
        return FC_OK;
    }
}

static int check_jmp(ctx_t *c, fc_insn_t i)
{
    uint8_t op = (uint8_t)(i.op & 0xf0);
    int jmp32 = (i.op & 0x07) == FC_CLS_JMP32;
    int x = (i.op & FC_SRC_X) != 0;

    switch (op) {
    case FC_JMP_JA:
        if (x || i.src != 0 || i.dst != 0)
            return reject(c, FC_ERR_OPCODE, "reserved field of ja is not zero");
        if (jmp32) {
            if (i.off != 0)
                return reject(c, FC_ERR_OPCODE, "reserved offset of gotol is not zero");
            return check_target(c, (int64_t)c->pc + 1 + i.imm, FC_ERR_JUMP);
        }
        if (i.imm != 0)
            return reject(c, FC_ERR_OPCODE, "reserved immediate of ja is not zero");
        return check_target(c, (int64_t)c->pc + 1 + i.off, FC_ERR_JUMP);
    case FC_JMP_CALL:
        if (jmp32)
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        if (x)
            return reject(c, FC_ERR_CALL, "call through a register (callx) is not supported");
        if (i.dst != 0 || i.off != 0)
            return reject(c, FC_ERR_OPCODE, "reserved field of call is not zero");
        if (i.src == FC_CALL_LOCAL)
            return check_target(c, (int64_t)c->pc + 1 + i.imm, FC_ERR_CALL);
        if (i.src != FC_CALL_HELPER)
            return reject(c, FC_ERR_CALL, "unsupported call kind (kfunc)");
        {
            const fc_helper_t *h = fc_vm_helper(c->vm, (uint32_t)i.imm);
            if (h == NULL)
                return reject(c, FC_ERR_HELPER, "call of an unknown helper");
            if (h->caps & ~c->vm->caps)
                return reject(c, FC_ERR_HELPER_PERM, "call of a helper not granted to this container");
        }
        return FC_OK;
    case FC_JMP_EXIT:
        if (jmp32 || x)
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        if (i.dst != 0 || i.src != 0 || i.off != 0 || i.imm != 0)
            return reject(c, FC_ERR_OPCODE, "reserved field of exit is not zero");
        return FC_OK;
    case 0xe0:
    case 0xf0:
        return reject(c, FC_ERR_OPCODE, "unknown opcode");
    default:
        if (x ? i.imm != 0 : i.src != 0)
            return reject(c, FC_ERR_OPCODE, "reserved source field is not zero");
        return check_target(c, (int64_t)c->pc + 1 + i.off, FC_ERR_JUMP);
    }
}

static int check_mem(ctx_t *c, fc_insn_t i)
{
    uint8_t cls = (uint8_t)(i.op & 0x07), mode = (uint8_t)(i.op & 0xe0), size = (uint8_t)(i.op & 0x18);

    if (cls == FC_CLS_LD) {
        if (mode == FC_MODE_ABS || mode == FC_MODE_IND)
            return reject(c, FC_ERR_LEGACY, "legacy packet access (LD_ABS/LD_IND) is not supported");
        if (i.op != FC_OP_LDDW)
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        if (i.src != 0)
            return reject(c, FC_ERR_LDDW, "LDDW of a map or pseudo value: link the program into an image");
        if (i.off != 0)
            return reject(c, FC_ERR_OPCODE, "reserved offset of LDDW is not zero");
        if (c->pc + 1 >= c->vm->nslots)
            return reject(c, FC_ERR_LDDW, "LDDW truncated by the end of the program");
        const uint8_t *n = c->vm->code + (size_t)(c->pc + 1) * FC_INSN_SIZE;
        if (n[0] || n[1] || n[2] || n[3])
            return reject(c, FC_ERR_LDDW, "second slot of LDDW has nonzero reserved fields");
        return FC_OK;
    }
    if (cls == FC_CLS_LDX) {
        if (!(mode == FC_MODE_MEM || (mode == FC_MODE_MEMSX && size != FC_SIZE_DW)))
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        if (i.imm != 0)
            return reject(c, FC_ERR_OPCODE, "reserved immediate of load is not zero");
        return FC_OK;
    }
    if (cls == FC_CLS_ST) {
        if (mode != FC_MODE_MEM)
            return reject(c, FC_ERR_OPCODE, "unknown opcode");
        if (i.src != 0)
            return reject(c, FC_ERR_OPCODE, "reserved source of store is not zero");
        return FC_OK;
    }
    /* STX */
    if (mode == FC_MODE_MEM) {
        if (i.imm != 0)
            return reject(c, FC_ERR_OPCODE, "reserved immediate of store is not zero");
        return FC_OK;
    }
    if (mode == FC_MODE_ATOMIC && (size == FC_SIZE_W || size == FC_SIZE_DW)) {
        switch (i.imm) {
        case FC_ATOMIC_ADD: case FC_ATOMIC_OR: case FC_ATOMIC_AND: case FC_ATOMIC_XOR:
            return FC_OK;
        case FC_ATOMIC_ADD | FC_ATOMIC_FETCH: case FC_ATOMIC_OR | FC_ATOMIC_FETCH:
        case FC_ATOMIC_AND | FC_ATOMIC_FETCH: case FC_ATOMIC_XOR | FC_ATOMIC_FETCH:
        case FC_ATOMIC_XCHG:
            if (i.src == 10)
                return reject(c, FC_ERR_REG, "atomic fetch would write r10 (read-only frame pointer)");
            return FC_OK;
        case FC_ATOMIC_CMPXCHG:
            return FC_OK;
        default:
            return reject(c, FC_ERR_OPCODE, "unknown atomic operation");
        }
    }
    return reject(c, FC_ERR_OPCODE, "unknown opcode");
}

/* Register written by a checked instruction, or -1. */
static int written_reg(fc_insn_t i)
{
    switch (i.op & 0x07) {
    case FC_CLS_ALU: case FC_CLS_ALU64: case FC_CLS_LDX: case FC_CLS_LD:
        return i.dst;
    case FC_CLS_STX:
        if ((i.op & 0xe0) == FC_MODE_ATOMIC && (i.imm & FC_ATOMIC_FETCH))
            return i.imm == FC_ATOMIC_CMPXCHG ? 0 : i.src;
        return -1;
    default:
        return -1;
    }
}

static const uint8_t access_size[4] = { 4, 2, 1, 8 };

/*
 * Fast path: opcodes whose only rules are "these bits are zero", decided by
 * one table lookup and one mask over the whole 8-byte slot. Everything else
 * (and every rejection, so the reason is exact) goes through
 * check_alu/check_jmp/check_mem.
 */
enum { K_NONE, K_ALUK, K_ALUX, K_NEG, K_JK, K_JX, K_JA, K_LDX, K_ST, K_STX, K_MOVX, K_ADDK };
#define F_DSTW  1 /* writes dst, so dst must not be r10 */
#define F_JUMP  2 /* offset is a jump */
#define F_MEM   4 /* memory access: stack proof */
#define F_TRACK 8 /* may start or move a pointer derived from r10 */
/* bits of the slot that must be zero (src nibble 12-15, off 16-31, imm 32-63) */
static const uint64_t kind_zero[] = {
    [K_ALUK] = 0x00000000fffff000u, [K_ALUX] = 0xffffffffffff0000u,
    [K_NEG] = 0xfffffffffffff000u,  [K_JK] = 0x000000000000f000u,
    [K_JX] = 0xffffffff00000000u,   [K_JA] = 0xffffffff0000ff00u,
    [K_LDX] = 0xffffffff00000000u,  [K_ST] = 0x000000000000f000u,
    [K_STX] = 0xffffffff00000000u,  [K_MOVX] = 0xffffffffffff0000u,
    [K_ADDK] = 0x00000000fffff000u,
};
static const uint8_t kind_flags[] = {
    [K_ALUK] = F_DSTW, [K_ALUX] = F_DSTW, [K_NEG] = F_DSTW, [K_JK] = F_JUMP,
    [K_JX] = F_JUMP, [K_JA] = F_JUMP, [K_LDX] = F_DSTW | F_MEM, [K_ST] = F_MEM,
    [K_STX] = F_MEM, [K_MOVX] = F_DSTW | F_TRACK, [K_ADDK] = F_DSTW | F_TRACK,
};
#define ALU_PLAIN(cls) \
    [cls | 0x00] = K_ALUK, [cls | 0x08] = K_ALUX, [cls | 0x10] = K_ALUK, [cls | 0x18] = K_ALUX, \
    [cls | 0x20] = K_ALUK, [cls | 0x28] = K_ALUX, [cls | 0x40] = K_ALUK, [cls | 0x48] = K_ALUX, \
    [cls | 0x50] = K_ALUK, [cls | 0x58] = K_ALUX, [cls | 0x60] = K_ALUK, [cls | 0x68] = K_ALUX, \
    [cls | 0x70] = K_ALUK, [cls | 0x78] = K_ALUX, [cls | 0xa0] = K_ALUK, [cls | 0xa8] = K_ALUX, \
    [cls | 0xb0] = K_ALUK, [cls | 0xb8] = K_ALUX, [cls | 0xc0] = K_ALUK, [cls | 0xc8] = K_ALUX, \
    [cls | 0x80] = K_NEG
#define JMP_PLAIN(cls) \
    [cls | 0x10] = K_JK, [cls | 0x18] = K_JX, [cls | 0x20] = K_JK, [cls | 0x28] = K_JX, \
    [cls | 0x30] = K_JK, [cls | 0x38] = K_JX, [cls | 0x40] = K_JK, [cls | 0x48] = K_JX, \
    [cls | 0x50] = K_JK, [cls | 0x58] = K_JX, [cls | 0x60] = K_JK, [cls | 0x68] = K_JX, \
    [cls | 0x70] = K_JK, [cls | 0x78] = K_JX, [cls | 0xa0] = K_JK, [cls | 0xa8] = K_JX, \
    [cls | 0xb0] = K_JK, [cls | 0xb8] = K_JX, [cls | 0xc0] = K_JK, [cls | 0xc8] = K_JX, \
    [cls | 0xd0] = K_JK, [cls | 0xd8] = K_JX
#pragma GCC diagnostic push
#if defined(__clang__)
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
static const uint8_t plain[256] = {
    ALU_PLAIN(FC_CLS_ALU), ALU_PLAIN(FC_CLS_ALU64), JMP_PLAIN(FC_CLS_JMP), JMP_PLAIN(FC_CLS_JMP32),
    /* 64-bit mov, add and sub can derive a pointer from r10 (frame size) */
    [FC_CLS_ALU64 | FC_ALU_MOV | FC_SRC_X] = K_MOVX,
    [FC_CLS_ALU64 | FC_ALU_ADD | FC_SRC_K] = K_ADDK,
    [FC_CLS_ALU64 | FC_ALU_SUB | FC_SRC_K] = K_ADDK,
    [FC_OP_JA] = K_JA,
    [0x61] = K_LDX, [0x69] = K_LDX, [0x71] = K_LDX, [0x79] = K_LDX,
    [0x81] = K_LDX, [0x89] = K_LDX, [0x91] = K_LDX,
    [0x62] = K_ST, [0x6a] = K_ST, [0x72] = K_ST, [0x7a] = K_ST,
    [0x63] = K_STX, [0x6b] = K_STX, [0x73] = K_STX, [0x7b] = K_STX,
};
#pragma GCC diagnostic pop

int fc_vm_verify(fc_vm_t *vm, fc_verify_info_t *info)
{
    fc_verify_info_t dummy;
    ctx_t c = { vm, info ? info : &dummy, 0 };
    int32_t derived[FC_NREGS]; /* r10 + k known for this register, or NOTRACK */
    unsigned ntracked = 0;     /* registers in derived[] that are not NOTRACK */
    int64_t depth = 0;         /* deepest stack byte below r10 seen so far */
    uint8_t op = 0;
    int rc;

    c.info->err = FC_OK;
    c.info->pc = 0;
    c.info->reason = "ok";
    if (vm == NULL)
        return reject(&c, FC_ERR_INVAL, "no VM");
    vm->verified = 0;
    vm->fast = NULL;
    if (vm->nslots == 0 || vm->code == NULL)
        return reject(&c, FC_ERR_EMPTY, "empty program");
    for (int r = 0; r < FC_NREGS; r++)
        derived[r] = NOTRACK;
    const int64_t stack_len = vm->regions[FC_REGION_STACK - 1].len;
    const uint8_t *const code = vm->code;
    const uint32_t n = vm->nslots;
    uint32_t pc;

    /* pc lives in a register; c.pc is updated only where a check may reject */
    for (pc = 0; pc < n; pc++) {
        const uint8_t *p = code + (size_t)pc * FC_INSN_SIZE;
        uint64_t slot = fc_ld64(p);
        uint8_t k = plain[op = p[0]], f = kind_flags[k];
        uint8_t dst = (uint8_t)(p[1] & 0x0f), src = (uint8_t)(p[1] >> 4);
        int16_t off = (int16_t)(uint16_t)(slot >> 16);
        int w;

        if (k != K_NONE && !(slot & kind_zero[k]) && dst < 10 + !(f & F_DSTW) && src <= 10) {
            w = (f & F_DSTW) ? dst : -1;
            if (f & F_JUMP) {
                int64_t t = (int64_t)pc + 1 + off;
                if (t < 0 || t >= (int64_t)n || (t > 0 && code[(size_t)(t - 1) * FC_INSN_SIZE] == FC_OP_LDDW)) {
                    c.pc = pc;
                    return check_target(&c, t, FC_ERR_JUMP);
                }
            }
        } else {
            fc_insn_t i = fc_insn_decode(p);
            c.pc = pc;
            uint8_t cls = (uint8_t)(op & 0x07);
            if (i.dst > 10 || i.src > 10)
                return reject(&c, FC_ERR_REG, "register number above r10");
            switch (cls) {
            case FC_CLS_ALU: case FC_CLS_ALU64: rc = check_alu(&c, i); break;
            case FC_CLS_JMP: case FC_CLS_JMP32: rc = check_jmp(&c, i); break;
            default: rc = check_mem(&c, i); break;
            }
            if (rc != FC_OK)
                return rc;
            w = written_reg(i);
            if (w == 10)
                return reject(&c, FC_ERR_REG, "write to r10 (the frame pointer is read-only)");
            if (op == FC_OP_CALL) {
                for (int r = 0; r <= 5; r++)
                    derived[r] = NOTRACK;
                ntracked = 0;
                for (int r = 6; r < 10; r++)
                    ntracked += derived[r] != NOTRACK;
            }
            if (cls == FC_CLS_STX && (op & 0xe0) == FC_MODE_ATOMIC)
                f = F_MEM;
        }

        /* Stack proof for r10-based accesses; frame size from derived pointers. */
        if (!(f & (F_MEM | F_TRACK)) && !ntracked)
            goto next;
        c.pc = pc;
        if (f & F_MEM) {
            int base = (op & 7) == FC_CLS_LDX ? src : dst;
            int64_t lo = (int64_t)off;
            if (base == 10) {
                if (lo + access_size[(op >> 3) & 3] > 0)
                    return reject(&c, FC_ERR_STACK, "stack access at or above the frame pointer");
                if (-lo > depth)
                    depth = -lo;
            } else if (derived[base] != NOTRACK && -(derived[base] + lo) > depth) {
                depth = -(derived[base] + lo);
            }
        }
        if (op == (FC_CLS_ALU64 | FC_ALU_MOV | FC_SRC_X) && src == 10 && off == 0) {
            ntracked += derived[dst] == NOTRACK;
            derived[dst] = 0;
        } else if (ntracked && w >= 0 && derived[w] != NOTRACK) {
            int64_t at = NOTRACK;
            if (op == (FC_CLS_ALU64 | FC_ALU_ADD | FC_SRC_K) || op == (FC_CLS_ALU64 | FC_ALU_SUB | FC_SRC_K)) {
                int64_t imm = (int32_t)(uint32_t)(slot >> 32);
                at = derived[w] + (op == (FC_CLS_ALU64 | FC_ALU_ADD) ? imm : -imm);
            }
            if (at < 0 && at > -(int64_t)UINT16_MAX) {
                derived[w] = (int32_t)at;
                if (-at > depth)
                    depth = -at;
            } else {
                derived[w] = NOTRACK;
                ntracked--;
            }
        }
        if (depth > stack_len)
            return reject(&c, FC_ERR_STACK, "stack access below the bottom of the stack");
    next:
        if (op == FC_OP_LDDW)
            pc++; /* the second slot was checked with the first */
    }
    c.pc = pc - 1;
    if (op == FC_OP_LDDW || !(op == FC_OP_EXIT || op == FC_OP_JA || op == FC_OP_JA32))
        return reject(&c, FC_ERR_FALLOFF, "last instruction can fall off the end of the program");

    depth = (depth + 7) & ~(int64_t)7;
    if (depth > stack_len || depth > UINT16_MAX) {
        c.pc = 0;
        return reject(&c, FC_ERR_STACK, "program needs more stack than the stack region has");
    }
    vm->frame = (uint16_t)depth;
    vm->verified = 1;
    return FC_OK;
}
