/* SPDX-License-Identifier: Apache-2.0 */
/* femto run's instruction counter: the core's interpreter built once more to count (run_count.c). */
#ifndef FEMTO_RUN_COUNT_H
#define FEMTO_RUN_COUNT_H

#include <stdint.h>

#include "fc/vm.h"

/**
 * fc_vm_run() of the raw interpreter (never the specialised copy nor the
 * JIT: it runs fc_vm_t::code), counting each instruction it executes into
 * femto_insn_count: an lddw counts once, a helper call once, whatever the
 * helper does. Same results, faults and budget as every engine.
 */
int femto_run_counted(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);

/** Instructions femto_run_counted() executed since it was last set to 0. */
extern uint64_t femto_insn_count;

#endif /* FEMTO_RUN_COUNT_H */
