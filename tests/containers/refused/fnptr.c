/* SPDX-License-Identifier: Apache-2.0 */
/* expect: a call through a function pointer */
#include <femto/femto.h>

static uint64_t twice(uint64_t v) { return v * 2; }
static uint64_t thrice(uint64_t v) { return v * 3; }
static uint64_t (*const ops[2])(uint64_t) = { twice, thrice };

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    uint64_t (*volatile op)(uint64_t) = ops[ctx[0] & 1];
    return op(len); /* refused-here */
}
