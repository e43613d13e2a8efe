/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's promises, each with a result that could be wrong: the
 * thread-counter scenario, tenant isolation and capabilities, every hook
 * policy, detach, full stores, faults beside healthy containers, helpers
 * given bad pointers, and hooks fired from a second thread (POSIX port).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "asm.h"
#include "fc/helpers.h"
#include "imgw.h"
#include "fc/hook.h"
#include "fc/jit.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"

/* One container with its memory. */
typedef struct {
    fc_container_t c;
    uint8_t code[64 * 8];
    size_t len;
    uint8_t ram[64];
    uint8_t stack[512];
    fc_store_entry_t local[8];
} box_t;

static fc_port_null_t pst;
static fc_port_t port;
static char logbuf[1024];
static fc_port_sensor_t sensors[2];
static fc_rt_t rt;
static fc_store_entry_t global_e[16];
static fc_store_entry_t pool_e[32];
static fc_tenant_t ta, tb;
static box_t boxes[4];
static fc_verify_info_t info;

static int setup(void **state)
{
    (void)state;
    memset(boxes, 0, sizeof boxes);
    sensors[0] = (fc_port_sensor_t){ "button", { 1, 0, FC_UNIT_BOOL, FC_SENSOR_BUTTON } };
    sensors[1] = (fc_port_sensor_t){ "temp", { 215, -1, FC_UNIT_CELSIUS, FC_SENSOR_TEMP } };
    fc_port_null_init(&pst, &port, logbuf, sizeof logbuf, sensors, 2);
    assert_int_equal(fc_rt_init(&rt, &port, global_e, 16, pool_e, 32, NULL), FC_OK);
    assert_int_equal(fc_tenant_add(&rt, &ta, 1, "alice", FC_CAP_STANDARD, 8), FC_OK);
    assert_int_equal(fc_tenant_add(&rt, &tb, 2, "bob", FC_CAP_STORE_TENANT | FC_CAP_STORE_LOCAL, 4),
                     FC_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    /* every runtime call balanced its lock */
    assert_int_equal(pst.lock_depth, 0);
    return 0;
}

static int load(box_t *b, fc_tenant_t *t)
{
    return fc_container_load_code(&b->c, t, b->code, b->len, b->ram, sizeof b->ram, b->stack,
                                  sizeof b->stack, b->local, 8, &info);
}

/* ctx = {u32 previous, u32 next}: count one switch into `next` with the given store helpers. */
static void prog_counter(box_t *b, int32_t get, int32_t put)
{
    b->len = ASM(b->code, LDXW(6, 1, 4), STDW(10, -8, 0), MOV64X(1, 6), MOV64X(2, 10),
                 ADD64K(2, -8), CALL(get), LDXDW(2, 10, -8), ADD64K(2, 1), MOV64X(1, 6),
                 CALL(put), EXIT);
}

static void prog_const(box_t *b, int32_t k)
{
    b->len = ASM(b->code, MOV64K(0, k), EXIT);
}

/* Returns k after counting its run in the global store under key. */
static void prog_count_global(box_t *b, int32_t key, int32_t k)
{
    b->len = ASM(b->code, STDW(10, -8, 0), MOV64K(1, key), MOV64X(2, 10), ADD64K(2, -8),
                 CALL(FC_HELPER_STORE_GET_GLOBAL), LDXDW(2, 10, -8), ADD64K(2, 1),
                 MOV64K(1, key), CALL(FC_HELPER_STORE_PUT_GLOBAL), MOV64K(0, k), EXIT);
}

/* Loads through a NULL pointer at slot 1. */
static void prog_fault(box_t *b)
{
    b->len = ASM(b->code, MOV64K(1, 0), LDXDW(0, 1, 0), EXIT);
}

typedef struct {
    uint64_t count[8];
    unsigned n;
} tally_t;

static int tally(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    (void)ns;
    tally_t *t = arg;
    if (key < 8)
        t->count[key] = value;
    t->n++;
    return 0;
}

/* ---- the thread counter of the talk ---- */

static void thread_counter_scope(int32_t get, int32_t put, uint32_t cap)
{
    fc_hook_t sched;
    assert_int_equal(fc_hook_init(&sched, &rt, "sched_switch", FC_POLICY_ALL, FC_MEM_READ, cap,
                                  10000),
                     FC_OK);
    prog_counter(&boxes[0], get, put);
    assert_int_equal(load(&boxes[0], &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&sched, &boxes[0].c, 0, 0, &info), FC_OK);

    uint64_t expect[8] = { 0 };
    uint32_t ctx[2] = { 0, 0 }, x = 12345;
    for (int i = 0; i < 2000; i++) {
        x = x * 1103515245u + 12345u;
        ctx[0] = ctx[1];
        ctx[1] = (x >> 16) % 5;
        expect[ctx[1]]++;
        fc_hook_result_t res;
        assert_int_equal(fc_hook_fire(&sched, ctx, sizeof ctx, &res), 1);
        assert_int_equal(res.faults, 0);
        assert_int_equal(res.r0, 0);
    }
    tally_t t = { { 0 }, 0 };
    if (cap == FC_CAP_STORE_TENANT)
        assert_int_equal(fc_tenant_foreach(&ta, tally, &t), 0);
    else if (cap == FC_CAP_STORE_LOCAL)
        assert_int_equal(fc_container_foreach(&boxes[0].c, tally, &t), 0);
    else
        assert_int_equal(fc_rt_global_foreach(&rt, tally, &t), 0);
    assert_int_equal(t.n, 5);
    for (int k = 0; k < 5; k++)
        assert_int_equal(t.count[k], expect[k]);
    /* the other tenant sees none of it */
    t.n = 0;
    assert_int_equal(fc_tenant_foreach(&tb, tally, &t), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(fc_container_remove(&boxes[0].c), FC_OK);
    assert_int_equal(fc_hook_remove(&sched), FC_OK);
}

static void test_thread_counter_tenant(void **state)
{
    (void)state;
    thread_counter_scope(FC_HELPER_STORE_GET_TENANT, FC_HELPER_STORE_PUT_TENANT, FC_CAP_STORE_TENANT);
}

static void test_thread_counter_local(void **state)
{
    (void)state;
    thread_counter_scope(FC_HELPER_STORE_GET_LOCAL, FC_HELPER_STORE_PUT_LOCAL, FC_CAP_STORE_LOCAL);
}

static void test_thread_counter_global(void **state)
{
    (void)state;
    thread_counter_scope(FC_HELPER_STORE_GET_GLOBAL, FC_HELPER_STORE_PUT_GLOBAL, FC_CAP_STORE_GLOBAL);
}

/* ---- tenants ---- */

/* Limits before memory: an image's .data + .bss + stack against the caller's limit, from the header alone. */
static void test_ram_needs(void **state)
{
    (void)state;
    static uint8_t text[16], buf[4096];
    fc_insn_encode(text, (fc_insn_t){ 0xb7, 0, 0, 0, 0 });
    fc_insn_encode(text + 8, (fc_insn_t){ 0x95, 0, 0, 0, 0 });
    fc_image_t img;
    fc_ram_needs_t need;
    size_t len = imgw_write(buf, sizeof buf, "main", text, 16, 1000, 2048);
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_ram_needs(&img, 3048, 512, &need), FC_OK);
    assert_int_equal(need.ram, 1000);
    assert_int_equal(need.stack, 2048);
    assert_int_equal(fc_container_ram_needs(&img, 3047, 512, &need), FC_ERR_QUOTA);
    assert_int_equal(fc_container_ram_needs(&img, 1u << 20, 4096, &need), FC_OK); /* the caller's floor */
    assert_int_equal(need.stack, 4096);
    assert_int_equal(fc_container_ram_needs(NULL, 1, 0, &need), FC_ERR_INVAL);
    /* a 4 GiB .bss is refused by the numbers: nothing to allocate, nothing zeroed */
    len = imgw_write(buf, sizeof buf, "main", text, 16, UINT32_MAX - 8, 512);
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_ram_needs(&img, UINT32_MAX, 512, &need), FC_ERR_QUOTA);
    assert_int_equal(need.ram, UINT32_MAX - 8);
}

