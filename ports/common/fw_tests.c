/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The on-target test firmware: the whole bpf_conformance suite through the
 * interpreter this image is built with, then the runtime hosting real
 * images (Fletcher32, the thread counter on a scheduler hook fired from a
 * tick loop, two tenants whose stores stay apart), then Fletcher32 natively
 * and in the VM with instruction counts, the C stack the VM used and the RAM
 * one container costs. Prints "ok ..." / "FAIL ..." lines and a final
 * "RESULT: PASS" and exits 0 only when every check passed.
 *
 * Instruction counts assume QEMU's -icount shift=0, where virtual time
 * advances one nanosecond per guest instruction: a timer read before and
 * after a loop of runs gives instructions = ticks * (1e9 / tick_hz).
 */
#include <stdbool.h>
#include <string.h>

#include "fc/conformance.h"
#include "fc/hook.h"
#include "fc/runtime.h"
#include "fw.h"

#define FLETCHER_EXPECT 0x8a49b4c2u
#define STACK_BYTES     512u
#define NATIVE_RUNS     2000u
#define VM_RUNS         50u
#define TICK_US         50u  /* the simulated scheduler's tick */
#define TICKS           400u /* scheduler ticks fired in the loop */

/* ---- the conformance suite ---- */

static uint8_t conf_mem[4096], conf_mem2[4096];
static uint8_t conf_fast[4096] __attribute__((aligned(8)));

static void run_conformance(void)
{
    unsigned pass = 0;
    for (unsigned i = 0; i < fw_conf_ntests; i++) {
        const fw_conf_test_t *t = &fw_conf_tests[i];
        uint64_t got = 0, got2 = 0;
        fc_verify_info_t info;
        bool ok;
        if (t->mem_len > sizeof conf_mem || t->prog_len > sizeof conf_fast) {
            fw_puts("FAIL ");
            fw_puts(t->name);
            fw_puts(": too large for the firmware's buffers\n");
            continue;
        }
        memcpy(conf_mem, t->mem, t->mem_len);
        memcpy(conf_mem2, t->mem, t->mem_len);
        int rc = fc_conformance_run(t->prog, t->prog_len, t->mem_len ? conf_mem : NULL,
                                    t->mem_len, &got, &info);
        if (strcmp(t->name, "callx") == 0) {
            /* the verifier refuses calls through a register by design */
            ok = rc == FC_ERR_CALL;
        } else {
            ok = rc == FC_OK && got == t->result;
        }
        if (ok && FC_SPECIALISE && rc == FC_OK) {
            /* the specialised copy must agree with the raw code */
            int rc2 = fc_conformance_run_ex(t->prog, t->prog_len, t->mem_len ? conf_mem2 : NULL,
                                            t->mem_len, conf_fast, sizeof conf_fast, &got2, NULL);
            ok = rc2 == FC_OK && got2 == got;
        }
        if (ok) {
            pass++;
        } else {
            fw_puts("FAIL conformance ");
            fw_puts(t->name);
            fw_puts(": rc ");
            fw_put_i64(rc);
            fw_puts(" r0 ");
            fw_put_hex(got);
            fw_puts(" want ");
            fw_put_hex(t->result);
            fw_puts("\n");
        }
    }
    fw_puts("conformance: ");
    fw_put_u64(pass);
    fw_puts("/");
    fw_put_u64(fw_conf_ntests);
    fw_puts(" passed\n");
    fw_check(pass == fw_conf_ntests, "conformance suite");
}

/* ---- the runtime ---- */

static fc_rt_t rt;
static fc_store_entry_t global[8], pool[32];
static fc_tenant_t alice, bob;

typedef struct {
    fc_container_t c;
    uint8_t ram[64] __attribute__((aligned(8)));
    uint8_t stack[STACK_BYTES] __attribute__((aligned(8)));
} slot_t;

static slot_t fl_slot, tc_slot[2];
static uint8_t input[360] __attribute__((aligned(8)));
static uint8_t fl_fast[1024] __attribute__((aligned(8)));

static int load(slot_t *s, fc_tenant_t *t, const uint8_t *buf, size_t len, const char *entry_name,
                uint32_t *entry)
{
    fc_image_t img;
    fc_verify_info_t info;
    int rc = fc_image_parse(&img, buf, len);
    if (rc == FC_OK)
        rc = fc_image_entry(&img, entry_name, entry);
    if (rc == FC_OK && fc_image_ram_size(&img) > sizeof s->ram)
        rc = FC_ERR_NOMEM;
    if (rc == FC_OK)
        rc = fc_container_load(&s->c, t, &img, s->ram, sizeof s->ram, s->stack, sizeof s->stack,
                               NULL, 0, &info);
    if (rc != FC_OK) {
        fw_puts("load ");
        fw_puts(entry_name);
        fw_puts(": ");
        fw_puts(fc_strerror(rc));
        fw_puts("\n");
    }
    return rc;
}

