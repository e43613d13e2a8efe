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
#include "fc/isa_table.h"
#include "fc/verify.h"
#include "vm_internal.h"

/*
 * An untracked register's derived[] entry: tracked values are r10 + k with
 * k in (-65535, 0], so 1 is never one, and every sum of a tracked value with
 * an offset or a bounded step stays far inside 32 bits (docs/proofs.md).
 */
#define NOTRACK 1

/*
 * Every rejection is one entry here: its error code and its constant reason.
 * The checks return an index, so each costs a few bytes of code.
 */
#define REASONS(X)                                                                   \
    X(R_OK, FC_OK, "ok")                                                             \
    X(R_EMPTY, FC_ERR_EMPTY, "empty program")                                        \
    X(R_OPCODE, FC_ERR_OPCODE, "unknown opcode")                                     \
    X(R_RESERVED, FC_ERR_OPCODE, "reserved field is not zero")                       \
    X(R_SWAP, FC_ERR_OPCODE, "byte swap width must be 16, 32 or 64")                 \
    X(R_DIVOFF, FC_ERR_OPCODE, "division offset must be 0 or 1")                     \
    X(R_MOVSX, FC_ERR_OPCODE, "bad sign-extension width for movsx")                  \
    X(R_ATOMIC, FC_ERR_OPCODE, "unknown atomic operation")                           \
    X(R_DIVZERO, FC_ERR_DIV_ZERO, "division or modulo by immediate zero")            \
    X(R_REG, FC_ERR_REG, "register number above r10")                                \
    X(R_R10, FC_ERR_REG, "write to r10 (the frame pointer is read-only)")            \
    X(R_JUMP_OUT, FC_ERR_JUMP, "jump target outside the program")                    \
    X(R_JUMP_LDDW, FC_ERR_JUMP, "jump into the second slot of an LDDW")              \
    X(R_CALL_OUT, FC_ERR_CALL, "call target outside the program")                    \
    X(R_CALL_LDDW, FC_ERR_CALL, "call into the second slot of an LDDW")              \
    X(R_CALLX, FC_ERR_CALL, "call through a register (callx) is not supported")      \
    X(R_KFUNC, FC_ERR_CALL, "unsupported call kind (kfunc)")                         \
    X(R_HELPER, FC_ERR_HELPER, "call of an unknown helper")                          \
    X(R_HELPER_PERM, FC_ERR_HELPER_PERM, "call of a helper not granted to this container") \
    X(R_LEGACY, FC_ERR_LEGACY, "legacy packet access (LD_ABS/LD_IND) is not supported") \
    X(R_LDDW_SRC, FC_ERR_LDDW, "LDDW of a map or pseudo value: link the program into an image") \
    X(R_LDDW_END, FC_ERR_LDDW, "LDDW truncated by the end of the program")           \
    X(R_LDDW_2ND, FC_ERR_LDDW, "second slot of LDDW has nonzero reserved fields")    \
    X(R_STACK_TOP, FC_ERR_STACK, "stack access at or above the frame pointer")       \
    X(R_STACK_LOW, FC_ERR_STACK, "stack access below the bottom of the stack")       \
    X(R_STACK_NEED, FC_ERR_STACK, "program needs more stack than the stack region has") \
    X(R_FALLOFF, FC_ERR_FALLOFF, "last instruction can fall off the end of the program") \
    X(R_ENTRY, FC_ERR_BAD_PC, "entry point outside the program or in the second slot of an LDDW")

#define R_ENUM(r, e, m) r,
#define R_ERR(r, e, m) e,
#define R_MSG(r, e, m) m,
enum { REASONS(R_ENUM) };
static const int8_t reason_err[] = { REASONS(R_ERR) };
#if FC_VERIFY_REASONS
static const char *const reason_msg[] = { REASONS(R_MSG) };
#define REASON(r) reason_msg[r]
#else
/*
 * Short codes instead of the sentences (FC_VERIFY_REASONS=0): "v" and the
 * reason's number in REASONS above, 4 bytes apart, so no pointer table.
 */
#define R_COUNT(r, e, m) +1
static const char reason_codes[] =
    "v00\0v01\0v02\0v03\0v04\0v05\0v06\0v07\0v08\0v09\0v10\0v11\0v12\0v13\0"
    "v14\0v15\0v16\0v17\0v18\0v19\0v20\0v21\0v22\0v23\0v24\0v25\0v26\0v27";
