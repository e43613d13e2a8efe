/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A packet parser: the input as a stream of type-length-value records
 * (1-byte type, 1-byte length), bounds-checked like a filter would; counts
 * the records by type class and sums a 16-bit big-endian field of type 7.
 */
#include "kernel.h"

KERNEL(packet)
{
    const uint8_t *p = (const uint8_t *)ctx;
    uint64_t i = 0, counts[4] = { 0, 0, 0, 0 }, sum = 0, bad = 0;
    while (i + 2 <= len) {
        uint8_t type = p[i], l = (uint8_t)(p[i + 1] & 15);
        if (i + 2 + l > len) {
            bad++;
            break;
        }
        counts[type >> 6]++;
        if ((type & 7) == 7 && l >= 2)
            sum += (uint64_t)p[i + 2] << 8 | p[i + 3];
        i += 2 + l;
    }
    return counts[0] | counts[1] << 12 | counts[2] << 24 | counts[3] << 36 | (sum & 0xffff) << 48 | bad << 63;
}
