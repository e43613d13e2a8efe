/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup pkg_femto_containers_glue femto-containers RIOT glue
 * @ingroup  pkg_femto_containers
 * @brief    The port over RIOT (ztimer64, irq lock, stdio, random, SAUL) and
 *           the hook modules (scheduler, periodic timer, gcoap).
 *
 * Each hook module is its own RIOT module (`USEMODULE += femto-containers_sched`,
 * `femto-containers_timer`, `femto-containers_gcoap`); a firmware pays only for
 * what it selects. Every hook is a plain @ref fc_hook_t: containers attach to it
 * with fc_hook_attach() as anywhere else.
 * @{
 */
#ifndef FC_RIOT_H
#define FC_RIOT_H

#include <stdint.h>

#include "fc/hook.h"
#include "fc/port.h"
#include "fc/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The runtime's port over RIOT.
 *
 * Clock: ztimer64_now(ZTIMER64_USEC). Log: stdio_write(). Random:
 * random_uint32(). Lock: irq_disable()/irq_restore(), because hooks fire in
 * ISR context (sched_cb, ztimer callbacks) where a mutex cannot be taken;
 * a run therefore holds interrupts off for at most its budget. Sensors: the
 * SAUL registry, in registration order, the class and unit mapped with
 * fc_riot_saul_type() and fc_riot_saul_unit(), value = val[0] x 10^scale.
 */
extern const fc_port_t fc_riot_port;

/** @brief SDK sensor type (FC_SENSOR_*) of a SAUL class, 0 when there is none. */
uint32_t fc_riot_saul_type(uint8_t saul_class);

/** @brief SAUL class of an SDK sensor type, SAUL_CLASS_UNDEF (0) when there is none. */
uint8_t fc_riot_saul_class(uint32_t fc_type);

/** @brief SDK unit (FC_UNIT_*) of a phydat unit; FC_UNIT_NONE when it has no equivalent. */
uint8_t fc_riot_saul_unit(uint8_t phydat_unit);

/**
 * @brief Scheduler context of the original RIOT Femto-Container package,
 *        offered on @ref fc_riot_sched_hook_bpf.
 */
typedef struct {
    uint64_t previous; /**< pid switched out (0: none, e.g. after idle) */
    uint64_t next;     /**< pid switched in */
} fc_riot_sched_ctx64_t;

/** @brief Scheduler hook, context fc_sched_ctx_t {u32 previous, u32 next} (the SDK's). */
extern fc_hook_t fc_riot_sched_hook;
/** @brief Scheduler hook, context @ref fc_riot_sched_ctx64_t (the original package's). */
extern fc_hook_t fc_riot_sched_hook_bpf;

/**
 * @brief Set up both scheduler hooks on @p rt and register the sched_cb callback.
 *
 * RIOT calls the callback twice per switch, (prev, UNDEF) then (UNDEF, next);
 * the glue pairs them and fires each hook once per switch with {prev, next},
 * on the ISR stack (the module raises it, see Makefile.include). A hook with
 * nothing attached costs one pointer read per switch.
 * @param rt     runtime (initialised)
 * @param caps   capabilities the hooks grant (e.g. FC_CAP_STORE_TENANT | FC_CAP_STORE_GLOBAL)
 * @param budget instruction budget of each run
 * @return FC_OK or the error of fc_hook_init()
 */
int fc_riot_sched_init(fc_rt_t *rt, uint32_t caps, uint32_t budget);

/** @brief Switches seen (pairs of sched_cb calls) since fc_riot_sched_init(). */
uint32_t fc_riot_sched_switches(void);

/** @brief Context of the periodic timer hook (read-only). */
typedef struct {
    uint64_t now_us;   /**< ztimer64 microseconds at the tick */
    uint32_t tick;     /**< ticks since fc_riot_timer_start(), from 1 */
    uint32_t period_ms; /**< the period */
} fc_riot_timer_ctx_t;

/** @brief The periodic timer hook, fired from a ztimer_periodic callback (ISR context). */
extern fc_hook_t fc_riot_timer_hook;

/**
 * @brief Set up the timer hook; fc_riot_timer_start() starts the ticks.
 * @return FC_OK or the error of fc_hook_init()
 */
int fc_riot_timer_init(fc_rt_t *rt, uint32_t caps, uint32_t budget);

/**
 * @brief Fire the timer hook every @p period_ms milliseconds (ZTIMER_USEC, see timer.c),
 *        @p ticks times (0: until fc_riot_timer_stop()).
 */
void fc_riot_timer_start(uint32_t period_ms, uint32_t ticks);

/** @brief Ticks fired since fc_riot_timer_start() (callable from any context). */
uint32_t fc_riot_timer_ticks(void);

/** @brief Stop the ticks; returns the number of ticks fired. */
uint32_t fc_riot_timer_stop(void);



/**
 * @name CoAP hooks on gcoap (module femto-containers_gcoap)
 * @{
 */

/** @brief Firmware capability bit (FC_CAP_FIRMWARE(n)) of the gcoap helpers. */
#define FC_RIOT_CAP_COAP 0

/** @brief Context of the "coap_req" hook (read-only): one request to /app. */
typedef struct {
    uint32_t code;        /**< the request's method code */
    uint32_t path_len;    /**< bytes of path */
    uint32_t payload_len; /**< bytes of its payload */
    char path[64];        /**< its Uri-Path, NUL-terminated */
} fc_riot_coap_req_t;

/** @brief "coap": exactly one container answers GET/POST /app (original package context). */
extern fc_hook_t fc_riot_coap_hook;
/** @brief "coap_req": containers that see every request to /app. */
extern fc_hook_t fc_riot_coap_req_hook;
/** @brief The gcoap helpers (ids 0x1040..0x1043): give them to fc_rt_init() as firmware helpers. */
extern const fc_helper_table_t fc_riot_coap_helpers;

/**
 * @brief Set up both hooks and register GET/POST /app with gcoap.
 * @param rt     runtime initialised with @ref fc_riot_coap_helpers
 * @param caps   capabilities granted (the "coap" hook adds FC_CAP_FIRMWARE(FC_RIOT_CAP_COAP))
 * @param budget instruction budget of each run
 */
int fc_riot_coap_init(fc_rt_t *rt, uint32_t caps, uint32_t budget);

/** @} */

/**
 * @name Deployment over gcoap (module femto-containers_deploy)
 * @{
 */

/** @brief A tenant provisioned at build time: its name, store id, capabilities and key. */
typedef struct {
    const char *name;   /**< tenant name the envelopes carry */
    uint32_t id;        /**< its store namespace (fc_tenant_add()) */
    uint32_t caps;      /**< capabilities of its containers */
    uint32_t quota;     /**< entries it may hold in the pool */
    uint8_t pk[32];     /**< its Ed25519 public key */
    fc_tenant_t tenant; /**< set up by fc_riot_deploy_init() */
} fc_riot_tenant_t;

/**
 * @brief Add the tenants to @p rt, restore the containers kept in @p dir and
 *        register the CoAP resources: PUT/POST /deploy (signed envelope,
 *        block-wise), GET /containers, GET /store/TENANT.
 *
 * Envelopes are femtod's (docs/femtod.md: COSE_Sign1, EdDSA, tenant, name,
 * strictly increasing sequence), verified with libcose and HACL; the rules
 * and their CoAP codes are src/deploy/fc_deploy_rules.h, shared with femtod.
 * Hooks are found by name among the hooks of @p rt. Each accepted envelope
 * is kept as DIR/NAME.cose (re-verified at boot) and the sequence table as
 * DIR/seq, both written to a temporary file and renamed.
 * @param rt       runtime with its hooks set up
 * @param tenants  provisioned tenants (kept by pointer)
 * @param n        their number
 * @param dir      VFS directory for the state (created if missing), e.g. "/nvm0/fc"
 * @return FC_OK, or the error of fc_tenant_add(); a container that cannot be
 *         restored is logged and skipped
 */
int fc_riot_deploy_init(fc_rt_t *rt, fc_riot_tenant_t *tenants, unsigned n, const char *dir);

/** @brief Containers installed now. */
unsigned fc_riot_deploy_count(void);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* FC_RIOT_H */
/** @} */
