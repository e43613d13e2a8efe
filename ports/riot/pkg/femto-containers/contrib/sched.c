/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler-switch hooks on RIOT's sched_cb. RIOT calls the callback
 * twice per switch, (prev, UNDEF) when it takes a thread off the CPU and
 * (UNDEF, next) when it puts one on; this pairs them so each hook fires once
 * per switch with {previous, next}. A switch that follows an idle period
 * (the first call came long before) is still one event; previous is 0
 * (KERNEL_PID_UNDEF) only for the very first switch.
 *
 * Runs on the ISR stack, inside the scheduler: the hooks should grant no
 * helper that could block or switch threads (no log on a UART driver that
 * sleeps), which is why fc_riot_sched_init() takes the capabilities.
 */
#include "fc_riot.h"
#include "sched.h"

fc_hook_t fc_riot_sched_hook;
fc_hook_t fc_riot_sched_hook_bpf;

/* the SDK's fc_sched_ctx_t (femto/femto.h is container code: not included here) */
typedef struct {
    uint32_t previous;
    uint32_t next;
} sched_ctx32_t;

static kernel_pid_t previous = KERNEL_PID_UNDEF;
static uint32_t switches;

static void on_sched(kernel_pid_t active, kernel_pid_t next)
{
    fc_hook_result_t res;
    if (next == KERNEL_PID_UNDEF) {
        previous = active;
        return;
    }
    switches++;
    /* both hooks read their contexts only: the stack copies are enough */
    sched_ctx32_t c32 = { (uint32_t)previous, (uint32_t)next };
    fc_riot_sched_ctx64_t c64 = { (uint64_t)previous, (uint64_t)next };
    fc_hook_fire(&fc_riot_sched_hook, &c32, sizeof c32, &res);
    fc_hook_fire(&fc_riot_sched_hook_bpf, &c64, sizeof c64, &res);
}

int fc_riot_sched_init(fc_rt_t *rt, uint32_t caps, uint32_t budget)
{
    int err = fc_hook_init(&fc_riot_sched_hook, rt, "sched_switch", FC_POLICY_ALL, FC_MEM_READ,
                           caps, budget);
    if (err == FC_OK)
        err = fc_hook_init(&fc_riot_sched_hook_bpf, rt, "sched_switch64", FC_POLICY_ALL,
                           FC_MEM_READ, caps, budget);
    if (err != FC_OK)
        return err;
    switches = 0;
    sched_register_cb(on_sched);
    return FC_OK;
}

uint32_t fc_riot_sched_switches(void)
{
    return switches;
}
