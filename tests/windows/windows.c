/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the compact interpreter's region windows must not change: a window
 * is the last region an access kind translated, so every place a
 * translation can change must empty it. A helper that moves or shrinks a
 * region mid-run, a return that takes the callee's frame away, a store
 * after a read of a read-only region, the last bytes of a region (a window
 * keeps off + 8 inside it, so they always go through the full translation).
 * Built for the compact and the fast engine: the same results and faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fc/fc.h"

#define I(op, dst, src, off, imm) { (op), (dst), (src), (off), (imm) }
#define EXIT I(FC_OP_EXIT, 0, 0, 0, 0)
#define MOV64X(d, s) I(FC_OP_MOV64_X, d, s, 0, 0)
#define ADD64K(d, k) I(FC_OP_ADD64_K, d, 0, 0, k)
#define ADD64X(d, s) I(FC_OP_ADD64_X, d, s, 0, 0)
#define LDXW(d, s, o) I(FC_OP_LDXW, d, s, o, 0)
#define LDXB(d, s, o) I(FC_OP_LDXB, d, s, o, 0)
#define STXW(d, s, o) I(FC_OP_STXW, d, s, o, 0)
#define STDW(d, o, k) I(FC_OP_STDW, d, 0, o, k)
#define LDXDW(d, s, o) I(FC_OP_LDXDW, d, s, o, 0)
#define CALL(id) I(FC_OP_CALL, 0, 0, 0, id)
#define CALL_LOCAL(rel) I(FC_OP_CALL, 0, 1, 0, rel)

static uint8_t rodata[16], data[16], ctx[8], other[8];
static uint64_t stack[64];
static uint8_t code[64 * 8];
static fc_region_t regions[4];
static fc_vm_t vm;
static uint64_t r0;

/* helper 1: the context region moves to another buffer; helper 2: it shrinks to 4 bytes */
static int move_ctx(fc_vm_t *v, const uint64_t *args, uint64_t *ret)
{
    (void)v; (void)args;
    regions[3].host = other;
    *ret = 0;
    return FC_OK;
}
static int shrink_ctx(fc_vm_t *v, const uint64_t *args, uint64_t *ret)
{
    (void)v; (void)args;
    regions[3].len = 4;
    *ret = 0;
    return FC_OK;
}
static const fc_helper_t items[2] = {
    { 1, 0, move_ctx, "move_ctx" },
    { 2, 0, shrink_ctx, "shrink_ctx" },
};
static const fc_helper_table_t helpers = { items, 2, NULL };

