/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between vm.c, verify.c and interp.c only: not part of the API. */
#ifndef FC_VM_INTERNAL_H
#define FC_VM_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "fc/vm.h"

/*
 * Address translation, written once for the interpreter and the helpers.
 * Region id N is table entry N-1; id 0 wraps to a huge index and fails the
 * single compare, so NULL and every unmapped id fault the same way. The end
 * check subtracts instead of adding, so no offset or size (a helper's length
 * may be any 64-bit value) can wrap it.
 */
static inline uint8_t *fc_mem_xlate(const fc_region_t *regions, uint32_t nregions,
                                    uint64_t addr, uint64_t size, uint32_t access)
{
    uint64_t idx = (addr >> 32) - 1u;
    if (idx >= nregions)
        return NULL;
    const fc_region_t *r = &regions[idx];
    uint32_t off = (uint32_t)addr;
    if (size > r->len || off > r->len - size || (r->flags & access) != access || r->host == NULL)
        return NULL;
    return r->host + off;
}

/* Why fc_mem_xlate() refused: out of bounds or not permitted. */
static inline int fc_mem_cause(const fc_region_t *regions, uint32_t nregions,
                               uint64_t addr, uint64_t size, uint32_t access)
{
    uint64_t idx = (addr >> 32) - 1u;
    if (idx >= nregions)
        return FC_ERR_MEM;
    const fc_region_t *r = &regions[idx];
    if (size > r->len || (uint32_t)addr > r->len - size || r->host == NULL)
        return FC_ERR_MEM;
    return (r->flags & access) != access ? FC_ERR_MEM_PERM : FC_ERR_MEM;
}

/* Little-endian loads and stores of guest memory, whatever the host's order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FC_HOST_BE 1
#else
#define FC_HOST_BE 0
#endif

static inline uint16_t fc_bswap16(uint16_t x) { return (uint16_t)((x >> 8) | (x << 8)); }
static inline uint32_t fc_bswap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}
static inline uint64_t fc_bswap64(uint64_t x)
{
    return ((uint64_t)fc_bswap32((uint32_t)x) << 32) | fc_bswap32((uint32_t)(x >> 32));
}

static inline uint16_t fc_ld16(const uint8_t *p)
{
    uint16_t v; memcpy(&v, p, 2); return FC_HOST_BE ? fc_bswap16(v) : v;
}
static inline uint32_t fc_ld32(const uint8_t *p)
{
    uint32_t v; memcpy(&v, p, 4); return FC_HOST_BE ? fc_bswap32(v) : v;
}
static inline uint64_t fc_ld64(const uint8_t *p)
{
    uint64_t v; memcpy(&v, p, 8); return FC_HOST_BE ? fc_bswap64(v) : v;
}
static inline void fc_st16(uint8_t *p, uint16_t v)
{
    if (FC_HOST_BE) v = fc_bswap16(v);
    memcpy(p, &v, 2);
}
static inline void fc_st32(uint8_t *p, uint32_t v)
{
    if (FC_HOST_BE) v = fc_bswap32(v);
    memcpy(p, &v, 4);
}
static inline void fc_st64(uint8_t *p, uint64_t v)
{
    if (FC_HOST_BE) v = fc_bswap64(v);
    memcpy(p, &v, 8);
}

#endif /* FC_VM_INTERNAL_H */