/*
 * Limits before memory in the library: fc_container_load() checks the
 * memory it is given against what the header declares before it copies or
 * zeroes anything, so a caller that allocates by fc_container_ram_needs()
 * and one that hands fixed buffers (the RIOT port) are both safe.
 */
static void test_load_limits_first(void **state)
{
    (void)state;
    static uint8_t text[16], buf[4096], ram[64], stack[512];
    static fc_store_entry_t local[4];
    fc_insn_encode(text, (fc_insn_t){ 0xb7, 0, 0, 0, 0 });
    fc_insn_encode(text + 8, (fc_insn_t){ 0x95, 0, 0, 0, 0 });
    fc_image_t img;
    fc_container_t c;
    memset(ram, 0xa5, sizeof ram);
    memset(stack, 0x5a, sizeof stack);
    memset(local, 0xee, sizeof local);
    /* a 4 GiB - 8 .bss into 64 bytes: FC_ERR_NOMEM, nothing written */
    size_t len = imgw_write(buf, sizeof buf, "main", text, 16, UINT32_MAX - 8, 512);
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, sizeof ram, stack, sizeof stack, local, 4, &info),
                     FC_ERR_NOMEM);
    assert_int_equal(info.err, FC_ERR_NOMEM);
    assert_int_equal(fc_container_run(&c, 0, NULL, 0, 0, NULL), FC_ERR_INVAL); /* nothing loaded */
    /* a 4 GiB - 16 stack declared, 512 B given: FC_ERR_STACK, its 32 B of .bss not zeroed */
    len = imgw_write(buf, sizeof buf, "main", text, 16, 32, 0xfffffff0u);
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, sizeof ram, stack, sizeof stack, local, 4, &info),
                     FC_ERR_STACK);
    /* more local entries than a container counts (16 bits): refused before they are cleared */
    len = imgw_write(buf, sizeof buf, "main", text, 16, 32, 512);
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, 32, stack, sizeof stack, local, 70000, &info),
                     FC_ERR_INVAL);
    for (size_t k = 0; k < sizeof ram; k++)
        assert_int_equal(ram[k], 0xa5);
    for (size_t k = 0; k < sizeof stack; k++)
        assert_int_equal(stack[k], 0x5a);
    for (size_t k = 0; k < sizeof local; k++)
        assert_int_equal(((const uint8_t *)local)[k], 0xee);
    /* what fits loads: DATA (32 B) zeroed, the rest of the buffer never touched */
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, 32, stack, sizeof stack, local, 4, &info), FC_OK);
    for (size_t k = 0; k < sizeof ram; k++)
        assert_int_equal(ram[k], k < 32 ? 0 : 0xa5);
    uint64_t r0 = 1;
    assert_int_equal(fc_container_run(&c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 0);
    assert_int_equal(fc_container_remove(&c), FC_OK);
}

/*
 * The image's entry table reaches the verifier (fc_vm_verify_entries): an
 * entry that is neither slot 0 nor a call target starts its own function,
 * so its call of the function before it is not read as recursion and the
 * stack is what two frames need.
 */
static void test_load_entries_are_functions(void **state)
{
    (void)state;
    static uint8_t text[8 * 8], buf[4096], ram[16], stack[16];
    /* a: call f; f: store, r0 = 7; g (slot 5, no call target): call f, r0 += 1 */
    size_t n = ASM(text, I(0x85, 0, 1, 0, 1), EXIT, I(0x72, 10, 0, -8, 1), MOV64K(0, 7), EXIT,
                   I(0x85, 0, 1, 0, -4), ADD64K(0, 1), EXIT);
    size_t len = imgw_write2(buf, sizeof buf, "a", text, (uint32_t)n, 0, sizeof stack, "g", 5);
    fc_image_t img;
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(img.nentries, 2);
    fc_container_t c;
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, sizeof ram, stack, sizeof stack, NULL, 0, &info),
                     FC_OK);
    assert_int_equal(info.functions, 3);
    assert_int_equal(info.stack, 16); /* two 8-byte frames, not FC_CALL_DEPTH_MAX + 1 */
    assert_false(info.recursive);
    uint64_t r0 = 0;
    assert_int_equal(fc_container_run(&c, 5, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 8);
    assert_int_equal(fc_container_run(&c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 7);
    assert_int_equal(fc_container_remove(&c), FC_OK);
}

/*
 * The fastest engine by default: RAM past the DATA region holds the
 * specialised copy, which attach and detach keep (O(1) capability checks),
 * and results are those of the raw code.
 */
static void test_fast_by_default(void **state)
{
    (void)state;
    static uint8_t text[64 * 8], buf[4096], ram[16 + 64 * 8 + 7], stack[512];
    /* r0 = sum of 1..100 through a loop, and a call of now_ms (FC_CAP_TIME) */
    size_t n = ASM(text, MOV64K(0, 0), MOV64K(1, 0), ADD64K(1, 1), I(0x0f, 0, 1, 0, 0),
                   I(0xa5, 1, 0, -3, 100), MOV64X(6, 0), CALL(FC_HELPER_NOW_MS), MOV64X(0, 6), EXIT);
    size_t len = imgw_write(buf, sizeof buf, "main", text, (uint32_t)n, 16, 512);
    fc_image_t img;
    fc_ram_needs_t need;
    assert_int_equal(fc_image_parse(&img, buf, len), FC_OK);
    assert_int_equal(fc_container_ram_needs(&img, 1u << 20, 512, &need), FC_OK);
    assert_int_equal(need.ram, 16);
    assert_true(need.ram + need.fast <= sizeof ram);
    fc_container_t c;
    uint64_t r0 = 0;
    /* DATA only: the raw code */
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, need.ram, stack, sizeof stack, NULL, 0, &info), FC_OK);
    assert_null(c.vm.fast);
    assert_int_equal(c.vm.caps, FC_CAP_TIME); /* granted what it needs, not all the tenant's */
    assert_null(c.vm.regions);                /* the region table lives for one run only */
    assert_int_equal(fc_container_run(&c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 5050);
    assert_int_equal(fc_container_remove(&c), FC_OK);
    /* with room for the copy: specialised, outside the DATA region the program reaches */
    assert_int_equal(fc_container_load(&c, &ta, &img, ram, need.ram + need.fast, stack, sizeof stack,
                                       NULL, 0, &info), FC_OK);
    const uint8_t *fast = c.vm.fast;
    assert_non_null(fast);
    assert_true(fast >= ram + need.ram && fast + 8 * c.vm.nslots <= ram + sizeof ram);
    assert_int_equal(c.len[FC_REGION_DATA - 1], 16);
    r0 = 0;
    assert_int_equal(fc_container_run(&c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 5050);
    /* attach, fire, detach: the copy stays, capabilities follow the hook */
    fc_hook_t h, none;
    assert_int_equal(fc_hook_init(&h, &rt, "timer", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_TIME, 10000), FC_OK);
    assert_int_equal(fc_hook_init(&none, &rt, "bare", FC_POLICY_ALL, FC_MEM_READ, 0, 10000), FC_OK);
    assert_int_equal(fc_hook_attach(&none, &c, 0, 0, &info), FC_ERR_HELPER_PERM);
    assert_int_equal(info.pc, 6); /* the refusal still names the call */
    assert_ptr_equal(c.vm.fast, fast);
    assert_int_equal(fc_hook_attach(&h, &c, 0, 0, &info), FC_OK);
    assert_ptr_equal(c.vm.fast, fast);
    assert_int_equal(c.vm.caps, FC_CAP_TIME);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.r0, 5050);
    assert_int_equal(fc_hook_detach(&h, &c), FC_OK);
    assert_ptr_equal(c.vm.fast, fast);
    assert_int_equal(c.vm.caps, FC_CAP_TIME);
    assert_int_equal(fc_hook_detach(&h, &c), FC_ERR_NOENT);
    /* removing clears the copy with the rest of the caller's memory */
    assert_int_equal(fc_container_remove(&c), FC_OK);
    for (size_t k = 0; k < sizeof ram; k++)
        assert_int_equal(ram[k], 0);
}

