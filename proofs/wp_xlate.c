/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WP target for the translation functions: vm.c holds fc_vm_translate and
 * fc_vm_translate_span; this file makes the interpreter's static inline
 * fc_mem_xlate_insn reachable so its contract is proven too.
 */
#include "../src/core/vm_internal.h"

uint8_t *fc_proof_xlate_insn(const fc_region_t *regions, uint32_t nregions, uint64_t addr,
                             uint32_t size, uint32_t access);

uint8_t *fc_proof_xlate_insn(const fc_region_t *regions, uint32_t nregions, uint64_t addr,
                             uint32_t size, uint32_t access)
{
    return fc_mem_xlate_insn(regions, nregions, addr, size, access);
}