static uintptr_t stack_pointer(void)
{
    uintptr_t sp;
#if defined(__arm__)
    __asm__ volatile("mov %0, sp" : "=r"(sp));
#elif defined(__XTENSA__)
    __asm__ volatile("mov %0, a1" : "=r"(sp));
#elif defined(__x86_64__) /* RIOT native64 (tests/riot/checks) */
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
#else
    __asm__ volatile("mv %0, sp" : "=r"(sp));
#endif
    return sp;
}

#define PAINT_BYTES 4096u
#define PAINT       0xa5u

/* Fill the PAINT_BYTES below the caller's stack pointer with a pattern (this frame excluded). */
static __attribute__((noinline)) void paint_stack(uintptr_t caller_sp)
{
    volatile uint8_t *p = (volatile uint8_t *)(caller_sp - PAINT_BYTES);
    uintptr_t mine = stack_pointer();
    for (; (uintptr_t)p < mine - 16u; p++)
        *p = PAINT;
}

/* Bytes below @p caller_sp written since paint_stack(caller_sp). */
static uint32_t stack_used(uintptr_t caller_sp)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(caller_sp - PAINT_BYTES);
    while ((uintptr_t)p < caller_sp && *p == PAINT)
        p++;
    return (uint32_t)(caller_sp - (uintptr_t)p);
}

static uint64_t ticks_to_insns(uint64_t ticks)
{
    return ticks * (1000000000u / fw_board_tick_hz);
}

static void print_insns(const char *what, uint64_t total, uint32_t runs)
{
    fw_puts(what);
    fw_puts(": ");
    fw_put_u64(total / runs);
    fw_puts(" instructions per run (");
    fw_put_u64(runs);
    fw_puts(" runs)\n");
}

/* A loop of exactly 2 * n instructions (decrement, branch back), to check ticks_to_insns():
 * if the board's tick rate under -icount were not what fw_board_tick_hz says, every
 * instruction count printed would be off by the same factor. */
static __attribute__((noinline)) void counted_loop(uint32_t n)
{
#if defined(__arm__)
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n) : : "cc");
#elif defined(__x86_64__) /* RIOT native64 (tests/riot/checks) */
    __asm__ volatile("1: dec %0\n jnz 1b" : "+r"(n) : : "cc");
#else /* RISC-V and Xtensa spell it the same */
    __asm__ volatile("1: addi %0, %0, -1\n bnez %0, 1b" : "+r"(n));
#endif
}

#define CALIBRATION_LOOPS 100000u

static void calibrate(void)
{
    uint64_t t = fw_board_ticks();
    counted_loop(CALIBRATION_LOOPS);
    uint64_t counted = ticks_to_insns(fw_board_ticks() - t);
    /* scripts/qemu-tests.sh requires this within 0.5% of 2 * CALIBRATION_LOOPS */
    fw_puts("calibration: ");
    fw_put_u64(2u * CALIBRATION_LOOPS);
    fw_puts(" instructions executed, counted ");
    fw_put_u64(counted);
    fw_puts("\n");
}

/* native and VM runs get the same input, restored before each like the host harness does */
static uint64_t (*volatile native_fn)(void *, uint64_t) = native_fletcher32;

