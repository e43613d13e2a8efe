/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: arbitrary bytes as a program (and its input memory), through
 * the verifier and, when accepted, the interpreter on the raw code and on the
 * specialised copy. The property: nothing the verifier accepts crashes,
 * reads or writes outside its regions (ASan: every region is its own heap
 * block), or behaves differently in the two forms.
 *
 * Input: byte 0 = memory length (mod 64), byte 1 = flags (bit 0: memory is
 * read-only), then the memory, then the program.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fc/conformance.h"
#include "fc/fc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Outcome of the last input (error, pc, r0, memory), for differential replays. */
uint64_t fc_fuzz_digest;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t memlen = data[0] % 64;
    uint32_t ctx_flags = (data[1] & 1) ? FC_MEM_READ : FC_MEM_READ | FC_MEM_WRITE;
    data += 2;
    size -= 2;
    if (memlen > size)
        memlen = size;
    size_t plen = size - memlen;

    uint8_t *prog = malloc(plen ? plen : 1);
    uint8_t *fast = malloc(plen ? plen : 1);
    uint8_t *mem[2] = { malloc(memlen ? memlen : 1), malloc(memlen ? memlen : 1) };
    uint8_t *ro = malloc(16), *rw[2] = { malloc(24), malloc(24) }, *stack[2] = { malloc(512), malloc(512) };
    memcpy(prog, data + memlen, plen);
    memset(ro, 0x5a, 16);

    fc_region_t regions[2][4];
    fc_vm_t vm;
    fc_verify_info_t info;
    uint64_t r0[2] = { 0, 0 };
    int rc[2] = { 0, 0 };
    uint32_t pc[2] = { 0, 0 };

    for (int pass = 0; pass < 2; pass++) {
        memcpy(mem[pass], data, memlen);
        memset(rw[pass], 0, 24);
        memset(stack[pass], 0, 512);
        regions[pass][0] = (fc_region_t){ ro, 16, FC_MEM_READ };
        regions[pass][1] = (fc_region_t){ rw[pass], 24, FC_MEM_READ | FC_MEM_WRITE };
        regions[pass][2] = (fc_region_t){ stack[pass], 512, FC_MEM_READ | FC_MEM_WRITE };
        regions[pass][3] = (fc_region_t){ mem[pass], (uint32_t)memlen, ctx_flags };
        if (fc_vm_init(&vm, prog, plen, regions[pass], 4, &fc_conformance_helpers) != FC_OK)
            break;
        if (fc_vm_verify(&vm, &info) != FC_OK)
            break;
        if (pass == 1) {
            int sr = fc_vm_specialise(&vm, fast, plen);
            if (sr != FC_OK && !(sr == FC_ERR_NOTSUP && !FC_SPECIALISE))
                abort();
        }
        vm.budget = 20000;
        rc[pass] = fc_vm_run(&vm, 0, memlen ? FC_VADDR(FC_REGION_CTX, 0) : 0, memlen, &r0[pass]);
        pc[pass] = vm.pc;
        if (pass == 1) {
            /* both forms must agree on the outcome, the result and the memory */
            if (rc[0] != rc[1] || pc[0] != pc[1] || (rc[0] == FC_OK && r0[0] != r0[1]) ||
                memcmp(mem[0], mem[1], memlen) != 0 || memcmp(rw[0], rw[1], 24) != 0)
                abort();
        }
    }
    for (int k = 0; k < 16; k++)
        if (ro[k] != 0x5a) /* read-only data never changes */
            abort();
    fc_fuzz_digest = (uint64_t)(uint32_t)rc[0] * 0x9e3779b97f4a7c15u ^ pc[0] ^ (r0[0] << 1);
    for (size_t k = 0; k < memlen; k++)
        fc_fuzz_digest = fc_fuzz_digest * 31 + mem[0][k];
    for (size_t k = 0; k < 24; k++)
        fc_fuzz_digest = fc_fuzz_digest * 31 + rw[0][k];
    free(prog);
    free(fast);
    free(mem[0]);
    free(mem[1]);
    free(ro);
    free(rw[0]);
    free(rw[1]);
    free(stack[0]);
    free(stack[1]);
    return 0;
}
