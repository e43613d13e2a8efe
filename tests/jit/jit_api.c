/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JIT's API: argument errors, a buffer too small at every size below
 * what the program needs, enable refusing code of another program, the
 * interpreter back after fc_jit_disable() and fc_vm_specialise(), the
 * runtime compiling by default where the port gives code memory, and W^X:
 * while compiled code runs, no mapping of the process is writable and
 * executable at once, and the code sits in a read-execute mapping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fc/code_posix.h"
#include "fc/fc.h"
#include "fc/jit.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"

static uint8_t code[16 * 8];
static uint64_t stack[64];
static fc_region_t regions[3];
static fc_vm_t vm;

/* r0 = 7; r1 = 0; loop: r0 += 3; r1 += 1; if r1 < 5 goto loop; *(u64 *)(r10 - 8) = r0; r0 = *(r10 - 8); exit */
static void load(void)
{
    const fc_insn_t p[] = {
        { 0xb7, 0, 0, 0, 7 }, { 0xb7, 1, 0, 0, 0 }, { 0x07, 0, 0, 0, 3 }, { 0x07, 1, 0, 0, 1 },
        { 0xa5, 1, 0, -3, 5 }, { 0x7b, 10, 0, -8, 0 }, { 0x79, 0, 10, -8, 0 }, { 0x95, 0, 0, 0, 0 },
    };
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
        fc_insn_encode(code + 8 * k, p[k]);
    memset(stack, 0, sizeof stack);
    regions[2] = (fc_region_t){ (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE };
    assert_int_equal(fc_vm_init(&vm, code, 8 * (sizeof p / sizeof p[0]), regions, 3, NULL), FC_OK);
    assert_int_equal(fc_vm_verify(&vm, NULL), FC_OK);
}

static void api_errors(void **state)
{
    (void)state;
    static uint64_t buf[8192];
    size_t used = 1;
    load();
    assert_true(FC_JIT);
    assert_int_equal(fc_jit_compile(NULL, (uint8_t *)buf, sizeof buf, &used), FC_ERR_INVAL);
    assert_int_equal(used, 0);
    assert_int_equal(fc_jit_compile(&vm, NULL, sizeof buf, &used), FC_ERR_INVAL);
    assert_int_equal(fc_jit_compile(&vm, (uint8_t *)buf + 1, sizeof buf - 8, &used), FC_ERR_INVAL);
    assert_int_equal(fc_jit_code_bound(NULL), 0);
    fc_vm_t raw = vm;
    raw.verified = 0;
    assert_int_equal(fc_jit_code_bound(&raw), 0);
    assert_int_equal(fc_jit_compile(&raw, (uint8_t *)buf, sizeof buf, &used), FC_ERR_NOT_VERIFIED);
    size_t bound = fc_jit_code_bound(&vm);
    assert_true(bound > 0 && bound <= sizeof buf);
    assert_int_equal(fc_jit_compile(&vm, (uint8_t *)buf, bound, &used), FC_OK);
    assert_true(used > 0 && used <= bound);
    /* every smaller buffer is refused, none is overrun (the canary past it stays) */
    static uint64_t small[8192 + 1];
    for (size_t cap = 0; cap < used; cap += 8) {
        memset(small, 0x5a, sizeof small);
        assert_int_equal(fc_jit_compile(&vm, (uint8_t *)small, cap, NULL), FC_ERR_NOMEM);
        for (size_t k = cap; k < used && k < sizeof small; k++)
            assert_int_equal(((uint8_t *)small)[k], 0x5a);
    }
    /* code compiled from another program is refused */
    uint8_t other[sizeof code];
    memcpy(other, code, sizeof other);
    fc_vm_t vm2;
    assert_int_equal(fc_vm_init(&vm2, other, 8 * 8, regions, 3, NULL), FC_OK);
    assert_int_equal(fc_vm_verify(&vm2, NULL), FC_OK);
    assert_int_equal(fc_jit_enable(&vm2, buf), FC_ERR_INVAL);
    assert_int_equal(fc_jit_enable(&vm2, NULL), FC_ERR_INVAL);
    uint64_t zero[8] = { 0 };
    assert_int_equal(fc_jit_enable(&vm, zero), FC_ERR_INVAL);
    assert_int_equal(fc_jit_enable(&raw, buf), FC_ERR_NOT_VERIFIED);
}

static void runs_and_falls_back(void **state)
{
    (void)state;
    const void *x = NULL;
    uint64_t r0 = 0;
    load();
    assert_int_equal(fc_code_posix_jit(&vm, &x, NULL), FC_OK);
    assert_true(vm.verified & FC_VERIFIED_JIT);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 7 + 5 * 3);
    /* the loop's back edge ran four times, 3 units each */
    assert_int_equal(vm.left, FC_BUDGET_DEFAULT - 12);
    vm.budget = 5; /* two back edges: the third faults at slot 4 */
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_ERR_BUDGET);
    assert_int_equal(vm.pc, 4);
    assert_int_equal(vm.left, 0);
    vm.budget = FC_BUDGET_DEFAULT;
    fc_jit_disable(&vm);
    assert_false(vm.verified & FC_VERIFIED_JIT);
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 22);
    assert_int_equal(fc_jit_enable(&vm, x), FC_OK);
    static uint8_t fast[sizeof code];
    assert_int_equal(fc_vm_specialise(&vm, fast, sizeof fast), FC_OK);
    assert_false(vm.verified & FC_VERIFIED_JIT); /* the specialised copy runs now */
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 22);
    assert_int_equal(fc_jit_enable(&vm, x), FC_OK);
    assert_int_equal(fc_vm_verify(&vm, NULL), FC_OK);
    assert_false(vm.verified & FC_VERIFIED_JIT);
    fc_code_posix_free(NULL, x);
}

