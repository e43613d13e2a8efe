/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The native side of the container corpus: the same container source
 * (FC_CONTAINER, included below) compiled by the host compiler against the
 * host's C library, its entry run() called on a file's bytes, the result
 * printed as `femto run` prints r0. Compiled as C or, for .cpp, as C++.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include FC_CONTAINER

#ifndef FC_TEST_ENTRY
#define FC_TEST_ENTRY run /* the corpus' entry; -DFC_TEST_ENTRY=checksum for fletcher32 */
#endif

int main(int argc, char **argv)
{
    static uint8_t buf[65536];
    if (argc != 2) {
        fprintf(stderr, "usage: %s INPUT\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 3;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    uint64_t r = (uint64_t)FC_TEST_ENTRY(buf, n);
    printf("r0 = 0x%llx (%lld)\n", (unsigned long long)r, (long long)r);
    return 0;
}
