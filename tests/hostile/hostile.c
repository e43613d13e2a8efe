/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile programs: every verifier rejection and every run-time fault the
 * core promises, each checked for its exact error code, and the host memory
 * around the regions checked untouched. Runs under ASan/UBSan in the
 * sanitizer build.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fc/conformance.h"
#include "fc/fc.h"

#define I(op, dst, src, off, imm) { (op), (dst), (src), (off), (imm) }
#define EXIT I(0x95, 0, 0, 0, 0)
#define MOV64K(d, k) I(0xb7, d, 0, 0, k)
#define MOV64X(d, s) I(0xbf, d, s, 0, 0)
#define ADD64K(d, k) I(0x07, d, 0, 0, k)
#define SUB64X(d, s) I(0x1f, d, s, 0, 0)
#define LSH64K(d, k) I(0x67, d, 0, 0, k)
#define LDXW(d, s, o) I(0x61, d, s, o, 0)
#define LDXDW(d, s, o) I(0x79, d, s, o, 0)
#define STB(d, o, k) I(0x72, d, 0, o, k)
#define STXDW(d, s, o) I(0x7b, d, s, o, 0)
#define CALL(id) I(0x85, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(0x85, 0, 1, 0, rel)
#define JA(o) I(0x05, 0, 0, o, 0)
#define LDDW_LO(d, lo) I(0x18, d, 0, 0, lo)
#define LDDW_HI(hi) I(0x00, 0, 0, 0, hi)

/* The regions of one test VM, with canaries around each to catch escapes. */
typedef struct {
    uint8_t pre[64];
    uint8_t rodata[16];
    uint8_t mid1[64];
    uint8_t data[16];
    uint8_t mid2[64];
    uint64_t stack[512 / 8];
    uint8_t mid3[64];
    uint8_t ctx[8];
    uint8_t post[64];
} arena_t;

static arena_t arena;
static uint8_t code[128 * 8];
static fc_region_t regions[4];
static fc_vm_t vm;
static fc_verify_info_t info;

static int load(const fc_insn_t *ins, size_t n, uint32_t caps)
{
    memset(&arena, 0xa5, sizeof arena);
    memset(arena.rodata, 0x11, sizeof arena.rodata);
    memset(arena.ctx, 0x22, sizeof arena.ctx);
    regions[0] = (fc_region_t){ arena.rodata, sizeof arena.rodata, FC_MEM_READ };
    regions[1] = (fc_region_t){ arena.data, sizeof arena.data, FC_MEM_READ | FC_MEM_WRITE };
    regions[2] = (fc_region_t){ (uint8_t *)arena.stack, sizeof arena.stack, FC_MEM_READ | FC_MEM_WRITE };
    regions[3] = (fc_region_t){ arena.ctx, sizeof arena.ctx, FC_MEM_READ };
    for (size_t k = 0; k < n; k++)
        fc_insn_encode(code + 8 * k, ins[k]);
    assert_int_equal(fc_vm_init(&vm, code, n * 8, regions, 4, &fc_conformance_helpers), FC_OK);
    vm.caps = caps;
    vm.budget = 10000;
    return fc_vm_verify(&vm, &info);
}

static void assert_canaries(void)
{
    static const uint8_t *zones[] = { arena.pre, arena.mid1, arena.mid2, arena.mid3, arena.post };
    for (size_t z = 0; z < 5; z++)
        for (size_t k = 0; k < 64; k++)
            assert_int_equal(zones[z][k], 0xa5);
}

#define REJECT(err_, pc_, ...)                                              \
    do {                                                                    \
        const fc_insn_t p_[] = { __VA_ARGS__ };                              \
        assert_int_equal(load(p_, sizeof p_ / sizeof p_[0], 0), err_);     \
        assert_int_equal(info.err, err_);                                   \
        assert_int_equal(info.pc, pc_);                                     \
        assert_non_null(info.reason);                                       \
        assert_int_not_equal(info.code, 0); /* a rule's number */           \
        assert_int_equal(vm.verified, 0);                                   \
        assert_int_equal(fc_vm_run(&vm, 0, 0, 0, NULL), FC_ERR_NOT_VERIFIED); \
    } while (0)

static uint64_t r0;

static uint8_t fast[sizeof code];

/* Every fault is checked on the raw code and on the specialised copy. */
#define FAULT(err_, pc_, ...)                                               \
    do {                                                                    \
        const fc_insn_t p_[] = { __VA_ARGS__ };                              \
        assert_int_equal(load(p_, sizeof p_ / sizeof p_[0], 0), FC_OK);    \
        for (int pass_ = 0; pass_ < 1 + FC_SPECIALISE; pass_++) {          \
            if (pass_) assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_OK); \
            assert_int_equal(fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), 8, &r0), err_); \
            assert_int_equal(vm.pc, pc_);                                   \
            assert_canaries();                                              \
        }                                                                   \
    } while (0)

#define RUNS(want_, ...)                                                    \
    do {                                                                    \
        const fc_insn_t p_[] = { __VA_ARGS__ };                              \
        assert_int_equal(load(p_, sizeof p_ / sizeof p_[0], 0), FC_OK);    \
        for (int pass_ = 0; pass_ < 1 + FC_SPECIALISE; pass_++) {          \
            if (pass_) assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_OK); \
            r0 = 0xdead;                                                    \
            assert_int_equal(fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), 8, &r0), FC_OK); \
            assert_int_equal(r0, (uint64_t)(want_));                        \
            assert_canaries();                                              \
        }                                                                   \
    } while (0)

static void reject_empty_and_ragged(void **state)
{
    (void)state;
    assert_int_equal(fc_vm_init(&vm, code, 0, regions, 4, NULL), FC_OK);
    assert_int_equal(fc_vm_verify(&vm, &info), FC_ERR_EMPTY);
    assert_int_equal(fc_vm_init(&vm, code, 12, regions, 4, NULL), FC_ERR_RAGGED);
    assert_int_equal(fc_vm_verify(&vm, &info), FC_ERR_EMPTY);
    assert_int_equal(fc_vm_init(&vm, code, 8, regions, 2, NULL), FC_ERR_INVAL);
}