/* A budget per hook and per tenant: a run gets the smaller; the tenant's follows it onto any hook. */
static void test_tenant_budget(void **state)
{
    (void)state;
    fc_hook_t h;
    assert_int_equal(fc_hook_init(&h, &rt, "loop", FC_POLICY_ALL, FC_MEM_READ, 0, 10000), FC_OK);
    box_t *b = &boxes[0];
    /* 100 rounds of a 2-slot loop: 200 units */
    b->len = ASM(b->code, MOV64K(0, 0), ADD64K(0, 1), I(0x55, 0, 0, -2, 100), EXIT);
    assert_int_equal(load(b, &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&h, &b->c, 0, 0, &info), FC_OK);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.faults, 0);
    assert_int_equal(res.r0, 100);
    assert_int_equal(fc_tenant_set_budget(&ta, 150), FC_OK);
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.faults, 1);
    assert_int_equal(res.fault.err, FC_ERR_BUDGET);
    uint64_t r0;
    b->c.vm.budget = 5000;
    assert_int_equal(fc_container_run(&b->c, 0, NULL, 0, 0, &r0), FC_ERR_BUDGET); /* direct runs too */
    assert_int_equal(b->c.vm.budget, 5000);                                     /* the cap is not kept */
    assert_int_equal(fc_tenant_set_budget(&ta, 200), FC_OK); /* exactly enough (the last jump is not taken) */
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.faults, 0);
    assert_int_equal(fc_tenant_set_budget(&ta, 0), FC_OK);
    assert_int_equal(fc_tenant_set_budget(NULL, 1), FC_ERR_INVAL);
    assert_int_equal(fc_hook_detach(&h, &b->c), FC_OK);
}

static void test_tenant_ids(void **state)
{
    (void)state;
    fc_tenant_t dup, zero;
    assert_int_equal(fc_tenant_add(&rt, &dup, 1, "mallory", FC_CAP_STANDARD, 100), FC_ERR_EXISTS);
    assert_int_equal(fc_tenant_add(&rt, &zero, 0, "zero", 0, 1), FC_ERR_INVAL);
    assert_ptr_equal(fc_rt_tenant(&rt, 2), &tb);
    assert_null(fc_rt_tenant(&rt, 3));
}

/* Program: put (key 1, value v) into the tenant store, return the helper's result. */
static void prog_put_tenant(box_t *b, int32_t key, int32_t v)
{
    b->len = ASM(b->code, MOV64K(1, key), MOV64K(2, v), CALL(FC_HELPER_STORE_PUT_TENANT), EXIT);
}

/* Program: get key from the tenant store; returns the value, or the error when absent. */
static void prog_get_tenant(box_t *b, int32_t key)
{
    b->len = ASM(b->code, STDW(10, -8, 0), MOV64K(1, key), MOV64X(2, 10), ADD64K(2, -8),
                 CALL(FC_HELPER_STORE_GET_TENANT), I(0x55, 0, 0, 1, 0) /* if r0 != 0 skip */,
                 LDXDW(0, 10, -8), EXIT);
}

