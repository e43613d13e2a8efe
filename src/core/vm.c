/* SPDX-License-Identifier: Apache-2.0 */
/* VM set-up, address translation for helpers, helper lookup. */
#include "fc/isa.h"
#include "fc/vm.h"
#include "vm_internal.h"

int fc_vm_init(fc_vm_t *vm, const uint8_t *code, size_t len,
               fc_region_t *regions, uint8_t nregions,
               const fc_helper_table_t *helpers)
{
    if (vm == NULL || regions == NULL || nregions < FC_REGION_STACK)
        return FC_ERR_INVAL;
    if (code == NULL && len != 0)
        return FC_ERR_INVAL;
    *vm = (fc_vm_t){ 0 };
    vm->code = code;
    vm->regions = regions;
    vm->nregions = nregions;
    vm->helpers = helpers;
    vm->budget = FC_BUDGET_DEFAULT;
    if (len % FC_INSN_SIZE)
        return FC_ERR_RAGGED;
    if (len / FC_INSN_SIZE > FC_PROGRAM_SLOTS_MAX)
        return FC_ERR_TOO_BIG;
    vm->nslots = (uint32_t)(len / FC_INSN_SIZE);
    return FC_OK;
}

void *fc_vm_translate(const fc_vm_t *vm, uint64_t vaddr, uint64_t len, uint32_t access)
{
    if (vm == NULL || access == 0)
        return NULL;
    return fc_mem_xlate(vm->regions, vm->nregions, vaddr, len, access);
}

void *fc_vm_translate_span(const fc_vm_t *vm, uint64_t vaddr, uint32_t access, uint32_t *avail)
{
    uint64_t idx = (vaddr >> 32) - 1u;
    uint8_t *p = fc_vm_translate(vm, vaddr, 1, access);
    /* p != NULL implies idx < nregions; the second test says so to EVA */
    if (p == NULL || idx >= vm->nregions) {
        if (avail)
            *avail = 0;
        return NULL;
    }
    if (avail)
        *avail = vm->regions[idx].len - (uint32_t)vaddr;
    return p;
}

int fc_vm_charge(fc_vm_t *vm, uint64_t units)
{
    if (units > vm->left)
        return FC_ERR_BUDGET;
    vm->left -= (uint32_t)units;
    return FC_OK;
}

#if FC_COUNT_INSNS
uint64_t fc_insn_count, fc_insn_hist[256];
#endif

const fc_helper_t *fc_vm_helper(const fc_vm_t *vm, uint32_t id)
{
    for (const fc_helper_table_t *t = vm->helpers; t != NULL; t = t->next)
        for (uint32_t i = 0; i < t->count; i++)
            if (t->items[i].id == id && t->items[i].fn != NULL)
                return &t->items[i];
    return NULL;
}
