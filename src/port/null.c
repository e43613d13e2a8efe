/* SPDX-License-Identifier: Apache-2.0 */
/* The null port: deterministic services for tests (clock set by hand, log captured). */
#include <string.h>

#include "fc/port.h"
#include "sensors.h"

static uint64_t null_now_us(void *ctx)
{
    return ((fc_port_null_t *)ctx)->now_us;
}

static void null_log(void *ctx, const char *text, size_t len)
{
    fc_port_null_t *st = ctx;
    if (st->log == NULL || st->log_cap == 0)
        return;
    size_t room = st->log_cap - 1 - st->log_len;
    size_t n = len < room ? len : room;
    memcpy(st->log + st->log_len, text, n);
    st->log_len += n;
    st->log[st->log_len] = '\0';
}

static void null_lock(void *ctx)
{
    fc_port_null_t *st = ctx;
    st->lock_depth++;
    st->lock_count++;
}

static void null_unlock(void *ctx)
{
    ((fc_port_null_t *)ctx)->lock_depth--;
}

static uint32_t null_random(void *ctx)
{
    fc_port_null_t *st = ctx;
    uint32_t x = st->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    st->rng = x;
    return x;
}

static uint32_t null_sensor_count(void *ctx)
{
    return ((fc_port_null_t *)ctx)->nsensors;
}

static uint32_t null_sensor_type(void *ctx, uint32_t index)
{
    fc_port_null_t *st = ctx;
    return sim_sensor_type(st->sensors, st->nsensors, index);
}

static int null_sensor_read(void *ctx, uint32_t index, fc_sensor_value_t *out)
{
    fc_port_null_t *st = ctx;
    return sim_sensor_read(st->sensors, st->nsensors, index, out);
}

void fc_port_null_init(fc_port_null_t *st, fc_port_t *port, char *log, size_t log_cap,
                       fc_port_sensor_t *sensors, uint32_t nsensors)
{
    memset(st, 0, sizeof *st);
    st->log = log;
    st->log_cap = log_cap;
    if (log != NULL && log_cap != 0)
        log[0] = '\0';
    st->rng = 2463534242u; /* Marsaglia's xorshift32 seed: the same sequence every run */
    st->sensors = sensors;
    st->nsensors = sensors != NULL ? nsensors : 0;
    *port = (fc_port_t){
        .ctx = st,
        .now_us = null_now_us,
        .log = null_log,
        .lock = null_lock,
        .unlock = null_unlock,
        .random = null_random,
        .sensor_count = null_sensor_count,
        .sensor_type = null_sensor_type,
        .sensor_read = null_sensor_read,
    };
}

void fc_port_null_set_time(fc_port_null_t *st, uint64_t us)
{
    st->now_us = us;
}
