/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_deploy Signed deployment envelopes (host only)
 * @brief COSE_Sign1 (RFC 9052) envelopes signed with EdDSA/Ed25519, shared by
 *        `femto sign`, `femto push` and `femtod`. Host code: uses malloc,
 *        libcbor and libsodium. Format: docs/femtod.md, "Envelope".
 *        Every call returns an @ref fc_err_t (fc_strerror() describes it):
 *        FC_ERR_FORMAT malformed input, FC_ERR_NOTSUP another algorithm,
 *        FC_ERR_SIGNATURE bad signature, FC_ERR_NOMEM allocation failed,
 *        FC_ERR_IO file error, FC_ERR_INVAL bad argument.
 *        Thread-safe on distinct arguments (no global state once libsodium
 *        is initialised); not for ISRs.
 * @{
 */
#ifndef FC_DEPLOY_H
#define FC_DEPLOY_H

#include <stddef.h>
#include <stdint.h>

#include "fc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Bytes of an Ed25519 public key. */
#define FC_DEPLOY_PK_LEN 32u
/** @brief Bytes of an Ed25519 secret key as libsodium keeps it (seed + public key). */
#define FC_DEPLOY_SK_LEN 64u
/** @brief Bytes of an Ed25519 signature. */
#define FC_DEPLOY_SIG_LEN 64u
/** @brief Longest tenant or container name, without the NUL. */
#define FC_DEPLOY_NAME_MAX 31u
/** @brief Longest hook name, without the NUL. */
#define FC_DEPLOY_HOOK_MAX 15u
/** @brief Most hooks one envelope may name. */
#define FC_DEPLOY_HOOKS_MAX 4u
/** @brief COSE algorithm identifier of EdDSA (RFC 9053). */
#define FC_DEPLOY_ALG_EDDSA (-8)
/** @brief CBOR tag of COSE_Sign1. */
#define FC_DEPLOY_TAG_SIGN1 18u

/** @brief Payload map keys (docs/femtod.md). */
enum fc_deploy_key {
    FC_DEPLOY_K_TENANT = 1, /**< tstr: tenant name */
    FC_DEPLOY_K_NAME   = 2, /**< tstr: container name */
    FC_DEPLOY_K_SEQ    = 3, /**< uint: sequence number, strictly increasing per container */
    FC_DEPLOY_K_OP     = 4, /**< uint: @ref fc_deploy_op */
    FC_DEPLOY_K_IMAGE  = 5, /**< bstr: the container image (install only) */
    FC_DEPLOY_K_HOOKS  = 6, /**< array of tstr: hooks to attach to (install, attach, detach) */
    FC_DEPLOY_K_ENTRY  = 7, /**< tstr: entry point run by the hooks (install; default: first) */
};

/** @brief What a signed envelope asks the device to do. */
enum fc_deploy_op {
    FC_DEPLOY_OP_INSTALL = 0, /**< install or replace the container, attach it to the hooks */
    FC_DEPLOY_OP_ATTACH  = 1, /**< attach the installed container to the hooks */
    FC_DEPLOY_OP_DETACH  = 2, /**< detach it from the hooks */
    FC_DEPLOY_OP_REMOVE  = 3, /**< remove it (its sequence number stays remembered) */
};

/** @brief The signed content of an envelope, decoded. */
typedef struct {
    char tenant[FC_DEPLOY_NAME_MAX + 1];                     /**< tenant name */
    char name[FC_DEPLOY_NAME_MAX + 1];                       /**< container name */
    char entry[FC_DEPLOY_NAME_MAX + 1];                      /**< entry point, "" for the first */
    char hooks[FC_DEPLOY_HOOKS_MAX][FC_DEPLOY_HOOK_MAX + 1]; /**< hook names */
    unsigned nhooks;                                         /**< used entries of hooks */
    uint64_t seq;                                            /**< sequence number */
    unsigned op;                                             /**< @ref fc_deploy_op */
    uint8_t *image;                                          /**< image bytes (malloc'd by decode), or NULL */
    size_t image_len;                                        /**< bytes at image */
} fc_deploy_msg_t;

/** @brief A parsed envelope: the decoded message plus what the signature covers. */
typedef struct {
    fc_deploy_msg_t msg;      /**< the payload, decoded */
    uint8_t *tbs;             /**< Sig_structure bytes (malloc'd) */
    size_t tbs_len;           /**< bytes at tbs */
    uint8_t sig[FC_DEPLOY_SIG_LEN]; /**< the signature */
} fc_deploy_env_t;

/**
 * @brief True when @p s is a valid tenant, container or hook name:
 *        1..@p max characters of [A-Za-z0-9_.-], not starting with '.'.
 * @param[in] s    NUL-terminated candidate
 * @param[in] max  longest allowed length
 * @return 1 when valid, 0 otherwise
 */
int fc_deploy_name_ok(const char *s, size_t max);

/**
 * @brief Sign @p msg into a tagged COSE_Sign1 envelope.
 * @param[in]  msg      what to sign (image required for FC_DEPLOY_OP_INSTALL)
 * @param[in]  sk       Ed25519 secret key
 * @param[out] out      malloc'd envelope, free() it
 * @param[out] out_len  its length
 * @return FC_OK, FC_ERR_INVAL, FC_ERR_NOMEM
 */
int fc_deploy_sign(const fc_deploy_msg_t *msg, const uint8_t sk[FC_DEPLOY_SK_LEN],
                   uint8_t **out, size_t *out_len);

/**
 * @brief Parse an envelope without trusting it yet: checks the COSE
 *        structure, the algorithm and the payload's fields. The tenant
 *        named inside then selects the key for fc_deploy_check().
 * @param[out] env  filled on success (free with fc_deploy_env_free()), zeroed on failure
 * @param[in]  buf  envelope bytes
 * @param[in]  len  their count
 * @return FC_OK, FC_ERR_FORMAT, FC_ERR_NOTSUP, FC_ERR_NOMEM
 */
int fc_deploy_parse(fc_deploy_env_t *env, const uint8_t *buf, size_t len);

/**
 * @brief Verify the signature of a parsed envelope.
 * @param[in] env  from fc_deploy_parse()
 * @param[in] pk   the tenant's public key
 * @return FC_OK or FC_ERR_SIGNATURE
 */
int fc_deploy_check(const fc_deploy_env_t *env, const uint8_t pk[FC_DEPLOY_PK_LEN]);

/** @brief Free what fc_deploy_parse() allocated (NULL-safe; leaves @p env zeroed). */
void fc_deploy_env_free(fc_deploy_env_t *env);

/**
 * @brief Make a new key pair.
 * @param[out] pk  public key
 * @param[out] sk  secret key
 * @return FC_OK or FC_ERR_NOMEM when libsodium cannot start
 */
int fc_deploy_keygen(uint8_t pk[FC_DEPLOY_PK_LEN], uint8_t sk[FC_DEPLOY_SK_LEN]);

/**
 * @brief Write PATH.key (secret seed, hex, mode 0600) and PATH.pub (public key, hex).
 * @param[in] path  file name without suffix
 * @param[in] sk    secret key
 * @return FC_OK or FC_ERR_IO
 */
int fc_deploy_key_save(const char *path, const uint8_t sk[FC_DEPLOY_SK_LEN]);

/**
 * @brief Read a secret key file (64 hex digits of the seed).
 * @param[in]  file  path of the .key file
 * @param[out] sk    secret key
 * @return FC_OK, FC_ERR_IO, FC_ERR_FORMAT
 */
int fc_deploy_key_load_secret(const char *file, uint8_t sk[FC_DEPLOY_SK_LEN]);

/**
 * @brief Read a public key: a .pub file, or the 64 hex digits themselves.
 * @param[in]  file_or_hex  path of the .pub file or hex text
 * @param[out] pk           public key
 * @return FC_OK, FC_ERR_IO, FC_ERR_FORMAT
 */
int fc_deploy_key_load_public(const char *file_or_hex, uint8_t pk[FC_DEPLOY_PK_LEN]);

/**
 * @brief Decode exactly 2 * @p n hex digits (surrounding whitespace allowed).
 * @return FC_OK on success, FC_ERR_FORMAT otherwise
 */
int fc_deploy_hex_decode(const char *hex, uint8_t *out, size_t n);

/**
 * @brief Read a whole file into a malloc'd buffer.
 * @param[in]  file  path
 * @param[out] buf   contents (free() it)
 * @param[out] len   length
 * @param[in]  max   refuse files longer than this
 * @return FC_OK, FC_ERR_IO, FC_ERR_INVAL (too long)
 */
int fc_deploy_read_file(const char *file, uint8_t **buf, size_t *len, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* FC_DEPLOY_H */
/** @} */
