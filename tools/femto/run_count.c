/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exact number of instructions a `femto run` executes. The core counts
 * them when built with FC_COUNT_INSNS=1 (one increment per dispatched
 * instruction, FC_COUNT_INSN in vm_internal.h), which the tool's fc_core is
 * not: so src/core/interp.c, the same source, is compiled here a second time
 * with counting on, its one public function renamed, and without the JIT
 * dispatch (the count is of the interpreter's dispatches). Everything else
 * (helpers, translation, the verifier) is the tool's fc_core. Run on the raw
 * code, dispatches are instructions: each specialised form would count once
 * for the several instructions it fuses.
 */
#undef FC_COUNT_INSNS
#define FC_COUNT_INSNS 1
#undef FC_JIT
#define FC_JIT 0
#define fc_vm_run femto_vm_run_counting
#define fc_insn_count femto_insn_count
#define fc_insn_hist femto_insn_hist

#include "../../src/core/interp.c"

#include "fc/jit.h"
#include "run_count.h"

uint64_t femto_insn_count, femto_insn_hist[256];

int femto_run_counted(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    if (vm == NULL)
        return FC_ERR_INVAL;
    /* the raw code: neither the specialised copy nor compiled code (restored after) */
    const uint8_t *fast = vm->fast;
    uint8_t verified = vm->verified;
    vm->fast = NULL;
    vm->verified = (uint8_t)(verified & ~FC_VERIFIED_JIT);
    int err = femto_vm_run_counting(vm, entry, r1, r2, r0);
    vm->fast = fast;
    vm->verified = verified;
    return err;
}