/* Load and verify n instructions over fresh regions; the result of a run from slot 0 with r1 = ctx. */
static int run(const fc_insn_t *ins, size_t n)
{
    memset(rodata, 0x11, sizeof rodata);
    memset(data, 0, sizeof data);
    for (unsigned k = 0; k < sizeof ctx; k++) {
        ctx[k] = (uint8_t)(0x20 + k);
        other[k] = (uint8_t)(0x40 + k);
    }
    regions[0] = (fc_region_t){ rodata, sizeof rodata, FC_MEM_READ };
    regions[1] = (fc_region_t){ data, sizeof data, FC_MEM_READ | FC_MEM_WRITE };
    regions[2] = (fc_region_t){ (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE };
    regions[3] = (fc_region_t){ ctx, sizeof ctx, FC_MEM_READ };
    for (size_t k = 0; k < n; k++)
        fc_insn_encode(code + 8 * k, ins[k]);
    assert_int_equal(fc_vm_init(&vm, code, n * 8, regions, 4, &helpers), FC_OK);
    vm.budget = 1000;
    assert_int_equal(fc_vm_verify(&vm, NULL), FC_OK);
    r0 = 0;
    return fc_vm_run(&vm, 0, FC_VADDR(FC_REGION_CTX, 0), sizeof ctx, &r0);
}

#define RUNS(value, ...)                                                      \
    do {                                                                      \
        const fc_insn_t p_[] = { __VA_ARGS__ };                               \
        assert_int_equal(run(p_, sizeof p_ / sizeof p_[0]), FC_OK);           \
        assert_int_equal(r0, (value));                                        \
    } while (0)
#define FAULT(err_, pc_, ...)                                                 \
    do {                                                                      \
        const fc_insn_t p_[] = { __VA_ARGS__ };                               \
        assert_int_equal(run(p_, sizeof p_ / sizeof p_[0]), (err_));          \
        assert_int_equal(vm.pc, (pc_));                                       \
    } while (0)

static void helper_changes_regions(void **state)
{
    (void)state;
    /* read the context, move it in a helper, read again: the new buffer's bytes */
    RUNS(0x40, MOV64X(6, 1), LDXB(7, 6, 0), CALL(1), LDXB(0, 6, 0), EXIT);
    /* the same, the first read kept: 0x20 + 0x40 */
    RUNS(0x60, MOV64X(6, 1), LDXB(7, 6, 0), CALL(1), LDXB(0, 6, 0), ADD64X(0, 7), EXIT);
    /* shrunk to 4 bytes in a helper: offset 0 still reads, offset 4 faults */
    RUNS(0x20, MOV64X(6, 1), LDXB(7, 6, 4), CALL(2), LDXB(0, 6, 0), EXIT);
    FAULT(FC_ERR_MEM, 3, MOV64X(6, 1), LDXB(7, 6, 4), CALL(2), LDXB(0, 6, 4), EXIT);
}

static void kinds_keep_apart(void **state)
{
    (void)state;
    /* a read of the read-only context gives a store there no window: not permitted */
    FAULT(FC_ERR_MEM_PERM, 4, LDXB(0, 1, 0), MOV64X(2, 1), ADD64K(2, 0), I(FC_OP_MOV64_K, 3, 0, 0, 9),
          STXW(2, 3, 0), EXIT);
    /* a store to data, then an atomic add there and a read back */
    RUNS(12, I(FC_OP_LDDW, 1, 0, 0, 0), I(0x00, 0, 0, 0, FC_REGION_DATA), I(FC_OP_MOV64_K, 2, 0, 0, 5),
         STXW(1, 2, 0), I(FC_OP_MOV64_K, 3, 0, 0, 7), I(FC_OP_ATOMIC_W, 1, 3, 0, 0), LDXW(0, 1, 0), EXIT);
    /* an atomic on the read-only context after reads of it: not permitted */
    FAULT(FC_ERR_MEM_PERM, 2, LDXW(0, 1, 0), I(FC_OP_MOV64_K, 3, 0, 0, 7), I(FC_OP_ATOMIC_W, 1, 3, 0, 0), EXIT);
}

static void region_ends(void **state)
{
    (void)state;
    /* every byte of the 8-byte context, the last ones past any window's reach */
    RUNS(0x20 + 0x21 + 0x22 + 0x23 + 0x24 + 0x25 + 0x26 + 0x27,
         LDXB(0, 1, 0), LDXB(2, 1, 1), ADD64X(0, 2), LDXB(2, 1, 2), ADD64X(0, 2), LDXB(2, 1, 3),
         ADD64X(0, 2), LDXB(2, 1, 4), ADD64X(0, 2), LDXB(2, 1, 5), ADD64X(0, 2), LDXB(2, 1, 6),
         ADD64X(0, 2), LDXB(2, 1, 7), ADD64X(0, 2), EXIT);
    /* the last word reads, one byte further faults, after a hit at the start */
    RUNS(0x27262524, LDXB(2, 1, 0), LDXW(0, 1, 4), EXIT);
    FAULT(FC_ERR_MEM, 2, LDXB(2, 1, 0), LDXW(0, 1, 4), LDXW(0, 1, 5), EXIT);
}

static void returns_take_frames(void **state)
{
    (void)state;
    /*
     * the callee writes its own frame and hands back its address (r0); after
     * the return that address is below the caller's frame: the caller's read
     * faults, though the callee's write had filled the window
     */
    FAULT(FC_ERR_MEM, 2, STDW(10, -8, 1), CALL_LOCAL(2), LDXDW(0, 0, 0), EXIT,
          STDW(10, -8, 2), MOV64X(0, 10), ADD64K(0, -8), LDXDW(1, 0, 0), EXIT);
    /* the caller's own frame still reads after the return */
    RUNS(1, STDW(10, -8, 1), CALL_LOCAL(2), LDXDW(0, 10, -8), EXIT,
         STDW(10, -8, 2), MOV64X(0, 10), ADD64K(0, -8), LDXDW(1, 0, 0), EXIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(helper_changes_regions),
        cmocka_unit_test(kinds_keep_apart),
        cmocka_unit_test(region_ends),
        cmocka_unit_test(returns_take_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
