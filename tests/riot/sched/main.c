/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto-containers on RIOT's scheduler, timers and port: the checks print
 * "ok ..." / "FAIL ..." lines, "checks: N passed, M failed" and
 * "RIOT RESULT: PASS" (scripts/riot-tests.sh reads them). No check depends on
 * timing: the switch counts are exact because the workers block in
 * msg_receive() and run only when main sends them a message.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fc/image.h"
#include "riot_check.h"
#include "fc_riot.h"
#include "msg.h"
#include "thread.h"
#include "ztimer.h"

extern const uint8_t riot_img_thread_counter[], riot_img_pid_log[], riot_img_increment[],
    riot_img_multiply_add[], riot_img_tick_counter[], riot_img_spin[];
extern const size_t riot_img_thread_counter_len, riot_img_pid_log_len, riot_img_increment_len,
    riot_img_multiply_add_len, riot_img_tick_counter_len, riot_img_spin_len;

#define ROUNDS 100u /* messages main sends each worker */
#define STACK  CONFIG_FEMTO_CONTAINERS_STACK

typedef struct {
    fc_container_t c;
    uint8_t ram[32] __attribute__((aligned(8)));
    uint8_t stack[STACK] __attribute__((aligned(8)));
    uint32_t entry;
} slot_t;

static fc_rt_t rt;
static fc_store_entry_t global[CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE];
static fc_store_entry_t pool[CONFIG_FEMTO_CONTAINERS_TENANT_STORE];
static fc_tenant_t alice, bob;
static slot_t tc_alice, tc_bob, pid_log, spin, misc;
static uint32_t budget_faults, other_faults;

/* under the runtime's lock, in sched_cb: count only */
static void on_fault(const fc_hook_t *hook, const fc_fault_t *fault, void *arg)
{
    (void)hook;
    (void)arg;
    if (fault->container == &spin.c && fault->err == FC_ERR_BUDGET)
        budget_faults++;
    else
        other_faults++;
}
static char worker_stack[2][THREAD_STACKSIZE_DEFAULT];

static int load(slot_t *s, fc_tenant_t *t, const uint8_t *buf, size_t len, const char *entry)
{
    fc_image_t img;
    int rc = fc_image_parse(&img, buf, len);
    if (rc == FC_OK)
        rc = fc_image_entry(&img, entry, &s->entry);
    if (rc == FC_OK)
        rc = fc_container_load(&s->c, t, &img, s->ram, sizeof s->ram, s->stack, sizeof s->stack,
                               NULL, 0, NULL);
    if (rc != FC_OK)
        printf("load %s: %s\n", entry, fc_strerror(rc));
    return rc;
}

/*
 * The ISR stack, where sched_cb runs the scheduler hooks: painted before the
 * switches, scanned after, to measure what the runs used of the size the
 * package's Makefile.include gives it (FC_ISR_STACKSIZE).
 */
#if defined(__arm__)
extern uint8_t _sstack[], _estack[];
#define ISR_LO _sstack
#define ISR_HI _estack
#elif defined(__riscv)
extern uint8_t _eheap[], _sp[];
#define ISR_LO _eheap
#define ISR_HI _sp
#endif
#define ISR_PAINT 0x5au
#define ISR_KEEP  256u /* the top bytes an interrupt may be using while painting */

static void isr_paint(void)
{
#ifdef ISR_LO
    /* addresses, not array arithmetic: the linker symbols have no C size */
    for (uintptr_t a = (uintptr_t)ISR_LO; a < (uintptr_t)ISR_HI - ISR_KEEP; a++)
        *(volatile uint8_t *)a = ISR_PAINT;
#endif
}

static void isr_report(void)
{
#ifdef ISR_LO
    uintptr_t a = (uintptr_t)ISR_LO, hi = (uintptr_t)ISR_HI;
    while (a < hi && *(const volatile uint8_t *)a == ISR_PAINT)
        a++;
    unsigned used = (unsigned)(hi - a), size = (unsigned)(hi - (uintptr_t)ISR_LO);
    printf("ISR stack: %u of %u bytes used (sched_cb running the containers)\n", used, size);
    check(used + 64u < size, "the ISR stack the package raised holds the scheduler hook's runs");
#endif
}

static void *worker(void *arg)
{
    (void)arg;
    msg_t m, reply;
    for (;;) {
        msg_receive(&m);
        reply.content.value = m.content.value + 1;
        msg_reply(&m, &reply);
    }
    return NULL;
}

