/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file femto/helpers.h
 * @brief The standard helpers as container code calls them.
 *
 * Each helper is a constant function pointer whose value is its id, the
 * usual BPF idiom: clang turns a call through it into `call <id>`. The ids
 * come from the one list in fc/helper_ids.h that the host uses too, so
 * an author never writes an id by hand:
 * @code
 * uint64_t n = 0;
 * fc_store_get_tenant(key, &n);
 * fc_store_put_tenant(key, n + 1);
 * @endcode
 * Firmware-defined helpers (ids from FC_HELPER_FIRMWARE_BASE) are declared
 * the same way by the firmware's own SDK header:
 * `static long (*const my_led)(uint32_t on) = (void *)0x1000;`
 */
#ifndef FEMTO_HELPERS_H
#define FEMTO_HELPERS_H

/* The list lives with the host's headers (include/fc/helper_ids.h); the
 * installed SDK carries a copy beside femto/. In the source tree, with only
 * sdk/include on the path, it is found relative to this file. */
#if defined(__has_include)
#if __has_include("fc/helper_ids.h")
#include "fc/helper_ids.h"
#else
#include "../../../include/fc/helper_ids.h"
#endif
#else
#include "fc/helper_ids.h"
#endif

#ifdef __cplusplus /* C++ converts no void * to a function pointer */
#define FC_HELPER_PROTO_(name, NAME, id, cap, ret, params, doc) \
    static ret (*const fc_##name) params = reinterpret_cast<ret (*) params>(static_cast<uintptr_t>(id));
#else /* an integer converts to a function pointer; void * would not (ISO C, -Wpedantic) */
#define FC_HELPER_PROTO_(name, NAME, id, cap, ret, params, doc) \
    static ret (*const fc_##name) params = (ret (*) params)(uintptr_t)(id);
#endif
FC_HELPER_LIST(FC_HELPER_PROTO_)
#undef FC_HELPER_PROTO_

#endif /* FEMTO_HELPERS_H */
