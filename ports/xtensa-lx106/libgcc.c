/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libgcc's integer helpers that Debian's libgcc for the lx106 core leaves
 * out (on an ESP8266 they sit in the mask ROM): 64-bit multiply and the
 * 32- and 64-bit divisions. __moddi3 is there, but its object needs the
 * missing __umulsidi3, so it is replaced too. The lx106 has MUL32 (mull,
 * the low half only) and no divider: a 32x32->64 product is built from
 * 16-bit halves, and a division is a shift-and-subtract loop from the
 * highest quotient bit, found with NSAU (count leading zeros): a 64-bit
 * loop, and a 32-bit one for unsigned 32-bit division, C's common case.
 *
 * None of this may use '*' on 64-bit values or '/' and '%' at all: the
 * compiler would turn them back into calls to these very functions.
 *
 * Division by zero, undefined in C, gives what RISC-V's divider gives:
 * an all-ones quotient (-1 signed) and the dividend as remainder.
 * INT_MIN / -1 wraps to INT_MIN, remainder 0. (The VM never divides by
 * zero here: it checks the divisor first, RFC 9669.)
 *
 * FW_LIBGCC(name) names the functions: __name on the target, a prefixed
 * name when ports/xtensa-lx106/libgcc_check.c tests them on the host.
 */
#include <stdint.h>

#include "libgcc.h"

/* the position of the highest set bit, 31 for bit 31; v != 0 (one NSAU on the lx106) */
static unsigned top_bit32(uint32_t v)
{
    return 31u - (unsigned)__builtin_clz(v);
}

static unsigned top_bit64(uint64_t v)
{
    uint32_t hi = (uint32_t)(v >> 32);
    return hi != 0 ? 32u + top_bit32(hi) : top_bit32((uint32_t)v);
}

/* n / d and n % d (d == 0: all ones and n), from the highest quotient bit that can be set */
static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0;
    if (d == 0) {
        *rem = n;
        return UINT64_MAX;
    }
    if (n >= d) {
        unsigned shift = top_bit64(n) - top_bit64(d);
        uint64_t dd = d << shift;
        for (unsigned i = 0; i <= shift; i++) {
            q <<= 1;
            if (n >= dd) {
                n -= dd;
                q |= 1;
            }
            dd >>= 1;
        }
    }
    *rem = n;
    return q;
}

/* Long division on 32-bit values, half the instructions per step of the loop above on a
 * 32-bit core: unsigned 32-bit division is what C code (Fletcher32's "% 65535") uses most.
 * The remainder starts as the dividend's top bits, as many as the divisor has, then takes
 * in the rest one bit a step; since d < 2^31 whenever a bit is left, r << 1 cannot carry. */
static uint32_t udivmod32(uint32_t n, uint32_t d, uint32_t *rem)
{
    if (d == 0 || n < d) {
        *rem = n;
        return d == 0 ? UINT32_MAX : 0;
    }
    unsigned left = top_bit32(n) - top_bit32(d);
    /* the bits still to take in wait at the top of rest: constant shifts only (on the lx106 a
       variable shift needs SAR set up first) */
    uint32_t r = n >> left, rest = left != 0 ? n << (32u - left) : 0, q = 0;
    for (;;) {
        q <<= 1;
        if (r >= d) {
            r -= d;
            q |= 1;
        }
        if (left == 0)
            break;
        left--;
        r = r << 1 | rest >> 31;
        rest <<= 1;
    }
    *rem = r;
    return q;
}

/* n / d with the remainder, both signed, truncating towards zero as C does; d == 0 as above */
static int64_t sdivmod64(int64_t n, int64_t d, int64_t *rem)
{
    uint64_t r;
    /* magnitudes as unsigned: INT64_MIN's is 2^63, which int64_t cannot hold */
    uint64_t un = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
    uint64_t ud = d < 0 ? 0u - (uint64_t)d : (uint64_t)d;
    uint64_t q = udivmod64(un, ud, &r);
    if (d == 0)
        q = UINT64_MAX;
    else if ((n < 0) != (d < 0))
        q = 0u - q;
    /* the remainder takes the dividend's sign */
    *rem = (int64_t)(n < 0 ? 0u - r : r);
    return (int64_t)q;
}

/* 32 x 32 -> 64 from four 16 x 16 -> 32 products (each fits: no overflow) */
static uint64_t umul32x32(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffffu, ah = a >> 16, bl = b & 0xffffu, bh = b >> 16;
    uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint32_t mid = (ll >> 16) + (lh & 0xffffu) + (hl & 0xffffu);
    uint32_t lo = (ll & 0xffffu) | (mid << 16);
    uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    return (uint64_t)hi << 32 | lo;
}

uint64_t FW_LIBGCC(muldi3)(uint64_t a, uint64_t b)
{
    uint32_t alo = (uint32_t)a, ahi = (uint32_t)(a >> 32);
    uint32_t blo = (uint32_t)b, bhi = (uint32_t)(b >> 32);
    /* the high words' cross products only reach the upper half, modulo 2^64 */
    return umul32x32(alo, blo) + ((uint64_t)(alo * bhi + ahi * blo) << 32);
}

uint32_t FW_LIBGCC(udivsi3)(uint32_t n, uint32_t d)
{
    uint32_t r;
    return udivmod32(n, d, &r);
}

uint32_t FW_LIBGCC(umodsi3)(uint32_t n, uint32_t d)
{
    uint32_t r;
    (void)udivmod32(n, d, &r);
    return r;
}

/* widened: INT32_MIN / -1 is 2^31 in 64 bits, INT32_MIN again when narrowed (the wrap) */
int32_t FW_LIBGCC(divsi3)(int32_t n, int32_t d)
{
    int64_t r;
    return (int32_t)(uint32_t)(uint64_t)sdivmod64(n, d, &r);
}

uint64_t FW_LIBGCC(udivdi3)(uint64_t n, uint64_t d)
{
    uint64_t r;
    return udivmod64(n, d, &r);
}

uint64_t FW_LIBGCC(umoddi3)(uint64_t n, uint64_t d)
{
    uint64_t r;
    (void)udivmod64(n, d, &r);
    return r;
}

int64_t FW_LIBGCC(divdi3)(int64_t n, int64_t d)
{
    int64_t r;
    return sdivmod64(n, d, &r);
}

int64_t FW_LIBGCC(moddi3)(int64_t n, int64_t d)
{
    int64_t r;
    (void)sdivmod64(n, d, &r);
    return r;
}
