/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fletcher-32 of the context, as in the Femto-Containers paper: 16-bit
 * little-endian words, sums reduced modulo 65535 every 360 words. The
 * headline benchmark (bench/kernels/fletcher32.c is the same code).
 *
 * Build: femto build fletcher32.c -o fletcher32.img
 * Run:   femto run fletcher32.img --mem ../shared/bench/fletcher32-input.txt
 *        -> r0 = 0x8a49b4c2 on the shared 360-byte input
 * Context (read-only): the bytes to checksum, an even number of them (an
 * odd length is rounded up, and reading the byte past the end faults).
 */
#include <femto/femto.h>

static uint32_t fletcher32(const uint16_t *data, size_t len)
{
    uint32_t c0 = 0, c1 = 0;
    len = (len + 1) & ~(size_t)1; /* round up to whole words */
    while (len > 0) {
        size_t blocklen = len > 360 * 2 ? 360 * 2 : len;
        len -= blocklen;
        do {
            c0 = c0 + *data++;
            c1 = c1 + c0;
        } while ((blocklen -= 2));
        c0 = c0 % 65535;
        c1 = c1 % 65535;
    }
    return c1 << 16 | c0;
}

FC_ENTRY(fletcher32) uint64_t checksum(const void *ctx, uint64_t len)
{
    return fletcher32((const uint16_t *)ctx, (size_t)len);
}