static void test_tenant_isolation(void **state)
{
    (void)state;
    uint64_t r0, v;
    prog_put_tenant(&boxes[0], 7, 100);
    assert_int_equal(load(&boxes[0], &ta), FC_OK);
    assert_int_equal(fc_container_run(&boxes[0].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 0);

    /* bob reads key 7: his namespace has none */
    prog_get_tenant(&boxes[1], 7);
    assert_int_equal(load(&boxes[1], &tb), FC_OK);
    assert_int_equal(fc_container_run(&boxes[1].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal((int64_t)r0, FC_ERR_NOENT);

    /* bob writes key 7: his own value, alice's is untouched */
    prog_put_tenant(&boxes[2], 7, 666);
    assert_int_equal(load(&boxes[2], &tb), FC_OK);
    assert_int_equal(fc_container_run(&boxes[2].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(fc_tenant_get(&ta, 7, &v), FC_OK);
    assert_int_equal(v, 100);
    assert_int_equal(fc_tenant_get(&tb, 7, &v), FC_OK);
    assert_int_equal(v, 666);
    assert_int_equal(fc_container_run(&boxes[1].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 666);

    /* bob cannot reach alice's container memory: only his own four regions exist */
    box_t *p = &boxes[3];
    p->len = ASM(p->code, LDDW(1, FC_VADDR(FC_REGION_EXTRA, 0)), LDXDW(0, 1, 0), EXIT);
    assert_int_equal(load(p, &tb), FC_OK);
    assert_int_equal(fc_container_run(&p->c, 0, NULL, 0, 0, &r0), FC_ERR_MEM);

    /* a tenant with containers cannot be removed; without, its values go */
    assert_int_equal(fc_tenant_remove(&tb), FC_ERR_BUSY);
    for (int i = 1; i < 4; i++)
        assert_int_equal(fc_container_remove(&boxes[i].c), FC_OK);
    assert_int_equal(fc_tenant_remove(&tb), FC_OK);
    assert_int_equal(fc_store_count(&rt.pool, 2), 0);
    assert_int_equal(fc_tenant_get(&ta, 7, &v), FC_OK);
    assert_int_equal(v, 100);
}

static void test_tenant_quota(void **state)
{
    (void)state;
    uint64_t r0;
    /* bob (quota 4) fills his quota; the fifth new key is refused, overwrites still work */
    for (int32_t k = 0; k < 6; k++) {
        prog_put_tenant(&boxes[0], k, k + 10);
        assert_int_equal(load(&boxes[0], &tb), FC_OK);
        assert_int_equal(fc_container_run(&boxes[0].c, 0, NULL, 0, 0, &r0), FC_OK);
        assert_int_equal((int64_t)r0, k < 4 ? FC_OK : FC_ERR_QUOTA);
        assert_int_equal(fc_container_remove(&boxes[0].c), FC_OK);
    }
    assert_int_equal(tb.used, 4);
    prog_put_tenant(&boxes[0], 3, 99);
    assert_int_equal(load(&boxes[0], &tb), FC_OK);
    assert_int_equal(fc_container_run(&boxes[0].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 0);
    /* alice is not affected by bob's exhaustion */
    assert_int_equal(fc_tenant_put(&ta, 3, 1), FC_OK);
    assert_int_equal(fc_store_count(&rt.pool, 1), 1);
    assert_int_equal(fc_store_count(&rt.pool, 2), 4);
}

static void test_pool_full(void **state)
{
    (void)state;
    /* quotas above the pool's size: the pool fills and says so, nothing is corrupted */
    fc_tenant_t big;
    assert_int_equal(fc_tenant_add(&rt, &big, 9, "big", FC_CAP_STANDARD, 1000), FC_OK);
    int err = FC_OK;
    uint32_t k = 0;
    for (; k < 100 && err == FC_OK; k++)
        err = fc_tenant_put(&big, k, k * 3u);
    assert_int_equal(err, FC_ERR_FULL);
    assert_int_equal(big.used, 32);
    assert_int_equal(fc_store_count(&rt.pool, 0), 32);
    for (uint32_t i = 0; i < 32; i++) {
        uint64_t v;
        assert_int_equal(fc_tenant_get(&big, i, &v), FC_OK);
        assert_int_equal(v, i * 3u);
    }
    /* overwrite of an existing key still works when full; a missing key is just absent */
    assert_int_equal(fc_tenant_put(&big, 5, 1), FC_OK);
    assert_int_equal(fc_tenant_get(&big, 1000, NULL), FC_ERR_NOENT);
    assert_int_equal(fc_store_count(&rt.pool, 0), 32);
    /* a container sees FULL as a value it can test */
    prog_put_tenant(&boxes[0], 4242, 1);
    assert_int_equal(load(&boxes[0], &ta), FC_OK);
    uint64_t r0;
    assert_int_equal(fc_container_run(&boxes[0].c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal((int64_t)r0, FC_ERR_FULL);
}

/* ---- capabilities ---- */

static void test_caps_at_load(void **state)
{
    (void)state;
    /* bob lacks FC_CAP_RANDOM: the container is refused at the call's slot */
    box_t *b = &boxes[0];
    b->len = ASM(b->code, MOV64K(0, 0), CALL(FC_HELPER_RANDOM_U32), EXIT);
    assert_int_equal(load(b, &tb), FC_ERR_HELPER_PERM);
    assert_int_equal(info.err, FC_ERR_HELPER_PERM);
    assert_int_equal(info.pc, 1);
    assert_int_equal(tb.ncontainers, 0);
    /* nor global store access */
    prog_count_global(b, 1, 0);
    assert_int_equal(load(b, &tb), FC_ERR_HELPER_PERM);
    assert_int_equal(info.pc, 4);
    /* an unknown helper id is not a permission matter */
    b->len = ASM(b->code, CALL(FC_HELPER_FIRMWARE_BASE + 7), EXIT);
    assert_int_equal(load(b, &ta), FC_ERR_HELPER);
}

static void test_caps_at_attach(void **state)
{
    (void)state;
    fc_hook_t h;
    assert_int_equal(fc_hook_init(&h, &rt, "timer", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_TIME, 1000),
                     FC_OK);
    /* alice may log, the hook does not grant it: attach refused, naming the call */
    box_t *b = &boxes[0];
    b->len = ASM(b->code, LDDW(1, FC_VADDR(FC_REGION_STACK, 0)), CALL(FC_HELPER_NOW_MS),
                 CALL(FC_HELPER_PRINTF), EXIT);
    assert_int_equal(load(b, &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&h, &b->c, 0, 0, &info), FC_ERR_HELPER_PERM);
    assert_int_equal(info.pc, 3);
    assert_non_null(info.reason);
    assert_int_equal(h.count, 0);
    assert_int_equal(b->c.state, FC_CONTAINER_LOADED);
    assert_int_equal(b->c.vm.caps, FC_CAP_TIME | FC_CAP_LOG); /* what it needs, left as it was */
    /* a container that needs only time attaches, with the intersection */
    b = &boxes[1];
    b->len = ASM(b->code, CALL(FC_HELPER_NOW_MS), EXIT);
    assert_int_equal(load(b, &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&h, &b->c, 0, 0, &info), FC_OK);
    assert_int_equal(b->c.vm.caps, FC_CAP_TIME);
    fc_port_null_set_time(&pst, 5123456);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.r0, 5123);
    /* the interpreter checks again at call time: withdraw the capability behind the verifier's back */
    b->c.vm.caps = 0;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(res.faults, 1);
    assert_int_equal(res.fault.err, FC_ERR_HELPER_PERM);
    assert_int_equal(res.fault.pc, 0);
    assert_int_equal(fc_hook_detach(&h, &b->c), FC_OK);
    assert_int_equal(b->c.vm.caps, 0); /* detach grants nothing back */
}

/* ---- policies ---- */

static fc_hook_t ph;

static void attach_consts(fc_policy_t policy, const int32_t *vals, const int16_t *prio, int n)
{
    assert_int_equal(fc_hook_init(&ph, &rt, "policy", policy, FC_MEM_READ, FC_CAP_STANDARD, 100),
                     FC_OK);
    for (int i = 0; i < n; i++) {
        prog_const(&boxes[i], vals[i]);
        assert_int_equal(load(&boxes[i], &ta), FC_OK);
        assert_int_equal(fc_hook_attach(&ph, &boxes[i].c, 0, prio[i], &info), FC_OK);
    }
}

static int list_prio(fc_container_t *c, void *arg)
{
    int16_t **p = arg;
    *(*p)++ = c->prio;
    return 0;
}

static void test_policy_all(void **state)
{
    (void)state;
    /* run order by priority: 3 (prio -1), 1 (prio 0), 2 (prio 0, attached later), 0 (prio 5) */
    const int32_t vals[4] = { 10, -1, 20, 7 };
    const int16_t prio[4] = { 5, 0, 0, -1 };
    attach_consts(FC_POLICY_ALL, vals, prio, 4);
    assert_ptr_equal(ph.head, &boxes[3].c);
    assert_ptr_equal(ph.head->next, &boxes[1].c);
    assert_ptr_equal(ph.head->next->next, &boxes[2].c);
    int16_t seen[4], *cursor = seen;
    assert_int_equal(fc_hook_foreach(&ph, list_prio, &cursor), 0);
    assert_int_equal(cursor - seen, 4);
    assert_int_equal(seen[0], -1);
    assert_int_equal(seen[3], 5);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 4);
    assert_int_equal(res.r0, 10);
    assert_ptr_equal(res.by, &boxes[0].c);
    assert_int_equal(res.stopped, 0);
}

static void test_policy_first_negative(void **state)
{
    (void)state;
    const int32_t vals[4] = { 3, -5, 20, 0 };
    const int16_t prio[4] = { 0, 1, 2, 3 };
    attach_consts(FC_POLICY_FIRST_NEGATIVE, vals, prio, 4);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 2);
    assert_int_equal((int32_t)res.r0, -5);
    assert_ptr_equal(res.by, &boxes[1].c);
    assert_int_equal(res.stopped, 1);
    /* without a negative, all run and the last result stands */
    assert_int_equal(fc_hook_detach(&ph, &boxes[1].c), FC_OK);
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 3);
    assert_int_equal(res.r0, 0);
    assert_ptr_equal(res.by, &boxes[3].c);
    assert_int_equal(res.stopped, 0);
}

static void test_policy_first_positive(void **state)
{
    (void)state;
    const int32_t vals[4] = { 0, -5, 20, 9 };
    const int16_t prio[4] = { 0, 1, 2, 3 };
    attach_consts(FC_POLICY_FIRST_POSITIVE, vals, prio, 4);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 3);
    assert_int_equal(res.r0, 20);
    assert_ptr_equal(res.by, &boxes[2].c);
    assert_int_equal(res.stopped, 1);
}

static void test_policy_exactly_one(void **state)
{
    (void)state;
    const int32_t vals[1] = { 42 };
    const int16_t prio[1] = { 0 };
    attach_consts(FC_POLICY_EXACTLY_ONE, vals, prio, 1);
    prog_const(&boxes[1], 43);
    assert_int_equal(load(&boxes[1], &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&ph, &boxes[1].c, 0, -100, &info), FC_ERR_BUSY);
    assert_int_equal(info.err, FC_ERR_BUSY);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 1);
    assert_int_equal(res.r0, 42);
    /* replacing: detach the first, the second may take its place */
    assert_int_equal(fc_hook_detach(&ph, &boxes[0].c), FC_OK);
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 0);
    assert_null(res.by);
    assert_int_equal(fc_hook_attach(&ph, &boxes[1].c, 0, 0, &info), FC_OK);
    assert_int_equal(fc_hook_fire(&ph, NULL, 0, &res), 1);
    assert_int_equal(res.r0, 43);
}

static void test_detach_others_remain(void **state)
{
    (void)state;
    fc_hook_t h;
    assert_int_equal(fc_hook_init(&h, &rt, "ev", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_STANDARD, 100),
                     FC_OK);
    for (int i = 0; i < 3; i++) {
        prog_count_global(&boxes[i], i, i);
        assert_int_equal(load(&boxes[i], &ta), FC_OK);
        assert_int_equal(fc_hook_attach(&h, &boxes[i].c, 0, 0, &info), FC_OK);
    }
    assert_int_equal(fc_hook_attach(&h, &boxes[1].c, 0, 0, &info), FC_ERR_BUSY);
    fc_hook_fire(&h, NULL, 0, NULL);
    assert_int_equal(fc_hook_detach(&h, &boxes[1].c), FC_OK);
    assert_int_equal(fc_hook_detach(&h, &boxes[1].c), FC_ERR_NOENT);
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 2);
    assert_int_equal(res.r0, 2);
    /* removing an attached container detaches it */
    assert_int_equal(fc_container_remove(&boxes[2].c), FC_OK);
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 1);
    assert_int_equal(h.count, 1);
    assert_int_equal(fc_hook_remove(&h), FC_ERR_BUSY);
    uint64_t v;
    assert_int_equal(fc_rt_global_get(&rt, 0, &v), FC_OK);
    assert_int_equal(v, 3);
    assert_int_equal(fc_rt_global_get(&rt, 1, &v), FC_OK);
    assert_int_equal(v, 1);
    assert_int_equal(fc_rt_global_get(&rt, 2, &v), FC_OK);
    assert_int_equal(v, 2);
    /* nothing attached: nothing runs, no lock taken */
    assert_int_equal(fc_hook_detach(&h, &boxes[0].c), FC_OK);
    uint32_t locks = pst.lock_count;
    assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 0);
    assert_int_equal(pst.lock_count, locks);
    assert_int_equal(fc_hook_remove(&h), FC_OK);
    assert_null(fc_rt_hook(&rt, "ev"));
}

