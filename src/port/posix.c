/* SPDX-License-Identifier: Apache-2.0 */
/* The POSIX port: monotonic clock, stdio log, pthread mutex, getrandom, simulated sensors. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include "fc/code_posix.h"
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

/*
 * Code memory for the JIT. W^X: a private anonymous mapping is read-write
 * while the compiler writes it and read-execute after fc_code_posix_seal();
 * it is never writable and executable at once. The mapping's length sits
 * in its first 16 bytes, so callers keep one pointer.
 */
#define HEAD 16u /* keeps the code 16-byte aligned */

static uint8_t *base_of(const void *mem)
{
    return (uint8_t *)(uintptr_t)mem - HEAD;
}

void *fc_code_posix_alloc(void *ctx, size_t len)
{
    (void)ctx;
    if (len == 0 || len > SIZE_MAX - HEAD)
        return NULL;
    size_t total = len + HEAD;
    void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    memcpy(m, &total, sizeof total);
    return (uint8_t *)m + HEAD;
}

const void *fc_code_posix_seal(void *ctx, void *mem)
{
    (void)ctx;
    if (mem == NULL)
        return NULL;
    size_t total;
    memcpy(&total, base_of(mem), sizeof total);
    if (mprotect(base_of(mem), total, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    return mem;
}

void fc_code_posix_free(void *ctx, const void *mem)
{
    (void)ctx;
    if (mem == NULL)
        return;
    size_t total;
    memcpy(&total, base_of(mem), sizeof total);
    munmap(base_of(mem), total);
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
        /* code memory for the JIT, W^X (code_posix.c) */
        .code_alloc = fc_code_posix_alloc,
        .code_seal = fc_code_posix_seal,
        .code_free = fc_code_posix_free,
    };
    return FC_OK;
}

void fc_port_posix_fini(fc_port_posix_t *st)
{
    pthread_mutex_destroy(&st->mutex);
}
