/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86-64 JIT's single-compare loop check (find_loop in
 * src/jit/jit_x86_64.c: a loop's one hot access through a pointer that only
 * grows is checked against one bound): every way out of the window must
 * still fault at the access's slot with the interpreter's cause, pc and
 * budget left. Each program runs through the interpreter and the JIT
 * (jit_diff: result, fault, pc, budget left, final memory and stack), from
 * every slot as the entry, and under budgets that stop it at every boundary
 * near both ends; the interpreter's own outcome is asserted as well, so a
 * program that stopped exercising its case would fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fc/fc.h"
#include "jit_diff.h"

#define MEM_LEN 64u

static uint8_t mem[MEM_LEN];

/* assemble, then compare interpreter and JIT from slot 0 and every other slot, and at budget boundaries */
static diff_result_t check(const fc_insn_t *p, size_t n, uint32_t mem_len)
{
    uint8_t prog[32 * 8];
    char why[256];
    diff_result_t r;
    assert_true(n <= 32);
    for (size_t k = 0; k < n; k++)
        fc_insn_encode(prog + 8 * k, p[k]);
    for (uint32_t k = 0; k < MEM_LEN; k++)
        mem[k] = (uint8_t)(k * 7u + 3u);
    int d = jit_diff(prog, 8 * n, mem, mem_len, 100000, NULL, &r, why, sizeof why, NULL);
    if (d != 0)
        fail_msg("slot 0: %d %s", d, why);
    const uint32_t used = 100000 - r.left;
    uint32_t budgets[16];
    const int nb = jit_diff_budgets(used, budgets, 16);
    for (int b = 0; b < nb; b++) {
        diff_result_t rb;
        d = jit_diff(prog, 8 * n, mem, mem_len, budgets[b], NULL, &rb, why, sizeof why, NULL);
        if (d != 0)
            fail_msg("budget %u: %d %s", (unsigned)budgets[b], d, why);
    }
    for (uint32_t e = 1; e < n; e++) {
        d = jit_diff_at(prog, 8 * n, mem, mem_len, 100000, e, NULL, why, sizeof why);
        if (d != 0)
            fail_msg("entry %u: %d %s", (unsigned)e, d, why);
    }
    return r;
}

/*
 * Fletcher's inner loop: r1 walks the context by 2, r2 counts down from
 * count bytes: r0 = *(u16 *)(r1 + 0); w3 += w0; r1 += 2; r2 += -2; if r2 != 0 goto loop.
 */
static diff_result_t walk(int32_t count, int lddw_start, uint64_t start)
{
    fc_insn_t p[12];
    size_t n = 0;
    if (lddw_start) { /* r1 = start */
        p[n++] = (fc_insn_t){ 0x18, 1, 0, 0, (int32_t)(uint32_t)start };
        p[n++] = (fc_insn_t){ 0x00, 0, 0, 0, (int32_t)(uint32_t)(start >> 32) };
    }
    p[n++] = (fc_insn_t){ 0xb7, 2, 0, 0, count };
    p[n++] = (fc_insn_t){ 0xb7, 3, 0, 0, 0 };
    const size_t loop = n;
    p[n++] = (fc_insn_t){ 0x69, 0, 1, 0, 0 };
    p[n++] = (fc_insn_t){ 0x0c, 3, 0, 0, 0 };
    p[n++] = (fc_insn_t){ 0x07, 1, 0, 0, 2 };
    p[n++] = (fc_insn_t){ 0x07, 2, 0, 0, -2 };
    p[n] = (fc_insn_t){ 0x55, 2, 0, (int16_t)((int64_t)loop - (int64_t)n - 1), 0 };
    n++;
    p[n++] = (fc_insn_t){ 0xbf, 0, 3, 0, 0 };
    p[n++] = (fc_insn_t){ 0x95, 0, 0, 0, 0 };
    return check(p, n, MEM_LEN);
}

static void inside(void **state)
{
    (void)state;
    const diff_result_t r = walk(MEM_LEN, 0, 0);
    assert_int_equal(r.rc, FC_OK);
    uint32_t sum = 0;
    for (uint32_t k = 0; k < MEM_LEN; k += 2)
        sum += (uint32_t)mem[k] | (uint32_t)mem[k + 1] << 8;
    assert_int_equal(r.r0, sum);
}

/* the loop walks past the context's end: the load faults at its slot (2) */
static void off_the_end(void **state)
{
    (void)state;
    const diff_result_t r = walk(MEM_LEN + 8, 0, 0);
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 2);
}