/* ---- faults ---- */

static unsigned nfault_calls;
static fc_fault_t last_fault;

static void on_fault(const fc_hook_t *h, const fc_fault_t *f, void *arg)
{
    (void)h;
    assert_ptr_equal(arg, &nfault_calls);
    nfault_calls++;
    last_fault = *f;
}

static void test_fault_beside_healthy(void **state)
{
    (void)state;
    fc_hook_t h;
    assert_int_equal(fc_hook_init(&h, &rt, "ev", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_STANDARD, 100),
                     FC_OK);
    fc_hook_on_fault(&h, on_fault, &nfault_calls);
    nfault_calls = 0;
    prog_count_global(&boxes[0], 0, 1);
    prog_fault(&boxes[1]);
    prog_count_global(&boxes[2], 2, 3);
    /* loops forever: stopped by the hook's budget */
    boxes[3].len = ASM(boxes[3].code, JA(-1), EXIT);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(load(&boxes[i], &ta), FC_OK);
        assert_int_equal(fc_hook_attach(&h, &boxes[i].c, 0, (int16_t)i, &info), FC_OK);
    }
    fc_hook_result_t res;
    for (int n = 0; n < 3; n++)
        assert_int_equal(fc_hook_fire(&h, NULL, 0, &res), 4);
    assert_int_equal(res.faults, 2);
    assert_ptr_equal(res.fault.container, &boxes[1].c);
    assert_int_equal(res.fault.err, FC_ERR_MEM);
    assert_int_equal(res.fault.pc, 1);
    assert_int_equal(nfault_calls, 6);
    assert_ptr_equal(last_fault.container, &boxes[3].c);
    assert_int_equal(last_fault.err, FC_ERR_BUDGET);
    /* the healthy ones ran every time; the result is the last that completed */
    assert_int_equal(res.r0, 3);
    assert_ptr_equal(res.by, &boxes[2].c);
    uint64_t v;
    assert_int_equal(fc_rt_global_get(&rt, 0, &v), FC_OK);
    assert_int_equal(v, 3);
    assert_int_equal(fc_rt_global_get(&rt, 2, &v), FC_OK);
    assert_int_equal(v, 3);
}

static void test_ctx_permissions(void **state)
{
    (void)state;
    fc_hook_t ro, rw;
    assert_int_equal(fc_hook_init(&ro, &rt, "ro", FC_POLICY_ALL, FC_MEM_READ, 0, 100), FC_OK);
    assert_int_equal(fc_hook_init(&rw, &rt, "rw", FC_POLICY_ALL, FC_MEM_WRITE, 0, 100), FC_OK);
    /* ctx[1] = ctx[0] + r2 (the length) */
    box_t *b = &boxes[0];
    b->len = ASM(b->code, LDXW(3, 1, 0), I(0x0f, 3, 2, 0, 0), I(0x63, 1, 3, 4, 0), MOV64K(0, 1),
                 EXIT);
    assert_int_equal(load(b, &ta), FC_OK);
    prog_const(&boxes[1], 0);
    assert_int_equal(load(&boxes[1], &ta), FC_OK);
    assert_int_equal(fc_hook_attach(&ro, &b->c, 0, 0, &info), FC_OK);
    uint32_t ctx[2] = { 40, 0 };
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&ro, ctx, sizeof ctx, &res), 1);
    assert_int_equal(res.fault.err, FC_ERR_MEM_PERM);
    assert_int_equal(ctx[1], 0);
    assert_int_equal(fc_hook_detach(&ro, &b->c), FC_OK);
    assert_int_equal(fc_hook_attach(&rw, &b->c, 0, 0, &info), FC_OK);
    assert_int_equal(fc_hook_fire(&rw, ctx, sizeof ctx, &res), 1);
    assert_int_equal(res.faults, 0);
    assert_int_equal(ctx[1], 48);
    /* the context is gone after the run: a direct run has none */
    uint64_t r0;
    assert_int_equal(fc_container_run(&b->c, 0, NULL, 0, 0, &r0), FC_ERR_MEM);
}

/* ---- helpers ---- */

static uint64_t run1(box_t *b, int expect_err)
{
    uint64_t r0 = 0xdead;
    assert_int_equal(load(b, &ta), FC_OK);
    assert_int_equal(fc_container_run(&b->c, 0, NULL, 0, 0, &r0), expect_err);
    assert_int_equal(fc_container_remove(&b->c), FC_OK);
    return r0;
}