static void run_sched(void)
{
    kernel_pid_t w[2];
    uint64_t v;
    bool ok;

    ok = load(&tc_alice, &alice, riot_img_thread_counter, riot_img_thread_counter_len,
              "thread_counter") == FC_OK &&
         load(&tc_bob, &bob, riot_img_thread_counter, riot_img_thread_counter_len,
              "thread_counter") == FC_OK &&
         load(&pid_log, &alice, riot_img_pid_log, riot_img_pid_log_len, "pid_log") == FC_OK &&
         load(&spin, &bob, riot_img_spin, riot_img_spin_len, "spin") == FC_OK;
    check(ok, "thread counter (SDK, two tenants), pid_log (original package), a spinning container loaded");
    ok = fc_riot_sched_init(&rt, FC_CAP_STORE_TENANT | FC_CAP_STORE_GLOBAL,
                            CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET) == FC_OK &&
         fc_hook_attach(&fc_riot_sched_hook, &tc_alice.c, tc_alice.entry, 0, NULL) == FC_OK &&
         fc_hook_attach(&fc_riot_sched_hook, &tc_bob.c, tc_bob.entry, 1, NULL) == FC_OK &&
         fc_hook_attach(&fc_riot_sched_hook_bpf, &pid_log.c, pid_log.entry, 0, NULL) == FC_OK &&
         fc_hook_attach(&fc_riot_sched_hook, &spin.c, spin.entry, -1, NULL) == FC_OK;
    fc_hook_on_fault(&fc_riot_sched_hook, on_fault, NULL);
    check(ok, "attached to the sched_cb hooks ({u32,u32} and the original {u64,u64})");

    isr_paint();
    /* workers above main's priority: each runs once at creation, then once per message */
    for (int i = 0; i < 2; i++)
        w[i] = thread_create(worker_stack[i], sizeof worker_stack[i], THREAD_PRIORITY_MAIN - 1,
                             0, worker, NULL, i ? "w1" : "w0");
    uint32_t replies = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < 2; i++) {
            msg_t m, reply;
            m.content.value = r;
            if (msg_send_receive(&m, &reply, w[i]) == 1 && reply.content.value == r + 1)
                replies++;
        }
    }
    ok = fc_hook_detach(&fc_riot_sched_hook, &tc_alice.c) == FC_OK &&
         fc_hook_detach(&fc_riot_sched_hook, &tc_bob.c) == FC_OK &&
         fc_hook_detach(&fc_riot_sched_hook_bpf, &pid_log.c) == FC_OK &&
         fc_hook_detach(&fc_riot_sched_hook, &spin.c) == FC_OK;
    check(ok && replies == 2 * ROUNDS, "workers answered every message, containers detached");
    isr_report();

    uint32_t sw = fc_riot_sched_switches();
    printf("switches seen by the hook: %lu\n", (unsigned long)sw);
    printf("spinning container stopped by the budget: %lu times, other faults %lu\n",
           (unsigned long)budget_faults, (unsigned long)other_faults);
    check(budget_faults >= 4 * ROUNDS && budget_faults <= sw && other_faults == 0,
          "a spinning container on the scheduler hook ends by its budget at every switch, "
          "the others run after it");
    for (int i = 0; i < 2; i++) {
        uint64_t a = 0, b = 0, g = 0;
        fc_tenant_get(&alice, (uint32_t)w[i], &a);
        fc_tenant_get(&bob, (uint32_t)w[i], &b);
        fc_rt_global_get(&rt, (uint32_t)w[i], &g);
        /* %lu: newlib-nano's printf has no 64-bit conversions */
        printf("worker pid %d: thread_counter alice %lu, bob %lu, pid_log %lu (expected %u)\n",
               (int)w[i], (unsigned long)a, (unsigned long)b, (unsigned long)g, ROUNDS + 1);
        check(a == ROUNDS + 1 && b == ROUNDS + 1,
              "thread counter: switches into the worker counted exactly, in both tenants");
        check(g == ROUNDS + 1, "pid_log: the original container counts the same switches");
    }
    v = 0;
    ok = fc_tenant_get(&alice, (uint32_t)thread_getpid(), &v) == FC_OK && v >= 2 * ROUNDS &&
         v < sw;
    printf("main pid %d: %lu switches in\n", (int)thread_getpid(), (unsigned long)v);
    check(ok, "switches into main counted (at least one per message)");
}

