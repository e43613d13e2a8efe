/* SPDX-License-Identifier: Apache-2.0 */
/* For tests/asm/llvm_compare.py: switch, globals in .data/.bss/.rodata, strings. */
typedef unsigned long long u64;

int counter;
long table[4] = { 1, -2, 3, -4 };
static const char msg[] = "femto";
static const int small[3] = { 7, 11, 13 };

long classify(int x, long *p)
{
    switch (x) {
    case 0: return p[0];
    case 1: return table[x & 3] + counter++;
    case 2: return msg[x];
    case 3: return small[x % 3];
    case 7: return (short)p[3];
    case 100: return 0x1122334455667788LL;
    default: return -x;
    }
}

u64 bits(u64 a, u64 b)
{
    u64 r = (a << 13) | (b >> 7);
    r ^= (long)a >> 3;
    if ((long)b > -5)
        r += a / (b | 1);
    return r + a % (b | 1);
}

__attribute__((section("hook/timer"))) int on_timer(void *ctx)
{
    counter += ctx ? 2 : 1;
    return counter > 1000 ? 1 : 0;
}
