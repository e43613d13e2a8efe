/* SPDX-License-Identifier: Apache-2.0 */
/* Struct copies (clang's memcpy/memset of fixed size), arrays of structs, nested structs. */
#include <femto/femto.h>
#include <string.h>

struct point {
    int32_t x, y;
};
struct rec {
    char name[24];
    struct point where[4];
    uint16_t flags;
    uint8_t kind;
};

static struct rec table[6];            /* .bss */
static struct rec last = { "none", { { 1, 2 } }, 3, 4 }; /* .data */

static __attribute__((noinline)) void fill(struct rec *r, const uint8_t *p, int i)
{
    struct rec t = { { 0 }, { { 0, 0 } }, 0, 0 }; /* zeroed in one piece */
    for (int k = 0; k < 8; k++)
        t.name[k] = (char)('a' + (p[k] % 26));
    for (int k = 0; k < 4; k++)
        t.where[k] = (struct point){ (int8_t)p[8 + k] * i, (int8_t)p[12 + k] - i };
    t.flags = (uint16_t)(p[0] | p[1] << 8);
    t.kind = (uint8_t)i;
    *r = t; /* a 64-byte struct copy */
}

static struct point sum(const struct rec *r)
{
    struct point s = { 0, 0 };
    for (int k = 0; k < 4; k++) {
        s.x += r->where[k].x;
        s.y += r->where[k].y;
    }
    return s;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t acc = 0;
    int n = 0;
    for (uint64_t i = 0; i + 16 <= len && n < 6; i += 16, n++)
        fill(&table[n], ctx + i, n + 1);
    for (int i = 0; i < n; i++) {
        struct rec copy = table[i];
        copy.where[0] = copy.where[3];
        if (copy.flags & 1)
            last = copy;
        struct point s = sum(&copy);
        acc = acc * 1000003u + (uint64_t)(int64_t)s.x * 7 + (uint64_t)(int64_t)s.y;
        acc += (uint64_t)(uint8_t)copy.name[i % 8] + copy.kind;
    }
    struct rec big[2];
    memset(big, 0x5a, sizeof big); /* a fixed size past the inline limit: the helper */
    big[1] = last;
    memcpy(&big[0], &big[1], sizeof big[0]);
    return acc ^ (uint64_t)(uint8_t)big[0].name[2] ^ (uint64_t)big[1].flags << 32 ^ big[0].kind;
}
