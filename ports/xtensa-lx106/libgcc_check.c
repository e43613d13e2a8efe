/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A check of libgcc.c's stand-ins over edge cases (zero, one, INT_MIN / -1,
 * the largest values, single bits, 32-bit boundaries) and 20,000
 * pseudo-random pairs of every magnitude. Built twice:
 *   host (FW_HOST, the stand-ins renamed fwt_*): each result is compared
 *     with the host compiler's own operators, then one digest per function
 *     of the host's results is printed;
 *   target (fw-libgcc.elf under QEMU): the same digests of the stand-ins as
 *     linked into the firmware, which scripts/qemu-tests.sh compares with
 *     the host's lines.
 * The digest mixes by rotate, xor and add only: no multiply or divide, so
 * it cannot depend on what it checks.
 */
#include <stdint.h>

#include "libgcc.h"

#define RANDOM_PAIRS 20000u
#define NFUNCS       8u

static const char *const names[NFUNCS] = { "muldi3",  "udivsi3", "umodsi3", "divsi3",
                                           "udivdi3", "umoddi3", "divdi3",  "moddi3" };

static const uint64_t edges[] = {
    0,
    1,
    2,
    3,
    7,
    10,
    0xffffu,
    0x10000u,
    0x7fffffffu,
    0x80000000u,
    0x80000001u,
    0xfffffffeu,
    0xffffffffu,
    0x100000000u,
    0x100000001u,
    0x1ffffffffu,
    0x123456789abcdefu,
    0x7fffffffffffffffu,
    0x8000000000000000u,
    0x8000000000000001u,
    0xffffffff00000000u,
    0xfffffffffffffffeu,
    0xffffffffffffffffu, /* -1 */
    0xffffffff80000000u, /* INT32_MIN sign-extended */
};

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    h = h << 23 | h >> 41;
    return h + 0x9e3779b97f4a7c15u;
}

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

#ifdef FW_HOST
#include <stdio.h>

/* the reference: the host's operators, with the stand-ins' answers where C has none */
static void reference(uint64_t a, uint64_t b, uint64_t out[NFUNCS])
{
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
    int32_t sa32 = (int32_t)a32, sb32 = (int32_t)b32;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    out[0] = a * b;
    out[1] = b32 ? a32 / b32 : UINT32_MAX;
    out[2] = b32 ? a32 % b32 : a32;
    out[3] = (uint32_t)(b32 == 0 ? -1 : sb32 == -1 ? (int32_t)(0u - a32) : sa32 / sb32);
    out[4] = b ? a / b : UINT64_MAX;
    out[5] = b ? a % b : a;
    out[6] = (uint64_t)(b == 0 ? -1 : sb == -1 ? (int64_t)(0u - a) : sa / sb);
    out[7] = (uint64_t)(b == 0 ? sa : sb == -1 ? 0 : sa % sb);
}
#endif

static void stand_ins(uint64_t a, uint64_t b, uint64_t out[NFUNCS])
{
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
    out[0] = FW_LIBGCC(muldi3)(a, b);
    out[1] = FW_LIBGCC(udivsi3)(a32, b32);
    out[2] = FW_LIBGCC(umodsi3)(a32, b32);
    out[3] = (uint32_t)FW_LIBGCC(divsi3)((int32_t)a32, (int32_t)b32);
    out[4] = FW_LIBGCC(udivdi3)(a, b);
    out[5] = FW_LIBGCC(umoddi3)(a, b);
    out[6] = (uint64_t)FW_LIBGCC(divdi3)((int64_t)a, (int64_t)b);
    out[7] = (uint64_t)FW_LIBGCC(moddi3)((int64_t)a, (int64_t)b);
}

/* the i-th pair: every edge against every edge, then random pairs of random magnitudes */
static void pair(uint32_t i, uint64_t *seed, uint64_t *a, uint64_t *b)
{
    uint32_t ne = (uint32_t)(sizeof edges / sizeof edges[0]);
    if (i < ne * ne) {
        uint32_t k = 0, j = i;
        while (j >= ne) { /* j = i % ne, k = i / ne without dividing */
            j -= ne;
            k++;
        }
        *a = edges[k];
        *b = edges[j];
        return;
    }
    uint64_t r = xorshift(seed);
    *a = xorshift(seed) >> (r & 63);
    *b = xorshift(seed) >> ((r >> 6) & 63);
}

static uint32_t npairs(void)
{
    uint32_t ne = (uint32_t)(sizeof edges / sizeof edges[0]);
    return ne * ne + RANDOM_PAIRS;
}

#ifdef FW_HOST
int main(void)
{
    uint64_t seed = 0x2545f4914f6cdd1du, digest[NFUNCS] = { 0 };
    unsigned bad = 0;
    for (uint32_t i = 0; i < npairs(); i++) {
        uint64_t a, b, want[NFUNCS], got[NFUNCS];
        pair(i, &seed, &a, &b);
        reference(a, b, want);
        stand_ins(a, b, got);
        for (unsigned f = 0; f < NFUNCS; f++) {
            digest[f] = mix(digest[f], want[f]);
            if (got[f] != want[f] && bad++ < 20)
                printf("FAIL %s(0x%llx, 0x%llx) = 0x%llx, want 0x%llx\n", names[f],
                       (unsigned long long)a, (unsigned long long)b, (unsigned long long)got[f],
                       (unsigned long long)want[f]);
        }
    }
    printf("libgcc: %u pairs\n", npairs());
    for (unsigned f = 0; f < NFUNCS; f++)
        printf("libgcc: %s 0x%llx\n", names[f], (unsigned long long)digest[f]);
    printf(bad ? "libgcc host: %u mismatches\n" : "libgcc host: %u mismatches, ok\n", bad);
    return bad != 0;
}
#else
#include "fw.h"

int main(void);

int main(void)
{
    uint64_t seed = 0x2545f4914f6cdd1du, digest[NFUNCS] = { 0 };
    fw_board_init();
    for (uint32_t i = 0; i < npairs(); i++) {
        uint64_t a, b, got[NFUNCS];
        pair(i, &seed, &a, &b);
        stand_ins(a, b, got);
        for (unsigned f = 0; f < NFUNCS; f++)
            digest[f] = mix(digest[f], got[f]);
    }
    fw_puts("libgcc: ");
    fw_put_u64(npairs());
    fw_puts(" pairs\n");
    for (unsigned f = 0; f < NFUNCS; f++) {
        fw_puts("libgcc: ");
        fw_puts(names[f]);
        fw_puts(" ");
        fw_put_hex(digest[f]);
        fw_puts("\n");
    }
    return 0;
}
#endif