static void reject_opcodes(void **state)
{
    (void)state;
    REJECT(FC_ERR_OPCODE, 1, MOV64K(0, 0), I(0xff, 0, 0, 0, 0), EXIT);
    REJECT(FC_ERR_OPCODE, 0, I(0x07, 0, 1, 0, 1), EXIT);      /* add K with src set */
    REJECT(FC_ERR_OPCODE, 0, I(0x0f, 0, 1, 0, 5), EXIT);      /* add X with imm set */
    REJECT(FC_ERR_OPCODE, 0, I(0x07, 0, 0, 3, 1), EXIT);      /* add with offset */
    REJECT(FC_ERR_OPCODE, 0, I(0x95, 0, 0, 0, 1), EXIT);      /* exit with imm */
    REJECT(FC_ERR_OPCODE, 0, I(0xbf, 0, 1, 7, 0), EXIT);      /* movsx width 7 */
    REJECT(FC_ERR_OPCODE, 0, I(0xbc, 0, 1, 32, 0), EXIT);     /* movsx32 from 32 */
    REJECT(FC_ERR_OPCODE, 0, I(0xd4, 0, 0, 0, 24), EXIT);     /* le24 */
    REJECT(FC_ERR_OPCODE, 0, I(0xdf, 0, 0, 0, 16), EXIT);     /* ALU64 END|X */
    REJECT(FC_ERR_OPCODE, 0, I(0x99, 0, 1, 0, 0), EXIT);      /* ldxsdw does not exist */
    REJECT(FC_ERR_OPCODE, 0, I(0xdb, 1, 2, 0, 0x02), EXIT);   /* unknown atomic op */
    REJECT(FC_ERR_OPCODE, 0, I(0xd3, 1, 2, 0, 0x00), EXIT);   /* 16-bit atomic */
    REJECT(FC_ERR_OPCODE, 0, I(0x86, 0, 0, 0, 0), EXIT);      /* JMP32 call */
}

static void reject_registers(void **state)
{
    (void)state;
    REJECT(FC_ERR_REG, 0, MOV64K(11, 0), EXIT);
    REJECT(FC_ERR_REG, 0, MOV64X(0, 12), EXIT);
    REJECT(FC_ERR_REG, 0, MOV64K(10, 0), EXIT);
    REJECT(FC_ERR_REG, 0, ADD64K(10, -8), EXIT);
    REJECT(FC_ERR_REG, 0, LDXDW(10, 1, 0), EXIT);
    REJECT(FC_ERR_REG, 0, LDDW_LO(10, 1), LDDW_HI(0), EXIT);
    REJECT(FC_ERR_REG, 0, I(0xdb, 1, 10, 0, 0x01), EXIT);     /* fetch_add into r10 */
}

static void reject_jumps(void **state)
{
    (void)state;
    REJECT(FC_ERR_JUMP, 0, JA(5), EXIT);
    REJECT(FC_ERR_JUMP, 0, JA(-2), EXIT);
    REJECT(FC_ERR_JUMP, 0, I(0x06, 0, 0, 0, 100), EXIT);      /* gotol outside */
    REJECT(FC_ERR_JUMP, 0, I(0x15, 0, 0, 1, 0), LDDW_LO(0, 1), LDDW_HI(2), EXIT);
    REJECT(FC_ERR_JUMP, 3, MOV64K(0, 0), LDDW_LO(0, 1), LDDW_HI(2), JA(-2), EXIT);
    REJECT(FC_ERR_FALLOFF, 1, MOV64K(0, 0), MOV64K(0, 1));
    REJECT(FC_ERR_FALLOFF, 1, MOV64K(0, 0), I(0x15, 0, 0, -2, 0));
    REJECT(FC_ERR_LDDW, 1, MOV64K(0, 0), LDDW_LO(0, 1));
    REJECT(FC_ERR_LDDW, 0, LDDW_LO(0, 1), I(0x00, 1, 0, 0, 0), EXIT);
    REJECT(FC_ERR_LDDW, 0, I(0x18, 0, 1, 0, 3), LDDW_HI(0), EXIT); /* map fd */
}

static void reject_calls_and_helpers(void **state)
{
    (void)state;
    REJECT(FC_ERR_HELPER, 0, CALL(99), EXIT);
    REJECT(FC_ERR_CALL, 0, CALL_LOCAL(10), EXIT);
    REJECT(FC_ERR_CALL, 0, CALL_LOCAL(-2), EXIT);
    REJECT(FC_ERR_CALL, 0, CALL_LOCAL(1), LDDW_LO(0, 1), LDDW_HI(2), EXIT);
    REJECT(FC_ERR_CALL, 1, MOV64K(1, 0), I(0x8d, 1, 0, 0, 0), EXIT); /* callx */
    REJECT(FC_ERR_CALL, 0, I(0x85, 0, 2, 0, 1), EXIT);                /* kfunc */
    REJECT(FC_ERR_LEGACY, 0, I(0x20, 0, 0, 0, 0), EXIT);              /* LD_ABS */
    REJECT(FC_ERR_LEGACY, 0, I(0x40, 0, 1, 0, 0), EXIT);              /* LD_IND */
}

static void helper_caps(void **state)
{
    /* a helper requiring capability 4: refused unless granted, at verify and at call */
    static const fc_helper_t privileged[] = { { 0, 4, NULL, "x" } };
    (void)state;
    static const fc_insn_t p[] = { CALL(0), EXIT };
    static fc_helper_t h;
    h = fc_conformance_helpers.items[2]; /* no_op */
    h.id = 0;
    h.caps = 4;
    fc_helper_table_t t = { &h, 1, NULL };
    (void)privileged;
    load(p, 2, 0);
    vm.helpers = &t;
    assert_int_equal(fc_vm_verify(&vm, &info), FC_ERR_HELPER_PERM);
    assert_int_equal(info.pc, 0);
    vm.caps = 4 | 8;
    assert_int_equal(fc_vm_verify(&vm, &info), FC_OK);
    assert_int_equal(info.caps, 4); /* what it needs, not what it was granted */
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    vm.caps = 0; /* revoked after verification: the call itself refuses */
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_HELPER_PERM);
}

static void reject_div_by_zero_imm(void **state)
{
    (void)state;
    REJECT(FC_ERR_DIV_ZERO, 0, I(0x37, 0, 0, 0, 0), EXIT);
    REJECT(FC_ERR_DIV_ZERO, 0, I(0x97, 0, 0, 0, 0), EXIT);
    REJECT(FC_ERR_DIV_ZERO, 0, I(0x34, 0, 0, 0, 0), EXIT);
    REJECT(FC_ERR_DIV_ZERO, 0, I(0x94, 0, 0, 1, 0), EXIT);    /* smod32 */
    REJECT(FC_ERR_DIV_ZERO, 0, I(0x37, 0, 0, 1, 0), EXIT);    /* sdiv64 */
    REJECT(FC_ERR_OPCODE, 0, I(0x37, 0, 0, 2, 1), EXIT);      /* div offset 2 */
}

