/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A sensor threshold alarm: reads the first temperature sensor through the
 * sensor registry, compares it with a threshold and returns 1 (alarm) or 0
 * (no alarm), counting alarms in its tenant's store under ALARM_KEY.
 *
 * Build: femto build sensor_alarm.c -o sensor_alarm.img
 * Context (optional, read-only): { i32 threshold } in tenths of a degree
 * Celsius; without it the threshold is DEFAULT_THRESHOLD.
 * Returns 1 alarm, 0 no alarm, -1 no temperature sensor, -2 read failed.
 */
#include <stdint.h>

#include "femto/helpers.h"

#define DEFAULT_THRESHOLD 300 /* 30.0 degrees Celsius, in tenths */
#define ALARM_KEY 0xa1a3u     /* tenant-store key of the alarm counter */

/*
 * Is the reading above a threshold given in tenths, whatever scale the
 * driver reports? Both sides are brought to the finer scale by
 * multiplying (BPF has no signed division before cpu v4).
 */
static int above(const fc_sensor_value_t *v, int32_t threshold)
{
    int64_t x = v->value, t = threshold;
    for (int s = v->scale; s < -1; s++)
        t *= 10;
    for (int s = v->scale; s > -1; s--)
        x *= 10;
    return x > t;
}

int sensor_alarm(const int32_t *ctx, uint32_t len)
{
    int32_t threshold = len >= sizeof *ctx ? *ctx : DEFAULT_THRESHOLD;
    long idx = fc_sensor_find(FC_SENSOR_TEMP, 0);
    if (idx < 0)
        return -1;
    fc_sensor_value_t v;
    if (fc_sensor_read((uint32_t)idx, &v) != 0)
        return -2;
    if (!above(&v, threshold))
        return 0;
    uint64_t alarms = 0;
    fc_store_get_tenant(ALARM_KEY, &alarms);
    fc_store_put_tenant(ALARM_KEY, alarms + 1);
    return 1;
}
