/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In the original package's style: on the scheduler hook ({u64 previous,
 * next}), counts every switch into the global key 0x50 that the CoAP counter
 * (coap_counter.c) answers with.
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

#define SHARED_KEY 0x50

typedef struct {
    uint64_t previous;
    uint64_t next;
} pid_ctx_t;

int switch_total(pid_ctx_t *ctx)
{
    uint32_t counter;
    (void)ctx;
    bpf_fetch_global(SHARED_KEY, &counter);
    bpf_store_global(SHARED_KEY, counter + 1);
    return 0;
}
