/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_conformance Conformance-suite support
 * @brief The bpf_conformance suite's test helpers and its run convention,
 *        shared by `femto plugin`, the host test runner and the firmware.
 *
 * Helpers (ids as the suite numbers them): 0 gather_bytes, 1 memfrob,
 * 2 no_op, 3 sqrti, 4 strcmp_ext, 5 unwind. memfrob and strcmp_ext translate
 * their pointers like any helper.
 *
 * @par Threads and interrupts
 * fc_conformance_run() and fc_conformance_run_ex() keep their VM and its
 * 512-byte stack on the caller's stack and touch no global state:
 * reentrant, concurrently callable on distinct buffers; ISR-safe where the
 * interrupt stack has room for them.
 * @{
 */
#ifndef FC_CONFORMANCE_H
#define FC_CONFORMANCE_H

#include <stddef.h>
#include <stdint.h>

#include "fc/verify.h"
#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Stack size the suite assumes. */
#define FC_CONFORMANCE_STACK 512

/** @brief The suite's helpers 0..5. */
extern const fc_helper_table_t fc_conformance_helpers;

/**
 * @brief Verify and run one conformance program the way the suite does:
 *        r1 = address of @p mem (0 when @p mem_len is 0), r2 = @p mem_len,
 *        a 512-byte stack, helpers 0..5.
 * @param[in]     prog      program bytes
 * @param[in]     prog_len  program length in bytes
 * @param[in,out] mem       input memory, writable by the program (may be NULL)
 * @param[in]     mem_len   its length
 * @param[out]    r0        result
 * @param[out]    info      verifier rejection details, or the fault's pc (may be NULL)
 * @return FC_OK, a verifier error or a run-time fault
 */
int fc_conformance_run(const uint8_t *prog, size_t prog_len, uint8_t *mem, size_t mem_len,
                       uint64_t *r0, fc_verify_info_t *info);

/**
 * @brief fc_conformance_run(), optionally through a specialised copy.
 * @param[out] fast      RAM for fc_vm_specialise() (NULL: run the raw code)
 * @param[in]  fast_len  its size in bytes
 * The other parameters are those of fc_conformance_run().
 */
int fc_conformance_run_ex(const uint8_t *prog, size_t prog_len, uint8_t *mem, size_t mem_len,
                          uint8_t *fast, size_t fast_len, uint64_t *r0, fc_verify_info_t *info);

#ifdef __cplusplus
}
#endif

#endif /* FC_CONFORMANCE_H */
/** @} */
