/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_err Error codes
 * @brief One enum of negative error codes shared by every layer.
 *
 * Zero is success; a function that also returns a count returns it as a
 * non-negative value. @ref FC_STOP is the one positive status: a helper
 * returns it to end a run early and normally.
 * @{
 */
#ifndef FC_ERR_H
#define FC_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The one table of status codes: X(NAME, value, "description").
 *
 * It generates both the enum below and fc_strerror() (src/core/err.c), so a
 * new code is one line here. Blocks: generic, verifier (the program is
 * rejected before it runs), run-time faults (the run stops, the host is
 * untouched), images, deployment (host-side envelopes, keys, files).
 */
#define FC_ERR_LIST(X) \
    X(FC_STOP,                 1, "stopped by helper")                   /* helper ends the run, r0 = its value */ \
    X(FC_OK,                   0, "ok")                                  \
    /* generic */ \
    X(FC_ERR_INVAL,           -1, "invalid argument")                    /* NULL, out of range */ \
    X(FC_ERR_NOMEM,           -2, "out of memory or buffer too small")   /* a caller's buffer or table, or a host allocation */ \
    X(FC_ERR_NOTSUP,          -3, "not supported")                       /* compiled out, unsupported algorithm */ \
    X(FC_ERR_NOENT,           -4, "no such entry")                       /* key, entry point, container, hook */ \
    X(FC_ERR_EXISTS,          -5, "already exists")                      \
    X(FC_ERR_BUSY,            -6, "busy")                                /* attached, running */ \
    X(FC_ERR_PERM,            -7, "not permitted")                       /* capability, tenant, read-only */ \
    X(FC_ERR_FULL,            -8, "full")                                /* fixed-capacity table or store */ \
    X(FC_ERR_QUOTA,           -9, "quota exhausted")                     /* tenant quota */ \
    /* verifier */ \
    X(FC_ERR_EMPTY,          -20, "empty program")                       \
    X(FC_ERR_RAGGED,         -21, "program length not a multiple of 8")  \
    X(FC_ERR_OPCODE,         -22, "invalid instruction")                 /* unknown opcode, nonzero reserved field */ \
    X(FC_ERR_REG,            -23, "invalid register")                    /* above r10, or write to r10 */ \
    X(FC_ERR_JUMP,           -24, "invalid jump")                        /* outside, or into an LDDW's 2nd slot */ \
    X(FC_ERR_FALLOFF,        -25, "program can fall off its end")        \
    X(FC_ERR_CALL,           -26, "invalid call")                        /* bad local target, call through register */ \
    X(FC_ERR_HELPER,         -27, "unknown helper")                      \
    X(FC_ERR_HELPER_PERM,    -28, "helper not permitted")                /* not granted to the container */ \
    X(FC_ERR_DIV_ZERO,       -29, "division by immediate zero")          \
    X(FC_ERR_LDDW,           -30, "invalid 64-bit load")                 /* truncated, or map source */ \
    X(FC_ERR_LEGACY,         -31, "legacy packet access")                /* LD_ABS / LD_IND */ \
    X(FC_ERR_STACK,          -32, "program needs more stack")            \
    X(FC_ERR_TOO_BIG,        -33, "program too big")                     \
    /* run-time faults */ \
    X(FC_ERR_NOT_VERIFIED,   -40, "program not verified")                \
    X(FC_ERR_MEM,            -41, "memory access out of bounds")         \
    X(FC_ERR_MEM_PERM,       -42, "memory access not permitted")         /* write to read-only */ \
    X(FC_ERR_BUDGET,         -43, "instruction budget exhausted")        \
    X(FC_ERR_CALL_DEPTH,     -44, "call depth limit exceeded")           \
    X(FC_ERR_STACK_OVERFLOW, -45, "stack overflow")                      /* a local call's frame does not fit */ \
    X(FC_ERR_HELPER_FAIL,    -46, "helper failed")                       \
    X(FC_ERR_BAD_PC,         -47, "entry point outside program")         \
    /* images */ \
    X(FC_ERR_IMG_MAGIC,      -60, "not an image (bad magic)")            \
    X(FC_ERR_IMG_VERSION,    -61, "unsupported image version")           \
    X(FC_ERR_IMG_TRUNC,      -62, "image truncated")                     /* shorter than its header says */ \
    X(FC_ERR_IMG_CHECKSUM,   -63, "image checksum mismatch")             \
    X(FC_ERR_IMG_LAYOUT,     -64, "bad image layout")                    /* overlap, misaligned, out of bounds */ \
    X(FC_ERR_IMG_ENTRY,      -65, "bad image entry table")               /* name, offset */ \
    X(FC_ERR_IMG_LINES,      -66, "malformed image line table")          /* debug info */ \
    /* deployment */ \
    X(FC_ERR_SIGNATURE,      -80, "bad signature")                       /* envelope signature does not verify */ \
    X(FC_ERR_REPLAY,         -81, "sequence number not above the last")  /* replay or rollback of an envelope */ \
    X(FC_ERR_TENANT,         -82, "unknown tenant")                      /* envelope names no provisioned tenant */ \
    X(FC_ERR_IO,             -83, "I/O error")                           /* storage or network */ \
    X(FC_ERR_FORMAT,         -84, "malformed input")                     /* envelope, request, key or file */

/** @brief Status of every femto-containers call: the codes of @ref FC_ERR_LIST. */
typedef enum {
#define FC_ERR_ENUM_(name, value, text) name = (value),
    FC_ERR_LIST(FC_ERR_ENUM_)
#undef FC_ERR_ENUM_
} fc_err_t;

/**
 * @brief Short constant description of a status code.
 * @param[in] err  any value of @ref fc_err_t
 * @return a static string, never NULL ("unknown error" for unknown codes)
 * @note ISR-safe and reentrant: reads constant data only.
 */
const char *fc_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* FC_ERR_H */
/** @} */
