/* SPDX-License-Identifier: Apache-2.0 */
/* Calls a function that no object defines: the linker must name it. */
#include "femto/femto.h"

uint64_t not_defined_anywhere(uint64_t x);

FC_ENTRY(main) uint64_t main_entry(void *ctx, uint64_t len);
FC_ENTRY(main) uint64_t main_entry(void *ctx, uint64_t len)
{
    (void)ctx;
    return not_defined_anywhere(len);
}