static void reject_stack_out_of_frame(void **state)
{
    (void)state;
    REJECT(FC_ERR_STACK, 0, STB(10, 0, 1), EXIT);             /* at the top */
    REJECT(FC_ERR_STACK, 0, STXDW(10, 1, -4), EXIT);          /* straddles the top */
    REJECT(FC_ERR_STACK, 1, MOV64K(0, 0), STB(10, -513, 1), EXIT); /* below the bottom */
    /* a pointer derived from r10 reaching below the stack is refused statically too */
    REJECT(FC_ERR_STACK, 1, MOV64X(1, 10), ADD64K(1, -600), STB(1, 0, 1), EXIT);
}

static void div_semantics_no_trap(void **state)
{
    (void)state;
    /* 32-bit division by a register holding 2^32: divisor is 0 in 32 bits, result 0 */
    RUNS(0, MOV64K(0, 7), MOV64K(1, 1), LSH64K(1, 32), I(0x3c, 0, 1, 0, 0), EXIT);
    /* INT64_MIN / -1 and % -1 do not trap */
    RUNS(INT64_MIN, MOV64K(0, 1), LSH64K(0, 63), MOV64K(1, -1), I(0x3f, 0, 1, 1, 0), EXIT);
    RUNS(0, MOV64K(0, 1), LSH64K(0, 63), MOV64K(1, -1), I(0x9f, 0, 1, 1, 0), EXIT);
    /* oversized shift counts are masked */
    RUNS(2, MOV64K(0, 1), MOV64K(1, 65), I(0x6f, 0, 1, 0, 0), EXIT);
}

static void fault_memory(void **state)
{
    (void)state;
    FAULT(FC_ERR_MEM, 1, MOV64K(1, 0), LDXW(0, 1, 0), EXIT);                    /* NULL */
    FAULT(FC_ERR_MEM, 2, MOV64K(1, 9), LSH64K(1, 32), LDXW(0, 1, 0), EXIT);     /* unmapped id */
    FAULT(FC_ERR_MEM, 0, LDXW(0, 1, 5), EXIT);                                  /* ctx + 1 byte */
    RUNS(0x22222222, LDXW(0, 1, 4), EXIT);                                      /* last word ok */
    /* r1 = (4 << 32) | 0xfffffffc: offset + size passes 2^32 */
    FAULT(FC_ERR_MEM, 2, LDDW_LO(1, -4), LDDW_HI(4), LDXDW(0, 1, 0), EXIT);
    /* r1 = all ones: id wraps */
    FAULT(FC_ERR_MEM, 1, MOV64K(1, -1), LDXDW(0, 1, 0), EXIT);
    FAULT(FC_ERR_MEM_PERM, 0, STB(1, 0, 7), EXIT);                              /* ro ctx */
    FAULT(FC_ERR_MEM_PERM, 2, MOV64K(1, 1), LSH64K(1, 32), STB(1, 0, 7), EXIT); /* rodata */
    FAULT(FC_ERR_MEM_PERM, 3, MOV64K(1, 1), LSH64K(1, 32), MOV64K(2, 1), I(0xdb, 1, 2, 0, 0), EXIT);
    /* stack: below the bottom and at the top through computed pointers */
    FAULT(FC_ERR_MEM, 3, MOV64X(1, 10), MOV64K(2, 513), SUB64X(1, 2), STB(1, 0, 1), EXIT);
    FAULT(FC_ERR_MEM, 1, MOV64X(1, 10), STB(1, 0, 1), EXIT);
    RUNS(0x99, MOV64X(1, 10), MOV64K(2, 512), SUB64X(1, 2), STB(1, 0, 0x99),
         I(0x71, 0, 10, -512, 0), EXIT);
    /* data region: write and read back, one past the end faults */
    RUNS(5, MOV64K(1, 2), LSH64K(1, 32), STB(1, 15, 5), I(0x71, 0, 1, 15, 0), EXIT);
    FAULT(FC_ERR_MEM, 2, MOV64K(1, 2), LSH64K(1, 32), STB(1, 16, 5), EXIT);
}

