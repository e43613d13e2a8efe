/* SPDX-License-Identifier: Apache-2.0 */
/* expect: a call through a function pointer (or a virtual function) */
#include <femto/femto.h>

struct shape {
    virtual uint64_t area() const = 0;
};
struct square : shape {
    uint64_t side = 0;
    uint64_t area() const override { return side * side; }
};
struct strip : shape {
    uint64_t length = 0;
    uint64_t area() const override { return length * 3; }
};
static square sq;
static strip st;

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    sq.side = len;
    st.length = ctx[0];
    const shape *volatile s = (ctx[1] & 1) ? static_cast<const shape *>(&sq) : &st;
    return s->area(); /* refused-here */
}
