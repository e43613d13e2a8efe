/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A sensor reader in the original package's style: finds the first
 * temperature sensor through SAUL, reads it and formats it with
 * bpf_fmt_s16_dfp into the context (a writable text buffer), e.g. "23.45".
 * Returns the raw value, or -1 without a sensor.
 */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

typedef struct {
    int32_t unit;
    int32_t scale;
    char text[24];
} saul_ctx_t;

int saul_temp(saul_ctx_t *ctx)
{
    phydat_t data;
    bpf_saul_reg_t *dev = bpf_saul_reg_find_type(SAUL_SENSE_TEMP);
    if (dev == NULL || bpf_saul_reg_read(dev, &data) < 1)
        return -1;
    size_t n = bpf_fmt_s16_dfp(ctx->text, data.val[0], -data.scale);
    ctx->text[n] = '\0';
    ctx->unit = data.unit;
    ctx->scale = data.scale;
    return data.val[0];
}