static void fault_budget_and_recursion(void **state)
{
    (void)state;
    FAULT(FC_ERR_BUDGET, 0, JA(-1), EXIT);
    FAULT(FC_ERR_BUDGET, 1, MOV64K(0, 0), I(0x06, 0, 0, 0, -1), EXIT); /* gotol loop */
    /* backward conditional jumps (their own specialised forms) pay the same */
    FAULT(FC_ERR_BUDGET, 2, MOV64K(0, 0), ADD64K(0, 1), I(0x55, 0, 0, -2, 0), EXIT);
    FAULT(FC_ERR_BUDGET, 3, MOV64K(0, 0), MOV64K(1, -1), ADD64K(0, 1), I(0xad, 0, 1, -2, 0), EXIT);
    FAULT(FC_ERR_BUDGET, 2, MOV64K(0, 0), ADD64K(0, 1), I(0x66, 0, 0, -2, -1), EXIT);
    /* and run the same loops to the same end: 4999 iterations of 2 slots fit in 10000 */
    RUNS(4999, MOV64K(0, 0), ADD64K(0, 1), I(0x55, 0, 0, -2, 4999), EXIT);
    FAULT(FC_ERR_BUDGET, 2, MOV64K(0, 0), ADD64K(0, 1), I(0x55, 0, 0, -2, 5002), EXIT);
    RUNS(300, MOV64K(0, 0), MOV64K(1, 300), ADD64K(0, 1), I(0x2e, 1, 0, -2, 0), EXIT);
    RUNS(7, MOV64K(0, 0), MOV64K(1, 7), ADD64K(0, 1), I(0xcd, 0, 1, -2, 0), EXIT);
    /* loop tails "d += K; e = s; if ... goto back" in each fused form, and their budget */
    RUNS(2, MOV64K(1, 7), ADD64K(1, -1), I(0xbc, 0, 1, 0, 0), I(0x55, 1, 0, -3, 2), EXIT);
    RUNS(2, MOV64K(1, 7), ADD64K(1, -1), MOV64X(0, 1), I(0x55, 1, 0, -3, 2), EXIT);
    RUNS(9, MOV64K(1, 0), MOV64K(3, 9), ADD64K(1, 1), I(0xbc, 0, 1, 0, 0), I(0xad, 1, 3, -3, 0), EXIT);
    RUNS(9, MOV64K(1, 0), MOV64K(3, 9), ADD64K(1, 1), MOV64X(0, 1), I(0xad, 1, 3, -3, 0), EXIT);
    RUNS(3, MOV64K(1, -1), I(0x04, 1, 0, 0, 1), MOV64X(0, 1), I(0x56, 1, 0, -3, 3), EXIT);
    FAULT(FC_ERR_BUDGET, 3, MOV64K(1, 0), ADD64K(1, 1), MOV64X(0, 1), I(0x55, 1, 0, -3, -1), EXIT);
    FAULT(FC_ERR_BUDGET, 3, MOV64K(1, 0), I(0x04, 1, 0, 0, 1), MOV64X(0, 1), I(0x56, 1, 0, -3, -1), EXIT);
    RUNS(5, MOV64K(0, 0), MOV64K(1, 5), ADD64K(0, 1), I(0xad, 0, 1, -2, 0), EXIT); /* step, jlt */
    FAULT(FC_ERR_BUDGET, 2, MOV64K(0, 0), ADD64K(0, 1), I(0xad, 0, 1, -2, 0), EXIT); /* r1: a huge address */
    FAULT(FC_ERR_CALL_DEPTH, 0, CALL_LOCAL(-1), EXIT);                 /* self recursion */
    /* a function with a 256-byte frame recursing: the third frame does not fit in 512 B */
    FAULT(FC_ERR_STACK_OVERFLOW, 1, STB(10, -256, 1), CALL_LOCAL(-2), EXIT);
    /* budget: a counted loop fits in a large enough budget */
    RUNS(100, MOV64K(0, 0), ADD64K(0, 1), I(0x55, 0, 0, -2, 100), EXIT);
}

static void fault_helper_pointers(void **state)
{
    (void)state;
    /* memfrob(ptr, len) over the ctx is fine if writable; here ctx is read-only */
    FAULT(FC_ERR_MEM, 1, MOV64K(2, 4), CALL(1), EXIT);
    /* pointer outside every region */
    FAULT(FC_ERR_MEM, 2, MOV64K(1, 7), MOV64K(2, 4), CALL(1), EXIT);
    /* length running past the end of the stack */
    FAULT(FC_ERR_MEM, 3, MOV64X(1, 10), ADD64K(1, -8), MOV64K(2, 9), CALL(1), EXIT);
    RUNS(0, MOV64X(1, 10), ADD64K(1, -8), MOV64K(2, 8), CALL(1), EXIT);
    /* a huge length whose end wraps */
    FAULT(FC_ERR_MEM, 3, MOV64X(1, 10), ADD64K(1, -8), MOV64K(2, -1), CALL(1), EXIT);
    /* strcmp_ext on a string with no NUL before the region's end */
    FAULT(FC_ERR_MEM, 3, MOV64X(1, 10), ADD64K(1, -8), STXDW(10, 10, -8), CALL(4), EXIT);
}