static void test_helper_bad_pointers(void **state)
{
    (void)state;
    box_t *b = &boxes[0];
    /* get into NULL */
    b->len = ASM(b->code, MOV64K(1, 1), MOV64K(2, 0), CALL(FC_HELPER_STORE_GET_LOCAL), EXIT);
    run1(b, FC_ERR_MEM);
    /* get into the last 4 bytes of the stack: 8 needed */
    b->len = ASM(b->code, MOV64K(1, 1), MOV64X(2, 10), ADD64K(2, -4),
                 CALL(FC_HELPER_STORE_GET_GLOBAL), EXIT);
    run1(b, FC_ERR_MEM);
    /* memcpy 16 bytes from 8 below the stack top */
    b->len = ASM(b->code, MOV64X(1, 10), ADD64K(1, -8), MOV64X(2, 10), ADD64K(2, -16),
                 MOV64K(3, 16), CALL(FC_HELPER_MEMCPY), EXIT);
    run1(b, FC_ERR_MEM);
    /* memcpy with a huge length */
    b->len = ASM(b->code, MOV64X(1, 10), ADD64K(1, -64), MOV64X(2, 10), ADD64K(2, -32),
                 MOV64K(3, -1), CALL(FC_HELPER_MEMCPY), EXIT);
    run1(b, FC_ERR_MEM);
    /* memset into read-only rodata (empty here, so out of bounds) and a read-only context */
    b->len = ASM(b->code, LDDW(1, FC_VADDR(FC_REGION_RODATA, 0)), MOV64K(2, 0), MOV64K(3, 1),
                 CALL(FC_HELPER_MEMSET), EXIT);
    run1(b, FC_ERR_MEM);
    uint8_t ctx[16] = { 0 };
    b->len = ASM(b->code, MOV64K(2, 7), MOV64K(3, 4), CALL(FC_HELPER_MEMSET), EXIT);
    assert_int_equal(load(b, &ta), FC_OK);
    assert_int_equal(fc_container_run(&b->c, 0, ctx, sizeof ctx, FC_MEM_READ, NULL), FC_ERR_MEM_PERM);
    assert_int_equal(ctx[0], 0);
    assert_int_equal(fc_container_run(&b->c, 0, ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE, NULL),
                     FC_OK);
    assert_int_equal(ctx[3], 7);
    assert_int_equal(ctx[4], 0);
    assert_int_equal(fc_container_remove(&b->c), FC_OK);
    /* store_get_* and sensor_read writing into read-only memory: FC_ERR_MEM_PERM, as documented */
    static const uint32_t writers[] = { FC_HELPER_STORE_GET_LOCAL, FC_HELPER_STORE_GET_TENANT,
                                        FC_HELPER_STORE_GET_GLOBAL, FC_HELPER_SENSOR_READ };
    for (size_t k = 0; k < sizeof writers / sizeof writers[0]; k++) {
        b->len = ASM(b->code, MOV64X(2, 1), MOV64K(1, 0), CALL((int32_t)writers[k]), EXIT);
        assert_int_equal(load(b, &ta), FC_OK);
        memset(ctx, 0x33, sizeof ctx);
        assert_int_equal(fc_container_run(&b->c, 0, ctx, sizeof ctx, FC_MEM_READ, NULL), FC_ERR_MEM_PERM);
        assert_int_equal(ctx[0], 0x33);
        /* and past the end of a writable context it is FC_ERR_MEM */
        b->len = ASM(b->code, MOV64X(2, 1), ADD64K(2, 12), MOV64K(1, 0), CALL((int32_t)writers[k]), EXIT);
        assert_int_equal(fc_container_remove(&b->c), FC_OK);
        assert_int_equal(load(b, &ta), FC_OK);
        assert_int_equal(fc_container_run(&b->c, 0, ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE, NULL),
                         FC_ERR_MEM);
        assert_int_equal(fc_container_remove(&b->c), FC_OK);
    }
    /* memcmp reading past the DATA region (64 bytes) */
    b->len = ASM(b->code, LDDW(1, FC_VADDR(FC_REGION_DATA, 32)), MOV64X(2, 1), MOV64K(3, 33),
                 CALL(FC_HELPER_MEMCMP), EXIT);
    run1(b, FC_ERR_MEM);
    /* printf of an unterminated format: the DATA region filled with 'A' */
    b->len = ASM(b->code, LDDW(1, FC_VADDR(FC_REGION_DATA, 0)), MOV64K(2, 'A'), MOV64K(3, 64),
                 CALL(FC_HELPER_MEMSET), LDDW(1, FC_VADDR(FC_REGION_DATA, 0)),
                 CALL(FC_HELPER_PRINTF), EXIT);
    run1(b, FC_ERR_MEM);
    /* %s with a wild pointer */
    b->len = ASM(b->code, STDW(10, -8, 0x7325) /* "%s\0" */, MOV64X(1, 10), ADD64K(1, -8),
                 LDDW(2, FC_VADDR(9, 0)), CALL(FC_HELPER_PRINTF), EXIT);
    run1(b, FC_ERR_MEM);
    /* sensor_read into a 4-byte hole */
    b->len = ASM(b->code, MOV64K(1, 0), MOV64X(2, 10), ADD64K(2, -4), CALL(FC_HELPER_SENSOR_READ),
                 EXIT);
    run1(b, FC_ERR_MEM);
    assert_int_equal(pst.log_len, 0);
}

static void test_helper_semantics(void **state)
{
    (void)state;
    box_t *b = &boxes[0];
    /* printf: "t=%d %x %s%c%%" built on the stack, %s pointing at "hi" */
    b->len = ASM(b->code, LDDW(1, 0x2078252064253d74ull), STXDW(10, 1, -24),
                 LDDW(1, 0x0000252563257325ull), STXDW(10, 1, -16), STDW(10, -8, 0x6968),
                 MOV64X(1, 10), ADD64K(1, -24), MOV64K(2, -42), MOV64K(3, 255), MOV64X(4, 10),
                 ADD64K(4, -8), MOV64K(5, 'Z'), CALL(FC_HELPER_PRINTF), EXIT);
    uint64_t r0 = run1(b, FC_OK);
    assert_string_equal(logbuf, "t=-42 ff hiZ%\n");
    assert_int_equal(r0, strlen("t=-42 ff hiZ%\n"));
    /* output is bounded: a 300-byte string argument is cut at FC_PRINTF_MAX */
    pst.log_len = 0;
    b->len = ASM(b->code, LDDW(1, FC_VADDR(FC_REGION_DATA, 0)), MOV64K(2, 'B'), MOV64K(3, 63),
                 CALL(FC_HELPER_MEMSET), STDW(10, -8, 0x7325), MOV64X(1, 10), ADD64K(1, -8),
                 LDDW(2, FC_VADDR(FC_REGION_DATA, 0)), CALL(FC_HELPER_PRINTF), EXIT);
    assert_int_equal(run1(b, FC_OK), 64);
    assert_int_equal(pst.log_len, 64);
    assert_int_equal(logbuf[63], '\n');
    /* sensors: find the temperature, read it */
    b->len = ASM(b->code, MOV64K(1, FC_SENSOR_TEMP), MOV64K(2, 0), CALL(FC_HELPER_SENSOR_FIND),
                 MOV64X(1, 0), MOV64X(2, 10), ADD64K(2, -8), CALL(FC_HELPER_SENSOR_READ),
                 LDXW(0, 10, -8), EXIT);
    assert_int_equal(run1(b, FC_OK), 215);
    b->len = ASM(b->code, MOV64K(1, FC_SENSOR_LIGHT), MOV64K(2, 0), CALL(FC_HELPER_SENSOR_FIND),
                 EXIT);
    assert_int_equal((int64_t)run1(b, FC_OK), FC_ERR_NOENT);
    b->len = ASM(b->code, CALL(FC_HELPER_SENSOR_COUNT), EXIT);
    assert_int_equal(run1(b, FC_OK), 2);
    /* random: the null port's sequence */
    b->len = ASM(b->code, CALL(FC_HELPER_RANDOM_U32), EXIT);
    uint64_t a = run1(b, FC_OK);
    assert_true(a != 0 && a <= UINT32_MAX);
    assert_true(run1(b, FC_OK) != a);
    /* memcpy/memcmp within the stack */
    b->len = ASM(b->code, STDW(10, -8, 0x1234), MOV64X(1, 10), ADD64K(1, -16), MOV64X(2, 10),
                 ADD64K(2, -8), MOV64K(3, 8), CALL(FC_HELPER_MEMCPY), MOV64X(1, 10),
                 ADD64K(1, -16), MOV64X(2, 10), ADD64K(2, -8), MOV64K(3, 8),
                 CALL(FC_HELPER_MEMCMP), LDXDW(1, 10, -16), I(0x0f, 0, 1, 0, 0), EXIT);
    assert_int_equal(run1(b, FC_OK), 0x1234);
    assert_string_equal(fc_helper_name(FC_HELPER_STORE_PUT_LOCAL), "store_put_local");
    assert_null(fc_helper_name(999));
}

