/* SPDX-License-Identifier: Apache-2.0 */
/* For tests/asm/llvm_compare.py: loops, arrays, early exits. */
typedef unsigned int u32;
typedef unsigned long long u64;

u32 sum(const u32 *p, int n)
{
    u32 s = 0;
    for (int i = 0; i < n; i++)
        s += p[i] >> 3;
    return s;
}

u64 nested(const unsigned char *m, int rows, int cols)
{
    u64 acc = 0;
    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            unsigned char v = m[r * cols + c];
            if (v == 0)
                continue;
            if (v == 255)
                break;
            acc = acc * 31 + v;
        }
    }
    return acc;
}

int find(const long *p, int n, long key)
{
    int i = 0;
    while (i < n && p[i] != key)
        i++;
    return i == n ? -1 : i;
}

u32 fletcher32(const unsigned short *data, int words)
{
    u32 a = 0xffff, b = 0xffff;
    while (words) {
        int t = words > 359 ? 359 : words;
        words -= t;
        do {
            a += *data++;
            b += a;
        } while (--t);
        a = (a & 0xffff) + (a >> 16);
        b = (b & 0xffff) + (b >> 16);
    }
    return b << 16 | a;
}