_Static_assert(sizeof reason_codes == 4 * (0 REASONS(R_COUNT)), "one code per reason");
#define REASON(r) (reason_codes + 4 * (r))
#endif

static int reject(fc_verify_info_t *info, uint32_t pc, unsigned r)
{
    info->err = reason_err[r];
    info->pc = pc;
    info->reason = REASON(r);
    return reason_err[r];
}

/* A jump or call target: inside the program and at the start of an instruction. */
static unsigned check_target(const fc_vm_t *vm, int64_t target, unsigned out)
{
    if (target < 0 || target >= (int64_t)vm->nslots)
        return out;
    if (target > 0 && vm->code[(size_t)(target - 1) * FC_INSN_SIZE] == FC_OP_LDDW)
        return out + 1; /* R_*_LDDW follows R_*_OUT */
    return R_OK;
}

/*
 * What the detailed path needs of each opcode, one byte expanded from the
 * ISA table (include/fc/isa_table.h): the zero-field bits (FC_Z_*) in the
 * low nibble and the rule to apply (V_*) in the high one; 0 for an opcode
 * the table does not have. The families of the table map onto fewer rules:
 * the ones up to V_LDX write dst.
 */
enum { V_NONE, V_ALU, V_DIV, V_MOV, V_END, V_LDDW, V_LDX, V_ST, V_ATOMIC, V_JUMP, V_GOTOL, V_CALL, V_EXIT };
#define V_BIN V_ALU
#define V_SH V_ALU
#define V_NEG V_ALU
#define V_MOD V_DIV
#define V_STX V_ST
#define V_JA V_JUMP
#define V_JCC V_JUMP
#define V_JSET V_JUMP
_Static_assert(FC_Z_DST == 1 && FC_Z_SRC == 2 && FC_Z_OFF == 4 && FC_Z_IMM == 8, "check_insn's masks");
#define VINFO(name, value, cls, sem, zero, ...) [value] = (uint8_t)((zero) | V_##sem << 4),
static const uint8_t vinfo[256] = { FC_ISA_TABLE(VINFO) };
#undef VINFO

/* Every row's class agrees with its value (the table states both). */
#define CLS_OK(name, value, cls, ...) _Static_assert(((value) & 7) == FC_CLS_##cls, #name " class");
FC_ISA_TABLE(CLS_OK)
#undef CLS_OK

/*
 * One instruction's own rules, all from vinfo[]: a known opcode, its zero
 * fields, then its family's constraints on the other fields and its targets.
 */