static void run_original(void)
{
    uint64_t r0 = 0;
    uint64_t n = 41; /* the container's unsigned long is 64 bits wide */
    struct {
        uint64_t first, second;
    } md = { 6, 7 };
    bool ok = load(&misc, &alice, riot_img_increment, riot_img_increment_len, "increment") == FC_OK &&
              fc_container_run(&misc.c, misc.entry, &n, sizeof n, FC_MEM_READ, &r0) == FC_OK &&
              r0 == 42;
    fc_container_remove(&misc.c);
    check(ok, "original tutorial: increment(41) = 42");
    ok = load(&misc, &alice, riot_img_multiply_add, riot_img_multiply_add_len, "multiply_add") ==
             FC_OK &&
         fc_container_run(&misc.c, misc.entry, &md, sizeof md, FC_MEM_READ, &r0) == FC_OK &&
         r0 == 6 * 7 + 6;
    fc_container_remove(&misc.c);
    check(ok, "original tutorial: multiply_add({6, 7}) = 48");
}

static void run_timer(void)
{
    uint64_t count = 0, last = 0;
    bool ok = load(&misc, &bob, riot_img_tick_counter, riot_img_tick_counter_len,
                   "tick_counter") == FC_OK &&
              fc_riot_timer_init(&rt, FC_CAP_STORE_TENANT, CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET) ==
                  FC_OK &&
              fc_hook_attach(&fc_riot_timer_hook, &misc.c, misc.entry, 0, NULL) == FC_OK;
    check(ok, "tick counter attached to the periodic timer hook");
    /* wait for the ticks themselves, not a second timer: QEMU's time is not wall time */
    fc_riot_timer_start(10, 10); /* ten ticks, then the timer stops itself */
    for (unsigned i = 0; i < 1000 && fc_riot_timer_ticks() < 10; i++)
        ztimer_sleep(ZTIMER_USEC, 5000); /* the ticks' own clock: QEMU's MSEC lagged behind */
    uint32_t ticks = fc_riot_timer_stop();
    ok = fc_hook_detach(&fc_riot_timer_hook, &misc.c) == FC_OK &&
         fc_tenant_get(&bob, 1000, &count) == FC_OK && fc_tenant_get(&bob, 1001, &last) == FC_OK;
    printf("timer: %lu ticks fired, container counted %lu, last tick %lu\n", (unsigned long)ticks,
           (unsigned long)count, (unsigned long)last);
    check(ok && ticks == 10 && count == ticks && last == ticks,
          "timer hook: the container ran at every tick and saw its number");
    fc_container_remove(&misc.c);
}

#ifdef FC_RIOT_FW_CHECKS
unsigned fc_riot_fw_checks(void);
#endif

int main(void)
{
#ifdef FC_RIOT_FW_CHECKS
    check(fc_riot_fw_checks() == 0, "the runtime's own checks on RIOT (tests/riot/modules/fc_riot_fwtests)");
#endif
    printf("femto-containers on RIOT (%s), %s interpreter\n", RIOT_BOARD,
           FC_COMPACT ? "compact" : "fast");
    check(fc_rt_init(&rt, &fc_riot_port, global, CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE, pool,
                     CONFIG_FEMTO_CONTAINERS_TENANT_STORE, NULL) == FC_OK &&
              fc_tenant_add(&rt, &alice, 10, "alice",
                            FC_CAP_STORE_TENANT | FC_CAP_STORE_GLOBAL, 12) == FC_OK &&
              fc_tenant_add(&rt, &bob, 20, "bob", FC_CAP_STORE_TENANT, 12) == FC_OK,
          "runtime on the RIOT port, two tenants");
    uint64_t t0 = fc_riot_port.now_us(NULL);
    ztimer_sleep(ZTIMER_USEC, 2000);
    check(fc_riot_port.now_us(NULL) > t0, "port clock (ztimer64) moves across a sleep");
    run_sched();
    run_original();
    run_timer();
    printf("sizeof fc_container_t: %u, per instance with its %u B stack: %u\n",
           (unsigned)sizeof(fc_container_t), (unsigned)STACK,
           (unsigned)(sizeof(fc_container_t) + STACK));
    printf("checks: %u passed, %u failed\n", passes, failures);
    printf("RIOT RESULT: %s\n", failures == 0 ? "PASS" : "FAIL");
    return 0;
}
