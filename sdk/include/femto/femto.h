/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file femto/femto.h
 * @brief What container C code includes: fixed-width types, the entry-point
 *        marker, the standard hook contexts and the standard helpers.
 *
 * Containers are compiled by `femto build` (clang-19 -target bpf -O2 -mcpu=v4
 * -ffreestanding -nostdlibinc): <stdint.h>, <stddef.h>, <stdbool.h>,
 * <limits.h> and <string.h> come from the SDK. Valid C and C++.
 */
#ifndef FEMTO_FEMTO_H
#define FEMTO_FEMTO_H

#include <stddef.h>
#include <stdint.h>

/**
 * @brief Mark an entry point. Every global (non-static) function becomes an
 *        entry of the image under its name; the marker keeps it from being
 *        dropped and documents the intent. Helper functions should be static.
 */
#ifdef __cplusplus /* an entry keeps its C name: no mangling */
#define FC_ENTRY(name) extern "C" __attribute__((used, noinline))
#else
#define FC_ENTRY(name) __attribute__((used, noinline))
#endif

/** @brief Context of the scheduler-switch hook (the talk's thread counter). */
typedef struct {
    uint32_t previous; /**< thread switched out */
    uint32_t next;     /**< thread switched in */
} fc_sched_ctx_t;

#if defined(__has_include)
#if __has_include("femto/helpers.h")
#include "femto/helpers.h"
#endif
#endif

#endif /* FEMTO_FEMTO_H */
