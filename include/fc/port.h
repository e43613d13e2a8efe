/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_port Port interface
 * @brief The few functions a firmware supplies to the runtime: clock, log,
 *        lock, random numbers and sensors.
 *
 * A port is a struct of function pointers (@ref fc_port_t) rather than
 * functions resolved at link time, because one host binary often holds
 * several ports at once (the tests run the null port beside the POSIX one,
 * a daemon may give each runtime its own log), and because the cost, one
 * indirect call per helper call, is small beside a helper call itself.
 * Every member may be NULL, which means: clock reads 0, log discards,
 * no locking (single thread), random returns 0, no sensors.
 *
 * Implementations: src/port/posix.c (@ref fc_port_posix, host) and
 * src/port/null.c (@ref fc_port_null, deterministic, for tests).
 *
 * @par Threads and interrupts
 * The runtime calls every member except lock/unlock with its lock held, so
 * they need no locking of their own; lock/unlock decide whether the
 * runtime's "(locks)" calls may be made from an ISR (they may when lock
 * masks interrupts). fc_port_null_init() and fc_port_null_set_time() are
 * for single-threaded tests.
 * @{
 */
#ifndef FC_PORT_H
#define FC_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "fc/helper_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The firmware's services, each taking fc_port_t::ctx first. */
typedef struct fc_port {
    void *ctx; /**< the port's own state, passed to every function */
    /** Monotonic microseconds since boot (milliseconds are derived from it). */
    uint64_t (*now_us)(void *ctx);
    /** Write @p len bytes of log text (one formatted line, newline included). */
    void (*log)(void *ctx, const char *text, size_t len);
    /** Take the runtime's lock (non-recursive is enough: the runtime never nests it). */
    void (*lock)(void *ctx);
    /** Release the runtime's lock. */
    void (*unlock)(void *ctx);
    /** A random 32-bit number. */
    uint32_t (*random)(void *ctx);
    /** Number of sensors (indices 0..n-1). */
    uint32_t (*sensor_count)(void *ctx);
    /** Type (FC_SENSOR_*) of sensor @p index, 0 when there is none. */
    uint32_t (*sensor_type)(void *ctx, uint32_t index);
    /** Read sensor @p index: FC_OK or a negative fc_err_t (FC_ERR_NOENT: no such sensor). */
    int (*sensor_read)(void *ctx, uint32_t index, fc_sensor_value_t *out);
    /**
     * Memory for compiled code (the JIT, include/fc/jit.h): @p len bytes,
     * writable, 8-byte aligned, not executable; NULL when there is none
     * (the runtime then interprets). NULL member: no JIT.
     */
    void *(*code_alloc)(void *ctx, size_t len);
    /** Make code_alloc() memory executable and no longer writable (W^X): its executable address, or NULL. */
    const void *(*code_seal)(void *ctx, void *mem);
    /** Release code_alloc() memory (@p mem: what code_alloc() or code_seal() returned). */
    void (*code_free)(void *ctx, const void *mem);
} fc_port_t;

/** @brief A simulated sensor, used by both provided ports; the caller owns the array. */
typedef struct {
    const char *name;        /**< for logs and tools */
    fc_sensor_value_t value; /**< what a read returns (value.type is the sensor's type) */
} fc_port_sensor_t;

/**
 * @defgroup fc_port_null Null port
 * @brief Deterministic port for tests: a clock that moves only when set,
 *        log captured into a caller buffer, a fixed-seed xorshift random,
 *        a lock that only counts, simulated sensors.
 * @{
 */

/** @brief State of a null port. Public so it can be static; set fields only through the calls. */
typedef struct {
    uint64_t now_us;           /**< the clock, set with fc_port_null_set_time() */
    char *log;                 /**< capture buffer (may be NULL: discard) */
    size_t log_cap;            /**< its size; the text is kept NUL-terminated */
    size_t log_len;            /**< bytes captured so far (excluding the NUL) */
    uint32_t rng;              /**< xorshift32 state */
    int32_t lock_depth;        /**< lock() minus unlock() calls, for tests */
    uint32_t lock_count;       /**< lock() calls, for tests */
    fc_port_sensor_t *sensors; /**< simulated sensors (may be NULL) */
    uint32_t nsensors;         /**< entries in sensors */
} fc_port_null_t;

/**
 * @brief Set up a null port and the port interface pointing to it.
 * @param[out] st        state
 * @param[out] port      interface to give to fc_rt_init()
 * @param[out] log       capture buffer (may be NULL)
 * @param[in]  log_cap   its size
 * @param[in]  sensors   simulated sensors (may be NULL; values can be changed between runs)
 * @param[in]  nsensors  entries in @p sensors
 */
void fc_port_null_init(fc_port_null_t *st, fc_port_t *port, char *log, size_t log_cap,
                       fc_port_sensor_t *sensors, uint32_t nsensors);

/** @brief Set the null port's clock to @p us microseconds. */
void fc_port_null_set_time(fc_port_null_t *st, uint64_t us);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* FC_PORT_H */
/** @} */
