/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_verify Verifier
 * @brief Pre-flight checks: a program that passes cannot corrupt the host.
 *
 * One linear pass over the program, no allocation. It rejects unknown
 * opcodes and nonzero reserved fields, registers above 10, writes to r10,
 * jumps and local calls outside the program or into the second slot of an
 * LDDW, a last instruction that can fall off the end, unknown or
 * unpermitted helpers, division or modulo by an immediate zero, legacy
 * packet loads and calls through a register.
 *
 * It also proves what the interpreter then does not check at run time:
 * every load or store through r10 with a constant offset stays inside the
 * current call frame, whose size (fc_vm_t::frame) it computes.
 * @{
 */
#ifndef FC_VERIFY_H
#define FC_VERIFY_H

#include <stdint.h>

#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Why a program was rejected. */
typedef struct {
    int err;            /**< fc_err_t code, FC_OK when accepted */
    uint32_t pc;        /**< slot of the offending instruction */
    const char *reason; /**< constant string, never NULL after a call */
} fc_verify_info_t;

/**
 * @brief Verify the VM's program against its regions, helpers and capabilities.
 *
 * On success sets fc_vm_t::verified and fc_vm_t::frame. Must be called again
 * if the helper registry, the capabilities or the stack region change.
 *
 * @param[in,out] vm    initialised VM
 * @param[out]    info  rejection details (may be NULL)
 * @return FC_OK or the rejection's fc_err_t code
 */
int fc_vm_verify(fc_vm_t *vm, fc_verify_info_t *info);

#ifdef __cplusplus
}
#endif

#endif /* FC_VERIFY_H */
/** @} */
