/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EVA harness for the compact interpreter: every program of up to
 * FC_PROOF_SLOTS slots (any bytes) that the verifier accepts, run from any
 * entry with any r1, r2 and budget, against fixed regions (read-only data,
 * data, stack, a writable context) and two helpers that translate a
 * pointer argument as helpers must. What EVA cannot prove from the
 * interpreter alone is stated at the place it relies on the verifier, as
 * an ACSL assertion in interp_compact.c, and listed in proofs/expected.txt.
 */
#include "__fc_builtin.h"
#include "fc/verify.h"

#ifndef FC_PROOF_SLOTS
#define FC_PROOF_SLOTS 8
#endif

static uint8_t code[FC_PROOF_SLOTS * 8];
static uint8_t rodata[32], data[64], stack[512], ctx[32];

/* a helper writing 4 bytes at args[0], translated as helpers must */
static int helper_put(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    uint8_t *p = fc_vm_translate(vm, args[0], 4, FC_MEM_WRITE);
    if (p == NULL)
        return FC_ERR_MEM;
    for (unsigned k = 0; k < 4; k++)
        p[k] = (uint8_t)(args[1] >> (8 * k));
    *ret = 4;
    return FC_OK;
}

/* a helper reading the first byte of a span, and maybe ending the run */
static int helper_peek(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    uint32_t avail = 0;
    const uint8_t *p = fc_vm_translate_span(vm, args[0], FC_MEM_READ, &avail);
    if (p == NULL)
        return FC_ERR_MEM;
    *ret = p[0] + (uint64_t)avail;
    return args[1] ? FC_STOP : FC_OK;
}

static const fc_helper_t items[2] = {
    { 1, 0, helper_put, "put" },
    { 2, 0, helper_peek, "peek" },
};
static const fc_helper_table_t helpers = { items, 2, NULL };

int main(void)
{
    fc_region_t regions[FC_REGION_EXTRA] = {
        { rodata, sizeof rodata, FC_MEM_READ },
        { data, sizeof data, FC_MEM_READ | FC_MEM_WRITE },
        { stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE },
        { ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE },
    };
    fc_vm_t vm;
    uint64_t r0 = 0;

    Frama_C_make_unknown(code, sizeof code);
    Frama_C_make_unknown(rodata, sizeof rodata);
    size_t len = Frama_C_size_t_interval(0, sizeof code);
    if (fc_vm_init(&vm, code, len, regions, FC_REGION_EXTRA - 1, &helpers) != FC_OK)
        return 1;
    if (fc_vm_verify(&vm, NULL) != FC_OK)
        return 2;
    vm.budget = Frama_C_unsigned_int_interval(0, UINT32_MAX);
    uint32_t entry = Frama_C_unsigned_int_interval(0, FC_PROOF_SLOTS);
    uint64_t r1 = Frama_C_unsigned_long_long_interval(0, UINT64_MAX);
    uint64_t r2 = Frama_C_unsigned_long_long_interval(0, UINT64_MAX);
    int rc = fc_vm_run(&vm, entry, r1, r2, &r0);
    return rc == FC_OK ? (int)(r0 & 0x7f) : -rc;
}
