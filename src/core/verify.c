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
 * derived pointers are checked at run time like any other. r10 itself is
 * tracked as the derived pointer r10 + 0, so a copy of r10 and an access
 * through it take the same path as those of any derived pointer.
 *
 * tests/fuzz/verify_diff.c compares the compact build with the fast one
 * (and with an older verify.c when given) over generated programs.
 */
#include "fc/isa.h"
#include "fc/isa_table.h"
#include "fc/verify.h"
#include "vm_internal.h"

/*
 * Out of line: the refusal in every build (inlined, gcc copies it per call
 * site: the fast build's verifier is 52 B larger on Cortex-M4 -Os, and a
 * refusal is never on the path of an accepted program), the stack proof in
 * the compact build (inlined, gcc -Os copies the steps per reason and per
 * rule, and the verifier grows by 30 to 220 B on Cortex-M4, measured during
 * development). The fast build inlines the stack proof: its detailed path
 * stays as fast as before.
 */
#if defined(__GNUC__)
#define OUTLINE __attribute__((noinline))
#else
#define OUTLINE
#endif
#if FC_COMPACT
#define NOINLINE OUTLINE
#else
#define NOINLINE
#endif

/*
 * derived[r] is 1 - k while register r holds r10 + k, k in (-65535, 0]: a
 * value in [1, 65535], so every sum with an offset stays far inside 32 bits
 * (docs/proofs.md), and 0 when r holds nothing known, so the state's memset
 * leaves every register untracked.
 */
#define NOTRACK 0

/*
 * Every rejection is one entry here: its error code and its constant reason.
 * The checks return an index, so each costs a few bytes of code; the index
 * is fc_verify_info_t::code, numbered in docs/vm.md. R_OK, code 0, is the
 * accepted program's only (reject() never takes it); R_INVAL, the refusal
 * of the arguments before the program is read, comes last.
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
    X(R_ENTRY, FC_ERR_BAD_PC, "entry point outside the program or in the second slot of an LDDW") \
    X(R_INVAL, FC_ERR_INVAL, "no VM, or no entry table for a nonzero number of entries")

#define R_ENUM(r, e, m) r,
enum { REASONS(R_ENUM) };
#define R_ERR(r, e, m) e,
static const int8_t reason_err[] = { REASONS(R_ERR) };
#if FC_VERIFY_REASONS
#define R_MSG(r, e, m) m,
static const char *const reason_msg[] = { REASONS(R_MSG) };
#define REASON(r, err) reason_msg[r]
#define REASON_OK "ok" /* the literal: shorter code than the table's entry */
#else
/*
 * Without the sentences (FC_VERIFY_REASONS=0) the reason is the error's own
 * description, which every firmware links already; the reason's number is
 * in fc_verify_info_t::code either way, so the table holds the errors only.
 */
#define REASON(r, err) fc_strerror(err)
#define REASON_OK fc_strerror(FC_OK) /* "ok": a call is shorter than the literal's address */
#endif

OUTLINE static int reject(fc_verify_info_t *info, uint32_t pc, unsigned r)
{
    int err = reason_err[r];
    info->err = err;
    info->pc = pc;
    info->code = (uint8_t)r;
    info->reason = REASON(r, err);
    return err;
}

/*
 * What the detailed path needs of an opcode: one of sixteen rules and the
 * fields that must be zero. The rule follows from the class and operation
 * bits (RULE_OF); the zero fields from the rule and the source bit
 * (ZERO_RULES). Both are checked against every row of the ISA table
 * (include/fc/isa_table.h) at compile time below, so they cannot disagree
 * with it. The fast build looks both up in a table of 256 bytes expanded
 * from the rows (op_rule[]); the compact one computes them from two tables
 * of 16 bytes and the table's bitmap of valid opcodes, 200 B less. The order
 * matters: the rules up to V_LDX write dst, V_LDX to V_ATOMIC access memory,
 * and V_LDDW to V_STX are the classes LD to STX in order.
 */
enum { V_NONE, V_ALU, V_NEG, V_DIV, V_MOV, V_END, V_LDDW, V_LDX, V_ST, V_STX, V_ATOMIC,
       V_JA, V_JCC, V_GOTOL, V_CALL, V_EXIT };
/* the table's families (sem column) onto the rules */
#define V_BIN V_ALU
#define V_SH V_ALU
#define V_MOD V_DIV
#define V_JSET V_JCC

