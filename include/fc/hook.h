/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_hook Hooks
 * @brief Named event points of the firmware where containers run.
 *
 * The firmware declares a hook with its context's permission (read-only or
 * writable), the capabilities it grants, a per-run instruction budget and a
 * policy, then fires it with a context whenever its event happens.
 * Containers attach and detach at any time, from any thread (the runtime
 * lock, taken through the port, serialises them against firing).
 *
 * Order: containers run by ascending priority (fc_container_t::prio);
 * equal priorities run in attach order.
 *
 * Results: each container's r0 is read as a signed 32-bit number (the
 * `int` an entry function returns; the upper half is ignored).
 *
 * | policy | runs | result (fc_hook_result_t::r0) |
 * |---|---|---|
 * | FC_POLICY_ALL | every container | r0 of the last container that completed |
 * | FC_POLICY_FIRST_NEGATIVE | in order until one returns < 0 | that r0, else the last completed r0 |
 * | FC_POLICY_FIRST_POSITIVE | in order until one returns > 0 | that r0, else the last completed r0 |
 * | FC_POLICY_EXACTLY_ONE | the one container attached | its r0 |
 *
 * "Exactly one" is exclusive ownership: the hook takes at most one
 * container; a second attach is refused with FC_ERR_BUSY until the first is
 * detached, so the firmware always gets its answer from a single, known
 * container (e.g. a CoAP response formatter). With none attached the fire
 * runs nothing and the firmware applies its default.
 *
 * Faults: a container that faults is reported (fc_hook_result_t::fault, the
 * hook's fault callback) with its error and pc, gives no result, does not
 * stop the policy, and the next container runs.
 *
 * @note Firing a hook with nothing attached reads one pointer and returns,
 *       without taking the lock (bench/hooks measures it).
 *
 * @par Threads and interrupts
 * Every function takes the port's lock ("(locks)"); fc_hook_fire() reads
 * whether anything is attached without it (an atomic load: firing an empty
 * hook costs one read and no lock) and otherwise runs the containers under
 * the lock. So: concurrently from any thread; from an ISR only with an
 * ISR-safe port lock; never from inside a helper (the lock is not recursive).
 * @{
 */
#ifndef FC_HOOK_H
#define FC_HOOK_H

#include <stdint.h>

#include "fc/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief How a hook runs its containers and combines their results. */
typedef enum {
    FC_POLICY_ALL = 0,        /**< run all */
    FC_POLICY_FIRST_NEGATIVE, /**< stop after the first negative result */
    FC_POLICY_FIRST_POSITIVE, /**< stop after the first positive result */
    FC_POLICY_EXACTLY_ONE,    /**< at most one container may attach; it runs */
} fc_policy_t;

/** @brief A container's fault during a fire. */
typedef struct {
    fc_container_t *container; /**< the container */
    int err;                   /**< the fault (fc_err_t) */
    uint32_t pc;               /**< the faulting slot */
} fc_fault_t;

/** @brief Called for each fault, under the runtime lock: must not call the runtime. */
typedef void (*fc_fault_fn)(const struct fc_hook *hook, const fc_fault_t *fault, void *arg);

/** @brief Outcome of fc_hook_fire(). */
typedef struct {
    uint64_t r0;        /**< combined result (see the policy table), 0 when none completed */
    fc_container_t *by; /**< container whose r0 it is, NULL when none completed */
    fc_fault_t fault;   /**< the first fault (container NULL when none) */
    uint16_t ran;       /**< containers run, faulted ones included */
    uint16_t faults;    /**< containers that faulted */
    uint8_t stopped;    /**< 1 when the policy stopped before the end of the list */
} fc_hook_result_t;

/** @brief A hook. Set up with fc_hook_init(); fields are read-only to the caller. */
typedef struct fc_hook {
    fc_rt_t *rt;              /**< its runtime */
    const char *name;         /**< unique name (kept by pointer) */
    struct fc_hook *next;     /**< next hook of the runtime */
    fc_container_t *head;     /**< attached containers, in run order */
    fc_fault_fn on_fault;     /**< fault callback, or NULL */
    void *fault_arg;          /**< its argument */
    uint32_t caps;            /**< capabilities granted to attached containers */
    uint32_t budget;          /**< instruction budget of each run */
    uint16_t count;           /**< attached containers */
    uint8_t policy;           /**< @ref fc_policy_t */
    uint8_t ctx_flags;        /**< FC_MEM_READ, or FC_MEM_READ | FC_MEM_WRITE */
} fc_hook_t;

/**
 * @brief Declare a hook and register it with the runtime (locks).
 * @param[out] h          hook state
 * @param[in]  rt         runtime
 * @param[in]  name       unique name (kept by pointer)
 * @param[in]  policy     @ref fc_policy_t
 * @param[in]  ctx_flags  FC_MEM_READ (read-only context) or FC_MEM_READ | FC_MEM_WRITE
 * @param[in]  caps       capabilities it grants (FC_CAP_*)
 * @param[in]  budget     instruction budget of each container run (see fc_vm_run())
 * @return FC_OK, FC_ERR_EXISTS for a taken name, FC_ERR_INVAL
 */
int fc_hook_init(fc_hook_t *h, fc_rt_t *rt, const char *name, fc_policy_t policy,
                 uint32_t ctx_flags, uint32_t caps, uint32_t budget);

/**
 * @brief Unregister a hook (locks).
 * @return FC_OK, FC_ERR_BUSY while containers are attached, FC_ERR_NOENT
 */
int fc_hook_remove(fc_hook_t *h);

/** @brief Set the fault callback (locks). */
void fc_hook_on_fault(fc_hook_t *h, fc_fault_fn fn, void *arg);

/**
 * @brief Attach a loaded container to a hook (locks).
 *
 * Its tenant's capabilities ANDed with the hook's must cover what its
 * program needs: an O(1) check against what the verifier recorded at load
 * (the container's fc_vm_t::caps, which neither attach nor detach changes),
 * which keeps the verified and specialised code.
 * A program calling a helper outside that set refuses the attach with
 * FC_ERR_HELPER_PERM and @p info naming the call's slot (found by verifying
 * a copy), and leaves the container as it was.
 *
 * @param[in]  h      hook
 * @param[in]  c      loaded container, not attached elsewhere
 * @param[in]  entry  entry slot to run (fc_image_entry())
 * @param[in]  prio   order: lower runs first, ties in attach order
 * @param[out] info   verifier verdict (may be NULL)
 * @return FC_OK; FC_ERR_INVAL (NULL, not loaded, another runtime, entry past the code);
 *         FC_ERR_BUSY when @p c is already attached or the hook is
 *         FC_POLICY_EXACTLY_ONE and taken; FC_ERR_FULL above 65535 containers;
 *         or the verifier's rejection
 */
int fc_hook_attach(fc_hook_t *h, fc_container_t *c, uint32_t entry, int16_t prio,
                   fc_verify_info_t *info);

/**
 * @brief Detach a container (locks). It stays loaded, with its tenant's capabilities.
 * @return FC_OK, FC_ERR_NOENT when not attached to @p h, FC_ERR_INVAL
 */
int fc_hook_detach(fc_hook_t *h, fc_container_t *c);

/**
 * @brief Fire a hook: run its containers on @p ctx under its policy (locks
 *        when something is attached). Must not be called from inside a helper.
 * @param[in]     h        hook
 * @param[in,out] ctx      context, mapped as FC_REGION_CTX with the hook's
 *                         flags; r1 = its virtual address, r2 = @p ctx_len
 * @param[in]     ctx_len  its length (ctx may be NULL when 0)
 * @param[out]    res      outcome (may be NULL)
 * @return containers run (>= 0, faulted ones included), or FC_ERR_INVAL
 */
int fc_hook_fire(fc_hook_t *h, void *ctx, uint32_t ctx_len, fc_hook_result_t *res);

/**
 * @brief Visitor for fc_hook_foreach().
 * @return 0 to continue, nonzero to stop (fc_hook_foreach() returns it)
 */
typedef int (*fc_hook_visit_fn)(fc_container_t *c, void *arg);

/**
 * @brief Visit the attached containers in run order (locks; @p fn runs under
 *        the lock and must not call the runtime). For tools listing a hook.
 * @return 0 after visiting all, the visitor's nonzero return, or FC_ERR_INVAL
 */
int fc_hook_foreach(fc_hook_t *h, fc_hook_visit_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* FC_HOOK_H */
/** @} */
