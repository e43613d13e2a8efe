/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_config Build-time settings
 * @brief Every tunable of the core, each overridable with -D or with a
 *        user file named by FC_CONFIG_FILE (-DFC_CONFIG_FILE='"my_fc.h"').
 * @{
 */
#ifndef FC_CONFIG_H
#define FC_CONFIG_H

#ifdef FC_CONFIG_FILE
#include FC_CONFIG_FILE
#endif

/** @brief Deepest nesting of bpf-to-bpf local calls; each level costs 40 B of C stack. */
#ifndef FC_CALL_DEPTH_MAX
#define FC_CALL_DEPTH_MAX 8
#endif

/**
 * @brief Functions (slot 0 and local-call targets) the verifier's call-graph
 *        analysis holds, 5 B of C stack each; a program with more is still
 *        accepted, with fc_verify_info_t::call_depth FC_VERIFY_DEPTH_UNBOUNDED.
 */
#ifndef FC_VERIFY_FUNCS_MAX
#define FC_VERIFY_FUNCS_MAX 32
#endif

/**
 * @brief 1: the verifier analyses the call graph (fc_verify_info_t::call_depth,
 *        stack, functions, recursive; about 600 B on Cortex-M4), 0: it does
 *        not (call_depth FC_VERIFY_DEPTH_UNBOUNDED as soon as the program
 *        makes a local call), the default of the compact build.
 */
#ifndef FC_VERIFY_CALLGRAPH
#define FC_VERIFY_CALLGRAPH (!FC_COMPACT)
#endif

/** @brief Budget a VM starts with (see fc_vm_t::budget). */
#ifndef FC_BUDGET_DEFAULT
#define FC_BUDGET_DEFAULT 1000000u
#endif

/**
 * @brief Bytes a helper may touch per budget unit it charges (fc_vm_charge):
 *        8, what one 64-bit load or store moves.
 */
#ifndef FC_BUDGET_BYTES_PER_UNIT
#define FC_BUDGET_BYTES_PER_UNIT 8u
#endif

/**
 * @brief 1: count every instruction the interpreters dispatch in the global
 *        fc_insn_count (test builds that check the budget's bound; slower).
 */
#ifndef FC_COUNT_INSNS
#define FC_COUNT_INSNS 0
#endif

/** @brief Largest program accepted, in 8-byte slots (jump offsets reach 2^31 anyway). */
#ifndef FC_PROGRAM_SLOTS_MAX
#define FC_PROGRAM_SLOTS_MAX 65536u
#endif

/**
 * @brief 1: dispatch the interpreter through a computed-goto table
 *        (GCC/clang), 0: through a switch. Both are built and tested.
 */
#ifndef FC_COMPUTED_GOTO
#if defined(__GNUC__)
#define FC_COMPUTED_GOTO 1
#else
#define FC_COMPUTED_GOTO 0
#endif
#endif

/**
 * @brief 1: the compact interpreter (src/core/interp_compact.c), two small
 *        dispatches (class and source, then operation) and 32-bit ALU
 *        operations in 32 bits, for flash-constrained targets; 0: the fast
 *        interpreter with one handler per opcode (src/core/interp.c).
 *        Same results, faults and budget; both are built and tested.
 *        The compact build has no specialisation.
 */
#ifndef FC_COMPACT
#define FC_COMPACT 0
#endif

/**
 * @brief 1: compile fc_vm_specialise() and its handlers (faster runs for a
 *        RAM copy of the code, about 2 KiB more interpreter on x86-64),
 *        0: leave them out (fc_vm_specialise() returns FC_ERR_NOTSUP).
 */
#ifndef FC_SPECIALISE
#define FC_SPECIALISE (!FC_COMPACT)
#endif

/**
 * @brief 1: fc_verify_info_t::reason is a sentence saying why the verifier
 *        refused (about 1.1 KiB of strings); 0: it is fc_strerror() of the
 *        error, for the smallest flash. The error code, the slot and the
 *        reason's number (fc_verify_info_t::code, docs/vm.md) are the same
 *        either way.
 * @note  Defaults to 0 in the compact build (FC_COMPACT=1).
 */
#ifndef FC_VERIFY_REASONS
#define FC_VERIFY_REASONS (!FC_COMPACT)
#endif

#endif /* FC_CONFIG_H */
/** @} */
