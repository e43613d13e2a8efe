/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contexts femtod's hooks give their containers (r1 = the context,
 * r2 = its length). Shared by femtod and container code: include it with
 * `femto build -I daemon`. Fixed-width fields only, no padding surprises.
 */
#ifndef FEMTOD_CTX_H
#define FEMTOD_CTX_H

#include <stdint.h>

/** @brief Timer hook context (read-only). */
typedef struct {
    uint64_t now_ms;    /**< milliseconds since femtod started */
    uint32_t tick;      /**< fires of this hook so far, from 1 */
    uint32_t period_ms; /**< the configured period */
} femtod_timer_ctx_t;

/** @brief Network hook context (read-only): the header of one incoming request. */
typedef struct {
    uint8_t type;         /**< CoAP type: 0 CON, 1 NON */
    uint8_t code;         /**< request code: 1 GET, 2 POST, 3 PUT, 4 DELETE */
    uint8_t token_len;    /**< token length */
    uint8_t reserved;     /**< 0 */
    uint16_t mid;         /**< message id */
    uint16_t payload_len; /**< bytes of payload (whole body) */
    uint32_t path_len;    /**< bytes used in path */
    char path[52];        /**< Uri-Path joined with '/', NUL-terminated */
} femtod_net_ctx_t;

/** @brief Bytes of the request payload a CoAP-request container sees. */
#define FEMTOD_COAP_IN_MAX 64
/** @brief Bytes of response payload a CoAP-request container may write. */
#define FEMTOD_COAP_OUT_MAX 256

/**
 * @brief CoAP-request hook context (writable): GET/POST /app/NAME runs
 *        container NAME with it; out[0..out_len) becomes the response payload.
 *        Return >= 0 for 2.05 Content, < 0 for 5.00.
 */
typedef struct {
    uint32_t code;                    /**< request code: 1 GET, 2 POST, 3 PUT */
    uint32_t in_len;                  /**< bytes used in in */
    uint8_t in[FEMTOD_COAP_IN_MAX];   /**< request payload (cut at FEMTOD_COAP_IN_MAX) */
    uint32_t out_len;                 /**< set by the container: bytes of out to send */
    char out[FEMTOD_COAP_OUT_MAX];    /**< response payload written by the container */
} femtod_coap_ctx_t;

#endif /* FEMTOD_CTX_H */
