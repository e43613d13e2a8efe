/* SPDX-License-Identifier: Apache-2.0 */
/* Simulated sensors over a caller array, shared by the null and POSIX ports. */
#ifndef FC_PORT_SENSORS_H
#define FC_PORT_SENSORS_H

#include "fc/err.h"
#include "fc/port.h"

static inline uint32_t sim_sensor_type(const fc_port_sensor_t *s, uint32_t n, uint32_t i)
{
    return i < n ? s[i].value.type : 0u;
}

static inline int sim_sensor_read(const fc_port_sensor_t *s, uint32_t n, uint32_t i,
                                  fc_sensor_value_t *out)
{
    if (i >= n)
        return FC_ERR_NOENT;
    *out = s[i].value;
    return FC_OK;
}

#endif /* FC_PORT_SENSORS_H */
