/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Each kernel is written once and compiled twice: natively with clang -O2
 * (BENCH_NATIVE, entry renamed native_<name>) and for the VM with
 * `femto build` (entry "bench"). The entry gets its input as a context:
 * a pointer and a length in bytes; the harness restores the input before
 * every run, so kernels may write to it.
 */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef BENCH_NATIVE
#define KERNEL(name) uint64_t native_##name(void *ctx, uint64_t len); \
                     uint64_t native_##name(void *ctx, uint64_t len)
#else
#include "femto/femto.h"
#define KERNEL(name) FC_ENTRY(bench) uint64_t bench(void *ctx, uint64_t len)
#endif

#endif /* BENCH_KERNEL_H */