/* Fused "d = s; d op= t" pairs agree with the raw code, including t == d and jumps into the pair. */
static void specialised_fusions(void **state)
{
    (void)state;
    RUNS(12, MOV64K(1, 5), MOV64K(2, 7), MOV64X(0, 1), I(0x0f, 0, 2, 0, 0), EXIT);
    RUNS(10, MOV64K(1, 5), MOV64K(0, 100), MOV64X(0, 1), I(0x0f, 0, 0, 0, 0), EXIT);
    RUNS(6, MOV64K(0, 1), MOV64K(1, 5), JA(1), MOV64X(0, 1), I(0x0f, 0, 1, 0, 0), EXIT);
    RUNS(0, MOV64K(1, -1), MOV64K(2, 1), I(0xbc, 0, 1, 0, 0), I(0x0c, 0, 2, 0, 0), EXIT);
    RUNS(0xfffffffe, MOV64K(1, -1), MOV64K(2, 1), I(0xbc, 0, 1, 0, 0), I(0x1c, 0, 2, 0, 0), EXIT);
    RUNS(-2, MOV64K(1, -1), MOV64K(2, 1), MOV64X(0, 1), I(0x1f, 0, 2, 0, 0), EXIT);
    /* immediate forms: d = s; d op= K, 64 and 32 bits, shifts masked */
    RUNS(12, MOV64K(1, 5), MOV64X(0, 1), ADD64K(0, 7), EXIT);
    RUNS(0xfffffffe, MOV64K(1, -1), I(0xbc, 0, 1, 0, 0), I(0x04, 0, 0, 0, -1), EXIT);
    RUNS(0x80000000, MOV64K(1, 1), I(0xbc, 0, 1, 0, 0), I(0x64, 0, 0, 0, 63), EXIT);
    RUNS(0x7fffffff, MOV64K(1, -1), MOV64X(0, 1), I(0x77, 0, 0, 0, 33), EXIT);
    RUNS(42 * 3, MOV64K(1, 42), MOV64K(2, 3), MOV64X(0, 1), I(0x2f, 0, 2, 0, 0), EXIT);
    /* movsx is not a plain mov and must not fuse */
    RUNS(0xffffffffffffff80ull, MOV64K(1, 0x80), I(0xbf, 0, 1, 8, 0), I(0x4f, 0, 3, 0, 0), EXIT);
    /* "d += K; e = s": 64/32-bit add, 64/32-bit mov, e == d, s == d, a jump onto the mov */
    RUNS(3, MOV64K(1, 5), MOV64K(2, 9), ADD64K(1, -2), MOV64X(0, 1), EXIT);
    RUNS(1, MOV64K(1, -1), I(0x04, 1, 0, 0, 2), I(0xbc, 0, 1, 0, 0), EXIT);
    RUNS(0xfffffffe, MOV64K(1, -1), ADD64K(1, -1), I(0xbc, 0, 1, 0, 0), EXIT);
    RUNS(0, MOV64K(1, -1), I(0x04, 1, 0, 0, 1), MOV64X(0, 1), EXIT);
    RUNS(9, MOV64K(1, 5), MOV64K(2, 9), ADD64K(1, 1), MOV64X(1, 2), MOV64X(0, 1), EXIT);
    RUNS(6, MOV64K(1, 5), ADD64K(1, 1), MOV64X(0, 1), EXIT);
    RUNS(5, MOV64K(0, 1), MOV64K(1, 5), JA(1), ADD64K(1, 100), MOV64X(0, 1), EXIT);
    /*
     * "d = load; e op= d" (32-bit add or xor of a loaded byte, half or word):
     * 0x1_8000_0003 on the stack, loaded through r2 = r10 - 8
     */
#define STACKED I(0x18, 3, 0, 0, (int32_t)0x80000003), I(0, 0, 0, 0, 1), STXDW(10, 3, -8), \
                MOV64X(2, 10), ADD64K(2, -8)
    RUNS(2, STACKED, MOV64K(0, -1), I(0x71, 5, 2, 0, 0), I(0x0c, 0, 5, 0, 0), EXIT);
    RUNS(0xfffffffc, STACKED, MOV64K(0, -1), I(0x69, 5, 2, 0, 0), I(0xac, 0, 5, 0, 0), EXIT);
    RUNS(6, STACKED, I(0x61, 0, 2, 0, 0), I(0x0c, 0, 0, 0, 0), EXIT); /* e == d */
    RUNS(0x7ffffffc, STACKED, MOV64K(0, -1), I(0x61, 5, 2, 0, 0), I(0xac, 0, 5, 0, 0), EXIT);
    RUNS(0x200000005, STACKED, MOV64K(0, 1), I(0x61, 5, 2, 0, 0), I(0xac, 0, 5, 0, 0),
         I(0x79, 4, 2, 0, 0), I(0x0f, 0, 4, 0, 0), EXIT);
    /*
     * "d = load16 [s]; e += d; s += K" (sum += *p++): twice, s == d, a jump
     * onto the step, a fault at the load's slot
     */
    RUNS(1 + 3 + 0x8000, STACKED, MOV64K(0, 1), I(0x69, 5, 2, 0, 0), I(0x0c, 0, 5, 0, 0), ADD64K(2, 2),
         I(0x69, 5, 2, 0, 0), I(0x0c, 0, 5, 0, 0), ADD64K(2, 2), EXIT);
    RUNS(3 + 5, STACKED, MOV64K(0, 0), I(0x69, 2, 2, 0, 0), I(0x0c, 0, 2, 0, 0), ADD64K(2, 2),
         I(0x0c, 0, 2, 0, 0), EXIT);
    RUNS(0x8000 + 3, STACKED, MOV64K(0, 0), MOV64K(5, 3), JA(2), I(0x69, 5, 2, 0, 0), I(0x0c, 0, 5, 0, 0),
         ADD64K(2, 2), I(0x69, 4, 2, 0, 0), I(0x0c, 0, 4, 0, 0), I(0x0c, 0, 5, 0, 0), EXIT);
    FAULT(FC_ERR_MEM, 5, STACKED, I(0x69, 5, 2, 8, 0), I(0x0c, 0, 5, 0, 0), ADD64K(2, 2), EXIT);
    /* a jump onto the add skips the load; a load that faults reports its own slot */
    RUNS(7, STACKED, MOV64K(0, 4), MOV64K(5, 3), JA(1), I(0x61, 5, 2, 0, 0), I(0x0c, 0, 5, 0, 0), EXIT);
    FAULT(FC_ERR_MEM, 5, STACKED, I(0x61, 5, 2, 8, 0), I(0x0c, 0, 5, 0, 0), EXIT);
#undef STACKED
    /*
     * "d = s + t; e = load [d + off]" (B, H, W): the sum stays in d, e == d,
     * a jump onto the add or the load, a fault at the load's own slot with d
     * written, and a load followed by an xor of it (that pair wins)
     */
    RUNS(0x22, MOV64K(2, 3), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), I(0x71, 0, 3, 1, 0), EXIT);
    RUNS(0x2222, MOV64K(2, 3), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), I(0x69, 3, 3, 0, 0), MOV64X(0, 3), EXIT);
    RUNS(0x22222222, MOV64K(2, 4), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), I(0x61, 0, 3, 0, 0), EXIT);
    RUNS(FC_VADDR(FC_REGION_CTX, 4), MOV64K(2, 4), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0),
         I(0x61, 0, 3, 0, 0), MOV64X(0, 3), EXIT);
    RUNS(0x22, MOV64X(3, 1), MOV64K(2, 1), JA(1), MOV64X(3, 2), I(0x0f, 3, 2, 0, 0),
         I(0x71, 0, 3, 0, 0), EXIT);
    RUNS(0x22, MOV64X(3, 1), JA(2), MOV64X(3, 2), I(0x0f, 3, 2, 0, 0), I(0x71, 0, 3, 0, 0), EXIT);
    FAULT(FC_ERR_MEM, 3, MOV64K(2, 5), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), I(0x61, 0, 3, 0, 0), EXIT);
    FAULT(FC_ERR_MEM, 3, MOV64K(2, 8), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), I(0x71, 3, 3, 0, 0), EXIT);
    RUNS(0x22 ^ 7, MOV64K(2, 3), MOV64K(0, 7), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0),
         I(0x71, 4, 3, 0, 0), I(0xac, 0, 4, 0, 0), EXIT);
    /*
     * pairs "a = b; c += d", "a *= b; c += d" (64-bit) and "w_a *= K; w_c += w_d"
     * (32-bit): any registers, run in order (c == a, d == a), a jump onto the
     * second slot, 32-bit wrap
     */
    RUNS(12, MOV64K(1, 5), MOV64K(2, 7), MOV64X(3, 1), I(0x0f, 1, 2, 0, 0), MOV64X(0, 1), EXIT);
    RUNS(10, MOV64K(1, 5), MOV64K(2, 7), MOV64X(2, 1), I(0x0f, 2, 2, 0, 0), MOV64X(0, 2), EXIT);
    RUNS(12, MOV64K(1, 5), MOV64K(2, 7), MOV64X(3, 1), I(0x0f, 3, 2, 0, 0), MOV64X(0, 3), EXIT);
    RUNS(7, MOV64K(1, 5), MOV64K(2, 7), MOV64X(3, 1), I(0x0f, 2, 3, 0, 0), I(0x1f, 2, 1, 0, 0),
         MOV64X(0, 2), EXIT);
    RUNS(7, MOV64K(1, 5), MOV64K(2, 7), JA(1), MOV64X(2, 1), I(0x0f, 1, 2, 0, 0), I(0x1f, 1, 1, 0, 0),
         I(0x0f, 1, 2, 0, 0), MOV64X(0, 1), EXIT);
    RUNS(5 * 5 + 9, MOV64K(1, 5), MOV64K(2, 9), I(0x2f, 1, 1, 0, 0), I(0x0f, 1, 2, 0, 0), MOV64X(0, 1), EXIT);
    RUNS(5 * 9 + 9, MOV64K(1, 5), MOV64K(2, 9), I(0x2f, 1, 2, 0, 0), I(0x0f, 2, 1, 0, 0),
         MOV64X(0, 2), EXIT);
    RUNS(0xfffffffe, MOV64K(1, -1), MOV64K(2, -1), I(0x24, 1, 0, 0, 1), I(0x0c, 1, 2, 0, 0),
         MOV64X(0, 1), EXIT);
    RUNS(5 * 31 + 4, MOV64K(0, 5), MOV64K(4, 4), I(0x24, 0, 0, 0, 31), I(0x0c, 0, 4, 0, 0), EXIT);
    RUNS(0x100000002, MOV64K(0, 2), I(0x18, 4, 0, 0, 0), I(0, 0, 0, 0, 1), I(0x24, 0, 0, 0, 1),
         I(0x0f, 0, 4, 0, 0), EXIT); /* a 64-bit add after a 32-bit mul: not this pair */
    /* loop tails "d += K; e = s; if ... goto back": the jump tests e, or e == d */
    RUNS(5, MOV64K(3, 0), ADD64K(3, 1), MOV64X(2, 3), I(0x55, 2, 0, -3, 5), MOV64X(0, 3), EXIT);
    RUNS(4, MOV64K(3, 0), ADD64K(3, 1), I(0xbc, 2, 3, 0, 0), I(0x55, 2, 0, -3, 4), MOV64X(0, 3), EXIT);
    RUNS(0, MOV64K(2, 0), MOV64K(1, 5), ADD64K(1, -1), MOV64X(1, 2), I(0x55, 1, 0, -3, 0), MOV64X(0, 1), EXIT);
    RUNS(10, MOV64K(3, 0), MOV64K(4, 10), ADD64K(3, 1), MOV64X(2, 3), I(0xad, 3, 4, -3, 0), MOV64X(0, 2), EXIT);
    RUNS(10, MOV64K(3, 0), MOV64K(4, 10), ADD64K(3, 1), I(0xad, 3, 4, -2, 0), MOV64X(0, 3), EXIT);
    RUNS(1, MOV64K(3, 0), MOV64K(4, 10), ADD64K(3, 1), I(0xad, 4, 3, -2, 0), MOV64X(0, 3), EXIT);
    /* a loop whose backward jump lands on the second slot of a pair is charged the budget */
    {
        const fc_insn_t p_[] = { MOV64K(1, 1), MOV64K(2, 1), MOV64X(3, 1), I(0x0f, 1, 2, 0, 0),
                                 JA(-2), EXIT };
        assert_int_equal(load(p_, sizeof p_ / sizeof p_[0], 0), FC_OK);
        for (int pass_ = 0; pass_ < 1 + FC_SPECIALISE; pass_++) {
            if (pass_) assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_OK);
            vm.budget = 100;
            assert_int_equal(fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), 8, &r0), FC_ERR_BUDGET);
            assert_int_equal(vm.pc, 4);
        }
    }
    /* "d = K64; d += s", and d += d (not fused), and a jump onto the add */
    RUNS(0x100000007, MOV64K(2, 5), I(0x18, 1, 0, 0, 2), I(0, 0, 0, 0, 1), I(0x0f, 1, 2, 0, 0),
         MOV64X(0, 1), EXIT);
    RUNS(0x200000004, I(0x18, 1, 0, 0, 2), I(0, 0, 0, 0, 1), I(0x0f, 1, 1, 0, 0), MOV64X(0, 1), EXIT);
    RUNS(12, MOV64K(1, 5), MOV64K(2, 7), JA(2), I(0x18, 1, 0, 0, 2), I(0, 0, 0, 0, 1),
         I(0x0f, 1, 2, 0, 0), MOV64X(0, 1), EXIT);
}

