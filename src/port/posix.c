/* SPDX-License-Identifier: Apache-2.0 */
/* The POSIX port: monotonic clock, stdio log, pthread mutex, getrandom, simulated sensors. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "fc/port_posix.h"
#include "sensors.h"

static uint64_t posix_now_us(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void posix_log(void *ctx, const char *text, size_t len)
{
    fc_port_posix_t *st = ctx;
    if (st->log == NULL)
        return;
    fwrite(text, 1, len, st->log);
    fflush(st->log);
}

static void posix_lock(void *ctx)
{
    pthread_mutex_lock(&((fc_port_posix_t *)ctx)->mutex);
}

static void posix_unlock(void *ctx)
{
    pthread_mutex_unlock(&((fc_port_posix_t *)ctx)->mutex);
}

static uint32_t posix_random(void *ctx)
{
    (void)ctx;
    uint32_t v = 0;
    ssize_t n;
    do
        n = getrandom(&v, sizeof v, 0);
    while (n < 0 && errno == EINTR);
    return v;
}

static uint32_t posix_sensor_count(void *ctx)
{
    return ((fc_port_posix_t *)ctx)->nsensors;
}

static uint32_t posix_sensor_type(void *ctx, uint32_t index)
{
    fc_port_posix_t *st = ctx;
    return sim_sensor_type(st->sensors, st->nsensors, index);
}

static int posix_sensor_read(void *ctx, uint32_t index, fc_sensor_value_t *out)
{
    fc_port_posix_t *st = ctx;
    return sim_sensor_read(st->sensors, st->nsensors, index, out);
}

int fc_port_posix_init(fc_port_posix_t *st, fc_port_t *port, FILE *log,
                       fc_port_sensor_t *sensors, uint32_t nsensors)
{
    memset(st, 0, sizeof *st);
    if (pthread_mutex_init(&st->mutex, NULL) != 0)
        return FC_ERR_IO;
    st->log = log;
    st->sensors = sensors;
    st->nsensors = sensors != NULL ? nsensors : 0;
    *port = (fc_port_t){
        .ctx = st,
        .now_us = posix_now_us,
        .log = posix_log,
        .lock = posix_lock,
        .unlock = posix_unlock,
        .random = posix_random,
        .sensor_count = posix_sensor_count,
        .sensor_type = posix_sensor_type,
        .sensor_read = posix_sensor_read,
    };
    return FC_OK;
}

void fc_port_posix_fini(fc_port_posix_t *st)
{
    pthread_mutex_destroy(&st->mutex);
}
