/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parse a packet buffer: an IPv6 header, then a UDP header, validated
 * field by field (version, next header, lengths), then the payload summed
 * into a ones'-complement checksum. Returns checksum << 16 | dst port, or
 * 0 for a malformed packet.
 */
#include "kernel.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

KERNEL(sock_buffer)
{
    const uint8_t *p = (const uint8_t *)ctx;
    if (len < 48 || (p[0] >> 4) != 6 || p[6] != 17)
        return 0;
    uint16_t plen = be16(p + 4);
    if (plen < 8 || (uint64_t)plen + 40 > len)
        return 0;
    const uint8_t *udp = p + 40;
    uint16_t dport = be16(udp + 2), ulen = be16(udp + 4);
    if (ulen != plen)
        return 0;
    uint32_t sum = 0;
    for (uint16_t i = 8; i + 1 < ulen; i += 2)
        sum += be16(udp + i);
    if (ulen & 1)
        sum += (uint32_t)udp[ulen - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint64_t)(~sum & 0xffff) << 16 | dport;
}
