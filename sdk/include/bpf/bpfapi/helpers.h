/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file bpf/bpfapi/helpers.h
 * @brief Source compatibility with RIOT's original Femto-Container package:
 *        its helper names and signatures, mapped onto our checked helpers.
 *
 * Containers written for the original package (`#include "bpf/bpfapi/helpers.h"`)
 * build unchanged with `femto build`. The original helpers took raw host
 * pointers under their own ids (0x01 printf ... 0x61 ztimer_periodic_wakeup);
 * here each one is a static inline function over the standard helpers of
 * femto/helpers.h (every pointer checked against the container's regions),
 * or over the RIOT glue's firmware helpers for gcoap (ids 0x1000 | the
 * original id, registered by the femto-containers_gcoap module).
 *
 * Differences a container can see:
 * - bpf_fetch_global/_local of a key never stored gives 0 and returns 0.
 * - bpf_saul_reg_t is an opaque handle (a sensor index), not a host pointer.
 * - bpf_printf takes at most 4 arguments (%d %u %x %s %c).
 * - bpf_ztimer_periodic_wakeup() does not exist: containers are event-driven,
 *   a call is a build error; attach the loop's body to the timer hook
 *   (femto-containers_timer) and return instead.
 */
#ifndef BPF_BPFAPI_HELPERS_H
#define BPF_BPFAPI_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "femto/helpers.h"

/** @brief A pointer the original package shared with the host, always 64 bits wide. */
#define __bpf_shared_ptr(type, name) \
    union {                          \
        type name;                   \
        uint64_t name##_u64;         \
    }

/* ---- the original helper ids, for reference and for the firmware helpers ---- */
#define BPF_FUNC_BPF_PRINTF               0x01
#define BPF_FUNC_BPF_MEMCPY               0x02
#define BPF_FUNC_BPF_STORE_LOCAL          0x10
#define BPF_FUNC_BPF_STORE_GLOBAL         0x11
#define BPF_FUNC_BPF_FETCH_LOCAL          0x12
#define BPF_FUNC_BPF_FETCH_GLOBAL         0x13
#define BPF_FUNC_BPF_NOW_MS               0x20
#define BPF_FUNC_BPF_SAUL_REG_FIND_NTH    0x30
#define BPF_FUNC_BPF_SAUL_REG_FIND_TYPE   0x31
#define BPF_FUNC_BPF_SAUL_REG_READ        0x32
#define BPF_FUNC_BPF_GCOAP_RESP_INIT      0x40
#define BPF_FUNC_BPF_COAP_OPT_FINISH      0x41
#define BPF_FUNC_BPF_COAP_ADD_FORMAT      0x42
#define BPF_FUNC_BPF_COAP_GET_PDU         0x43
#define BPF_FUNC_BPF_FMT_S16_DFP          0x50
#define BPF_FUNC_BPF_FMT_U32_DEC          0x51
#define BPF_FUNC_BPF_ZTIMER_NOW           0x60
#define BPF_FUNC_BPF_ZTIMER_PERIODIC_WAKEUP 0x61

/** @brief Firmware helper id of an original gcoap helper (0x1000 | original id). */
#define BPF_FC_FIRMWARE_ID(orig) (0x1000u | (orig))

/* ---- SAUL classes and phydat units as RIOT numbers them (checked by the glue) ---- */
#ifndef PHYDAT_H
/** @brief RIOT's phydat_t: up to three values x 10^scale in unit. */
typedef struct {
    int16_t val[3]; /**< the values */
    uint8_t unit;   /**< UNIT_* */
    int8_t scale;   /**< power of ten */
} phydat_t;
#define UNIT_UNDEF   0
#define UNIT_NONE    1
#define UNIT_TEMP_C  2
#define UNIT_LUX     5
#define UNIT_G_FORCE 9
#define UNIT_V       13
#define UNIT_PA      23
#define UNIT_BOOL    25
#define UNIT_PERCENT 27
#endif
#ifndef SAUL_H
#define SAUL_SENSE_ANY     0x80
#define SAUL_SENSE_BTN     0x81
#define SAUL_SENSE_TEMP    0x82
#define SAUL_SENSE_HUM     0x83
#define SAUL_SENSE_LIGHT   0x84
#define SAUL_SENSE_ACCEL   0x85
#define SAUL_SENSE_PRESS   0x89
#define SAUL_SENSE_VOLTAGE 0x99
#endif