/* The specialised loads' region cache never lets an address through that the full check refuses. */
static void load_region_cache(void **state)
{
    (void)state;
    /* ctx cached, then 4 bytes just below the ctx's id (id 3, offset 0xfffffffc) */
    FAULT(FC_ERR_MEM, 3, LDXW(0, 1, 0), MOV64X(2, 1), ADD64K(2, -4), LDXW(0, 2, 0), EXIT);
    /* ctx cached, then the last byte plus one */
    FAULT(FC_ERR_MEM, 1, LDXW(0, 1, 0), I(0x69, 0, 1, 7, 0), EXIT);
    /* ctx cached, then rodata and the stack through registers: both still work */
    RUNS(0x11 + 0x22, LDXW(0, 1, 0), MOV64K(3, 1), LSH64K(3, 32), I(0x71, 4, 3, 0, 0),
         I(0x71, 5, 1, 7, 0), MOV64X(0, 4), I(0x0f, 0, 5, 0, 0), EXIT);
    /* stores: data cached, then one past its end, then read-only rodata just below it */
    FAULT(FC_ERR_MEM, 3, MOV64K(1, 2), LSH64K(1, 32), STB(1, 0, 1), STB(1, 16, 1), EXIT);
    FAULT(FC_ERR_MEM, 4, MOV64K(1, 2), LSH64K(1, 32), MOV64K(2, 9), STXDW(1, 2, 8),
          I(0x73, 1, 2, -4, 0), EXIT);
    FAULT(FC_ERR_MEM_PERM, 6, MOV64K(1, 2), LSH64K(1, 32), MOV64K(2, 9), STXDW(1, 2, 8),
          MOV64K(3, 1), LSH64K(3, 32), I(0x73, 3, 2, 0, 0), EXIT);
    RUNS(9, MOV64K(1, 2), LSH64K(1, 32), MOV64K(2, 9), STXDW(1, 2, 8), I(0x79, 0, 1, 8, 0), EXIT);
    /* a NULL load after a cached region still faults */
    FAULT(FC_ERR_MEM, 2, LDXW(0, 1, 0), MOV64K(1, 0), LDXW(0, 1, 0), EXIT);
    /* empty caches (the first access of a run): out of bounds, NULL, not permitted */
    FAULT(FC_ERR_MEM, 0, LDXW(0, 1, 8), EXIT);
    FAULT(FC_ERR_MEM, 1, MOV64K(1, 0), LDXW(0, 1, 0), EXIT);
    FAULT(FC_ERR_MEM, 1, MOV64K(1, 0), STB(1, 0, 1), EXIT);
    FAULT(FC_ERR_MEM_PERM, 0, STB(1, 0, 1), EXIT);
    /*
     * a miss fills the other direction's cache of its size too: a store after a
     * load of read-only ctx still faults; a store then a load of data both work
     */
    FAULT(FC_ERR_MEM_PERM, 1, LDXW(0, 1, 0), I(0x63, 1, 0, 4, 0), EXIT);
    FAULT(FC_ERR_MEM_PERM, 2, LDXW(0, 1, 0), LDXW(0, 1, 4), I(0x63, 1, 0, 0, 0), EXIT);
    RUNS(0x23, MOV64K(1, 2), LSH64K(1, 32), STB(1, 3, 0x23), I(0x71, 0, 1, 3, 0), EXIT);
    RUNS(0xa5a5a5a5u + 7, MOV64K(1, 2), LSH64K(1, 32), LDXW(0, 1, 12), ADD64K(0, 7), I(0x63, 1, 0, 4, 0),
         MOV64K(0, 0), LDXW(0, 1, 4), EXIT); /* data is 0xa5 before the test writes it */
    /* a region cached in one run is not trusted in the next: same code, smaller ctx */
    {
        const fc_insn_t p_[] = { LDXW(0, 1, 4), EXIT };
        assert_int_equal(load(p_, 2, 0), FC_OK);
        assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_SPECIALISE ? FC_OK : FC_ERR_NOTSUP);
        assert_int_equal(fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), 8, &r0), FC_OK);
        regions[3].len = 4;
        assert_int_equal(fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), 8, &r0), FC_ERR_MEM);
        assert_int_equal(vm.pc, 0);
        regions[3].len = sizeof arena.ctx;
    }
}