static unsigned check_insn(const fc_vm_t *vm, uint32_t pc, fc_insn_t i, uint32_t *need)
{
    unsigned v = vinfo[i.op], rule = v >> 4;
    int x = (i.op & FC_SRC_X) != 0;
    uint8_t mode = (uint8_t)(i.op & 0xe0);

    if (rule == V_NONE) {
        if (i.op == FC_OP_CALLX)
            return R_CALLX;
        if ((i.op & 0x07) == FC_CLS_LD && (mode == FC_MODE_ABS || mode == FC_MODE_IND))
            return R_LEGACY;
        return R_OPCODE;
    }
    if (rule == V_LDDW && i.src != 0)
        return R_LDDW_SRC;
    /*
     * The zero fields: FC_ZMASK(v) of the slot, built in 32 bits (a 32-bit
     * core's multiplies) for the first word; the immediate is the second.
     */
    uint32_t w0 = (uint32_t)i.dst << 8 | (uint32_t)i.src << 12 | (uint32_t)(uint16_t)i.off << 16;
    if ((w0 & ((v & FC_Z_DST) * 0xf00u | (v & FC_Z_SRC) * 0x7800u | (v & FC_Z_OFF) * 0x3fffc000u)) ||
        ((v & FC_Z_IMM) && i.imm))
        return rule == V_END ? R_SWAP : R_RESERVED;
    switch (rule) {
    case V_DIV:
        if ((uint16_t)i.off > 1)
            return R_DIVOFF;
        return !x && i.imm == 0 ? R_DIVZERO : R_OK;
    case V_MOV:
        if (i.off == 0 || (i.off == 8 || i.off == 16 || (i.op == FC_OP_MOV64_X && i.off == 32)))
            return R_OK; /* the K forms have off zero already */
        return R_MOVSX;
    case V_END:
        return (i.imm != 16 && i.imm != 32 && i.imm != 64) ? R_SWAP : R_OK;
    case V_LDDW: {
        if (pc + 1 >= vm->nslots)
            return R_LDDW_END;
        const uint8_t *n = vm->code + (size_t)(pc + 1) * FC_INSN_SIZE;
        return (n[0] || n[1] || n[2] || n[3]) ? R_LDDW_2ND : R_OK;
    }
    case V_ATOMIC: {
        /*
         * add, or, and, xor (0x00 0x40 0x50 0xa0), each with FC_ATOMIC_FETCH
         * or not, and xchg, cmpxchg (0xe1 0xf1): bit k of the masks is
         * operation k << 4 without and with the fetch bit
         */
        uint32_t u = (uint32_t)i.imm, k = (u >> 4) & 15;
        if (u > 0xff || (u & 14) || !(((u & 1) ? 0xc431u : 0x0431u) >> k & 1))
            return R_ATOMIC;
        return R_OK; /* a fetch into r10 is caught as a write to r10 */
    }
    case V_JUMP:
        return check_target(vm, (int64_t)pc + 1 + i.off, R_JUMP_OUT);
    case V_GOTOL:
        return check_target(vm, (int64_t)pc + 1 + i.imm, R_JUMP_OUT);
    case V_CALL:
        if (i.src == FC_CALL_LOCAL)
            return check_target(vm, (int64_t)pc + 1 + i.imm, R_CALL_OUT);
        if (i.src != FC_CALL_HELPER)
            return R_KFUNC;
        {
            const fc_helper_t *h = fc_vm_helper(vm, (uint32_t)i.imm);
            if (h == NULL)
                return R_HELPER;
            *need |= h->caps;
            return (h->caps & ~vm->caps) ? R_HELPER_PERM : R_OK;
        }
    default:
        return R_OK;
    }
}

/* Register written by a checked instruction, or -1. */
static int written_reg(fc_insn_t i)
{
    unsigned rule = vinfo[i.op] >> 4;
    if (rule <= V_LDX)
        return i.dst;
    if (rule == V_ATOMIC && (i.imm & FC_ATOMIC_FETCH))
        return i.imm == FC_ATOMIC_CMPXCHG ? 0 : i.src;
    return -1;
}

static const uint8_t access_size[4] = { 4, 2, 1, 8 };

/*
 * Fast path: opcodes whose only rules are "these bits are zero" and "these
 * registers are valid", decided by two table lookups and one mask over the
 * whole 8-byte slot. Everything else (and every rejection, so the reason is
 * exact) goes through check_insn(). Both tables are expanded from the same
 * ISA rows as vinfo[], so the fast path accepts a subset of what the
 * detailed one does: its masks are the rows' zero fields plus the fields
 * whose nonzero values need a rule (a division's off above bit 0, a mov's
 * sign-extension width), and the families with other rules are G_SLOW.
 */
#if !FC_COMPACT /* the compact build checks every slot on the detailed path */
/*
 * Flags per opcode, matched against reg_bad[byte 1 of the slot]: any common
 * bit of the low five (G_MASK) sends the slot to the detailed path; the
 * other two are set in every reg_bad[] entry and ask for one more check.
 */
#define G_ANY   1  /* needs dst and src at most r10 */
#define G_DSTW  2  /* writes dst: needs dst at most r9, src at most r10 */
#define G_SRC10 4  /* src r10 is a stack access or starts a derived pointer */
#define G_DST10 8  /* dst r10 is a stack access */
#define G_SLOW  16 /* always the detailed path (LDDW, calls, atomics, unknown...) */
#define F_JUMP  32 /* the offset is a jump: check the target */
#define F_NZIMM 64 /* division or modulo by an immediate: it must not be zero */
#define G_MASK  31
#define REG_BAD(x) ((((x) & 15) > 10 || ((x) >> 4) > 10 ? G_ANY : 0) |      \
                    (((x) & 15) > 9 || ((x) >> 4) > 10 ? G_DSTW : 0) |      \
                    (((x) >> 4) == 10 ? G_SRC10 : 0) | (((x) & 15) == 10 ? G_DST10 : 0) | \
                    G_SLOW | F_JUMP | F_NZIMM)