/** @brief An opaque SAUL device handle (sensor index + 1; NULL: none). */
typedef struct bpf_saul_reg bpf_saul_reg_t;

/** @brief Context of the CoAP hook, as the original package laid it out. */
typedef struct {
    __bpf_shared_ptr(void *, pkt);  /**< the request/response (bpf_coap_pkt_t) */
    __bpf_shared_ptr(uint8_t *, buf); /**< the response buffer */
    uint32_t buf_len;               /**< its size */
    uint32_t reserved;              /**< keeps the struct's size a multiple of 8 */
} bpf_coap_ctx_t;

/** @brief The packet as a container reads it (RIOT's coap_pkt_t, 64-bit pointers). */
typedef struct {
    uint64_t hdr_p;       /**< the header (in buf) */
    uint64_t payload_p;   /**< the payload (in buf) */
    uint64_t token_p;     /**< the token */
    uint16_t payload_len; /**< payload bytes, or room left for it in a response */
    uint16_t options_len; /**< options bytes */
    uint32_t reserved;    /**< padding */
} bpf_coap_pkt_t;

/* ---- store ---- */

static inline int bpf_store_global(uint32_t key, uint32_t value)
{
    return (int)fc_store_put_global(key, value);
}

static inline int bpf_store_local(uint32_t key, uint32_t value)
{
    return (int)fc_store_put_local(key, value);
}

static inline int bpf_fetch_global(uint32_t key, uint32_t *value)
{
    uint64_t v = 0;
    long rc = fc_store_get_global(key, &v);
    *value = (uint32_t)v;
    return rc == -4 ? 0 : (int)rc;
}

static inline int bpf_fetch_local(uint32_t key, uint32_t *value)
{
    uint64_t v = 0;
    long rc = fc_store_get_local(key, &v);
    *value = (uint32_t)v;
    return rc == -4 ? 0 : (int)rc;
}

/* ---- log, memory, time ---- */

#define bpf_printf_(fmt, a, b, c, d, ...) \
    fc_printf((fmt), (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d))
/** @brief printf to the device log, at most 4 arguments. */
#define bpf_printf(...) bpf_printf_(__VA_ARGS__, 0, 0, 0, 0, 0)

static inline int bpf_memcpy(void *dest, const void *src, size_t n)
{
    return (int)fc_memcpy(dest, src, (uint32_t)n);
}

static inline uint32_t bpf_now_ms(void)
{
    return (uint32_t)fc_now_ms();
}

/** @brief ZTIMER_USEC's now, 32 bits, as the original's ztimer_now helper. */
static inline uint32_t bpf_ztimer_now(void)
{
    return (uint32_t)fc_now_us();
}

/** @brief Refused: a container may not block (see the file's description). */
void bpf_ztimer_periodic_wakeup(uint32_t *last_wakeup, uint32_t period) __attribute__((error(
    "bpf_ztimer_periodic_wakeup: femto-containers are event-driven and a container may not "
    "block; attach the loop's body to the periodic timer hook (femto-containers_timer, "
    "fc_riot_timer_hook) and return from it instead of looping")));

/* ---- SAUL, over the standard sensor helpers ---- */

static inline bpf_saul_reg_t *bpf_saul_reg_find_nth(int pos)
{
    if (pos < 0 || pos >= fc_sensor_count())
        return NULL;
    return (bpf_saul_reg_t *)(uintptr_t)(pos + 1);
}

static inline bpf_saul_reg_t *bpf_saul_reg_find_type(uint8_t type)
{
    /* RIOT's class numbers onto the SDK's sensor types */
    static const uint8_t saul[] = { 0, SAUL_SENSE_TEMP, SAUL_SENSE_HUM, SAUL_SENSE_LIGHT,
                                    SAUL_SENSE_ACCEL, SAUL_SENSE_PRESS, SAUL_SENSE_VOLTAGE,
                                    SAUL_SENSE_BTN };
    for (uint32_t t = 1; t < sizeof saul; t++) {
        if (saul[t] == type) {
            long i = fc_sensor_find(t, 0);
            return i < 0 ? NULL : (bpf_saul_reg_t *)(uintptr_t)(i + 1);
        }
    }
    return NULL;
}

