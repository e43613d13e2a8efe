/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fc_hook_fire() against concurrent attach/detach, built with
 * -fsanitize=thread (tests/package/CMakeLists.txt): fire's lock-free "is
 * anything attached?" read of the hook list races with the writers unless
 * both sides are atomic. One thread attaches and detaches a container that
 * returns 42 until the main thread, firing the hook, has seen it both empty
 * and attached SEEN times. Each fire must run nothing or
 * run the container once with r0 = 42; ThreadSanitizer fails the test
 * (exit 66) on any data race.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "fc/hook.h"
#include "fc/isa.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"

/* fire until both states were seen this often (a cap keeps a broken build from spinning) */
#define SEEN 200
#define CAP 5000000L

static fc_rt_t rt;
static fc_tenant_t tenant;
static fc_hook_t hook;
static fc_container_t box;
static uint8_t stack[512];
static int stop;
static long churns, attach_errors;

/* attach and detach until the main thread has seen both states often enough */
static void *churn(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        if (fc_hook_attach(&hook, &box, 0, 0, NULL) != FC_OK)
            attach_errors++;
        sched_yield();
        if (fc_hook_detach(&hook, &box) != FC_OK)
            attach_errors++;
        churns++;
        sched_yield();
    }
    return NULL;
}

int main(void)
{
    fc_port_posix_t st;
    fc_port_t port;
    static fc_store_entry_t pool[4];
    uint8_t code[16];
    fc_insn_encode(code, (fc_insn_t){ 0xb7, 0, 0, 0, 42 }); /* r0 = 42 */
    fc_insn_encode(code + 8, (fc_insn_t){ 0x95, 0, 0, 0, 0 }); /* exit */
    if (fc_port_posix_init(&st, &port, NULL, NULL, 0) != FC_OK ||
        fc_rt_init(&rt, &port, NULL, 0, pool, 4, NULL) != FC_OK ||
        fc_tenant_add(&rt, &tenant, 1, "t", 0, 4) != FC_OK ||
        fc_hook_init(&hook, &rt, "h", FC_POLICY_ALL, 0, 0, 1000) != FC_OK ||
        fc_container_load_code(&box, &tenant, code, sizeof code, NULL, 0, stack, sizeof stack,
                               NULL, 0, NULL) != FC_OK) {
        printf("FAIL set-up\n");
        return 1;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, churn, NULL) != 0)
        return 1;
    long fires = 0, ran = 0, wrong = 0;
    while ((ran < SEEN || fires - ran - wrong < SEEN) && fires < CAP) {
        fc_hook_result_t res;
        int n = fc_hook_fire(&hook, NULL, 0, &res);
        fires++;
        if (n == 1 && res.r0 == 42 && res.faults == 0)
            ran++;
        else if (n != 0)
            wrong++;
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    fc_hook_result_t last;
    int n_last = fc_hook_fire(&hook, NULL, 0, &last);
    printf("%ld fires: %ld ran the container, %ld found the hook empty, %ld wrong; "
           "%ld attach/detach rounds, %ld errors; after the churn %d ran\n",
           fires, ran, fires - ran - wrong, wrong, churns, attach_errors, n_last);
    fc_port_posix_fini(&st);
    return wrong == 0 && attach_errors == 0 && n_last == 0 && fires < CAP ? 0 : 1;
}
