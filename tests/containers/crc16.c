/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-16/CCITT-FALSE, bit by bit and with a table built at run time: both must agree. */
#include <femto/femto.h>

static uint16_t table[256];

static uint16_t crc16_bitwise(const uint8_t *p, uint64_t n)
{
    uint16_t crc = 0xffff;
    for (uint64_t i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    for (unsigned v = 0; v < 256; v++) {
        uint16_t c = (uint16_t)(v << 8);
        for (int b = 0; b < 8; b++)
            c = (uint16_t)(c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1);
        table[v] = c;
    }
    uint16_t crc = 0xffff;
    for (uint64_t i = 0; i < len; i++)
        crc = (uint16_t)((crc << 8) ^ table[(uint8_t)((crc >> 8) ^ ctx[i])]);
    return (uint64_t)crc << 16 | crc16_bitwise(ctx, len);
}