static void run_fletcher(void)
{
    uint32_t entry;
    uint64_t r0 = 0, t;

    memcpy(input, fw_fletcher_input, sizeof input);
    uint64_t native = native_fn(input, sizeof input);
    fw_puts("fletcher32 native: ");
    fw_put_hex(native);
    fw_puts("\n");
    fw_check(native == FLETCHER_EXPECT && fw_fletcher_input_len == sizeof input, "fletcher32 native");

    if (load(&fl_slot, &alice, fw_img_fletcher32, fw_img_fletcher32_len, "bench", &entry) !=
        FC_OK) {
        fw_check(false, "fletcher32 container load");
        return;
    }
    uintptr_t sp = stack_pointer();
    paint_stack(sp);
    int rc = fc_container_run(&fl_slot.c, entry, input, sizeof input, FC_MEM_READ, &r0);
    uint32_t stack = stack_used(sp);
    fw_puts("fletcher32 in the VM: ");
    fw_put_hex(r0);
    fw_puts("\n");
    fw_check(rc == FC_OK && r0 == FLETCHER_EXPECT, "fletcher32 in a container (fc_container_run)");
    fw_kv("stack: C stack of fc_container_run (fletcher32), bytes:", stack);

    /* instruction counts: loops of runs between two timer reads */
    calibrate();
    t = fw_board_ticks();
    for (uint32_t i = 0; i < NATIVE_RUNS; i++)
        native ^= native_fn(input, sizeof input);
    uint64_t n_ins = ticks_to_insns(fw_board_ticks() - t);
    t = fw_board_ticks();
    for (uint32_t i = 0; i < VM_RUNS; i++)
        rc |= fc_container_run(&fl_slot.c, entry, input, sizeof input, FC_MEM_READ, &r0);
    uint64_t v_ins = ticks_to_insns(fw_board_ticks() - t);
    fw_check(rc == FC_OK && r0 == FLETCHER_EXPECT, "fletcher32 repeated runs");
    print_insns("insns: fletcher32 native", n_ins, NATIVE_RUNS);
    print_insns("insns: fletcher32 vm", v_ins, VM_RUNS);
    if (n_ins != 0) {
        fw_puts("ratio: vm/native x100 = ");
        fw_put_u64((v_ins / VM_RUNS) * 100u / (n_ins / NATIVE_RUNS));
        fw_puts("\n");
    }
#if FC_SPECIALISE
    /* the fast build can also run a specialised copy of the verified code */
    rc = fc_vm_specialise(&fl_slot.c.vm, fl_fast, sizeof fl_fast);
    t = fw_board_ticks();
    for (uint32_t i = 0; i < VM_RUNS && rc == FC_OK; i++)
        rc = fc_container_run(&fl_slot.c, entry, input, sizeof input, FC_MEM_READ, &r0);
    uint64_t s_ins = ticks_to_insns(fw_board_ticks() - t);
    fw_check(rc == FC_OK && r0 == FLETCHER_EXPECT, "fletcher32 specialised");
    print_insns("insns: fletcher32 vm-specialised", s_ins, VM_RUNS);
    if (n_ins != 0) {
        fw_puts("ratio: vm-specialised/native x100 = ");
        fw_put_u64((s_ins / VM_RUNS) * 100u / (n_ins / NATIVE_RUNS));
        fw_puts("\n");
    }
#else
    (void)fl_fast;
#endif
}

typedef struct {
    uint64_t count[8];
    uint32_t n;
} tally_t;

static int tally(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    tally_t *t = arg;
    (void)ns;
    if (key < 8)
        t->count[key] = value;
    t->n++;
    return 0;
}

