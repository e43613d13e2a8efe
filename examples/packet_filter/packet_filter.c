/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A packet filter: attached to a network hook that hands it each incoming
 * IPv4 packet (from the IP header on), it returns 1 to accept and 0 to drop,
 * by header fields, and counts each drop reason in its container-local store
 * so the operator can read why packets were dropped.
 *
 * Rules, in order:
 *   - not IPv4, a header shorter than 20 bytes or longer than the packet: drop (BAD)
 *   - a fragment other than the first: drop (FRAGMENT)
 *   - a source in a blocked network (blocked_nets below): drop (SOURCE)
 *   - TCP or UDP to a blocked destination port (blocked_ports below): drop (PORT)
 *   - any protocol but ICMP, TCP and UDP: drop (PROTOCOL)
 *   - otherwise accept.
 *
 * Build: femto build packet_filter.c -o packet_filter.img
 * Context (read-only): the packet, from the first byte of its IPv4 header.
 * Returns 1 accept, 0 drop. Local store: key = DROP_* reason, value = count.
 */
#include <femto/femto.h>

enum { DROP_BAD = 1, DROP_FRAGMENT, DROP_SOURCE, DROP_PORT, DROP_PROTOCOL };

#define IPPROTO_ICMP 1
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17

/* Networks we refuse packets from: address and prefix mask, host order. */
static const struct {
    uint32_t net, mask;
} blocked_nets[] = {
    { 0x0a420000u, 0xffff0000u }, /* 10.66.0.0/16 */
    { 0xc0000200u, 0xffffff00u }, /* 192.0.2.0/24 (TEST-NET-1) */
};

/* Destination ports nothing on this device should be reached on. */
static const uint16_t blocked_ports[] = { 23, 135, 445, 1900 };

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return be16(p) << 16 | be16(p + 2);
}

static int drop(uint32_t reason)
{
    uint64_t n = 0;
    fc_store_get_local(reason, &n);
    fc_store_put_local(reason, n + 1);
    return 0;
}

FC_ENTRY(packet_filter) int packet_filter(const uint8_t *pkt, uint32_t len)
{
    if (len < 20 || pkt[0] >> 4 != 4)
        return drop(DROP_BAD);
    uint32_t ihl = (uint32_t)(pkt[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len || be16(pkt + 2) > len)
        return drop(DROP_BAD);
    if ((be16(pkt + 6) & 0x1fff) != 0) /* fragment offset */
        return drop(DROP_FRAGMENT);

    uint32_t src = be32(pkt + 12);
    for (unsigned i = 0; i < sizeof blocked_nets / sizeof blocked_nets[0]; i++)
        if ((src & blocked_nets[i].mask) == blocked_nets[i].net)
            return drop(DROP_SOURCE);

    switch (pkt[9]) {
    case IPPROTO_TCP:
    case IPPROTO_UDP: {
        if (len < ihl + 4)
            return drop(DROP_BAD);
        uint32_t dport = be16(pkt + ihl + 2);
        for (unsigned i = 0; i < sizeof blocked_ports / sizeof blocked_ports[0]; i++)
            if (dport == blocked_ports[i])
                return drop(DROP_PORT);
        return 1;
    }
    case IPPROTO_ICMP:
        return 1;
    default:
        return drop(DROP_PROTOCOL);
    }
}