#define RG4(M, x) M(x), M((x) + 1), M((x) + 2), M((x) + 3)
#define RG16(M, x) RG4(M, x), RG4(M, (x) + 4), RG4(M, (x) + 8), RG4(M, (x) + 12)
#define RG64(M, x) RG16(M, x), RG16(M, (x) + 16), RG16(M, (x) + 32), RG16(M, (x) + 48)
#define RG256(M) RG64(M, 0), RG64(M, 64), RG64(M, 128), RG64(M, 192)
static const uint8_t reg_bad[256] = { RG256(REG_BAD) };

/*
 * Per family: the fast path's mask (the zero fields, plus those whose
 * nonzero values need a rule), or no entry when the family always takes
 * the detailed path (its op_flags[] stay G_SLOW).
 */
#define ZM_(v, z, extra) [v] = FC_ZMASK(z) | (extra),
#define FAST_ZMASK(name, value, cls, sem, zero, ...) FAST_ZMASK_##sem(value, zero)
#define FAST_ZMASK_BIN(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_SH(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_NEG(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_DIV(v, z) ZM_(v, z, 0xfffe0000u) /* off 0 or 1 */
#define FAST_ZMASK_MOD(v, z) ZM_(v, z, 0xfffe0000u)
#define FAST_ZMASK_MOV(v, z) ZM_(v, z, 0xffff0000u) /* no sign extension */
#define FAST_ZMASK_LDX(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_ST(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_STX(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_JA(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_JCC(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_JSET(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_EXIT(v, z) ZM_(v, z, 0)
#define FAST_ZMASK_END(v, z)
#define FAST_ZMASK_LDDW(v, z)
#define FAST_ZMASK_ATOMIC(v, z)
#define FAST_ZMASK_GOTOL(v, z)
#define FAST_ZMASK_CALL(v, z)
#define FAST_ROW(r) ((r) != V_END && (r) != V_LDDW && (r) != V_ATOMIC && (r) != V_GOTOL && (r) != V_CALL)
#define FLAGS_ROW(name, value, cls, sem, zero, flags, ...)                                        \
    [value] = !FAST_ROW(V_##sem) ? G_SLOW                                                          \
            : (((flags) & FC_F_WDST) ? G_DSTW : G_ANY) |                                           \
              (((flags) & FC_F_LOAD) || (value) == FC_OP_MOV64_X ? G_SRC10 : 0) |                  \
              (((flags) & FC_F_STORE) ? G_DST10 : 0) | (V_##sem == V_JUMP ? F_JUMP : 0) |          \
              (V_##sem == V_DIV && !((value) & FC_SRC_X) ? F_NZIMM : 0),
static const uint64_t zero_mask[256] = { FC_ISA_TABLE(FAST_ZMASK) };
#pragma GCC diagnostic push
#if defined(__clang__)
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
static const uint8_t op_flags[256] = { [0 ... 255] = G_SLOW, FC_ISA_TABLE(FLAGS_ROW) };
#pragma GCC diagnostic pop
#endif

/* Verification state shared by the hot loop and the detailed path. */
typedef struct {
    fc_vm_t *vm;
    fc_verify_info_t *info;
    int32_t depth;             /* deepest stack byte below r10 seen so far (at most 98,303) */
    uint32_t stack_len;
    unsigned ntracked;         /* registers in derived[] that are not NOTRACK */
    int32_t derived[FC_NREGS]; /* r10 + k known for this register, or NOTRACK */
    uint32_t need;             /* capability bits of the helpers called */
    uint32_t nfuncs;           /* entries of fstart[] (slot 0 and the local call targets) */
    uint32_t calls;            /* local calls seen */
#if FC_VERIFY_CALLGRAPH
    uint32_t fstart[FC_VERIFY_FUNCS_MAX]; /* sorted first slots of the functions */
#endif
} state_t;

#if FC_VERIFY_CALLGRAPH

/*
 * Record a local call's target as the start of a function (sorted, no
 * duplicates). Past FC_VERIFY_FUNCS_MAX, nfuncs becomes one more than the
 * table holds and the call graph is not analysed.
 */
static void add_function(state_t *st, uint32_t t)
{
    uint32_t k = 0, n = st->nfuncs;
    if (n > FC_VERIFY_FUNCS_MAX)
        return;
    while (k < n && st->fstart[k] < t)
        k++;
    if (k < n && st->fstart[k] == t)
        return;
    if (n == FC_VERIFY_FUNCS_MAX) {
        st->nfuncs = n + 1;
        return;
    }
    for (uint32_t j = n; j > k; j--)
        st->fstart[j] = st->fstart[j - 1];
    st->fstart[k % FC_VERIFY_FUNCS_MAX] = t; /* k <= n < FC_VERIFY_FUNCS_MAX: the % says so to EVA */
    st->nfuncs = n + 1;
}
#endif

/*
 * One slot on the detailed path: every check with its exact reason, then the
 * stack proof and the tracking of pointers derived from r10. Returns the
 * number of extra slots the instruction takes (1 for LDDW), or an error.
 */
static int check_slot(state_t *st, uint32_t pc)
{
    fc_insn_t i = fc_insn_decode(st->vm->code + (size_t)pc * FC_INSN_SIZE);
    uint8_t op = i.op, cls = (uint8_t)(op & 0x07);
    int32_t *derived = st->derived;
    unsigned r;
    int w;

    if (i.dst > 10 || i.src > 10)
        return reject(st->info, pc, R_REG);
    r = check_insn(st->vm, pc, i, &st->need);
    if (r != R_OK)
        return reject(st->info, pc, r);
    w = written_reg(i);
    if (w == 10)
        return reject(st->info, pc, R_R10);
    if (op == FC_OP_CALL) {
        if (i.src == FC_CALL_LOCAL) {
            st->calls++;
#if FC_VERIFY_CALLGRAPH
            add_function(st, (uint32_t)((int64_t)pc + 1 + i.imm));
#endif
        }
        for (int q = 0; q <= 5; q++)
            derived[q] = NOTRACK;
        st->ntracked = 0;
        for (int q = 6; q < 10; q++)
            st->ntracked += derived[q] != NOTRACK;
    }
    /* Stack proof for r10-based accesses; frame size from derived pointers. */
    if (cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX) {
        int base = cls == FC_CLS_LDX ? i.src : i.dst;
        int32_t lo = i.off; /* 32 bits: derived values are above -65535, so no sum below overflows */
        if (base == 10) {
            if (lo + access_size[(op >> 3) & 3] > 0)
                return reject(st->info, pc, R_STACK_TOP);
            if (-lo > st->depth)
                st->depth = -lo;
        } else if (derived[base] != NOTRACK && -(derived[base] + lo) > st->depth) {
            st->depth = -(derived[base] + lo);
        }
    }
    if (op == FC_OP_MOV64_X && i.off == 0 &&
        (i.src == 10 || derived[i.src] != NOTRACK)) {
        /* r10 itself or a copy of a derived pointer: the copy is tracked too */
        st->ntracked += derived[i.dst] == NOTRACK;
        derived[i.dst] = i.src == 10 ? 0 : derived[i.src];
    } else if (st->ntracked && w >= 0 && derived[w] != NOTRACK) {
        int32_t at = NOTRACK;
        /* a step of 65536 or more leaves (-65535, 0) anyway: untracked, and the sum stays in 32 bits */
        if ((op == FC_OP_ADD64_K || op == FC_OP_SUB64_K) && i.imm > -65536 && i.imm < 65536)
            at = derived[w] + (op == FC_OP_ADD64_K ? i.imm : -i.imm);
        if (at < 0 && at > -(int32_t)UINT16_MAX) {
            derived[w] = (int32_t)at;
            if (-at > st->depth)
                st->depth = -at;
        } else {
            derived[w] = NOTRACK;
            st->ntracked--;
        }
    }
    if ((uint32_t)st->depth > st->stack_len) /* depth is never negative */
        return reject(st->info, pc, R_STACK_LOW);
    return op == FC_OP_LDDW ? 1 : 0;
}

/*
 * Levels of frames along the deepest chain of local calls (1: no calls),
 * FC_VERIFY_FUNCS_MAX + 1 when there are too many functions to analyse and
 * FC_VERIFY_FUNCS_MAX + 2 when the call graph has a cycle. A function
 * spans from its first slot to the next function's; its height is one
 * more than its deepest callee's. Heights are relaxed over the code, one
 * pass at a time (no recursion, no allocation): without a cycle they settle
 * within nfuncs passes, so a change in pass nfuncs + 1 proves one.
 */
static unsigned call_levels(state_t *st)
{
#if !FC_VERIFY_CALLGRAPH
    return st->calls ? FC_VERIFY_FUNCS_MAX + 1 : 1; /* not analysed: bounded at run time */
#else
    uint8_t height[FC_VERIFY_FUNCS_MAX];
    const uint32_t nf = st->nfuncs, n = st->vm->nslots;
    const uint8_t *code = st->vm->code;
    unsigned top = 0;

    if (!st->calls)
        return 1;
    if (nf > FC_VERIFY_FUNCS_MAX)
        return FC_VERIFY_FUNCS_MAX + 1;
    FC_MEMSET(height, 0, sizeof height);
    for (uint32_t pass = 0, changed = 1; changed; pass++) {
        if (pass > nf)
            return FC_VERIFY_FUNCS_MAX + 2;
        changed = 0;
        for (uint32_t pc = 0, f = 0; pc < n; pc++) {
            const uint8_t *p = code + (size_t)pc * FC_INSN_SIZE;
            while (f + 1 < nf && st->fstart[f + 1] <= pc)
                f++;
            if (p[0] == FC_OP_LDDW) {
                pc++;
            } else if (p[0] == FC_OP_CALL && (p[1] >> 4) == FC_CALL_LOCAL) {
                uint32_t t = (uint32_t)((int64_t)pc + 1 + (int32_t)fc_ld32(p + 4)), g = 0;
                while (st->fstart[g] != t) /* every target is in the table */
                    g = (g + 1) % FC_VERIFY_FUNCS_MAX; /* a no-op, bounds g for EVA */
                if (height[g] + 1 > height[f]) {
                    height[f] = (uint8_t)(height[g] + 1);
                    changed = 1;
                    if (height[f] > top)
                        top = height[f];
                }
            }
        }
    }
    return top + 1;
#endif
}

/* The call graph's figures in info, for frames of frame bytes. */
static void set_levels(state_t *st, fc_verify_info_t *info, uint32_t frame)
{
    unsigned levels = call_levels(st);
    info->functions = levels == FC_VERIFY_FUNCS_MAX + 1 ? 0 : (uint16_t)st->nfuncs;
    info->recursive = 0;
    if (levels > FC_VERIFY_FUNCS_MAX) {
        info->recursive = levels == FC_VERIFY_FUNCS_MAX + 2;
        info->call_depth = FC_VERIFY_DEPTH_UNBOUNDED;
        levels = FC_CALL_DEPTH_MAX + 1; /* the run-time bound */
    } else {
        info->call_depth = (uint16_t)(levels - 1);
    }
    info->stack = frame * levels;
}

#if !FC_COMPACT
static const int32_t notrack[FC_NREGS] = {
    NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK, NOTRACK,
};
_Static_assert(FC_NREGS == 11, "notrack[] lists every register");
#endif

int fc_vm_verify(fc_vm_t *vm, fc_verify_info_t *info)
{
    fc_verify_info_t dummy;
    state_t st;
    uint8_t last = 0;

    if (info == NULL)
        info = &dummy;
    *info = (fc_verify_info_t){ 0 };
    reject(info, 0, R_OK);
    if (vm == NULL) {
        info->err = FC_ERR_INVAL;
        return FC_ERR_INVAL;
    }
    vm->verified = 0;
    vm->fast = NULL;
    if (vm->nslots == 0 || vm->code == NULL)
        return reject(info, 0, R_EMPTY);
    FC_MEMSET(&st, 0, sizeof st); /* the counters, fstart[0] = 0, and the rest for EVA (docs/proofs.md) */
    st.vm = vm;
    st.info = info;
    st.stack_len = vm->regions[FC_REGION_STACK - 1].len;
    st.nfuncs = 1;
#if FC_COMPACT
    for (int r = 0; r < FC_NREGS; r++) /* smaller than the table */
        st.derived[r] = NOTRACK;
#else
    FC_MEMCPY(st.derived, notrack, sizeof st.derived); /* fewer instructions */
#endif
    const uint8_t *const code = vm->code;
    const uint32_t n = vm->nslots;
    uint32_t pc = 0;

    while (pc < n) {
#if !FC_COMPACT
        /*
         * Hot path, while no pointer derived from r10 is alive: a plain
         * opcode with its reserved bits zero, valid registers and no stack
         * access through r10 has nothing else to prove. Anything else,
         * including every rejection, leaves for the detailed path below.
         */
        if (!st.ntracked) {
            /* a slot index, not a pointer walk, so the bounds are plain (docs/proofs.md) */
            uint32_t k = pc;
            for (;;) {
                uint64_t slot = fc_ld64(code + (size_t)k * FC_INSN_SIZE);
                unsigned op = (uint8_t)slot, fl = op_flags[op];
                if (slot & zero_mask[op])
                    break;
                /* reg_bad[] also has F_JUMP and F_NZIMM set, so one test covers the plain case */
                unsigned bad = reg_bad[(uint8_t)(slot >> 8)] & fl;
                if (bad) {
                    if (bad & G_MASK)
                        break;
                    if (bad & F_JUMP) {
                        /* the target: inside, and not after an LDDW's first slot */
                        uint64_t t = (uint64_t)((int64_t)k + 1 + (int16_t)(uint16_t)(slot >> 16));
                        if (t >= n || (t != 0 && code[(size_t)(t - 1) * FC_INSN_SIZE] == FC_OP_LDDW))
                            break;
                    } else if ((slot >> 32) == 0) {
                        break;
                    }
                }
                if (++k >= n)
                    goto done;
            }
            pc = k;
        }
#endif
        int rc = check_slot(&st, pc);
        if (rc < 0)
            return rc;
        pc += 1 + (uint32_t)rc;
    }
#if !FC_COMPACT
done:
#endif
    /* The last slot's opcode; after an LDDW that is 0, which falls off too. */
    last = code[(size_t)(n - 1) * FC_INSN_SIZE];
    if (!(last == FC_OP_EXIT || last == FC_OP_JA || last == FC_OP_JA32))
        return reject(info, n - 1, R_FALLOFF);

    uint32_t depth = ((uint32_t)st.depth + 7) & ~(uint32_t)7;
    if (depth > st.stack_len || depth > UINT16_MAX)
        return reject(info, 0, R_STACK_NEED);
    vm->frame = (uint16_t)depth;
    vm->verified = st.calls ? FC_VERIFIED | FC_VERIFIED_CALLS : FC_VERIFIED;
    info->frame = (uint32_t)depth;
    info->caps = st.need;
    set_levels(&st, info, depth);
    return FC_OK;
}

/*
 * The call graph again, with every entry point a function as slot 0 and the
 * local-call targets are (the main pass knows no entries): code reached from
 * an entry is then not counted as part of the function before it.
 */
int fc_vm_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t nentries, fc_verify_info_t *info)
{
    fc_verify_info_t dummy;
    if (info == NULL)
        info = &dummy;
    if (vm != NULL && entries == NULL && nentries > 0) {
        vm->verified = 0;
        *info = (fc_verify_info_t){ 0 };
        reject(info, 0, R_OK);
        info->err = FC_ERR_INVAL;
        return FC_ERR_INVAL;
    }
    int rc = fc_vm_verify(vm, info);
    if (rc != FC_OK)
        return rc;
    const uint8_t *const code = vm->code;
    const uint32_t n = vm->nslots;
    for (uint32_t k = 0; k < nentries; k++) {
        uint32_t e = entries[k];
        if (e >= n || (e > 0 && code[(size_t)(e - 1) * FC_INSN_SIZE] == FC_OP_LDDW)) {
            vm->verified = 0;
            *info = (fc_verify_info_t){ 0 }; /* the needs are for accepted programs only */
            return reject(info, e, R_ENTRY);
        }
    }
#if FC_VERIFY_CALLGRAPH
    if (vm->verified & FC_VERIFIED_CALLS) {
        state_t st;
        FC_MEMSET(&st, 0, sizeof st);
        st.vm = vm;
        st.nfuncs = 1;
        for (uint32_t pc = 0; pc < n; pc++) {
            const uint8_t *p = code + (size_t)pc * FC_INSN_SIZE;
            if (p[0] == FC_OP_LDDW) {
                pc++;
            } else if (p[0] == FC_OP_CALL && (p[1] >> 4) == FC_CALL_LOCAL) {
                st.calls++;
                add_function(&st, (uint32_t)((int64_t)pc + 1 + (int32_t)fc_ld32(p + 4)));
            }
        }
        for (uint32_t k = 0; k < nentries; k++)
            add_function(&st, entries[k]);
        set_levels(&st, info, info->frame);
    }
#endif
    return FC_OK;
}