/* entered at a slot compiled with the one before it: the interpreter's result */
static void entry_inside_fused_code(void **state)
{
    (void)state;
    /* r0 = r1; r0 += r2 (one lea); r3 = r0; r3 += -7; if r3 == 0 goto +1 (flags of the add); r0 = 9; exit */
    const fc_insn_t p[] = {
        { 0xbf, 0, 1, 0, 0 }, { 0x0f, 0, 2, 0, 0 }, { 0xbf, 3, 0, 0, 0 }, { 0x07, 3, 0, 0, -7 },
        { 0x15, 3, 0, 1, 0 }, { 0xb7, 0, 0, 0, 9 }, { 0x95, 0, 0, 0, 0 },
    };
    uint8_t prog[sizeof p / sizeof p[0] * 8];
    for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
        fc_insn_encode(prog + 8 * k, p[k]);
    fc_vm_t v;
    regions[2] = (fc_region_t){ (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE };
    assert_int_equal(fc_vm_init(&v, prog, sizeof prog, regions, 3, NULL), FC_OK);
    assert_int_equal(fc_vm_verify(&v, NULL), FC_OK);
    uint64_t want[7], got = 0;
    for (uint32_t e = 0; e < 7; e++) {
        want[e] = 0;
        assert_int_equal(fc_vm_run(&v, e, 3, 4, &want[e]), FC_OK);
    }
    const void *x = NULL;
    assert_int_equal(fc_code_posix_jit(&v, &x, NULL), FC_OK);
    for (uint32_t e = 0; e < 7; e++) {
        assert_int_equal(fc_vm_run(&v, e, 3, 4, &got), FC_OK);
        assert_int_equal(got, want[e]);
        assert_true(v.verified & FC_VERIFIED_JIT); /* still compiled after an interpreted entry */
    }
    assert_int_equal(want[0], 7);  /* 3 + 4, then r3 == 0: r0 stays */
    assert_int_equal(want[1], 9);  /* from slot 1: r0 = 0 + 4, r3 = -3: r0 = 9 */
    fc_code_posix_free(NULL, x);
}

/* code memory that is never there: the runtime falls back to the interpreter */
static void *no_code(void *ctx, size_t len)
{
    (void)ctx;
    (void)len;
    return NULL;
}

/* the runtime's default: a port with code memory runs the JIT, one without interprets, same results */
static void runtime_default(void **state)
{
    (void)state;
    /* r0 = *(u32 *)(r1 + 0) + 1; *(u32 *)(r1 + 0) = r0; exit */
    const fc_insn_t p[] = { { 0x61, 0, 1, 0, 0 }, { 0x04, 0, 0, 0, 1 }, { 0x63, 1, 0, 0, 0 },
                            { 0x95, 0, 0, 0, 0 } };
    static uint8_t prog[4 * 8];
    for (size_t k = 0; k < 4; k++)
        fc_insn_encode(prog + 8 * k, p[k]);
    for (int variant = 0; variant < 3; variant++) {
        static fc_port_posix_t pst;
        static fc_port_null_t nst;
        static fc_port_t port;
        static fc_rt_t rt;
        static fc_store_entry_t global[4], pool[4];
        static fc_tenant_t t;
        static fc_container_t c;
        static uint8_t ram[64];
        static uint64_t st[64];
        if (variant == 0)
            assert_int_equal(fc_port_posix_init(&pst, &port, NULL, NULL, 0), FC_OK);
        else
            fc_port_null_init(&nst, &port, NULL, 0, NULL, 0);
        if (variant == 2) { /* the POSIX calls but no memory to give */
            port.code_alloc = no_code;
            port.code_seal = fc_code_posix_seal;
            port.code_free = fc_code_posix_free;
        }
        assert_int_equal(fc_rt_init(&rt, &port, global, 4, pool, 4, NULL), FC_OK);
        assert_int_equal(fc_tenant_add(&rt, &t, 1, "t", 0, 4), FC_OK);
        assert_int_equal(fc_container_load_code(&c, &t, prog, sizeof prog, ram, sizeof ram,
                                                (uint8_t *)st, sizeof st, NULL, 0, NULL), FC_OK);
        /* compiled exactly when the port gave code memory */
        assert_int_equal((c.vm.verified & FC_VERIFIED_JIT) != 0, variant == 0);
        uint32_t word = 41;
        uint64_t r0 = 0;
        assert_int_equal(fc_container_run(&c, 0, &word, sizeof word, FC_MEM_READ | FC_MEM_WRITE, &r0), FC_OK);
        assert_int_equal(r0, 42);
        assert_int_equal(word, 42);
        /* a read-only context: the store faults, with the interpreter's code */
        assert_int_equal(fc_container_run(&c, 0, &word, sizeof word, FC_MEM_READ, &r0), FC_ERR_MEM_PERM);
        assert_int_equal(word, 42);
        assert_int_equal(fc_container_remove(&c), FC_OK);
        if (variant == 0)
            fc_port_posix_fini(&pst);
    }
}

/* W^X: no mapping writable and executable; the code in an r-x one */
static void w_xor_x(void **state)
{
    (void)state;
    const void *x = NULL;
    load();
    assert_int_equal(fc_code_posix_jit(&vm, &x, NULL), FC_OK);
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        char perm[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perm) != 3)
            continue;
        assert_false(perm[1] == 'w' && perm[2] == 'x');
        if ((uintptr_t)x >= lo && (uintptr_t)x < hi) {
            found = 1;
            assert_true(perm[0] == 'r' && perm[1] == '-' && perm[2] == 'x');
        }
    }
    fclose(f);
    assert_true(found);
    uint64_t r0 = 0;
    assert_int_equal(fc_vm_run(&vm, 0, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 22);
    fc_code_posix_free(NULL, x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api_errors),
        cmocka_unit_test(runs_and_falls_back),
        cmocka_unit_test(entry_inside_fused_code),
        cmocka_unit_test(runtime_default),
        cmocka_unit_test(w_xor_x),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
