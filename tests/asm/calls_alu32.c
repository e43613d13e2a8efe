/* SPDX-License-Identifier: Apache-2.0 */
/* For tests/asm/llvm_compare.py: local and helper calls, 32-bit ALU, byte swaps. */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned long long u64;

static long (*const helper_add)(long a, long b) = (void *)1;
static long (*const helper_log)(const char *s, int n) = (void *)7;

static __attribute__((noinline)) u32 mix(u32 a, u32 b)
{
    a ^= b >> 5;
    a *= 0x9e3779b1u;
    return (a << 7) | (a >> 25);
}

static __attribute__((noinline)) int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int entry(u32 *p, int n)
{
    u32 h = 0;
    for (int i = 0; i < n; i++)
        h = mix(h, p[i]);
    h = (u32)clamp((int)h, -100, 100) / (u32)(n | 1) + h % 7u;
    helper_log("done", 4);
    return (int)(helper_add(h, n) & 0xffff);
}

u64 swaps(u64 a, u16 *c, u32 *d)
{
    a = __builtin_bswap64(a);
    a ^= __builtin_bswap16(*c);
    a += __builtin_bswap32(*d);
    int s = (signed char)a;
    u32 w = (u32)a;
    w = w - (w >> 3) + (u32)s;
    return a + w + (u32)(-(int)w);
}