/* ---- the store against a reference model ---- */

static void test_store_model(void **state)
{
    (void)state;
    enum { CAP = 13, KEYS = 40 };
    fc_store_entry_t e[CAP];
    fc_store_t st;
    uint64_t model[2][KEYS];
    uint8_t present[2][KEYS];
    memset(present, 0, sizeof present);
    assert_int_equal(fc_store_init(&st, e, CAP), FC_OK);
    uint32_t x = 1, count = 0;
    for (int i = 0; i < 20000; i++) {
        x = x * 1664525u + 1013904223u;
        uint32_t ns = 1 + ((x >> 8) & 1), key = (x >> 10) % KEYS, op = (x >> 20) % 4;
        uint64_t v;
        if (op <= 1) {
            int err = fc_store_put(&st, ns, key, x);
            if (present[ns - 1][key] || count < CAP) {
                assert_int_equal(err, FC_OK);
                count += !present[ns - 1][key];
                present[ns - 1][key] = 1;
                model[ns - 1][key] = x;
            } else {
                assert_int_equal(err, FC_ERR_FULL);
            }
        } else if (op == 2) {
            assert_int_equal(fc_store_del(&st, ns, key), present[ns - 1][key] ? FC_OK : FC_ERR_NOENT);
            count -= present[ns - 1][key];
            present[ns - 1][key] = 0;
        } else if (x & 0x80000000u) {
            int before = fc_store_count(&st, ns);
            assert_int_equal(fc_store_purge(&st, ns), before);
            assert_int_equal(fc_store_count(&st, ns), 0);
        }
        if (op == 3 && (x & 0x80000000u)) {
            /* the purge above removed the whole namespace */
            for (uint32_t k = 0; k < KEYS; k++) {
                count -= present[ns - 1][k];
                present[ns - 1][k] = 0;
            }
        }
        assert_int_equal(fc_store_count(&st, 0), (int)count);
        for (uint32_t n = 1; n <= 2; n++)
            for (uint32_t k = 0; k < KEYS; k++) {
                int err = fc_store_get(&st, n, k, &v);
                assert_int_equal(err, present[n - 1][k] ? FC_OK : FC_ERR_NOENT);
                if (err == FC_OK)
                    assert_int_equal(v, model[n - 1][k]);
            }
    }
    assert_int_equal(fc_store_put(&st, 0, 1, 1), FC_ERR_INVAL);
}

static int fw_led_state;
static int fw_led(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    (void)vm;
    fw_led_state = (int)args[0];
    *ret = 1;
    return FC_OK;
}

static void test_firmware_helpers(void **state)
{
    (void)state;
    static const fc_helper_t bad_items[] = { { 5, 0, fw_led, "clash" } };
    static const fc_helper_table_t bad = { bad_items, 1, NULL };
    fc_rt_t rt2;
    assert_int_equal(fc_rt_init(&rt2, &port, NULL, 0, NULL, 0, &bad), FC_ERR_INVAL);
    static const fc_helper_t items[] = {
        { FC_HELPER_FIRMWARE_BASE, FC_CAP_FIRMWARE(0), fw_led, "led" },
    };
    static const fc_helper_table_t fw = { items, 1, NULL };
    assert_int_equal(fc_rt_init(&rt2, &port, NULL, 0, NULL, 0, &fw), FC_OK);
    fc_tenant_t t1, t2;
    assert_int_equal(fc_tenant_add(&rt2, &t1, 1, "a", FC_CAP_FIRMWARE(0), 0), FC_OK);
    assert_int_equal(fc_tenant_add(&rt2, &t2, 2, "b", FC_CAP_STANDARD, 0), FC_OK);
    box_t *b = &boxes[0];
    b->len = ASM(b->code, MOV64K(1, 3), CALL(FC_HELPER_FIRMWARE_BASE), EXIT);
    assert_int_equal(fc_container_load_code(&b->c, &t2, b->code, b->len, b->ram, sizeof b->ram,
                                            b->stack, sizeof b->stack, NULL, 0, &info),
                     FC_ERR_HELPER_PERM);
    assert_int_equal(fc_container_load_code(&b->c, &t1, b->code, b->len, b->ram, sizeof b->ram,
                                            b->stack, sizeof b->stack, NULL, 0, &info),
                     FC_OK);
    uint64_t r0;
    assert_int_equal(fc_container_run(&b->c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal(r0, 1);
    assert_int_equal(fw_led_state, 3);
    /* a local store of capacity 0 is full at once */
    b = &boxes[1];
    b->len = ASM(b->code, MOV64K(1, 1), MOV64K(2, 1), CALL(FC_HELPER_STORE_PUT_LOCAL), EXIT);
    fc_tenant_t t3;
    assert_int_equal(fc_tenant_add(&rt2, &t3, 3, "c", FC_CAP_STANDARD, 0), FC_OK);
    assert_int_equal(fc_container_load_code(&b->c, &t3, b->code, b->len, b->ram, sizeof b->ram,
                                            b->stack, sizeof b->stack, NULL, 0, &info),
                     FC_OK);
    assert_int_equal(fc_container_run(&b->c, 0, NULL, 0, 0, &r0), FC_OK);
    assert_int_equal((int64_t)r0, FC_ERR_FULL);
}

/* ---- a hook fired from one thread while another attaches and detaches (POSIX port) ---- */

typedef struct {
    fc_hook_t *h;
    uint64_t ran;
    int n;
} firer_t;

static void *firer(void *arg)
{
    firer_t *f = arg;
    uint32_t ctx[2] = { 0, 1 };
    for (int i = 0; i < f->n; i++) {
        fc_hook_result_t res;
        int ran = fc_hook_fire(f->h, ctx, sizeof ctx, &res);
        if (ran < 0 || res.faults != 0)
            return NULL;
        f->ran += (uint64_t)ran;
    }
    return f;
}

static void test_threads_posix(void **state)
{
    (void)state;
    fc_port_posix_t st;
    fc_port_t pport;
    static fc_rt_t prt;
    static fc_store_entry_t g[8];
    assert_int_equal(fc_port_posix_init(&st, &pport, NULL, NULL, 0), FC_OK);
    assert_int_equal(fc_rt_init(&prt, &pport, g, 8, NULL, 0, NULL), FC_OK);
    fc_tenant_t t;
    fc_hook_t h;
    assert_int_equal(fc_tenant_add(&prt, &t, 1, "t", FC_CAP_STANDARD, 0), FC_OK);
    assert_int_equal(fc_hook_init(&h, &prt, "sched", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_STANDARD,
                                  1000),
                     FC_OK);
    for (int i = 0; i < 3; i++) {
        prog_count_global(&boxes[i], 0, 0);
        assert_int_equal(fc_container_load_code(&boxes[i].c, &t, boxes[i].code, boxes[i].len,
                                                boxes[i].ram, sizeof boxes[i].ram,
                                                boxes[i].stack, sizeof boxes[i].stack, NULL, 0,
                                                &info),
                         FC_OK);
    }
    assert_int_equal(fc_hook_attach(&h, &boxes[0].c, 0, 0, &info), FC_OK);
    firer_t f = { &h, 0, 20000 };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, firer, &f), 0);
    for (int i = 0; i < 2000; i++) {
        fc_container_t *c = &boxes[1 + i % 2].c;
        assert_int_equal(fc_hook_attach(&h, c, 0, (int16_t)(i % 3 - 1), &info), FC_OK);
        assert_int_equal(fc_hook_detach(&h, c), FC_OK);
    }
    void *ok;
    assert_int_equal(pthread_join(th, &ok), 0);
    assert_ptr_equal(ok, &f);
    /* every run the firer counted incremented the counter once, none lost or torn */
    uint64_t v;
    assert_int_equal(fc_rt_global_get(&prt, 0, &v), FC_OK);
    assert_int_equal(v, f.ran);
    assert_true(f.ran >= 20000);
    fc_port_posix_fini(&st);
}