static void run_bad_entry(void **state)
{
    (void)state;
    static const fc_insn_t p[] = { LDDW_LO(0, 1), LDDW_HI(0), EXIT };
    assert_int_equal(load(p, 3, 0), FC_OK);
    assert_int_equal(fc_vm_run(&vm, 1, 0, 0, &r0), FC_ERR_BAD_PC);
    assert_int_equal(fc_vm_run(&vm, 3, 0, 0, &r0), FC_ERR_BAD_PC);
    assert_int_equal(fc_vm_run(&vm, 2, 0, 0, &r0), FC_OK);
    assert_int_equal(fc_vm_run(NULL, 0, 0, 0, &r0), FC_ERR_INVAL);
}

#define STDW(d, o, k) I(0x7a, d, 0, o, k)
#define ADD64X(d, s) I(0x0f, d, s, 0, 0)

/* What the verifier says an accepted program needs (fc_verify_info_t). */
static void assert_needs(uint32_t frame, uint32_t stack, uint16_t depth, uint16_t funcs, uint8_t rec)
{
    if (!FC_VERIFY_CALLGRAPH && (depth != 0 || rec)) { /* not analysed: bounded at run time */
        depth = FC_VERIFY_DEPTH_UNBOUNDED;
        stack = frame * (FC_CALL_DEPTH_MAX + 1);
        funcs = 0;
        rec = 0;
    }
    assert_int_equal(info.err, FC_OK);
    assert_int_equal(info.frame, frame);
    assert_int_equal(vm.frame, frame);
    assert_int_equal(info.stack, stack);
    assert_int_equal(info.call_depth, depth);
    assert_int_equal(info.functions, funcs);
    assert_int_equal(info.recursive, rec);
}

/*
 * A callee's frame never lands on its caller's data: the frame covers what
 * the caller reaches through r10 and every copy or step of a pointer derived
 * from it, and an access below the frame through any other pointer faults
 * in a program with local calls instead of reaching the callee's frame.
 */
