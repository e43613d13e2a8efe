/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32 (IEEE, reflected) with a 16-entry nibble table in .rodata. */
#include "kernel.h"

static const uint32_t table[16] = {
    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
    0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

KERNEL(crc32)
{
    const uint8_t *p = (const uint8_t *)ctx;
    uint32_t crc = 0xffffffffu;
    for (uint64_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = table[crc & 15] ^ (crc >> 4);
        crc = table[crc & 15] ^ (crc >> 4);
    }
    return ~crc;
}
