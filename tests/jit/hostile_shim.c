/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile suite's runs through the JIT: a verified VM not yet compiled
 * (or re-verified since) is compiled into W^X code memory, then run; the
 * suite's assertions (fault codes, pcs, canaries around every region) then
 * hold for the compiled code. A run that could not be compiled fails.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fc/code_posix.h"
#include "fc/jit.h"
#include "fc/verify.h"

int jit_hostile_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);

static const void *code;
static const fc_vm_t *owner;
static unsigned compiled;

static void report(void)
{
    fprintf(stderr, "hostile suite through the JIT: %u programs compiled\n", compiled);
}

int jit_hostile_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    if (vm != NULL && (vm->verified & FC_VERIFIED) && !(vm->verified & FC_VERIFIED_JIT)) {
        if (owner == vm) {
            fc_code_posix_free(NULL, code);
            code = NULL;
        }
        if (compiled++ == 0)
            atexit(report);
        int err = fc_code_posix_jit(vm, &code, NULL);
        if (err != FC_OK) {
            fprintf(stderr, "JIT: %s\n", fc_strerror(err));
            abort();
        }
        owner = vm;
    }
    return fc_vm_run(vm, entry, r1, r2, r0);
}