static void frames_never_overlap(void **state)
{
    (void)state;
    /* the program: r2 a copy of r1 = r10 - 32, stepped to r10 - 64; f writes r10 - 32 */
#define ALIASED MOV64X(1, 10), ADD64K(1, -32), MOV64X(2, 1), ADD64K(2, -32), STDW(2, 0, 0x1111), \
        CALL_LOCAL(2), LDXDW(0, 2, 0), EXIT, STDW(10, -32, 0x2222), EXIT
    RUNS(0x1111, ALIASED);
    assert_needs(64, 128, 1, 2, 0);
    /* the callee writes through the pointer it was given: its caller's frame, on purpose */
    RUNS(0x77, MOV64X(1, 10), ADD64K(1, -16), STDW(1, 0, 1), CALL_LOCAL(3), LDXDW(0, 10, -16), EXIT,
         EXIT, STDW(1, 0, 0x77), JA(-3));
    /* a pointer the verifier cannot follow (r10 + r2) below the frame faults, with or without stack use */
    FAULT(FC_ERR_MEM, 3, MOV64X(1, 10), MOV64K(2, -100), ADD64X(1, 2), STB(1, 0, 1),
          CALL_LOCAL(1), EXIT, EXIT);
    FAULT(FC_ERR_MEM, 4, STB(10, -8, 1), MOV64X(1, 10), MOV64K(2, -100), ADD64X(1, 2), STB(1, 0, 1),
          CALL_LOCAL(1), EXIT, EXIT);
    /* and inside the callee's frame too, through a pointer computed there */
    FAULT(FC_ERR_MEM, 6, STB(10, -8, 1), CALL_LOCAL(1), EXIT, MOV64X(1, 10), MOV64K(2, -9), ADD64X(1, 2),
          STB(1, 0, 1), EXIT);
    /* the same access inside the frame runs; without local calls the whole stack is the program's */
    RUNS(1, STB(10, -8, 0), MOV64X(1, 10), MOV64K(2, -8), ADD64X(1, 2), STB(1, 0, 1), CALL_LOCAL(2),
         I(0x71, 0, 10, -8, 0), EXIT, EXIT);
    RUNS(9, MOV64X(1, 10), MOV64K(2, -100), ADD64X(1, 2), STB(1, 0, 9), I(0x71, 0, 1, 0, 0), EXIT);
    assert_needs(0, 0, 0, 1, 0);
    /* a deep chain: four functions, each keeps a value at r10 - 8 across its call */
    RUNS(1111, STDW(10, -8, 1), CALL_LOCAL(3), LDXDW(1, 10, -8), ADD64X(0, 1), EXIT,
         STDW(10, -8, 10), CALL_LOCAL(3), LDXDW(1, 10, -8), ADD64X(0, 1), EXIT,
         STDW(10, -8, 100), CALL_LOCAL(3), LDXDW(1, 10, -8), ADD64X(0, 1), EXIT,
         STDW(10, -8, 1000), LDXDW(0, 10, -8), EXIT);
    assert_needs(8, 32, 3, 4, 0);
    /* recursion: f(n) = n + f(n - 1), f(0) = 0, each level keeps n in its frame */
    RUNS(15, MOV64K(1, 5), CALL_LOCAL(1), EXIT,
         MOV64K(0, 0), I(0x15, 1, 0, 5, 0), STXDW(10, 1, -8), ADD64K(1, -1), CALL_LOCAL(-5),
         LDXDW(2, 10, -8), ADD64X(0, 2), EXIT);
    assert_needs(8, 8 * (FC_CALL_DEPTH_MAX + 1), FC_VERIFY_DEPTH_UNBOUNDED, 2, 1);
    /* mutual recursion is a cycle too; a chain deeper than the run-time limit is not */
    assert_int_equal(load((const fc_insn_t[]){ CALL_LOCAL(1), EXIT, CALL_LOCAL(1), EXIT, CALL_LOCAL(-3), EXIT }, 6, 0), FC_OK);
    assert_needs(0, 0, FC_VERIFY_DEPTH_UNBOUNDED, 3, 1);
    {
        fc_insn_t chain[2 * 12];
        for (int k = 0; k < 12; k++) {
            chain[2 * k] = k < 11 ? (fc_insn_t)CALL_LOCAL(1) : (fc_insn_t)STB(10, -1, 0);
            chain[2 * k + 1] = (fc_insn_t)EXIT;
        }
        assert_int_equal(load(chain, 24, 0), FC_OK);
        assert_needs(8, 8 * 12, 11, 12, 0);
        assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_CALL_DEPTH);
    }
    /* more functions than the analysis holds: accepted, depth unknown, not called recursive */
    for (int nf = FC_VERIFY_FUNCS_MAX; nf <= FC_VERIFY_FUNCS_MAX + 1; nf++) {
        static fc_insn_t many[2 * (FC_VERIFY_FUNCS_MAX + 1)];
        for (int k = 0; k < nf; k++) { /* each function calls the next, the last one stops */
            many[2 * k] = k < nf - 1 ? (fc_insn_t)CALL_LOCAL(1) : (fc_insn_t)MOV64K(0, 0);
            many[2 * k + 1] = (fc_insn_t)EXIT;
        }
        assert_int_equal(load(many, (size_t)(2 * nf), 0), FC_OK);
        if (nf == FC_VERIFY_FUNCS_MAX)
            assert_needs(0, 0, FC_VERIFY_FUNCS_MAX - 1, FC_VERIFY_FUNCS_MAX, 0);
        else
            assert_needs(0, 0, FC_VERIFY_DEPTH_UNBOUNDED, 0, 0);
    }
}

/*
 * An entry point that is neither slot 0 nor a local-call target starts a
 * function of its own when the caller names it (fc_vm_verify_entries): it
 * used to count as part of the function before it, so a call from it to
 * that function read as recursion, with the stack of FC_CALL_DEPTH_MAX + 1
 * frames.
 */
static void entry_points_are_functions(void **state)
{
    (void)state;
    /* main: call f; f: store, r0 = 7; g (entry 5, no call target): call f, r0 += 1 */
    const fc_insn_t prog[] = { CALL_LOCAL(1), EXIT, STB(10, -8, 1), MOV64K(0, 7), EXIT,
                               CALL_LOCAL(-4), ADD64K(0, 1), EXIT };
    const uint32_t entries[] = { 5, 0, 5 }; /* any order, repeats allowed */
    /* without the entries, g is part of f: f calls f */
    assert_int_equal(load(prog, 8, 0), FC_OK);
    assert_needs(8, 8 * (FC_CALL_DEPTH_MAX + 1), FC_VERIFY_DEPTH_UNBOUNDED, 2, 1);
    assert_int_equal(fc_vm_verify_entries(&vm, entries, 3, &info), FC_OK);
    assert_needs(8, 16, 1, 3, 0);
    assert_int_equal(fc_vm_run(&vm, 5, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 8);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 7);
    /* an entry outside the program, or on an LDDW's second slot, is refused */
    const uint32_t out[] = { 0, 8 };
    assert_int_equal(fc_vm_verify_entries(&vm, out, 2, &info), FC_ERR_BAD_PC);
    assert_int_equal(info.pc, 8);
    assert_int_equal(vm.verified, 0);
    assert_int_equal(load((const fc_insn_t[]){ LDDW_LO(0, 1), LDDW_HI(0), EXIT }, 3, 0), FC_OK);
    const uint32_t mid[] = { 1 };
    assert_int_equal(fc_vm_verify_entries(&vm, mid, 1, &info), FC_ERR_BAD_PC);
    assert_int_equal(fc_vm_verify_entries(&vm, NULL, 1, &info), FC_ERR_INVAL);
    assert_int_equal(fc_vm_verify_entries(&vm, NULL, 0, &info), FC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reject_empty_and_ragged),
        cmocka_unit_test(reject_opcodes),
        cmocka_unit_test(reject_registers),
        cmocka_unit_test(reject_jumps),
        cmocka_unit_test(reject_calls_and_helpers),
        cmocka_unit_test(helper_caps),
        cmocka_unit_test(reject_div_by_zero_imm),
        cmocka_unit_test(reject_stack_out_of_frame),
        cmocka_unit_test(div_semantics_no_trap),
        cmocka_unit_test(fault_memory),
        cmocka_unit_test(fault_budget_and_recursion),
        cmocka_unit_test(fault_helper_pointers),
        cmocka_unit_test(specialised_fusions),
        cmocka_unit_test(load_region_cache),
        cmocka_unit_test(run_bad_entry),
        cmocka_unit_test(frames_never_overlap),
        cmocka_unit_test(entry_points_are_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
