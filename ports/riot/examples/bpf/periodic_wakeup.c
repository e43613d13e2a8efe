/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A long-running container of the original package's style: refused at build
 * time, because a container may not block. tests/riot checks the message.
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

int sensor_loop(void *ctx)
{
    (void)ctx;
    uint32_t last = bpf_ztimer_now();
    while (1) {
        bpf_printf("tick %u\n", bpf_now_ms());
        bpf_ztimer_periodic_wakeup(&last, 1000);
    }
    return 0;
}
