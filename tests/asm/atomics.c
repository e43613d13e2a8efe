/* SPDX-License-Identifier: Apache-2.0 */
/* For tests/asm/llvm_compare.py: every atomic form, 32 and 64 bit (needs -mcpu=v3). */
typedef unsigned int u32;
typedef unsigned long long u64;

u64 atomics64(u64 *p, u64 v)
{
    __sync_fetch_and_add(p, v);
    u64 o = __sync_fetch_and_add(p, v);
    o += __sync_fetch_and_or(p, v);
    o += __sync_fetch_and_and(p, v);
    o += __sync_fetch_and_xor(p, v);
    __sync_fetch_and_or(p, 1);
    __sync_fetch_and_and(p, 2);
    __sync_fetch_and_xor(p, 3);
    o += __sync_val_compare_and_swap(p, v, o);
    o += __atomic_exchange_n(p, o, __ATOMIC_SEQ_CST);
    return o;
}

u32 atomics32(u32 *p, u32 v)
{
    __sync_fetch_and_add(p, v);
    u32 o = __sync_fetch_and_add(p, v);
    o += __sync_fetch_and_or(p, v);
    o += __sync_fetch_and_and(p, v);
    o += __sync_fetch_and_xor(p, v);
    __sync_fetch_and_or(p, 1);
    __sync_fetch_and_and(p, 2);
    __sync_fetch_and_xor(p, 3);
    o += __sync_val_compare_and_swap(p, v, o);
    o += __atomic_exchange_n(p, o, __ATOMIC_SEQ_CST);
    return o;
}
