/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_helpers Standard helpers (host side)
 * @brief The table behind the ids of fc/helper_ids.h.
 *
 * fc_rt_init() puts this table first in every container's registry and
 * chains the firmware's table after it. Every helper finds its container
 * (and so its tenant and the runtime) through fc_vm_t::user and translates
 * every pointer argument through the container's regions; the table of ids,
 * capabilities and semantics is in docs/runtime.md.
 *
 * @par Threads and interrupts
 * fc_helper_standard() and fc_helper_name() read constant tables:
 * ISR-safe and reentrant. The helpers themselves run inside a container's
 * run, under the runtime's lock.
 * @{
 */
#ifndef FC_HELPERS_H
#define FC_HELPERS_H

#include <stdint.h>

#include "fc/vm.h"
#include "fc/helper_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Longest line fc_printf() produces, newline included; longer output is cut. */
#ifndef FC_PRINTF_MAX
#define FC_PRINTF_MAX 128u
#endif

/** @brief The standard helpers, FC_HELPER_LIST order. */
extern const fc_helper_t fc_helpers_standard[];

/** @brief Number of entries in fc_helpers_standard. */
extern const uint32_t fc_helpers_standard_count;

/**
 * @brief The standard helper with this id, for tools (its name, capability).
 * @return its table entry, or NULL for an id that is not a standard helper
 */
const fc_helper_t *fc_helper_standard(uint32_t id);

/**
 * @brief Name of a standard helper, for tools (disassemblers, diagnostics).
 * @return e.g. "store_get_tenant", or NULL for an unknown id
 */
const char *fc_helper_name(uint32_t id);

#ifdef __cplusplus
}
#endif

#endif /* FC_HELPERS_H */
/** @} */
