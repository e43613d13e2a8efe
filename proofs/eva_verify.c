/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EVA harness for the verifier: every program of up to FC_PROOF_SLOTS slots
 * (any bytes, any length in bytes, so ragged and empty ones too), any
 * capability set, any stack region length up to FC_PROOF_STACK, against a
 * registry of two helpers; then fc_vm_verify_entries() on the same program
 * with any table of up to two entries, or NULL. Built twice by scripts/prove.sh: with
 * FC_COMPACT=1 (every slot on the detailed path) and FC_COMPACT=0 (the
 * fast table loop first).
 */
#include "__fc_builtin.h"
#include "fc/verify.h"

#ifndef FC_PROOF_SLOTS
#define FC_PROOF_SLOTS 16
#endif
#ifndef FC_PROOF_STACK
#define FC_PROOF_STACK 512
#endif

static uint8_t code[FC_PROOF_SLOTS * 8];
static uint8_t stack[FC_PROOF_STACK];

static int helper(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    (void)vm;
    *ret = args[0];
    return FC_OK;
}

static const fc_helper_t items[2] = {
    { 1, 0, helper, "free" },
    { 7, 4, helper, "needs cap 4" },
};
static const fc_helper_table_t helpers = { items, 2, NULL };

int main(void)
{
    fc_region_t regions[FC_REGION_CTX] = { 0 };
    fc_vm_t vm;
    fc_verify_info_t info;

    Frama_C_make_unknown(code, sizeof code);
    size_t len = Frama_C_size_t_interval(0, sizeof code);
    regions[FC_REGION_STACK - 1].host = stack;
    regions[FC_REGION_STACK - 1].len = Frama_C_unsigned_int_interval(0, FC_PROOF_STACK);
    regions[FC_REGION_STACK - 1].flags = FC_MEM_READ | FC_MEM_WRITE;
    if (fc_vm_init(&vm, code, len, regions, FC_REGION_CTX, &helpers) != FC_OK)
        return 1;
    vm.caps = Frama_C_unsigned_int_interval(0, UINT32_MAX);
    int rc = fc_vm_verify(&vm, &info);
    /* and the same program with an entry table: any two slots, or none, or a NULL table */
    uint32_t entries[2];
    entries[0] = Frama_C_unsigned_int_interval(0, UINT32_MAX);
    entries[1] = Frama_C_unsigned_int_interval(0, UINT32_MAX);
    uint32_t nentries = Frama_C_unsigned_int_interval(0, 2);
    int rce = fc_vm_verify_entries(&vm, Frama_C_interval(0, 1) ? entries : NULL, nentries, &info);
    return rc == FC_OK && rce == FC_OK ? vm.frame : -rc;
}
