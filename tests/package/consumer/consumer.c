/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An out-of-tree program built against an installed femto-containers,
 * once through pkg-config and once through find_package (consume.sh):
 * verifies and runs "r0 = 1 + 2 + ... + r1" and shows a rejection, so the
 * installed headers, libraries and version header are all exercised.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fc/fc.h"
#include "fc/image.h"
#include "fc/version.h"

int main(int argc, char **argv)
{
    static const fc_insn_t prog[] = {
        { 0xb7, 0, 0, 0, 0 },  /* r0 = 0 */
        { 0x15, 1, 0, 3, 0 },  /* if r1 == 0 goto exit */
        { 0x0f, 0, 1, 0, 0 },  /* r0 += r1 */
        { 0x07, 1, 0, 0, -1 }, /* r1 -= 1 */
        { 0x05, 0, 0, -4, 0 }, /* goto the test */
        { 0x95, 0, 0, 0, 0 },  /* exit */
    };
    static uint8_t code[sizeof prog / sizeof prog[0] * 8];
    static uint64_t stack[512 / 8];
    fc_region_t regions[3] = {
        { NULL, 0, FC_MEM_READ },
        { NULL, 0, FC_MEM_READ | FC_MEM_WRITE },
        { (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE },
    };
    fc_vm_t vm;
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 100, r0 = 0;

    for (size_t i = 0; i < sizeof prog / sizeof prog[0]; i++)
        fc_insn_encode(code + 8 * i, prog[i]);
    int rc = fc_vm_init(&vm, code, sizeof code, regions, 3, NULL);
    vm.budget = 1000000;
    if (rc == FC_OK)
        rc = fc_vm_verify(&vm, NULL);
    if (rc == FC_OK)
        rc = fc_vm_run(&vm, 0, n, 0, &r0);
    if (rc != FC_OK) {
        fprintf(stderr, "consumer: %s\n", fc_strerror(rc));
        return 1;
    }
    /* a program with no instructions is rejected with its named code */
    int empty = fc_vm_init(&vm, code, 0, regions, 3, NULL);
    if (empty == FC_OK)
        empty = fc_vm_verify(&vm, NULL);
    printf("femto-containers %s (0x%06x): sum(1..%llu) = %llu; empty program: %s\n",
           FC_VERSION_STRING, (unsigned)FC_VERSION_NUMBER, (unsigned long long)n,
           (unsigned long long)r0, fc_strerror(empty));
    return 0;
}