/*
 * The run path through compiled code (the POSIX port gives code memory, so
 * the JIT where the build has one) against the interpreter (the null port):
 * the same result, fault, pc and budget left through fc_container_run and
 * fc_hook_fire, under tenant caps around the program's need; a loop that
 * walks one byte off its context faults at its load in both.
 */
static void test_run_engines(void **state)
{
    (void)state;
    fc_port_posix_t st;
    fc_port_t pport;
    static fc_rt_t prt;
    static fc_store_entry_t g[8];
    static box_t jb, ib;
    fc_tenant_t tj, ti;
    assert_int_equal(fc_port_posix_init(&st, &pport, NULL, NULL, 0), FC_OK);
    assert_int_equal(fc_rt_init(&prt, &pport, g, 8, NULL, 0, NULL), FC_OK);
    assert_int_equal(fc_tenant_add(&prt, &tj, 1, "j", FC_CAP_STANDARD, 0), FC_OK);
    assert_int_equal(fc_tenant_add(&rt, &ti, 9, "i", FC_CAP_STANDARD, 0), FC_OK);
    box_t *b[2] = { &jb, &ib };
    fc_tenant_t *t[2] = { &tj, &ti };
    uint8_t ctx[40];
    uint64_t sum = 0;
    for (unsigned k = 0; k < sizeof ctx; k++)
        sum += ctx[k] = (uint8_t)(3 * k + 1);
    for (int walk = 0; walk < 2; walk++) {
        /* r0 = sum of ctx[0..r2) (walk: ctx[0..r2], one byte past the end) */
        for (int e = 0; e < 2; e++) {
            b[e]->len = ASM(b[e]->code, MOV64K(0, 0), I(0x71, 3, 1, 0, 0), I(0x0f, 0, 3, 0, 0),
                            ADD64K(1, 1), ADD64K(2, -1), I(0x55, 2, 0, -5, walk ? -1 : 0), EXIT);
            assert_int_equal(load(b[e], t[e]), FC_OK);
        }
#if FC_JIT
        assert_true(jb.c.vm.verified & FC_VERIFIED_JIT);
#endif
        assert_false(ib.c.vm.verified & FC_VERIFIED_JIT);
        /* 40 rounds of 5 slots: 195 units (the last jump is not taken), 200 when walking */
        for (uint32_t cap = 0; cap <= 250; cap += 5) {
            uint64_t r[2] = { 0, 0 };
            int err[2];
            for (int e = 0; e < 2; e++) {
                assert_int_equal(fc_tenant_set_budget(t[e], cap), FC_OK);
                b[e]->c.vm.budget = 1000;
                err[e] = fc_container_run(&b[e]->c, 0, ctx, sizeof ctx, FC_MEM_READ, &r[e]);
            }
            assert_int_equal(err[0], err[1]);
            assert_int_equal(jb.c.vm.pc, ib.c.vm.pc);
            assert_int_equal(jb.c.vm.left, ib.c.vm.left);
            uint32_t need = walk ? 200 : 195;
            if (cap != 0 && cap < need) {
                assert_int_equal(err[0], FC_ERR_BUDGET);
            } else if (walk) {
                assert_int_equal(err[0], FC_ERR_MEM);
                assert_int_equal(jb.c.vm.pc, 1);
            } else {
                assert_int_equal(err[0], FC_OK);
                assert_int_equal(r[0], sum);
                assert_int_equal(r[1], sum);
            }
        }
        fc_hook_t h[2];
        fc_hook_result_t res[2];
        for (int e = 0; e < 2; e++) {
            assert_int_equal(fc_tenant_set_budget(t[e], 0), FC_OK);
            assert_int_equal(fc_hook_init(&h[e], e ? &rt : &prt, "engines", FC_POLICY_ALL,
                                          FC_MEM_READ, FC_CAP_STANDARD, 1000),
                             FC_OK);
            assert_int_equal(fc_hook_attach(&h[e], &b[e]->c, 0, 0, &info), FC_OK);
            assert_int_equal(fc_hook_fire(&h[e], ctx, sizeof ctx, &res[e]), 1);
            assert_int_equal(fc_hook_detach(&h[e], &b[e]->c), FC_OK);
            assert_int_equal(fc_hook_remove(&h[e]), FC_OK);
            assert_int_equal(fc_container_remove(&b[e]->c), FC_OK);
        }
        assert_int_equal(res[0].faults, walk ? 1 : 0);
        assert_int_equal(res[1].faults, res[0].faults);
        if (walk) {
            assert_int_equal(res[0].fault.err, FC_ERR_MEM);
            assert_int_equal(res[1].fault.err, FC_ERR_MEM);
            assert_int_equal(res[0].fault.pc, 1);
            assert_int_equal(res[1].fault.pc, 1);
        } else {
            assert_int_equal(res[0].r0, sum);
            assert_int_equal(res[1].r0, sum);
        }
    }
    assert_int_equal(fc_tenant_remove(&ti), FC_OK);
    assert_int_equal(fc_tenant_remove(&tj), FC_OK);
    fc_port_posix_fini(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_thread_counter_tenant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thread_counter_local, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thread_counter_global, setup, teardown),
        cmocka_unit_test(test_ram_needs),
        cmocka_unit_test(test_load_entries_are_functions),
        cmocka_unit_test(test_load_limits_first),
        cmocka_unit_test_setup_teardown(test_run_engines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_isolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_at_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps_at_attach, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_first_negative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_first_positive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_exactly_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detach_others_remain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_beside_healthy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctx_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_helper_bad_pointers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_helper_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_firmware_helpers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_posix, setup, teardown),
        cmocka_unit_test(test_store_model),
    };
    return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
