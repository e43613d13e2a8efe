/* SPDX-License-Identifier: Apache-2.0 */
/* Fletcher-32 as in the Femto-Containers paper: 16-bit words, blocks of 360 words. */
#include "kernel.h"

static uint32_t fletcher32(const uint16_t *data, size_t len)
{
    uint32_t c0, c1;
    len = (len + 1) & ~(size_t)1; /* round up to words */
    for (c0 = c1 = 0; len > 0;) {
        size_t blocklen = len;
        if (blocklen > 360 * 2)
            blocklen = 360 * 2;
        len -= blocklen;
        do {
            c0 = c0 + *data++;
            c1 = c1 + c0;
        } while ((blocklen -= 2));
        c0 = c0 % 65535;
        c1 = c1 % 65535;
    }
    return (c1 << 16 | c0);
}

KERNEL(fletcher32)
{
    return fletcher32((const uint16_t *)ctx, (size_t)len);
}
