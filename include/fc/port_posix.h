/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_port_posix POSIX port
 * @brief The host's port: clock_gettime(CLOCK_MONOTONIC), log to a stdio
 *        stream, a pthread mutex, getrandom(), simulated sensors whose values
 *        the host sets. Library fc_port_posix.
 *
 * @par Threads and interrupts
 * fc_port_posix_init() and fc_port_posix_fini(): once each, from one
 * thread, before and after every use of the port; the port's lock is a
 * pthread mutex (not for signal handlers).
 * @{
 */
#ifndef FC_PORT_POSIX_H
#define FC_PORT_POSIX_H

#include <pthread.h>
#include <stdio.h>

#include "fc/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief State of a POSIX port. */
typedef struct {
    pthread_mutex_t mutex;     /**< the runtime lock */
    FILE *log;                 /**< log stream (stdout by default, NULL: discard) */
    fc_port_sensor_t *sensors; /**< simulated sensors (may be NULL) */
    uint32_t nsensors;         /**< entries in sensors */
} fc_port_posix_t;

/**
 * @brief Set up a POSIX port.
 * @param[out] st        state (call fc_port_posix_fini() when done)
 * @param[out] port      interface for fc_rt_init()
 * @param[in]  log       stream for container log lines (NULL: discard)
 * @param[in]  sensors   simulated sensors (may be NULL; change values under the port's lock
 *                       or when no hook can fire)
 * @param[in]  nsensors  entries in @p sensors
 * @return FC_OK or FC_ERR_IO when the mutex cannot be created
 */
int fc_port_posix_init(fc_port_posix_t *st, fc_port_t *port, FILE *log,
                       fc_port_sensor_t *sensors, uint32_t nsensors);

/** @brief Release the port's mutex. */
void fc_port_posix_fini(fc_port_posix_t *st);

#ifdef __cplusplus
}
#endif

#endif /* FC_PORT_POSIX_H */
/** @} */
