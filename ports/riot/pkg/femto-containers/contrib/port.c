/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's port over RIOT: ztimer64 clock, an interrupt lock (hooks
 * fire from sched_cb and ztimer callbacks, ISR context, where no mutex can
 * be taken), stdio log, random_uint32() and the SAUL registry as sensors.
 */
#include <stddef.h>
#include <stdint.h>

#include "fc_riot.h"
#include "irq.h"
#include "phydat.h"
#include "random.h"
#include "saul.h"
#include "saul_reg.h"
#include "stdio_base.h"
#include "ztimer64.h"

/* One table for both directions of the class mapping. */
static const struct {
    uint8_t saul;
    uint8_t fc;
} classes[] = {
    { SAUL_SENSE_TEMP, FC_SENSOR_TEMP },         { SAUL_SENSE_HUM, FC_SENSOR_HUMIDITY },
    { SAUL_SENSE_LIGHT, FC_SENSOR_LIGHT },       { SAUL_SENSE_ACCEL, FC_SENSOR_ACCEL },
    { SAUL_SENSE_PRESS, FC_SENSOR_PRESSURE },    { SAUL_SENSE_VOLTAGE, FC_SENSOR_VOLTAGE },
    { SAUL_SENSE_BTN, FC_SENSOR_BUTTON },
};

static const struct {
    uint8_t phydat;
    uint8_t fc;
} units[] = {
    { UNIT_NONE, FC_UNIT_NONE }, { UNIT_TEMP_C, FC_UNIT_CELSIUS }, { UNIT_PERCENT, FC_UNIT_PERCENT },
    { UNIT_LUX, FC_UNIT_LUX },   { UNIT_G_FORCE, FC_UNIT_G },      { UNIT_PA, FC_UNIT_PA },
    { UNIT_V, FC_UNIT_VOLT },    { UNIT_BOOL, FC_UNIT_BOOL },
};

uint32_t fc_riot_saul_type(uint8_t saul_class)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (classes[i].saul == saul_class)
            return classes[i].fc;
    return 0;
}

uint8_t fc_riot_saul_class(uint32_t fc_type)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (classes[i].fc == fc_type)
            return classes[i].saul;
    return 0;
}

uint8_t fc_riot_saul_unit(uint8_t phydat_unit)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i].phydat == phydat_unit)
            return units[i].fc;
    return FC_UNIT_NONE;
}

static uint64_t now_us(void *ctx)
{
    (void)ctx;
    return ztimer64_now(ZTIMER64_USEC);
}

static void log_text(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    stdio_write(text, len);
}

/*
 * The runtime never nests its lock, and with interrupts off nothing else can
 * take it on a single core, so one saved state is enough.
 */
static unsigned irq_state;

static void lock(void *ctx)
{
    (void)ctx;
    unsigned s = irq_disable();
    irq_state = s;
}

static void unlock(void *ctx)
{
    (void)ctx;
    irq_restore(irq_state);
}

static uint32_t random32(void *ctx)
{
    (void)ctx;
    return random_uint32();
}

static uint32_t sensor_count(void *ctx)
{
    (void)ctx;
    uint32_t n = 0;
    while (saul_reg_find_nth((int)n) != NULL)
        n++;
    return n;
}

static uint32_t sensor_type(void *ctx, uint32_t index)
{
    (void)ctx;
    saul_reg_t *dev = index < INT32_MAX ? saul_reg_find_nth((int)index) : NULL;
    return dev ? fc_riot_saul_type(dev->driver->type) : 0;
}

static int sensor_read(void *ctx, uint32_t index, fc_sensor_value_t *out)
{
    (void)ctx;
    saul_reg_t *dev = index < INT32_MAX ? saul_reg_find_nth((int)index) : NULL;
    phydat_t d;
    if (dev == NULL)
        return FC_ERR_NOENT;
    int dims = saul_reg_read(dev, &d);
    if (dims <= 0)
        return FC_ERR_IO;
    out->value = d.val[0];
    out->scale = d.scale;
    out->unit = fc_riot_saul_unit(d.unit);
    out->type = (uint16_t)fc_riot_saul_type(dev->driver->type);
    return FC_OK;
}

const fc_port_t fc_riot_port = {
    .ctx = NULL,
    .now_us = now_us,
    .log = log_text,
    .lock = lock,
    .unlock = unlock,
    .random = random32,
    .sensor_count = sensor_count,
    .sensor_type = sensor_type,
    .sensor_read = sensor_read,
};