#define ALU_RULE(op)                                                                            \
    (((op) & 0xf0) == FC_ALU_NEG ? V_NEG                                                        \
     : ((op) & 0xf0) == FC_ALU_DIV || ((op) & 0xf0) == FC_ALU_MOD ? V_DIV                      \
     : ((op) & 0xf0) == FC_ALU_MOV ? V_MOV : ((op) & 0xf0) == FC_ALU_END ? V_END : V_ALU)
#define JMP_RULE(op)                                                                            \
    ((op) == FC_OP_JA32 ? V_GOTOL : ((op) & 0xf0) == FC_JMP_JA ? V_JA                          \
     : ((op) & 0xf0) == FC_JMP_CALL ? V_CALL : ((op) & 0xf0) == FC_JMP_EXIT ? V_EXIT : V_JCC)
#define RULE_OF(op)                                                                             \
    (((op) & 7) <= FC_CLS_STX ? V_LDDW + ((op) & 7) + (((op) & 0xe7) == (FC_MODE_ATOMIC | FC_CLS_STX)) \
     : ((op) & 7) == FC_CLS_ALU || ((op) & 7) == FC_CLS_ALU64 ? ALU_RULE(op) : JMP_RULE(op))

/* X(a, rule, zero fields of the K form, of the X form (source bit set)) */
#define ZERO_RULES(X, a)                                                                        \
    X(a, V_NONE, 0, 0)                                                                          \
    X(a, V_ALU, FC_Z_SRC | FC_Z_OFF, FC_Z_OFF | FC_Z_IMM)                                       \
    X(a, V_NEG, FC_Z_SRC | FC_Z_OFF | FC_Z_IMM, 0)                                              \
    X(a, V_DIV, FC_Z_SRC, FC_Z_IMM)                                                             \
    X(a, V_MOV, FC_Z_SRC | FC_Z_OFF, FC_Z_IMM)                                                  \
    X(a, V_END, FC_Z_SRC | FC_Z_OFF, FC_Z_SRC | FC_Z_OFF)                                       \
    X(a, V_LDDW, FC_Z_OFF, FC_Z_OFF)                                                            \
    X(a, V_LDX, FC_Z_IMM, FC_Z_IMM)                                                             \
    X(a, V_ST, FC_Z_SRC, FC_Z_SRC)                                                              \
    X(a, V_STX, FC_Z_IMM, FC_Z_IMM)                                                             \
    X(a, V_ATOMIC, 0, 0)                                                                        \
    X(a, V_JA, FC_Z_DST | FC_Z_SRC | FC_Z_IMM, 0)                                               \
    X(a, V_JCC, FC_Z_SRC, FC_Z_IMM)                                                             \
    X(a, V_GOTOL, FC_Z_DST | FC_Z_SRC | FC_Z_OFF, 0)                                            \
    X(a, V_CALL, FC_Z_DST | FC_Z_OFF, 0)                                                        \
    X(a, V_EXIT, FC_Z_DST | FC_Z_SRC | FC_Z_OFF | FC_Z_IMM, 0)
#define ZERO_SEL(a, v, k, x) | ((a) == (v) ? (k) | (x) << 4 : 0)
#define ZERO_OF(rule, op) (((0 ZERO_RULES(ZERO_SEL, rule)) >> (((op) & FC_SRC_X) >> 1)) & 15)

/*
 * The rules of the instructions a program may end with (it cannot fall off
 * them): JA, GOTOL and EXIT, the odd rules from V_JA on.
 */
#define ENDS(rule) ((rule) >= V_JA && ((rule) & 1))

/*
 * Every row: its class agrees with its value, RULE_OF and ZERO_RULES say what
 * the row says, and ENDS holds for the opcodes a program may end with only.
 */
