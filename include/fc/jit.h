/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_jit JIT compiler
 * @brief Translation of a verified program to host machine code, run by
 *        fc_vm_run() with the interpreters' guarantees.
 *
 * The compiled code gives the same results, faults (code and pc), final
 * memory and budget left (fc_vm_t::left) as the interpreters: every memory
 * access the verifier did not prove (the r10 constant-offset ones) is
 * checked inline against the region table, the budget is paid at the same
 * slots, helpers are called through the same ABI and capability checks,
 * local calls follow the same frame rules, and division and shifts follow
 * RFC 9669. docs/jit.md describes the design and how it is tested.
 *
 * Typical use, after fc_vm_verify():
 * @code
 * size_t cap = fc_jit_code_bound(&vm), used;
 * uint8_t *buf = rw_memory(cap);                  // writable, not executable
 * if (fc_jit_compile(&vm, buf, cap, &used) == FC_OK) {
 *     const void *code = make_executable(buf, used); // no longer writable (W^X)
 *     fc_jit_enable(&vm, code);                   // fc_vm_run() now runs it
 * }
 * @endcode
 * The compiler is freestanding: linear in the program's length, bounded,
 * no recursion, no allocation (all memory is the caller's buffer).
 * fc_vm_verify() and fc_vm_specialise() switch the JIT off again.
 *
 * @par Threads and interrupts
 * fc_jit_code_bound() only reads the VM. fc_jit_compile() writes only the
 * buffer; fc_jit_enable() writes the VM (never while it runs).
 * @{
 */
#ifndef FC_JIT_H
#define FC_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The x86-64 backend is built: System V x86-64 hosts whose build
 *        compiles src/jit (FC_WITH_JIT, set by the CMake core libraries).
 */
#ifndef FC_JIT_X86_64
#if defined(__x86_64__) && !defined(_WIN32) && defined(FC_WITH_JIT)
#define FC_JIT_X86_64 1
#else
#define FC_JIT_X86_64 0
#endif
#endif

/**
 * @brief The ARMv7-M Thumb-2 backend is built: off unless the build asks
 *        for it (-DFC_JIT_THUMB2=1 on a Cortex-M3/M4/M7 target, with
 *        src/jit/jit.c and the backend compiled).
 */
#ifndef FC_JIT_THUMB2
#define FC_JIT_THUMB2 0
#endif

/**
 * @brief 1 when the build has a JIT backend for this target; the calls
 *        below then work. Not with the compact interpreter (FC_COMPACT),
 *        whose fc_vm_run() does not dispatch into compiled code.
 */
#ifndef FC_JIT
#if (FC_JIT_X86_64 || FC_JIT_THUMB2) && !FC_COMPACT
#define FC_JIT 1
#else
#define FC_JIT 0
#endif
#endif

/** @brief fc_vm_t::verified bit: fc_vm_t::fast holds compiled code, which fc_vm_run() runs. */
#define FC_VERIFIED_JIT 4u

/**
 * @brief Bytes of buffer fc_jit_compile() may need for the VM's verified
 *        program: linear in fc_vm_t::nslots, a bound, not the exact size.
 * @return the bound, or 0 when the VM is NULL or not verified, or the
 *         build has no JIT
 */
size_t fc_jit_code_bound(const fc_vm_t *vm);

/**
 * @brief Compile the verified program into @p buf.
 *
 * Nothing is run and the VM is not changed: make the first @p used bytes
 * executable, then call fc_jit_enable() with their (possibly new) address.
 * The code is position-dependent only through that address: it must run
 * from where it was written or from an alias of the same bytes.
 *
 * @param[in]  vm    verified VM
 * @param[out] buf   the caller's buffer (writable), at least 8-byte aligned
 * @param[in]  cap   its size; fc_jit_code_bound() is always enough
 * @param[out] used  bytes written (may be NULL)
 * @return FC_OK, FC_ERR_INVAL (NULL or misaligned @p buf), FC_ERR_NOT_VERIFIED,
 *         FC_ERR_NOMEM (@p cap too small), FC_ERR_NOTSUP (no backend)
 */
int fc_jit_compile(fc_vm_t *vm, uint8_t *buf, size_t cap, size_t *used);

/**
 * @brief Run the compiled code from now on: fc_vm_run() enters it instead
 *        of interpreting.
 * @param[in,out] vm    the VM the code was compiled from, still verified
 * @param[in]     code  the compiled bytes, executable (same contents as
 *                      fc_jit_compile() wrote); kept by the caller until the
 *                      VM is verified again or dropped
 * @return FC_OK, FC_ERR_INVAL (NULL, or not code compiled for this
 *         program), FC_ERR_NOT_VERIFIED, FC_ERR_NOTSUP (no backend)
 */
int fc_jit_enable(fc_vm_t *vm, const void *code);

/**
 * @brief Stop running compiled code: fc_vm_run() interprets the original
 *        program again (the caller may then free the code).
 */
void fc_jit_disable(fc_vm_t *vm);

/**
 * @brief Run the compiled code (what fc_vm_run() calls for a VM with
 *        FC_VERIFIED_JIT; same contract as fc_vm_run()).
 */
int fc_jit_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);

#ifdef __cplusplus
}
#endif

#endif /* FC_JIT_H */
/** @} */
