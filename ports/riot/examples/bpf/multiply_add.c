/* SPDX-License-Identifier: Apache-2.0 */
/* The original package's second tutorial container: a multiply-add over a struct context. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

typedef struct {
    uint64_t first;
    uint64_t second;
} multiply_add_ctx_t;

uint64_t multiply_add(multiply_add_ctx_t *ctx)
{
    return ctx->first * ctx->second + ctx->first;
}
