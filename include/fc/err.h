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

/** @brief Status of every femto-containers call. */
typedef enum {
    FC_STOP               =   1, /**< helper asks the run to end now, r0 = its return value */
    FC_OK                 =   0, /**< success */
    /* generic */
    FC_ERR_INVAL          =  -1, /**< invalid argument (NULL, out of range) */
    FC_ERR_NOMEM          =  -2, /**< a caller-provided buffer or table is too small */
    FC_ERR_NOTSUP         =  -3, /**< feature compiled out or not supported */
    FC_ERR_NOENT          =  -4, /**< no such entry (key, entry point, container, hook) */
    FC_ERR_EXISTS         =  -5, /**< entry already exists */
    FC_ERR_BUSY           =  -6, /**< resource in use (attached, running) */
    FC_ERR_PERM           =  -7, /**< not permitted (capability, tenant, read-only) */
    FC_ERR_FULL           =  -8, /**< fixed-capacity table or store is full */
    FC_ERR_QUOTA          =  -9, /**< tenant quota exhausted */
    /* verifier: the program is rejected before it runs */
    FC_ERR_EMPTY          = -20, /**< program has no instructions */
    FC_ERR_RAGGED         = -21, /**< program length is not a multiple of 8 bytes */
    FC_ERR_OPCODE         = -22, /**< unknown opcode or nonzero reserved field */
    FC_ERR_REG            = -23, /**< register number above 10, or write to r10 */
    FC_ERR_JUMP           = -24, /**< jump outside the program or into an LDDW's 2nd slot */
    FC_ERR_FALLOFF        = -25, /**< the last instruction can fall off the end */
    FC_ERR_CALL           = -26, /**< bad local call target, or call through register */
    FC_ERR_HELPER         = -27, /**< call of an unknown helper */
    FC_ERR_HELPER_PERM    = -28, /**< call of a helper the container was not granted */
    FC_ERR_DIV_ZERO       = -29, /**< division or modulo by an immediate zero */
    FC_ERR_LDDW           = -30, /**< truncated LDDW or unsupported LDDW source (map) */
    FC_ERR_LEGACY         = -31, /**< legacy packet access (LD_ABS/LD_IND) */
    FC_ERR_STACK          = -32, /**< program needs more stack than the VM has */
    FC_ERR_TOO_BIG        = -33, /**< program exceeds the configured size limit */
    /* run-time faults: the run stops, the host is untouched */
    FC_ERR_NOT_VERIFIED   = -40, /**< run of a program that did not pass the verifier */
    FC_ERR_MEM            = -41, /**< access outside every region, or past one's end */
    FC_ERR_MEM_PERM       = -42, /**< access the region does not permit (write to read-only) */
    FC_ERR_BUDGET         = -43, /**< instruction budget exhausted */
    FC_ERR_CALL_DEPTH     = -44, /**< local calls nested deeper than the limit */
    FC_ERR_STACK_OVERFLOW = -45, /**< a local call's frame does not fit in the stack */
    FC_ERR_HELPER_FAIL    = -46, /**< a helper reported an error */
    FC_ERR_BAD_PC         = -47, /**< entry point outside the program */
    /* images */
    FC_ERR_IMG_MAGIC      = -60, /**< not an image: bad magic */
    FC_ERR_IMG_VERSION    = -61, /**< image format version not supported */
    FC_ERR_IMG_TRUNC      = -62, /**< image shorter than its header says */
    FC_ERR_IMG_CHECKSUM   = -63, /**< image checksum mismatch */
    FC_ERR_IMG_LAYOUT     = -64, /**< sections overlap, misaligned or out of bounds */
    FC_ERR_IMG_ENTRY      = -65, /**< bad entry table (name, offset) */
    /* deployment */
    FC_ERR_SIGNATURE      = -80, /**< envelope signature does not verify */
    FC_ERR_REPLAY         = -81, /**< sequence number not above the installed one */
    FC_ERR_TENANT         = -82, /**< unknown tenant or tenant not allowed */
    FC_ERR_IO             = -83, /**< storage or network I/O failed */
    FC_ERR_FORMAT         = -84, /**< malformed envelope, request or file */
} fc_err_t;

/**
 * @brief Short constant description of a status code.
 * @param[in] err  any value of @ref fc_err_t
 * @return a static string, never NULL ("unknown error" for unknown codes)
 */
const char *fc_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* FC_ERR_H */
/** @} */