/* the pointer starts in the stack (a region below the cached one) and walks off its end */
static void from_the_stack(void **state)
{
    (void)state;
    const diff_result_t r = walk(40, 1, FC_VADDR(FC_REGION_STACK, 512 - 16));
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 4);
}

/* a region above the cached one, and a pointer that wraps around 2^64 */
static void above_and_wrapping(void **state)
{
    (void)state;
    diff_result_t r = walk(8, 1, FC_VADDR(FC_REGION_CTX + 1, 0));
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 4);
    r = walk(8, 1, UINT64_MAX - 1);
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 4);
    /* just below the context: region 4 offset -2 is region 3's last bytes (no such region here) */
    r = walk(8, 1, FC_VADDR(FC_REGION_CTX, 0) - 2);
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 4);
}

/*
 * The same walk with the pointer moved before the load (r1 += 2 first),
 * and a store through a second pointer of the same size in the loop (the
 * loop then keeps the full check: two accesses share the window).
 */
static void other_shapes(void **state)
{
    (void)state;
    const fc_insn_t add_first[] = {
        { 0xb7, 2, 0, 0, MEM_LEN + 4 }, { 0x07, 1, 0, 0, -2 }, { 0xb7, 3, 0, 0, 0 },
        { 0x07, 1, 0, 0, 2 },           { 0x69, 0, 1, 0, 0 },  { 0x0c, 3, 0, 0, 0 },
        { 0x07, 2, 0, 0, -2 },          { 0x55, 2, 0, -5, 0 }, { 0xbf, 0, 3, 0, 0 },
        { 0x95, 0, 0, 0, 0 },
    };
    diff_result_t r = check(add_first, sizeof add_first / sizeof add_first[0], MEM_LEN);
    assert_int_equal(r.rc, FC_ERR_MEM);
    assert_int_equal(r.pc, 4);
    const fc_insn_t two[] = {
        { 0xb7, 2, 0, 0, MEM_LEN / 2 }, { 0xbf, 4, 1, 0, 0 },   { 0x07, 4, 0, 0, MEM_LEN / 2 },
        { 0x69, 0, 1, 0, 0 },           { 0x6b, 4, 0, 0, 0 },   { 0x07, 1, 0, 0, 2 },
        { 0x07, 4, 0, 0, 2 },           { 0x07, 2, 0, 0, -2 },  { 0x55, 2, 0, -6, 0 },
        { 0x95, 0, 0, 0, 0 },
    };
    r = check(two, sizeof two / sizeof two[0], MEM_LEN);
    assert_int_equal(r.rc, FC_OK);
    /* a short context: the same loop faults in its first half */
    r = check(two, sizeof two / sizeof two[0], MEM_LEN - 8);
    assert_int_equal(r.rc, FC_ERR_MEM);
}

/*
 * The loop's entry check fails (the pointer is in the stack), which empties
 * the hot cache and its other direction; then a store and a load of that
 * size through the context after the loop must still land in the context.
 */
static void after_a_reset(void **state)
{
    (void)state;
    const fc_insn_t p[] = {
        { 0xbf, 6, 1, 0, 0 },  { 0xbf, 1, 10, 0, 0 }, { 0x07, 1, 0, 0, -16 }, { 0x7b, 1, 6, 0, 0 },
        { 0x7b, 1, 6, 8, 0 },  { 0xb7, 2, 0, 0, 16 },  { 0xb7, 3, 0, 0, 0 },   { 0x69, 0, 1, 0, 0 },
        { 0x0c, 3, 0, 0, 0 },  { 0x07, 1, 0, 0, 2 },   { 0x07, 2, 0, 0, -2 },  { 0x55, 2, 0, -5, 0 },
        { 0x6b, 6, 3, 4, 0 },  { 0x69, 0, 6, 4, 0 },   { 0x95, 0, 0, 0, 0 },
    };
    const diff_result_t r = check(p, sizeof p / sizeof p[0], MEM_LEN);
    assert_int_equal(r.rc, FC_OK);
    /* the stack held the context's address twice: the sum of its eight halfwords, cut to 16 bits */
    assert_int_equal(r.r0, (2u * (uint32_t)(FC_REGION_CTX)) & 0xffffu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inside),
        cmocka_unit_test(off_the_end),
        cmocka_unit_test(from_the_stack),
        cmocka_unit_test(above_and_wrapping),
        cmocka_unit_test(other_shapes),
        cmocka_unit_test(after_a_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
