/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile container for the scheduler hook: never returns. The hook's
 * instruction budget ends every run (FC_ERR_BUDGET) inside sched_cb, and the
 * containers after it still run (tests/riot/sched).
 */
#include <stdint.h>

int spin(const void *ctx, uint32_t len)
{
    volatile uint32_t n = len;
    (void)ctx;
    for (;;)
        n++;
    return (int)n;
}
