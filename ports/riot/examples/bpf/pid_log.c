/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The talk's thread counter as written for RIOT's original Femto-Container
 * package: attached to the scheduler hook, it counts the switches into each
 * thread in the global store (key = pid). Builds unchanged with `femto build`.
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

typedef struct {
    uint64_t previous;
    uint64_t next;
} pid_ctx_t;

int pid_log(pid_ctx_t *ctx)
{
    if (ctx->next != 0) {
        uint32_t counter;
        uint32_t key = ctx->next;
        bpf_fetch_global(key, &counter);
        counter++;
        bpf_store_global(key, counter);
    }
    return 0;
}
