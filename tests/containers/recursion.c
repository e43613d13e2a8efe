/* SPDX-License-Identifier: Apache-2.0 */
/* Recursion (bounded by the input; the VM allows 8 nested calls): a recursive
 * descent over an expression tree held in a table, and Euclid's gcd. */
#include <femto/femto.h>

struct node {
    uint8_t op; /* 0 leaf, 1 add, 2 mul, 3 sub */
    uint8_t left, right;
    int32_t value;
};

static struct node nodes[32];

static __attribute__((noinline)) int64_t eval(unsigned i, unsigned depth)
{
    const struct node *n = &nodes[i & 31];
    if (n->op == 0 || depth >= 6)
        return n->value;
    int64_t l = eval(n->left, depth + 1), r = eval(n->right, depth + 1);
    switch (n->op) {
    case 1: return l + r;
    case 2: return l * r;
    default: return l - r;
    }
}

static __attribute__((noinline)) uint64_t gcd(uint64_t a, uint64_t b)
{
    return b == 0 ? a : gcd(b, a % b);
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    for (unsigned i = 0; i < 32; i++) {
        const uint8_t *p = ctx + (i * 4) % (len - 3);
        nodes[i].op = (uint8_t)(p[0] % 4);
        nodes[i].left = (uint8_t)((i * 2 + 1 + p[1] % 2) % 32);
        nodes[i].right = (uint8_t)((i * 2 + 2) % 32);
        nodes[i].value = (int8_t)p[3];
    }
    uint64_t acc = (uint64_t)eval(0, 0);
    /* consecutive small numbers keep Euclid within a few levels */
    acc ^= gcd((uint64_t)ctx[0] * 12 + 24, (uint64_t)ctx[1] * 18 + 36) << 20;
    return acc;
}
