/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential fuzz target: arbitrary bytes as a program and its input
 * memory (the layout of tests/fuzz/fuzz_vm.c, so its corpus replays here
 * too), verified, then run by the interpreter and by the JIT, each on its
 * own copy of every region (separate heap blocks, so ASan sees any escape).
 * The property: both agree on the result, the fault code, the pc, the
 * budget left and the final memory of every region; read-only data never
 * changes. Any difference aborts. A second run from a slot taken from the
 * input checks other entry points the same way.
 *
 * Input: byte 0 = memory length (mod 64), byte 1 = flags (bit 0: memory is
 * read-only; bits 1-7: entry slot of the second run), then the memory,
 * then the program.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fc/code_posix.h"
#include "fc/conformance.h"
#include "fc/fc.h"
#include "fc/jit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint8_t *mem, *ro, *rw, *stack;
    int rc;
    uint64_t r0;
    uint32_t pc, left;
} side_t;

static int run(const uint8_t *prog, size_t plen, const uint8_t *input, size_t memlen, uint32_t flags,
               uint32_t entry, int jit, side_t *o)
{
    fc_region_t regions[4];
    fc_vm_t vm;
    memcpy(o->mem, input, memlen);
    memset(o->ro, 0x5a, 16);
    memset(o->rw, 0, 24);
    memset(o->stack, 0, 512);
    regions[0] = (fc_region_t){ o->ro, 16, FC_MEM_READ };
    regions[1] = (fc_region_t){ o->rw, 24, FC_MEM_READ | FC_MEM_WRITE };
    regions[2] = (fc_region_t){ o->stack, 512, FC_MEM_READ | FC_MEM_WRITE };
    regions[3] = (fc_region_t){ o->mem, (uint32_t)memlen, flags };
    if (fc_vm_init(&vm, prog, plen, regions, 4, &fc_conformance_helpers) != FC_OK ||
        fc_vm_verify(&vm, NULL) != FC_OK)
        return 0;
    const void *code = NULL;
    if (jit && (fc_code_posix_jit(&vm, &code, NULL) != FC_OK || !(vm.verified & FC_VERIFIED_JIT)))
        abort(); /* every verified program compiles */
    vm.budget = 20000;
    o->r0 = 0;
    o->rc = fc_vm_run(&vm, entry, memlen ? FC_VADDR(FC_REGION_CTX, 0) : 0, memlen, &o->r0);
    o->pc = vm.pc;
    o->left = vm.left;
    if (o->rc != FC_OK)
        o->r0 = 0;
    fc_code_posix_free(NULL, code);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t memlen = data[0] % 64;
    uint32_t flags = (data[1] & 1) ? FC_MEM_READ : FC_MEM_READ | FC_MEM_WRITE;
    uint32_t entry2 = data[1] >> 1;
    data += 2;
    size -= 2;
    if (memlen > size)
        memlen = size;
    size_t plen = size - memlen;
    uint8_t *prog = malloc(plen ? plen : 1);
    memcpy(prog, data + memlen, plen);
    side_t s[2];
    for (int k = 0; k < 2; k++) {
        s[k].mem = malloc(memlen ? memlen : 1);
        s[k].ro = malloc(16);
        s[k].rw = malloc(24);
        s[k].stack = malloc(512);
    }
    const uint32_t entries[2] = { 0, plen / 8 ? entry2 % (uint32_t)(plen / 8) : 0 };
    for (int e = 0; e < 2; e++) {
        if (!run(prog, plen, data, memlen, flags, entries[e], 0, &s[0]))
            break;
        run(prog, plen, data, memlen, flags, entries[e], 1, &s[1]);
        if (s[0].rc != s[1].rc || s[0].r0 != s[1].r0 || s[0].pc != s[1].pc || s[0].left != s[1].left ||
            memcmp(s[0].mem, s[1].mem, memlen) != 0 || memcmp(s[0].rw, s[1].rw, 24) != 0 ||
            memcmp(s[0].stack, s[1].stack, 512) != 0)
            abort();
        for (int k = 0; k < 2; k++)
            for (int b = 0; b < 16; b++)
                if (s[k].ro[b] != 0x5a)
                    abort();
    }
    for (int k = 0; k < 2; k++) {
        free(s[k].mem);
        free(s[k].ro);
        free(s[k].rw);
        free(s[k].stack);
    }
    free(prog);
    return 0;
}