static void run_thread_counter(void)
{
    static fc_hook_t sched;
    uint32_t entry[2];
    uint32_t ctx[2] = { 0, 7 }; /* { previous, next } thread ids */
    uint64_t expect[8] = { 0 }, v = 0;
    fc_hook_result_t res;
    bool ok = true;

    ok &= fc_hook_init(&sched, &rt, "sched_switch", FC_POLICY_ALL, FC_MEM_READ,
                       FC_CAP_STORE_TENANT, 1000) == FC_OK;
    /* the same image for both tenants: each counts into its own namespace */
    ok &= load(&tc_slot[0], &alice, fw_img_thread_counter, fw_img_thread_counter_len,
               "thread_counter", &entry[0]) == FC_OK;
    ok &= load(&tc_slot[1], &bob, fw_img_thread_counter, fw_img_thread_counter_len,
               "thread_counter", &entry[1]) == FC_OK;
    ok &= fc_hook_attach(&sched, &tc_slot[0].c, entry[0], 0, NULL) == FC_OK;
    ok &= fc_hook_attach(&sched, &tc_slot[1].c, entry[1], 1, NULL) == FC_OK;
    fw_check(ok, "thread counter loaded for two tenants and attached");

    /* isolation: alice already counted 1000 switches into thread 7, bob none */
    ok = fc_tenant_put(&alice, 7, 1000) == FC_OK;
    uintptr_t sp = stack_pointer();
    paint_stack(sp);
    ok &= fc_hook_fire(&sched, ctx, sizeof ctx, &res) == 2 && res.faults == 0 && res.r0 == 0;
    uint32_t stack = stack_used(sp);
    ok &= fc_tenant_get(&alice, 7, &v) == FC_OK && v == 1001;
    ok &= fc_tenant_get(&bob, 7, &v) == FC_OK && v == 1;
    fw_check(ok, "two tenants: the same key counts apart (alice 1001, bob 1)");
    fw_kv("stack: C stack of fc_hook_fire (2 containers, store helpers), bytes:", stack);

    /* the scheduler: a tick loop polling the board timer, a switch at each tick */
    uint32_t x = 7, bob_fires = 1;
    uint64_t period = (uint64_t)fw_board_tick_hz / 1000000u * TICK_US;
    uint64_t start = fw_board_ticks(), next = start + period;
    ok = true;
    for (uint32_t i = 0; i < TICKS; i++) {
        while (fw_board_ticks() < next)
            ;
        next += period;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ctx[0] = ctx[1];
        ctx[1] = x % 6;
        expect[ctx[1]]++;
        int ran = fc_hook_fire(&sched, ctx, sizeof ctx, &res);
        ok &= ran == (i < TICKS / 2 ? 2 : 1) && res.faults == 0 && res.r0 == 0;
        if (i < TICKS / 2)
            bob_fires++;
        /* half way bob's container leaves the hook: alice keeps counting */
        if (i == TICKS / 2 - 1)
            ok &= fc_hook_detach(&sched, &tc_slot[1].c) == FC_OK;
    }
    uint64_t elapsed_us = (fw_board_ticks() - start) / (fw_board_tick_hz / 1000000u);
    fw_check(ok, "scheduler hook fired from the tick loop");
    fw_kv("tick loop: virtual microseconds for the ticks:", elapsed_us);
    fw_check(elapsed_us >= (uint64_t)TICKS * TICK_US, "tick loop waited for the board timer");

    tally_t a = { { 0 }, 0 }, b = { { 0 }, 0 };
    fc_tenant_foreach(&alice, tally, &a);
    fc_tenant_foreach(&bob, tally, &b);
    ok = a.n == 7 && a.count[7] == 1001;
    uint64_t total_b = 0;
    for (int k = 0; k < 6; k++) {
        ok &= a.count[k] == expect[k];
        total_b += b.count[k];
    }
    ok &= total_b + b.count[7] == bob_fires;
    fw_check(ok, "thread counts read back from the tenants' stores match the switches");
    fw_puts("thread counter: alice counted ");
    fw_put_u64(TICKS + 1);
    fw_puts(" switches, bob ");
    fw_put_u64(total_b + b.count[7]);
    fw_puts("\n");
    ok = fc_hook_detach(&sched, &tc_slot[0].c) == FC_OK && fc_hook_fire(&sched, ctx, 8, &res) == 0;
    fw_check(ok, "hook with nothing attached runs nothing");
}

int main(void)
{
    fw_board_init();
    fw_puts("\nfemto-containers firmware on ");
    fw_puts(fw_board_name);
    fw_puts(FC_COMPACT ? ", compact interpreter\n" : ", fast interpreter\n");

    run_conformance();

    /* the port: its clock is the board timer, its log the console */
    uint64_t t1 = fw_port.now_us(fw_port.ctx), until = fw_board_ticks() + fw_board_tick_hz / 10000u;
    while (fw_board_ticks() < until)
        ;
    uint64_t t2 = fw_port.now_us(fw_port.ctx);
    static const char line[] = "port log: a line through fc_port_t::log\n";
    fw_port.log(fw_port.ctx, line, sizeof line - 1);
    fw_check(t2 >= t1 + 100u && t2 < t1 + 1000000u, "port clock advances with the board timer");

    fw_check(fc_rt_init(&rt, &fw_port, global, 8, pool, 32, NULL) == FC_OK &&
                 fc_tenant_add(&rt, &alice, 10, "alice", FC_CAP_STANDARD, 16) == FC_OK &&
                 fc_tenant_add(&rt, &bob, 20, "bob", FC_CAP_STORE_TENANT, 16) == FC_OK,
             "runtime and two tenants");
    run_fletcher();
    run_thread_counter();
    fw_check(fw_hostile_run(&bob) == 0, "hostile containers fault with the right error, memory intact");

    fw_kv("sizeof fc_container_t:", sizeof(fc_container_t));
    fw_kv("sizeof fc_vm_t:", sizeof(fc_vm_t));
    fw_kv("sizeof fc_rt_t:", sizeof(fc_rt_t));
    fw_kv("sizeof fc_tenant_t:", sizeof(fc_tenant_t));
    fw_kv("sizeof fc_hook_t:", sizeof(fc_hook_t));
    fw_kv("per-instance RAM (container and its 512 B stack), bytes:", sizeof(fc_container_t) + STACK_BYTES);

    return fw_result();
}