#define ROW_OK(name, value, cls, sem, zero, ...)                                                \
    _Static_assert(((value) & 7) == FC_CLS_##cls && RULE_OF(value) == V_##sem &&               \
                   ZERO_OF(V_##sem, value) == (zero) &&                                        \
                   ENDS(V_##sem) == ((value) == FC_OP_EXIT || (value) == FC_OP_JA || (value) == FC_OP_JA32), \
                   #name " rule");
FC_ISA_TABLE(ROW_OK)
#undef ROW_OK
_Static_assert(FC_Z_DST == 1 && FC_Z_SRC == 2 && FC_Z_OFF == 4 && FC_Z_IMM == 8, "zero nibbles");
_Static_assert(FC_MODE_ABS == 0x20 && FC_MODE_IND == 0x40 && FC_CLS_LD == 0, "legacy loads");
_Static_assert((FC_OP_ADD64_K | 0x10) == FC_OP_SUB64_K && FC_ISA_VALID(FC_OP_ADD64_K | 0x10), "add/sub K");

#if FC_COMPACT
/* one byte per rule: the K form's zero fields in the low nibble, the X form's in the high one */
#define ZERO_BYTE(a, v, k, x) [v] = (uint8_t)((k) | (x) << 4),
static const uint8_t zero_of[16] = { ZERO_RULES(ZERO_BYTE, 0) };

/* The valid opcodes, one bit each (the table's bitmap). */
static const uint16_t valid_ops[16] = {
    FC_ISA_VW0, FC_ISA_VW1, FC_ISA_VW2, FC_ISA_VW3, FC_ISA_VW4, FC_ISA_VW5, FC_ISA_VW6, FC_ISA_VW7,
    FC_ISA_VW8, FC_ISA_VW9, FC_ISA_VW10, FC_ISA_VW11, FC_ISA_VW12, FC_ISA_VW13, FC_ISA_VW14, FC_ISA_VW15,
};

/*
 * RULE_OF at run time for a valid opcode: the classes up to STX by their
 * formula, the others by op >> 4 from a table (the branches RULE_OF
 * compiles to cost more and let the compiler copy the checks after them per
 * rule): byte k holds the ALU classes' rule for op >> 4 == k in its low
 * nibble, the jump classes' in its high one (JA32 is the exception).
 */
#define RB(k) (uint8_t)(RULE_OF((k) << 4 | FC_CLS_ALU64) | RULE_OF((k) << 4 | FC_CLS_JMP) << 4)
#define RB4(k) RB(k), RB((k) + 1), RB((k) + 2), RB((k) + 3)
static const uint8_t rules[16] = { RB4(0), RB4(4), RB4(8), RB4(12) };
static unsigned rule_at(unsigned op)
{
    unsigned cls = op & 7;
    if (cls <= FC_CLS_STX)
        return V_LDDW + cls + ((op & 0xe7) == (FC_MODE_ATOMIC | FC_CLS_STX));
    return (cls == FC_CLS_ALU || cls == FC_CLS_ALU64) ? rules[op >> 4] & 15u
         : ((unsigned)rules[op >> 4] >> 4) + (op == FC_OP_JA32) * (unsigned)(V_GOTOL - V_JA);
}
#else
/* rule << 4 | zero fields per opcode, 0 (V_NONE) when invalid */
#define OP_RULE(name, value, cls, sem, zero, ...) [value] = (uint8_t)(V_##sem << 4 | (zero)),
static const uint8_t op_rule[256] = { FC_ISA_TABLE(OP_RULE) };
#undef OP_RULE
#endif


/*
 * Fast path: opcodes whose only rules are "these bits are zero" and "these
 * registers are valid", decided by two table lookups and one mask over the
 * whole 8-byte slot. Everything else (and every rejection, so the reason is
 * exact) goes through check_slot(). Both tables are expanded from the same
 * ISA rows as the rules, so the fast path accepts a subset of what the
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
              (((flags) & FC_F_STORE) ? G_DST10 : 0) | (V_##sem == V_JA || V_##sem == V_JCC ? F_JUMP : 0) |          \
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

/*
 * Verification state shared by the hot loop and the detailed path; derived[]
 * first, at the state's own address (8 B less code on Cortex-M4).
 */
typedef struct {
    int32_t derived[FC_NREGS + 1]; /* 1 - k for r0-r10 known to be r10 + k, or NOTRACK; [11]: no register */
    fc_vm_t *vm;
    int32_t depth;             /* deepest stack byte below r10 seen so far (at most 98,303) */
    uint32_t stack_len;
    unsigned ntracked;         /* registers in derived[] that are not NOTRACK */
    uint32_t need;             /* capability bits of the helpers called */
    uint32_t calls;            /* 1 once a local call is seen */
#if FC_COMPACT
    uint32_t last;             /* the rule of the last instruction checked */
#endif
#if FC_VERIFY_CALLGRAPH
    uint32_t nfuncs;           /* entries of fstart[] (slot 0 and the local call targets) */
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

#if FC_COMPACT
#define TRACKED(stmt) ((void)0) /* nothing reads ntracked: no fast path */
#else
#define TRACKED(stmt) ((void)(stmt))
#endif

/*
 * 0 when slot t starts an instruction of the program, else 1 when it is
 * outside and 2 when it is the second slot of an LDDW (its first slot has
 * the LDDW opcode, and every second slot's is 0).
 */
static unsigned not_a_start(const fc_vm_t *vm, uint32_t t)
{
    if (t >= vm->nslots)
        return 1;
    return t > 0 && vm->code[(size_t)(t - 1) * FC_INSN_SIZE] == FC_OP_LDDW ? 2 : 0;
}

/*
 * The stack proof and the tracking of pointers derived from r10 for one
 * slot whose own fields are valid (r10 itself is derived[10], r10 + 0): the
 * state after it, and R_OK or the reason that comes after the opcode's own
 * rules (a write to r10, then the stack's two ends). Run before those rules
 * are checked, so that they end the slot: what it changes in a slot that
 * they refuse is never read. A call's clobbering of r0-r5 is the call rule's
 * (check_slot): nothing here reads those registers for a call, and the rule
 * has the call's case already (4 B smaller on Cortex-M4).
 */
NOINLINE static unsigned track(state_t *st, fc_insn_t i, unsigned rule)
{
    int32_t *derived = st->derived;
    unsigned op = i.op;
    int w = rule <= V_LDX ? i.dst : FC_NREGS; /* FC_NREGS: none, a slot that stays NOTRACK */

    /* a fetch into r10 is caught as a write to r10 */
    if (rule == V_ATOMIC && (i.imm & FC_ATOMIC_FETCH))
        w = i.imm == FC_ATOMIC_CMPXCHG ? 0 : i.src;
    if (w == 10)
        return R_R10;
    /* Stack proof for r10-based accesses; frame size from derived pointers. */
    if (rule >= V_LDX && rule <= V_ATOMIC) {
        int base = rule == V_LDX ? i.src : i.dst;
        /* 32 bits: derived values are at most 65535, so no sum below overflows */
        if (derived[base] != NOTRACK) {
            int32_t d = derived[base] - 1 - i.off; /* bytes below r10: -(k + off) */
            /* through r10, d is -off: fewer than the access's bytes (4 2 1 8 for W H B DW) reach r10 */
            if (base == 10 && d < (8 >> (((op >> 3) + 1) & 3)))
                return R_STACK_TOP;
            if (d > st->depth)
                st->depth = d;
        }
    }
    if (FC_COMPACT || st->ntracked || op == FC_OP_MOV64_X) { /* else all are untracked */
        /*
         * The written register's new value: a copy of r10 or of a derived
         * pointer, or a derived pointer stepped by add/sub K, stays tracked
         * while it is in (-65535, 0); anything else is untracked. Every
         * tracked register is at most depth bytes below r10 already, so a
         * copy leaves the depth as it is.
         */
        int32_t v = NOTRACK;
        if (op == FC_OP_MOV64_X && i.off == 0) {
            v = derived[i.src];
        } else if (derived[w] != NOTRACK && (op | 0x10) == FC_OP_SUB64_K) { /* or ADD64_K */
            /*
             * 1 - (k + imm) or 1 - (k - imm) modulo 2^32: the true value is
             * within 2^31 + 65535 of 0, so u is in [2, 65535] exactly when
             * the new k is in (-65535, 0)
             */
            uint32_t m = (uint32_t)i.imm;
            uint32_t u = (uint32_t)derived[w] - (op == FC_OP_ADD64_K ? m : 0u - m);
            if (u - 2u < UINT16_MAX - 1u)
                v = (int32_t)u;
        }
        TRACKED(st->ntracked += (unsigned)(v != NOTRACK) - (unsigned)(derived[w] != NOTRACK));
        derived[w] = v;
        if (v - 1 > st->depth) /* -k; never for NOTRACK */
            st->depth = v - 1;
    }
    if ((uint32_t)st->depth > st->stack_len) /* depth is never negative */
        return R_STACK_LOW;
    return R_OK;
}

/*
 * One slot on the detailed path: every check with its exact reason, in the
 * order of REASONS. Returns R_OK or the reason of the refusal, and sets
 * *next to the slot after the instruction.
 */
static unsigned check_slot(state_t *st, uint32_t pc, uint32_t *next)
{
    const fc_vm_t *vm = st->vm;
    const uint8_t *p = vm->code + (size_t)pc * FC_INSN_SIZE;
    fc_insn_t i = fc_insn_decode(p);
    unsigned op = i.op, x = op & FC_SRC_X, rule, z;
    uint32_t t;
    unsigned r, late;

    if (i.dst > 10 || i.src > 10)
        return R_REG;
#if FC_COMPACT
    rule = (valid_ops[op >> 4] >> (op & 15) & 1) ? rule_at(op) : V_NONE;
    z = (unsigned)zero_of[rule] >> (x >> 1);
#else
    rule = op_rule[op] >> 4;
    z = op_rule[op] & 15u;
#endif
    if (rule == V_NONE) {
        if (op == FC_OP_CALLX)
            return R_CALLX;
        if (!(((op & 0xe7) - FC_MODE_ABS) & ~0x20u)) /* class LD, mode ABS (0x20) or IND (0x40) */
            return R_LEGACY;
        return R_OPCODE;
    }
    if (rule == V_LDDW && i.src != 0)
        return R_LDDW_SRC;
    if (((z & FC_Z_DST) && i.dst) || ((z & FC_Z_SRC) && i.src) || ((z & FC_Z_OFF) && i.off) ||
        ((z & FC_Z_IMM) && i.imm))
        return rule == V_END ? R_SWAP : R_RESERVED;
    late = track(st, i, rule);
    switch (rule) {
    case V_DIV:
        if ((uint16_t)i.off > 1)
            return R_DIVOFF;
        if (!x && i.imm == 0)
            return R_DIVZERO;
        break;
    case V_MOV: /* the K forms have off zero already */
        if (i.off != 0 && i.off != 8 && i.off != 16 && (op != FC_OP_MOV64_X || i.off != 32))
            return R_MOVSX;
        break;
    case V_END:
        if (i.imm != 16 && i.imm != 32 && i.imm != 64)
            return R_SWAP;
        break;
    case V_LDDW:
        if (pc + 1 >= vm->nslots)
            return R_LDDW_END;
        if (fc_ld32(p + FC_INSN_SIZE)) /* the second slot's opcode, registers and offset */
            return R_LDDW_2ND;
        break;
    case V_ATOMIC: {
        /*
         * add, or, and, xor (0x00 0x40 0x50 0xa0), each with FC_ATOMIC_FETCH
         * or not, and xchg, cmpxchg (0xe1 0xf1): only bits 0 and 4-7 may be
         * set, and bit k of the mask is operation k << 4 without the fetch
         * bit, bit 16 + k with it
         */
        uint32_t u = (uint32_t)i.imm;
        if ((u & ~0xf1u) || !(0xc4310431u >> ((u >> 4) | (u & 1) << 4) & 1))
            return R_ATOMIC;
        break;
    }
    case V_CALL:
        for (int q = 0; q <= 5; q++) /* a call clobbers r0-r5 (a loop: smaller than memset) */
            st->derived[q] = NOTRACK;
        TRACKED(st->ntracked = (unsigned)((st->derived[6] != NOTRACK) + (st->derived[7] != NOTRACK) +
                                          (st->derived[8] != NOTRACK) + (st->derived[9] != NOTRACK)));
        if (i.src == FC_CALL_HELPER) {
            const fc_helper_t *h = fc_vm_helper(vm, (uint32_t)i.imm);
            if (h == NULL)
                return R_HELPER;
            st->need |= h->caps;
            if (h->caps & ~vm->caps)
                return R_HELPER_PERM;
            break;
        }
        if (i.src != FC_CALL_LOCAL)
            return R_KFUNC;
        st->calls = 1;
#if FC_VERIFY_CALLGRAPH
        add_function(st, pc + 1 + (uint32_t)i.imm); /* a bad target refuses the whole program */
#endif
        r = R_CALL_OUT;
        t = (uint32_t)i.imm;
        goto target;
    case V_GOTOL:
        r = R_JUMP_OUT;
        t = (uint32_t)i.imm;
        goto target;
    case V_JA:
    case V_JCC:
        r = R_JUMP_OUT;
        t = (uint32_t)(int32_t)i.off;
    target:
        /*
         * pc + 1 + offset modulo 2^32: slots are at most FC_PROGRAM_SLOTS_MAX,
         * so a target before slot 0 wraps to 2^31 or more, past the end too
         */
        t = not_a_start(vm, t + pc + 1);
        if (t)
            return r + t - 1; /* R_*_LDDW follows R_*_OUT */
        break;
    default:
        break;
    }
    *next = pc + (rule == V_LDDW ? 2u : 1u);
#if FC_COMPACT
    st->last = rule;
#endif
    return late;
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
#if FC_VERIFY_CALLGRAPH
static unsigned call_levels(state_t *st)
{
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
}
#endif

/* The call graph's figures in info, for frames of frame bytes. */
static void set_levels(state_t *st, fc_verify_info_t *info, uint32_t frame)
{
#if !FC_VERIFY_CALLGRAPH
    /*
     * Not analysed: one function and level without a local call, else
     * unbounded (the run-time bound); recursive stays as info was cleared.
     * Without branches, which gcc -Os would copy the stores into.
     */
    unsigned calls = st->calls;
    info->functions = (uint16_t)!calls;
    info->call_depth = (uint16_t)(0u - calls); /* FC_VERIFY_DEPTH_UNBOUNDED with a call */
    info->stack = frame * (1 + calls * FC_CALL_DEPTH_MAX);
#else
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
#endif
}

/*
 * Both entry points: fc_vm_verify() is the program with slot 0 its only
 * entry. Each entry of the table must start an instruction (checked after the
 * program, so the program's own refusals come first) and starts a function
 * of the call graph, as slot 0 and every local-call target do: code reached
 * from an entry is then not counted as part of the function before it.
 */
int fc_vm_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t nentries, fc_verify_info_t *info)
{
    fc_verify_info_t dummy;
    state_t st;

    if (info == NULL)
        info = &dummy;
    *info = (fc_verify_info_t){ .reason = REASON_OK }; /* err FC_OK, pc 0, code R_OK */
    if (vm != NULL)
        vm->verified = 0;
    if (vm == NULL || (entries == NULL && nentries > 0))
        return reject(info, 0, R_INVAL);
    vm->fast = NULL;
    if (vm->nslots == 0 || vm->code == NULL)
        return reject(info, 0, R_EMPTY);
    FC_MEMSET(&st, 0, sizeof st); /* the counters, fstart[0] = 0, and the rest for EVA (docs/proofs.md) */
    st.vm = vm;
    st.stack_len = vm->regions[FC_REGION_STACK - 1].len;
#if FC_VERIFY_CALLGRAPH
    st.nfuncs = 1; /* slot 0 */
#endif
    st.derived[10] = 1; /* r10 is r10 + 0; the memset left the others NOTRACK */
#if !FC_COMPACT
    const uint8_t *const code = vm->code;
#endif
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
                        /* the target starts an instruction (modulo 2^32, as check_slot's) */
                        const int32_t off = (int16_t)(uint16_t)(slot >> 16);
                        if (not_a_start(vm, k + 1u + (uint32_t)off))
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
        uint32_t next = pc;
        unsigned r = check_slot(&st, pc, &next);
        if (r != R_OK)
            return reject(info, pc, r);
        pc = next;
    }
#if FC_COMPACT
    /* the last instruction's rule: an LDDW ending the program falls off too (8 B less than the opcode) */
    if (!ENDS(st.last))
        return reject(info, n - 1, R_FALLOFF);
#else
    uint8_t last;
done:
    /* The last slot's opcode; after an LDDW that is 0, which falls off too. */
    last = code[(size_t)(n - 1) * FC_INSN_SIZE];
    if (!(last == FC_OP_EXIT || last == FC_OP_JA || last == FC_OP_JA32))
        return reject(info, n - 1, R_FALLOFF);
#endif

    uint32_t depth = ((uint32_t)st.depth + 7) & ~(uint32_t)7;
    if (depth > st.stack_len || depth > UINT16_MAX)
        return reject(info, 0, R_STACK_NEED);
    vm->frame = (uint16_t)depth; /* set even when an entry is refused, as it always was */
    for (uint32_t k = 0; k < nentries; k++) {
        if (not_a_start(vm, entries[k])) /* info has only its cleared fields yet */
            return reject(info, entries[k], R_ENTRY);
#if FC_VERIFY_CALLGRAPH
        if (st.calls) /* without a local call the graph is not analysed: one level */
            add_function(&st, entries[k]);
#endif
    }
    vm->verified = (uint8_t)(FC_VERIFIED + st.calls * FC_VERIFIED_CALLS); /* calls is 0 or 1 */
    info->frame = (uint32_t)depth;
    info->caps = st.need;
    set_levels(&st, info, depth);
    return FC_OK;
}

int fc_vm_verify(fc_vm_t *vm, fc_verify_info_t *info)
{
    int rc = fc_vm_verify_entries(vm, NULL, 0, info);
    return rc == FC_OK ? FC_OK : rc; /* the test lets EVA keep the two outcomes apart (docs/proofs.md) */
}

