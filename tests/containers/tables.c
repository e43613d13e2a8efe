/* SPDX-License-Identifier: Apache-2.0 */
/* Const tables (.rodata), a string table, a mutable global table (.data) and
 * a switch that clang may turn into a jump-free lookup. */
#include <femto/femto.h>

static const uint16_t squares[16] = { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225 };
static const char *const names[] = { "zero", "one", "two", "three", "four", "five", "six", "seven" };
static const struct {
    uint8_t lo, hi;
    int16_t weight;
} bands[] = { { 0, 31, -3 }, { 32, 95, 5 }, { 96, 159, 11 }, { 160, 255, -17 } };
static uint32_t histogram[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };

static int weight(uint8_t v)
{
    for (unsigned i = 0; i < sizeof bands / sizeof bands[0]; i++)
        if (v >= bands[i].lo && v <= bands[i].hi)
            return bands[i].weight;
    return 0;
}

static unsigned class_of(uint8_t v)
{
    switch (v % 11) {
    case 0: return 3;
    case 1: return 1;
    case 2: return 4;
    case 3: return 1;
    case 4: return 5;
    case 5: return 7;
    case 6: return 2;
    default: return 6;
    }
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    int64_t acc = 0;
    for (uint64_t i = 0; i < len; i++) {
        uint8_t v = ctx[i];
        acc += squares[v & 15] * weight(v);
        histogram[class_of(v)]++;
        const char *name = names[v & 7];
        acc += name[v % 3 < 3 ? 0 : 1] + name[1];
    }
    uint64_t h = (uint64_t)acc;
    for (unsigned i = 0; i < 8; i++)
        h = h * 131 + histogram[i];
    return h;
}
