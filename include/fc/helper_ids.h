/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file fc/helper_ids.h
 * @brief The one list of standard helpers, shared by the host (include/fc/helpers.h,
 *        src/runtime/helpers.c) and container code (femto/helpers.h includes it;
 *        the installed SDK carries a copy under share/femto/sdk/include/fc/).
 *
 * Each line: X(name, NAME, id, capability, return type, (parameters), summary).
 * Ids are stable: a published id never changes meaning; new helpers take
 * new ids. Ids from @ref FC_HELPER_FIRMWARE_BASE up are reserved for helpers
 * the firmware registers itself. Needs only <stdint.h>, so it compiles for
 * the BPF target and for the host alike.
 */
#ifndef FC_HELPER_IDS_H
#define FC_HELPER_IDS_H

#include <stdint.h>

/** @brief First helper id reserved for firmware-defined helpers (up to 0x7fffffff). */
#define FC_HELPER_FIRMWARE_BASE 0x1000u

/* Capability bits: a helper needs its bit granted (tenant AND hook). */
#define FC_CAP_STORE_GLOBAL (1u << 0) /**< read/write the global store */
#define FC_CAP_STORE_TENANT (1u << 1) /**< read/write the tenant's own store */
#define FC_CAP_STORE_LOCAL  (1u << 2) /**< read/write the container's local store */
#define FC_CAP_TIME         (1u << 3) /**< read the clock */
#define FC_CAP_LOG          (1u << 4) /**< print to the device log */
#define FC_CAP_SENSOR       (1u << 5) /**< find and read sensors */
#define FC_CAP_RANDOM       (1u << 6) /**< random numbers */
#define FC_CAP_STANDARD     0x7fu     /**< every standard capability */
#define FC_CAP_FIRMWARE(n)  (1u << (16 + (n))) /**< bits 16..31 are the firmware's (n 0..15) */

/** @brief A typed sensor reading (SAUL-like): value * 10^scale in unit. */
typedef struct {
    int32_t value; /**< the reading */
    int8_t scale;  /**< power of ten applied to value */
    uint8_t unit;  /**< FC_UNIT_* */
    uint16_t type; /**< FC_SENSOR_* of the sensor that produced it */
} fc_sensor_value_t;

/* Sensor types (fc_sensor_find) and units (fc_sensor_value_t::unit). */
#define FC_SENSOR_ANY      0u /**< matches every type in fc_sensor_find() */
#define FC_SENSOR_TEMP     1u /**< temperature */
#define FC_SENSOR_HUMIDITY 2u /**< relative humidity */
#define FC_SENSOR_LIGHT    3u /**< illuminance */
#define FC_SENSOR_ACCEL    4u /**< acceleration (one axis) */
#define FC_SENSOR_PRESSURE 5u /**< pressure */
#define FC_SENSOR_VOLTAGE  6u /**< voltage */
#define FC_SENSOR_BUTTON   7u /**< push button, 0 or 1 */

#define FC_UNIT_NONE    0u /**< plain number */
#define FC_UNIT_CELSIUS 1u /**< degrees Celsius */
#define FC_UNIT_PERCENT 2u /**< percent */
#define FC_UNIT_LUX     3u /**< lux */
#define FC_UNIT_G       4u /**< standard gravity */
#define FC_UNIT_PA      5u /**< pascal */
#define FC_UNIT_VOLT    6u /**< volt */
#define FC_UNIT_BOOL    7u /**< 0 or 1 */

/*
 * Return conventions: a helper returns 0 or a count on success and a
 * negative fc_err_t value (FC_ERR_NOENT -4, FC_ERR_FULL -8, FC_ERR_QUOTA -9,
 * FC_ERR_INVAL -1) the program can test; a bad pointer or length is not
 * returned but faults the run (FC_ERR_MEM / FC_ERR_MEM_PERM).
 */
#define FC_HELPER_LIST(X)                                                                      \
    X(store_get_global, STORE_GET_GLOBAL, 1, FC_CAP_STORE_GLOBAL, long, (uint32_t key, uint64_t *value),         \
      "fetch key from the global store into *value: 0 or -4 (absent)")                        \
    X(store_put_global, STORE_PUT_GLOBAL, 2, FC_CAP_STORE_GLOBAL, long, (uint32_t key, uint64_t value),          \
      "store key in the global store: 0, or -8 (full)")                                        \
    X(store_get_tenant, STORE_GET_TENANT, 3, FC_CAP_STORE_TENANT, long, (uint32_t key, uint64_t *value),         \
      "fetch key from the calling tenant's store: 0 or -4 (absent)")                           \
    X(store_put_tenant, STORE_PUT_TENANT, 4, FC_CAP_STORE_TENANT, long, (uint32_t key, uint64_t value),          \
      "store key in the calling tenant's store: 0, -9 (quota) or -8 (full)")                   \
    X(store_get_local, STORE_GET_LOCAL, 5, FC_CAP_STORE_LOCAL, long, (uint32_t key, uint64_t *value),           \
      "fetch key from the container's local store: 0 or -4 (absent)")                          \
    X(store_put_local, STORE_PUT_LOCAL, 6, FC_CAP_STORE_LOCAL, long, (uint32_t key, uint64_t value),            \
      "store key in the container's local store: 0, or -8 (full)")                             \
    X(now_ms, NOW_MS, 7, FC_CAP_TIME, uint64_t, (void), "milliseconds since boot")                     \
    X(now_us, NOW_US, 8, FC_CAP_TIME, uint64_t, (void), "microseconds since boot")                     \
    X(printf, PRINTF, 9, FC_CAP_LOG, long,                                                             \
      (const char *fmt, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4),                   \
      "formatted line to the log (%d %u %x %s %c %%, 4 args): bytes written")                  \
    X(memcpy, MEMCPY, 10, 0, long, (void *dst, const void *src, uint32_t len),                         \
      "copy len bytes (overlap allowed) between the container's regions: 0")                  \
    X(memset, MEMSET, 11, 0, long, (void *dst, int c, uint32_t len), "fill len bytes with c: 0")       \
    X(memcmp, MEMCMP, 12, 0, long, (const void *a, const void *b, uint32_t len),                       \
      "compare len bytes: -1, 0 or 1")                                                         \
    X(sensor_count, SENSOR_COUNT, 13, FC_CAP_SENSOR, long, (void), "number of sensors")                      \
    X(sensor_find, SENSOR_FIND, 14, FC_CAP_SENSOR, long, (uint32_t type, uint32_t from),                    \
      "index of the first sensor of type (0: any) at or after from, or -4")                    \
    X(sensor_read, SENSOR_READ, 15, FC_CAP_SENSOR, long, (uint32_t index, fc_sensor_value_t *out),          \
      "read sensor index into *out: 0, -4 (no such sensor) or the driver's error")             \
    X(random_u32, RANDOM_U32, 16, FC_CAP_RANDOM, uint64_t, (void), "a random 32-bit number")

#define FC_HELPER_ID_ENUM_(name, NAME, id, cap, ret, params, doc) FC_HELPER_##NAME = id,
/** @brief Helper ids as named constants: FC_HELPER_STORE_GET_GLOBAL = 1, ... */
enum fc_helper_id { FC_HELPER_LIST(FC_HELPER_ID_ENUM_) };
#undef FC_HELPER_ID_ENUM_

#endif /* FC_HELPER_IDS_H */
