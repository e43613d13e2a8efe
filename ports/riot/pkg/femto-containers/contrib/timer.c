/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The periodic timer hook: a ztimer_periodic on ZTIMER_USEC fires it from
 * the timer's callback (ISR context). ZTIMER_USEC rather than ZTIMER_MSEC:
 * on the microbit under QEMU (ztimer_no_periph_rtt, MSEC converted from the
 * periph timer) the converted clock stalled now and then under host load. This is the event-driven form of the
 * original package's `while (1) { ...; bpf_ztimer_periodic_wakeup(); }`
 * containers: the body becomes the entry, the loop becomes the timer.
 */
#include "fc_riot.h"
#include "ztimer.h"
#include "ztimer/periodic.h"
#include "ztimer64.h"

fc_hook_t fc_riot_timer_hook;

static ztimer_periodic_t timer;
static fc_riot_timer_ctx_t ctx;
static uint32_t max_ticks; /* 0: forever */

static bool on_tick(void *arg)
{
    fc_hook_result_t res;
    fc_riot_timer_ctx_t c;
    (void)arg;
    ctx.tick++;
    ctx.now_us = ztimer64_now(ZTIMER64_USEC);
    c = ctx; /* the containers see a copy: the hook's context is read-only anyway */
    fc_hook_fire(&fc_riot_timer_hook, &c, sizeof c, &res);
    return max_ticks == 0 || ctx.tick < max_ticks;
}

int fc_riot_timer_init(fc_rt_t *rt, uint32_t caps, uint32_t budget)
{
    return fc_hook_init(&fc_riot_timer_hook, rt, "timer", FC_POLICY_ALL, FC_MEM_READ, caps, budget);
}

void fc_riot_timer_start(uint32_t period_ms, uint32_t ticks)
{
    max_ticks = ticks;
    ctx.tick = 0;
    ctx.period_ms = period_ms;
    ztimer_periodic_init(ZTIMER_USEC, &timer, on_tick, NULL, period_ms * 1000u);
    ztimer_periodic_start(&timer);
}

uint32_t fc_riot_timer_ticks(void)
{
    return *(volatile uint32_t *)&ctx.tick;
}

uint32_t fc_riot_timer_stop(void)
{
    ztimer_periodic_stop(&timer);
    return ctx.tick;
}
