/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The budget bounds work: built with FC_COUNT_INSNS=1 (every dispatched
 * instruction counted in fc_insn_count), once per engine, it runs the
 * attacks of issue 17 and checks that a run executes at most
 * budget + nslots instructions and that helpers pay for the bytes they
 * touch before touching them. Raw and specialised code fault at the same
 * slot with the same budget left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fc/fc.h"
#include "fc/helpers.h"

#define I(op, dst, src, off, imm) ((fc_insn_t){ (op), (dst), (src), (off), (imm) })
#define EXIT I(0x95, 0, 0, 0, 0)

#define CALLEE 27000 /* straight-line slots of the callee, as in the issue */
#define NSLOTS (CALLEE + 16)

static uint8_t code[NSLOTS * 8], fast[NSLOTS * 8];
static uint64_t stack[512 / 8];
static fc_region_t regions[4];
static fc_vm_t vm;
static const fc_helper_table_t standard = { fc_helpers_standard, 0, NULL };
static fc_helper_table_t helpers;

static uint32_t emit(uint32_t at, fc_insn_t insn)
{
    fc_insn_encode(code + 8 * (size_t)at, insn);
    return at + 1;
}

static void load(uint32_t n, uint8_t *data, uint32_t data_len, uint32_t budget)
{
    fc_verify_info_t info;
    helpers = standard;
    helpers.count = fc_helpers_standard_count;
    regions[0] = (fc_region_t){ NULL, 0, FC_MEM_READ };
    regions[1] = (fc_region_t){ data, data_len, FC_MEM_READ | FC_MEM_WRITE };
    regions[2] = (fc_region_t){ (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE };
    regions[3] = (fc_region_t){ NULL, 0, FC_MEM_READ };
    assert_int_equal(fc_vm_init(&vm, code, (size_t)n * 8, regions, 4, &helpers), FC_OK);
    assert_int_equal(fc_vm_verify(&vm, &info), FC_OK);
    vm.budget = budget;
}

/* Run raw, then specialised where built: same fault, slot and budget left; returns the raw count. */
static uint64_t run_both(int want, uint32_t want_pc)
{
    uint64_t r0, count;
    fc_insn_count = 0;
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), want);
    count = fc_insn_count;
    assert_int_equal(vm.pc, want_pc);
    uint32_t left = vm.left;
    if (FC_SPECIALISE) {
        assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_OK);
        fc_insn_count = 0;
        assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), want);
        assert_int_equal(vm.pc, want_pc);
        assert_int_equal(vm.left, left);
        assert_true(fc_insn_count <= count); /* fused forms dispatch less */
        vm.fast = NULL;
    }
    return count;
}

/*
 * A 27,000-slot straight-line callee called in a loop of a million: with a
 * call costing one unit it ran about 540 million instructions under a
 * budget of 100,000. Now the return pays the distance back.
 */
static void call_amplification_forward(void **state)
{
    (void)state;
    uint32_t n = 0, budget = 100000;
    n = emit(n, I(0xb7, 6, 0, 0, 0));            /* r6 = 0 */
    n = emit(n, I(0x85, 0, 1, 0, 3));            /* loop: call f (slot 5) */
    n = emit(n, I(0x07, 6, 0, 0, 1));            /* r6 += 1 */
    n = emit(n, I(0xa5, 6, 0, -3, 1000000));     /* if r6 < 1e6 goto loop */
    n = emit(n, EXIT);
    for (int k = 0; k < CALLEE; k++)             /* f: r0 += 1, 27,000 times */
        n = emit(n, I(0x07, 0, 0, 0, 1));
    n = emit(n, EXIT);
    load(n, NULL, 0, budget);
    /* each round pays 1 (call) + 27,001 (return) + 3 (jump): the fourth return cannot pay */
    uint64_t count = run_both(FC_ERR_BUDGET, n - 1);
    print_message("forward call: %llu instructions executed, budget %u, %u slots\n",
                  (unsigned long long)count, budget, n);
    assert_true(count <= (uint64_t)budget + n);
    assert_true(count >= 4 * (uint64_t)CALLEE); /* and it did run what it paid for */
}

/* The same with the callee first: the call itself goes back and pays it. */
static void call_amplification_backward(void **state)
{
    (void)state;
    uint32_t n = 0, budget = 100000;
    n = emit(n, I(0x05, 0, 0, CALLEE + 1, 0));   /* goto main */
    for (int k = 0; k < CALLEE; k++)             /* f at slot 1 */
        n = emit(n, I(0x07, 0, 0, 0, 1));
    n = emit(n, EXIT);
    uint32_t main_at = n;
    n = emit(n, I(0xb7, 6, 0, 0, 0));
    n = emit(n, I(0x85, 0, 1, 0, (int32_t)(1 - (main_at + 1) - 1)));
    n = emit(n, I(0x07, 6, 0, 0, 1));
    n = emit(n, I(0xa5, 6, 0, -3, 1000000));
    n = emit(n, EXIT);
    load(n, NULL, 0, budget);
    uint64_t count = run_both(FC_ERR_BUDGET, main_at + 1);
    print_message("backward call: %llu instructions executed, budget %u, %u slots\n",
                  (unsigned long long)count, budget, n);
    assert_true(count <= (uint64_t)budget + n);
    assert_true(count >= 3 * (uint64_t)CALLEE);
}

