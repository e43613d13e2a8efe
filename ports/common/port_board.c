/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's port on bare metal: the clock is the board's free-running
 * timer, the log goes to the console, and the lock is absent (NULL) because
 * the firmware fires hooks from one loop and never from an interrupt.
 */
#include "fw.h"

static uint64_t now_us(void *ctx)
{
    (void)ctx;
    return fw_board_ticks() / (fw_board_tick_hz / 1000000u);
}

static void log_text(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    fw_board_write(text, len);
}

static uint32_t random32(void *ctx)
{
    /* xorshift32 seeded from the timer's first read: good enough for demos, not for keys */
    static uint32_t x;
    (void)ctx;
    if (x == 0)
        x = (uint32_t)fw_board_ticks() | 1u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

const fc_port_t fw_port = {
    .ctx = NULL,
    .now_us = now_us,
    .log = log_text,
    .lock = NULL,
    .unlock = NULL,
    .random = random32,
};
