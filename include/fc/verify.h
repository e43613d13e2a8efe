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
 * current call frame, whose size (fc_vm_t::frame) it computes from the
 * deepest byte reached through r10 or through a pointer derived from it
 * (copies with mov, steps with add/sub K). In a program with local calls,
 * an access through any other register into the stack region below the
 * current frame faults at run time (FC_ERR_MEM), so a callee's frame,
 * placed right below its caller's, never holds the caller's data.
 *
 * It also computes the call graph's depth and the stack the deepest chain
 * of local calls needs (fc_verify_info_t), without allocating: functions
 * beyond FC_VERIFY_FUNCS_MAX are not analysed.
 *
 * @par Threads and interrupts
 * fc_vm_verify() takes no lock, allocates nothing, never blocks (bounded
 * by the program's length): ISR-safe; it writes the VM, so never on a VM
 * that is running or being verified elsewhere. Distinct VMs: concurrently.
 * @{
 */
#ifndef FC_VERIFY_H
#define FC_VERIFY_H

#include <stdint.h>

#include "fc/vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief fc_verify_info_t::call_depth when no static bound exists. */
#define FC_VERIFY_DEPTH_UNBOUNDED 0xffffu

/**
 * @brief Why a program was rejected, and what an accepted one needs.
 *
 * The fields from @c frame to @c recursive are set when the program is
 * accepted (zero otherwise). Tools print them (femto verify, info, build);
 * a loader can refuse a program whose @c stack exceeds the stack region it
 * will give.
 */
typedef struct {
    int err;             /**< fc_err_t code, FC_OK when accepted */
    uint32_t pc;         /**< slot of the offending instruction */
    /**
     * Constant string, never NULL after a call: the sentence of the rule
     * that refused (docs/vm.md), "ok" when accepted; without the sentences
     * (FC_VERIFY_REASONS=0) fc_strerror(@c err) when refused, and @c code
     * names the rule.
     */
    const char *reason;
    uint32_t frame;      /**< bytes of stack each call level reserves below its r10 (fc_vm_t::frame) */
    /**
     * Bytes of stack the deepest chain of local calls needs, every frame
     * included: frame * (call_depth + 1). When call_depth is
     * FC_VERIFY_DEPTH_UNBOUNDED: frame * (FC_CALL_DEPTH_MAX + 1), what the
     * run-time depth limit allows.
     */
    uint32_t stack;
    uint32_t caps;       /**< capability bits of every helper the program calls (what it needs granted) */
    /**
     * Local calls nested along the deepest chain of the call graph (0: the
     * program makes none). FC_VERIFY_DEPTH_UNBOUNDED when the call graph is
     * recursive (see @c recursive) or has more than FC_VERIFY_FUNCS_MAX
     * functions: the depth is then bounded only at run time, by
     * FC_CALL_DEPTH_MAX (FC_ERR_CALL_DEPTH).
     */
    uint16_t call_depth;
    uint16_t functions;  /**< functions: slot 0 and every local-call target (0: more than FC_VERIFY_FUNCS_MAX) */
    uint8_t recursive;   /**< 1 when the call graph has a cycle (a function can call itself, maybe indirectly) */
    /**
     * The number of the rule that refused the program (the index of its
     * reason in the table of docs/vm.md, "Reason codes"), 0 when accepted
     * (28 when the arguments are refused, FC_ERR_INVAL). Set in every
     * build, with or without the sentences (FC_VERIFY_REASONS). The
     * runtime's own refusals before the verifier runs (fc_container_load's
     * limits, fc_hook_attach's arguments) fill this struct with @c code 0
     * and their error in @c err.
     */
    uint8_t code;
} fc_verify_info_t;

/**
 * @brief Verify the VM's program against its regions, helpers and capabilities.
 *
 * On success sets fc_vm_t::verified and fc_vm_t::frame, and fills the
 * needs of @p info (frame, stack, call depth, capabilities). Must be called again
 * if the helper registry, the capabilities or the stack region change.
 *
 * @param[in,out] vm    initialised VM
 * @param[out]    info  rejection details (may be NULL)
 * @return FC_OK or the rejection's fc_err_t code
 */
/*@ // ACSL, checked by EVA over every program of the harness sizes (docs/proofs.md)
    requires vm == \null || (\valid(vm) && \valid_read(vm->regions + (0 .. FC_REGION_STACK - 1)));
    requires vm == \null || vm->nslots == 0 || vm->code == \null ||
             \valid_read(vm->code + (0 .. 8 * vm->nslots - 1));
    requires info == \null || \valid(info);
    ensures \result == FC_OK || \result < 0;
    ensures info != \null ==> info->reason != \null;
    ensures vm != \null ==> (\result == FC_OK <==> (vm->verified & FC_VERIFIED) != 0);
    ensures vm != \null && \result == FC_OK ==> vm->frame % 8 == 0;
*/
int fc_vm_verify(fc_vm_t *vm, fc_verify_info_t *info);

/**
 * @brief fc_vm_verify() for a program with several entry points (an image's
 *        entry table): each entry starts a function of the call graph, as
 *        slot 0 and every local-call target do, so code reached from an entry
 *        is not counted as part of the function before it (which made a call
 *        from it to that function read as recursion and over-estimated the
 *        stack). Entries may repeat and come in any order; slot 0 is always
 *        a function.
 * @param[in,out] vm        initialised VM
 * @param[in]     entries   entry slots (may be NULL when @p nentries is 0)
 * @param[in]     nentries  number of entries
 * @param[out]    info      rejection details and needs (may be NULL);
 *                          fc_verify_info_t::functions counts the entries too
 * @return as fc_vm_verify(); FC_ERR_BAD_PC when an entry is outside the
 *         program or on the second slot of an LDDW (info->pc is the entry),
 *         FC_ERR_INVAL for NULL @p entries with a nonzero count.
 *         Same threads and interrupts contract as fc_vm_verify().
 */
int fc_vm_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t nentries, fc_verify_info_t *info);

#ifdef __cplusplus
}
#endif

#endif /* FC_VERIFY_H */
/** @} */
