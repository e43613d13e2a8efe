/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_deploy_rules Deployment rules (freestanding)
 * @ingroup  fc_deploy
 * @brief    The checks a device applies to a signed envelope, independent of
 *           the CBOR and crypto backend: names, the shape of a request, the
 *           sequence-number table (strictly increasing per container name,
 *           remembered after removal) and the CoAP answer of each error.
 *
 * Freestanding (no allocation, no OS): used by the RIOT glue
 * (ports/riot, nanocbor + libcose) and meant for femtod (libcbor +
 * libsodium) alike, so both judge an envelope the same way. Not thread-safe:
 * the caller serialises calls on one table.
 * @{
 */
#ifndef FC_DEPLOY_RULES_H
#define FC_DEPLOY_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "fc_deploy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief One remembered container name and the last sequence number accepted for it. */
typedef struct {
    char name[FC_DEPLOY_NAME_MAX + 1]; /**< container name, NUL-terminated ("" = free) */
    uint64_t seq;                      /**< last accepted sequence number */
} fc_deploy_seq_t;

/**
 * @brief True when the @p len bytes at @p s are a valid tenant, container or
 *        hook name: 1..@p max characters of [A-Za-z0-9_.-], not starting with '.'
 *        (the same rule as fc_deploy_name_ok(), for strings that are not NUL-terminated).
 */
int fc_deploy_name_valid(const char *s, size_t len, size_t max);

/**
 * @brief Check the shape of a request: a known operation, an image exactly
 *        when installing, at most FC_DEPLOY_HOOKS_MAX hooks.
 * @return FC_OK or FC_ERR_FORMAT
 */
int fc_deploy_request_check(unsigned op, int has_image, unsigned nhooks);

/** @brief The entry of @p name in the table of @p n entries, or NULL. */
fc_deploy_seq_t *fc_deploy_seq_find(fc_deploy_seq_t *tab, uint32_t n, const char *name);

/**
 * @brief May @p seq be accepted for @p name? Only when above the last one
 *        accepted for that name (any value for a name never seen).
 * @return FC_OK or FC_ERR_REPLAY
 */
int fc_deploy_seq_admit(fc_deploy_seq_t *tab, uint32_t n, const char *name, uint64_t seq);

/**
 * @brief Remember @p seq for @p name (after everything else succeeded).
 * @param[in,out] tab  table of @p cap entries, the first @p *n in use
 * @param[in]     cap  its capacity
 * @param[in,out] n    entries in use
 * @return FC_OK, FC_ERR_FULL (a new name and no room), FC_ERR_INVAL (bad name)
 */
int fc_deploy_seq_record(fc_deploy_seq_t *tab, uint32_t cap, uint32_t *n, const char *name,
                         uint64_t seq);

/**
 * @brief The CoAP response code (class << 5 | detail) a device answers a
 *        refused envelope with, per docs/femtod.md: FC_ERR_FORMAT, _NOTSUP 4.00;
 *        _TENANT, _SIGNATURE 4.01; _PERM 4.03; _NOENT 4.04; _REPLAY, _BUSY 4.09;
 *        _NOMEM (too big) 4.13; image or verifier errors 4.22; _FULL 5.03;
 *        anything else 5.00.
 */
unsigned fc_deploy_coap_code(int err);

#ifdef __cplusplus
}
#endif

#endif /* FC_DEPLOY_RULES_H */
/** @} */
