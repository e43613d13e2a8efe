/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file femto/helpers.h
 * @brief The standard helpers as container code calls them.
 *
 * Each helper is a constant function pointer whose value is its id, the
 * usual BPF idiom: clang turns a call through it into `call <id>`. The ids
 * come from the one list in femto/helper_ids.h that the host uses too, so
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

#include "femto/helper_ids.h"

#define FC_HELPER_PROTO_(name, NAME, id, cap, ret, params, doc) \
    static ret (*const fc_##name) params = (void *)(uintptr_t)(id);
FC_HELPER_LIST(FC_HELPER_PROTO_)
#undef FC_HELPER_PROTO_

#endif /* FEMTO_HELPERS_H */
