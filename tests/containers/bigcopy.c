/* SPDX-License-Identifier: Apache-2.0 */
/* Struct copies and clears over the 1 KiB BPF inlines: femto build sends them
 * to the checked memcpy/memset helpers (tools/femto/build_ir.c). */
#include <femto/femto.h>

struct big {
    uint8_t bytes[1500];
    uint32_t count;
};

static struct big a, b, history[2];

static uint64_t hash(const struct big *s)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned i = 0; i < sizeof s->bytes; i++)
        h = (h ^ s->bytes[i]) * 1099511628211ull;
    return h ^ s->count;
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    for (unsigned i = 0; i < sizeof a.bytes; i++)
        a.bytes[i] = (uint8_t)(ctx[i % len] + i);
    a.count = (uint32_t)len;
    b = a;                       /* a 1504-byte copy */
    history[1] = history[0];     /* between .bss objects */
    history[0] = b;
    b.bytes[len % 1500] ^= 0x5a;
    uint64_t before = hash(&b) ^ hash(&history[1]);
    a = (struct big){ { 0 }, 0 }; /* a 1504-byte clear */
    return before * 31 + hash(&a) + hash(&history[0]);
}