/* A loop of local calls to a short function runs to its end when the budget covers it. */
static void calls_fit_their_budget(void **state)
{
    (void)state;
    uint32_t n = 0;
    n = emit(n, I(0xb7, 6, 0, 0, 0));
    n = emit(n, I(0x85, 0, 1, 0, 3));            /* call f (slot 5) */
    n = emit(n, I(0x07, 6, 0, 0, 1));
    n = emit(n, I(0xa5, 6, 0, -3, 100));         /* 100 rounds */
    n = emit(n, EXIT);
    n = emit(n, I(0x07, 0, 0, 0, 1));            /* f: r0 += 1; exit */
    n = emit(n, EXIT);
    /* a round costs 1 (call) + 5 (exit at 6 back to the call at 1) + 3 (jump) = 9; the last jump is not taken */
    load(n, NULL, 0, 100 * 9 - 3);
    uint64_t r0;
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 100);
    assert_int_equal(vm.left, 0);
    load(n, NULL, 0, 100 * 9 - 4);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    assert_int_equal(vm.pc, 6); /* the last return cannot pay */
}

/* memset(data, 0x5a, len) through the standard helper, then exit */
static uint32_t memset_program(uint32_t len)
{
    uint32_t n = 0;
    n = emit(n, I(0x18, 1, 0, 0, 0));            /* r1 = FC_VADDR(DATA, 0) */
    n = emit(n, I(0x00, 0, 0, 0, FC_REGION_DATA));
    n = emit(n, I(0xb7, 2, 0, 0, 0x5a));
    n = emit(n, I(0xb7, 3, 0, 0, (int32_t)len));
    n = emit(n, I(0x85, 0, 0, 0, FC_HELPER_MEMSET));
    n = emit(n, EXIT);
    return n;
}

/* A large memset pays for its bytes before it touches any (64 MiB of .bss blocked femtod 47 s). */
static void memset_pays_for_its_bytes(void **state)
{
    (void)state;
    const uint32_t size = 1u << 20;
    uint8_t *data = calloc(1, size);
    assert_non_null(data);
    uint64_t r0;
    /* 1 MiB costs 131,072 units: refused with a budget of 10,000, nothing written */
    load(memset_program(size), data, size, 10000);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    assert_int_equal(vm.pc, 4);
    for (uint32_t k = 0; k < size; k++)
        if (data[k] != 0)
            fail_msg("byte %u written by a memset the budget did not cover", k);
    /* 64 KiB costs 8,192 units: fits, and the budget left says so */
    load(memset_program(64u << 10), data, size, 10000);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(vm.left, 10000 - 1 - 8192);
    assert_int_equal(data[0], 0x5a);
    assert_int_equal(data[(64u << 10) - 1], 0x5a);
    assert_int_equal(data[64u << 10], 0);
    /* the same 64 KiB with one unit too few */
    load(memset_program(64u << 10), data, size, 8192);
    memset(data, 0, size);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    assert_int_equal(data[0], 0);
    free(data);
}

/* memcpy and memcmp pay for their length too; a printf of an unterminated string stops paying. */
static void helpers_pay(void **state)
{
    (void)state;
    const uint32_t size = 1u << 16;
    uint8_t *data = calloc(1, size);
    assert_non_null(data);
    uint64_t r0;
    uint32_t n = 0;
    n = emit(n, I(0x18, 1, 0, 0, 0));
    n = emit(n, I(0x00, 0, 0, 0, FC_REGION_DATA));
    n = emit(n, I(0xbf, 2, 1, 0, 0));
    n = emit(n, I(0x07, 2, 0, 0, 32768));        /* r2 = data + 32 KiB */
    n = emit(n, I(0xb7, 3, 0, 0, 32768));
    n = emit(n, I(0x85, 0, 0, 0, FC_HELPER_MEMCPY));
    n = emit(n, EXIT);
    load(n, data, size, 4096);                   /* 32 KiB costs 4,096: one short with the call */
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    load(n, data, size, 4097);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(vm.left, 0);
    fc_insn_encode(code + 8 * 5, I(0x85, 0, 0, 0, FC_HELPER_MEMCMP));
    load(n, data, size, 4096);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    load(n, data, size, 4097);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(call_amplification_forward),
        cmocka_unit_test(call_amplification_backward),
        cmocka_unit_test(calls_fit_their_budget),
        cmocka_unit_test(memset_pays_for_its_bytes),
        cmocka_unit_test(helpers_pay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