static inline int bpf_saul_reg_read(bpf_saul_reg_t *dev, phydat_t *data)
{
    static const uint8_t unit[] = { UNIT_NONE, UNIT_TEMP_C, UNIT_PERCENT, UNIT_LUX,
                                    UNIT_G_FORCE, UNIT_PA, UNIT_V, UNIT_BOOL };
    fc_sensor_value_t v;
    uintptr_t h = (uintptr_t)dev;
    if (h == 0)
        return -1;
    long rc = fc_sensor_read((uint32_t)(h - 1), &v);
    if (rc < 0)
        return (int)rc;
    /* phydat holds 16 bits: scale down until the value fits (unsigned: BPF v3 has no sdiv) */
    uint32_t mag = v.value < 0 ? 0u - (uint32_t)v.value : (uint32_t)v.value;
    int8_t scale = v.scale;
    while (mag > 32767u) {
        mag /= 10u;
        scale++;
    }
    data->val[0] = (int16_t)(v.value < 0 ? -(int32_t)mag : (int32_t)mag);
    data->val[1] = 0;
    data->val[2] = 0;
    data->scale = scale;
    data->unit = v.unit < sizeof unit ? unit[v.unit] : UNIT_UNDEF;
    return 1;
}

/* ---- fmt, computed in the container ---- */

static inline size_t bpf_fmt_u32_dec(char *out, uint32_t val)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + val % 10);
        val /= 10;
    } while (val != 0);
    if (out != NULL)
        for (size_t i = 0; i < n; i++)
            out[i] = tmp[n - 1 - i];
    return n;
}

static inline size_t bpf_fmt_s16_dfp(char *out, int16_t val, int fp_digits)
{
    /* RIOT's fmt_s16_dfp: val x 10^-fp_digits in decimal, e.g. (2345, 2) -> "23.45" */
    uint32_t mag = val < 0 ? (uint32_t)(-(int32_t)val) : (uint32_t)val;
    char digits[10];
    size_t n = 0, len = 0;
    do {
        digits[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    if (fp_digits < 0)
        fp_digits = 0;
    while ((int)n <= fp_digits && n < sizeof digits)
        digits[n++] = '0';
    if (val < 0) {
        if (out != NULL)
            out[len] = '-';
        len++;
    }
    for (size_t i = n; i-- > 0;) {
        if ((int)i == fp_digits - 1 && fp_digits > 0) {
            if (out != NULL)
                out[len] = '.';
            len++;
        }
        if (out != NULL)
            out[len] = digits[i];
        len++;
    }
    return len;
}

/* ---- gcoap: firmware helpers of the femto-containers_gcoap module ---- */

static void (*const bpf_gcoap_resp_init_)(bpf_coap_ctx_t *ctx, uint32_t code) =
    (void *)(uintptr_t)BPF_FC_FIRMWARE_ID(BPF_FUNC_BPF_GCOAP_RESP_INIT);
static long (*const bpf_coap_opt_finish_)(bpf_coap_ctx_t *ctx, uint32_t flags) =
    (void *)(uintptr_t)BPF_FC_FIRMWARE_ID(BPF_FUNC_BPF_COAP_OPT_FINISH);
static void (*const bpf_coap_add_format_)(bpf_coap_ctx_t *ctx, uint32_t format) =
    (void *)(uintptr_t)BPF_FC_FIRMWARE_ID(BPF_FUNC_BPF_COAP_ADD_FORMAT);
static uint8_t *(*const bpf_coap_get_pdu_)(bpf_coap_ctx_t *ctx) =
    (void *)(uintptr_t)BPF_FC_FIRMWARE_ID(BPF_FUNC_BPF_COAP_GET_PDU);

static inline void bpf_gcoap_resp_init(bpf_coap_ctx_t *ctx, unsigned resp_code)
{
    bpf_gcoap_resp_init_(ctx, resp_code);
}

static inline long bpf_coap_opt_finish(bpf_coap_ctx_t *ctx, unsigned flags)
{
    return bpf_coap_opt_finish_(ctx, flags);
}

static inline void bpf_coap_add_format(bpf_coap_ctx_t *ctx, uint32_t format)
{
    bpf_coap_add_format_(ctx, format);
}

static inline uint8_t *bpf_coap_get_pdu(bpf_coap_ctx_t *ctx)
{
    return bpf_coap_get_pdu_(ctx);
}

#endif /* BPF_BPFAPI_HELPERS_H */
