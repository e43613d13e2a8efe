/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @ingroup pkg_femto_containers
 * @file
 * @brief RIOT's CONFIG_FEMTO_CONTAINERS_* (Kconfig or CFLAGS) mapped onto the
 *        core's FC_* settings; included by include/fc/config.h through
 *        FC_CONFIG_FILE, so the core, the runtime and the glue agree.
 */
#ifndef FC_RIOT_CONFIG_H
#define FC_RIOT_CONFIG_H

/* Kconfig's choice and the femto-containers_compact pseudomodule both land here */
#if defined(CONFIG_FEMTO_CONTAINERS_INTERP_COMPACT) && CONFIG_FEMTO_CONTAINERS_INTERP_COMPACT
#define FC_COMPACT 1
#endif

/** Instruction budget of a run when a hook gives none. */
#ifdef CONFIG_FEMTO_CONTAINERS_BUDGET
#define FC_BUDGET_DEFAULT CONFIG_FEMTO_CONTAINERS_BUDGET
#endif

/** Deepest nesting of bpf-to-bpf calls (40 B of C stack per level). */
#ifdef CONFIG_FEMTO_CONTAINERS_CALL_DEPTH
#define FC_CALL_DEPTH_MAX CONFIG_FEMTO_CONTAINERS_CALL_DEPTH
#endif

/** Entries of the global store the glue's fc_riot_rt_init() gives. */
#ifndef CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE
#define CONFIG_FEMTO_CONTAINERS_GLOBAL_STORE 16
#endif

/** Entries of the pool shared by the tenants' stores. */
#ifndef CONFIG_FEMTO_CONTAINERS_TENANT_STORE
#define CONFIG_FEMTO_CONTAINERS_TENANT_STORE 32
#endif

/** Stack of each container the glue loads, bytes (the VM's own stack, not RIOT's). */
#ifndef CONFIG_FEMTO_CONTAINERS_STACK
#define CONFIG_FEMTO_CONTAINERS_STACK 512
#endif

/** Instruction budget of a run on the glue's hooks (scheduler, timer, CoAP). */
#ifndef CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET
#define CONFIG_FEMTO_CONTAINERS_HOOK_BUDGET 2000
#endif

#endif /* FC_RIOT_CONFIG_H */
