/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_code_posix Code memory on POSIX hosts
 * @brief Memory for the JIT's compiled code, W^X: mapped read-write for the
 *        compiler, then read-execute (never both). Library fc_port_posix;
 *        fc_port_posix_init() puts these in fc_port_t::code_alloc & co.
 *
 * @par Threads and interrupts
 * Thread-safe (mmap, mprotect, munmap); not for signal handlers.
 * @{
 */
#ifndef FC_CODE_POSIX_H
#define FC_CODE_POSIX_H

#include <stddef.h>

#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief @p len bytes, read-write, not executable, page-aligned + 16 (NULL on failure; @p ctx unused). */
void *fc_code_posix_alloc(void *ctx, size_t len);

/** @brief Make the mapping read-execute (no longer writable): @p mem, or NULL on failure. */
const void *fc_code_posix_seal(void *ctx, void *mem);

/** @brief Unmap memory from fc_code_posix_alloc() (NULL: nothing). */
void fc_code_posix_free(void *ctx, const void *mem);

/**
 * @brief Compile a verified VM into fresh code memory, seal it, enable it.
 * @param[in,out] vm    verified VM
 * @param[out]    code  the code memory (give it to fc_code_posix_free() after
 *                      the VM's last run), NULL on failure
 * @param[out]    used  bytes of code and tables (may be NULL)
 * @return FC_OK, or what fc_jit_compile() returned, FC_ERR_NOMEM when no
 *         memory could be mapped or sealed, FC_ERR_NOTSUP without a JIT
 */
int fc_code_posix_jit(fc_vm_t *vm, const void **code, size_t *used);

#ifdef __cplusplus
}
#endif

#endif /* FC_CODE_POSIX_H */
/** @} */
