/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_vm Virtual machine
 * @brief Registers, guarded memory regions, helper calls, the interpreter.
 *
 * A container never sees a host pointer. Memory is a small table of
 * regions; a virtual address is `(region id << 32) | offset`, so
 * translation is one compare of the id and one bounds check. Region ids are
 * fixed (@ref fc_region_id), which makes the addresses of an image's
 * `.rodata` and `.data` link-time constants.
 *
 * Typical use: fc_vm_init(), fc_vm_verify() once, then fc_vm_run() as often
 * as needed. Nothing here allocates; the caller owns the VM, the code, the
 * region table and the memory behind it.
 *
 * @note The interpreter keeps its registers and local-call frames on the C
 *       stack: about 100 B + 40 B per @ref FC_CALL_DEPTH_MAX level.
 *
 * @par Threads and interrupts
 * fc_vm_init(), fc_vm_run() and fc_vm_specialise() take no lock, allocate
 * nothing and never block: ISR-safe (as far as the helpers a run calls
 * are). They write the fc_vm_t, so calls on
 * one VM must not overlap and a VM is not re-entrant (a helper must not run
 * the VM that called it); distinct VMs run concurrently. fc_vm_translate(),
 * fc_vm_translate_span() and fc_vm_helper() only read the VM: meant for
 * helpers during that VM's run, ISR-safe.
 * @{
 */
#ifndef FC_VM_H
#define FC_VM_H

#include <stddef.h>
#include <stdint.h>

#include "fc/config.h"
#include "fc/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Region permission bits (fc_region_t::flags and access arguments). */
#define FC_MEM_READ  1u /**< loads allowed */
#define FC_MEM_WRITE 2u /**< stores and atomics allowed */

/** @brief Fixed region ids: the upper 32 bits of a virtual address. Id 0 is never mapped, so NULL faults. */
enum fc_region_id {
    FC_REGION_RODATA = 1, /**< the image's read-only data (flash) */
    FC_REGION_DATA   = 2, /**< the container's .data + .bss (RAM, read-write) */
    FC_REGION_STACK  = 3, /**< the stack; r10 starts at its top */
    FC_REGION_CTX    = 4, /**< the hook's context for this run */
    FC_REGION_EXTRA  = 5, /**< first id of extra regions granted by the host */
};

/** @brief Virtual address of byte @p off of region @p id. */
#define FC_VADDR(id, off) (((uint64_t)(id) << 32) | (uint64_t)(uint32_t)(off))

/**
 * @brief One memory region. Region id N is entry N-1 of the table.
 *        A region with a nonzero length must have a host address.
 */
typedef struct {
    uint8_t *host;  /**< host address of the first byte (may be NULL when len is 0) */
    uint32_t len;   /**< length in bytes */
    uint32_t flags; /**< FC_MEM_READ | FC_MEM_WRITE */
} fc_region_t;

/*@ // ACSL, checked by Frama-C (scripts/prove.sh, docs/proofs.md).
  // What a region table entry promises: a region with bytes has a host
  // address with that many bytes behind it, writable when it may be written.
  predicate fc_region_ok(fc_region_t r) =
      r.len == 0 ||
      (r.host != \null && \valid_read(r.host + (0 .. r.len - 1)) &&
       ((r.flags & FC_MEM_WRITE) != 0 ==> \valid(r.host + (0 .. r.len - 1))));
  predicate fc_regions_ok(fc_region_t *t, integer n) =
      0 <= n && \valid_read(t + (0 .. n - 1)) &&
      \forall integer k; 0 <= k < n ==> fc_region_ok(t[k]);
  // A virtual address: region id in the upper 32 bits, offset in the lower;
  // id N is table entry N - 1, and id 0 wraps to an index no table has.
  logic integer fc_vidx(uint64_t a) = (uint64_t)((a >> 32) - 1);
  logic integer fc_voff(uint64_t a) = (uint32_t)a;
  // [a, a + size) lies in the region of a's id, which exists, has a host
  // address and grants every bit of access.
  predicate fc_mapped(fc_region_t *t, integer n, uint64_t a, integer size, integer access) =
      fc_vidx(a) < n && fc_voff(a) + size <= t[fc_vidx(a)].len &&
      t[fc_vidx(a)].host != \null &&
      (t[fc_vidx(a)].flags & access) == access;
  // What a translation returns: the host address of [a, a + size) when it is
  // mapped (readable, and writable when write access is asked), else NULL.
  predicate fc_xlated(uint8_t *res, fc_region_t *t, integer n, uint64_t a, integer size,
                      integer access) =
      fc_mapped(t, n, a, size, access) ?
          res == t[fc_vidx(a)].host + fc_voff(a) && \valid_read(res + (0 .. size - 1)) &&
          ((access & FC_MEM_WRITE) != 0 ==> \valid(res + (0 .. size - 1)))
      : res == \null;
*/

typedef struct fc_vm fc_vm_t;

/** @brief fc_vm_t::verified bits. */
#define FC_VERIFIED       1u /**< the verifier accepted the program */
#define FC_VERIFIED_CALLS 2u /**< it makes local calls: stack accesses below the current frame fault */

/**
 * @brief A helper: a host function the program calls by id.
 *
 * It must translate every pointer argument with fc_vm_translate() (or
 * fc_vm_translate_span()) and never dereference a program value directly.
 *
 * @param[in]  vm    the calling VM (fc_vm_t::user carries host context)
 * @param[in]  args  r1..r5 of the caller
 * @param[out] ret   the value for r0
 * @return FC_OK to continue, FC_STOP to end the run with r0 = *ret,
 *         a negative fc_err_t to fault the run with that code (FC_ERR_MEM
 *         for a bad pointer, FC_ERR_HELPER_FAIL for a generic failure)
 */
typedef int (*fc_helper_fn_t)(fc_vm_t *vm, const uint64_t *args, uint64_t *ret);

/** @brief One entry of a helper registry. */
typedef struct {
    uint32_t id;        /**< the number programs call it by */
    uint32_t caps;      /**< capability bits required to call it (0: always allowed) */
    fc_helper_fn_t fn;  /**< the implementation */
    const char *name;   /**< for tools and diagnostics */
} fc_helper_t;

/** @brief A registry: a table of helpers, chained so firmware can add its own. */
typedef struct fc_helper_table {
    const fc_helper_t *items;           /**< entries, any order */
    uint32_t count;                     /**< number of entries */
    const struct fc_helper_table *next; /**< next table searched, or NULL */
} fc_helper_table_t;

/**
 * @brief VM state. Public so it can be placed statically; touch the fields
 *        only through the functions below, except those marked "host sets".
 */
struct fc_vm {
    const uint8_t *code;              /**< instruction slots (may be in flash) */
    const uint8_t *fast;              /**< specialised copy run instead, or NULL */
    fc_region_t *regions;             /**< region table, id N at index N-1 */
    const fc_helper_table_t *helpers; /**< registry, may be NULL */
    void *user;                       /**< host sets: context for helpers */
    uint32_t nslots;                  /**< program length in 8-byte slots */
    uint32_t caps;                    /**< host sets: capabilities granted */
    uint32_t budget;                  /**< host sets: budget of each run (see fc_vm_run) */
    uint32_t pc;                      /**< after a fault: the faulting slot */
    uint32_t left;                    /**< budget units left: during a run for helpers (fc_vm_charge), after it unused */
    uint16_t frame;                   /**< bytes of stack one call level needs (from the verifier) */
    uint8_t nregions;                 /**< entries in the region table */
    uint8_t verified;                 /**< set by fc_vm_verify(): FC_VERIFIED, | FC_VERIFIED_CALLS with local calls */
};

/**
 * @brief Prepare a VM over a program. The VM is not runnable until
 *        fc_vm_verify() accepts it.
 * @param[out] vm        state to initialise
 * @param[in]  code      program bytes, 8 per slot; must stay valid and unchanged
 * @param[in]  len       program length in bytes
 * @param[in]  regions   region table (at least up to FC_REGION_STACK)
 * @param[in]  nregions  entries in @p regions
 * @param[in]  helpers   helper registry, or NULL for none
 * @return FC_OK, FC_ERR_INVAL for NULL pointers or fewer than 3 regions,
 *         FC_ERR_RAGGED when @p len is not a multiple of 8, FC_ERR_TOO_BIG
 *         above FC_PROGRAM_SLOTS_MAX slots (the VM then holds no program and
 *         fc_vm_verify() rejects it as empty)
 */
int fc_vm_init(fc_vm_t *vm, const uint8_t *code, size_t len,
               fc_region_t *regions, uint8_t nregions,
               const fc_helper_table_t *helpers);

/**
 * @brief Run the verified program from slot @p entry.
 *
 * r1 and r2 receive @p r1 and @p r2 (by convention the context's address and
 * length), r10 the top of the stack region, the other registers zero.
 * The budget (fc_vm_t::budget) bounds the run's work. Every transfer of
 * control back to an earlier slot pays the slots it goes back: a taken
 * backward jump -off, a local call to an earlier slot 1 - imm, the return
 * from a local call to a call made earlier in the code (exit slot - call
 * slot); every other call costs one, and helpers charge for the bytes they
 * touch (fc_vm_charge: one unit per FC_BUDGET_BYTES_PER_UNIT bytes). When
 * it is exhausted the run faults with FC_ERR_BUDGET. Straight-line code is
 * paid for by the backward transfer that repeats it, so a run executes at
 * most budget + fc_vm_t::nslots instructions (at most twice the budget when
 * the budget is at least the program's length), whatever its calls, and
 * its helpers touch at most FC_BUDGET_BYTES_PER_UNIT bytes per unit.
 * Every engine (computed goto, switch, compact, specialised) charges the
 * same amounts at the same slots; fc_vm_t::left then holds the units the
 * run left unused.
 *
 * @param[in,out] vm     verified VM
 * @param[in]     entry  slot where execution starts
 * @param[in]     r1     initial r1
 * @param[in]     r2     initial r2
 * @param[out]    r0     the program's result (may be NULL)
 * @return FC_OK, or the fault (fc_vm_t::pc holds the faulting slot)
 */
int fc_vm_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);

/**
 * @brief Write a specialised copy of the verified program and run that from
 *        now on: registers pre-split, stack accesses the verifier proved
 *        marked as such, so the interpreter decodes and checks less.
 *
 * Optional: without it the VM runs the original code (which may stay in
 * flash). Results, faults and budget use are identical either way.
 * fc_vm_verify() drops the copy; call this again after it.
 *
 * @param[in,out] vm   verified VM
 * @param[out]    buf  RAM for the copy, 8 bytes per slot, kept by the caller
 * @param[in]     len  size of @p buf in bytes (at least 8 * fc_vm_t::nslots)
 * @return FC_OK, FC_ERR_NOT_VERIFIED, FC_ERR_NOMEM, or FC_ERR_NOTSUP when
 *         built with FC_SPECIALISE 0
 */
int fc_vm_specialise(fc_vm_t *vm, uint8_t *buf, size_t len);

/**
 * @brief Charge the running program's budget for a helper's work.
 *
 * A helper that touches memory in proportion to an argument (a length, a
 * string) charges FC_VM_BYTES_COST(bytes) before it touches it, so a run's
 * helper work is bounded by its budget as its instructions are. Only valid
 * inside a helper called by fc_vm_run().
 *
 * @param[in,out] vm     the calling VM
 * @param[in]     units  budget units to take
 * @return FC_OK, or FC_ERR_BUDGET when fewer are left (none are taken): the
 *         helper returns it without doing the work and the run faults with it
 */
int fc_vm_charge(fc_vm_t *vm, uint64_t units);

/** @brief Budget units of a helper touching @p bytes bytes (rounded up). */
#define FC_VM_BYTES_COST(bytes) \
    (((uint64_t)(bytes) + FC_BUDGET_BYTES_PER_UNIT - 1) / FC_BUDGET_BYTES_PER_UNIT)

#if FC_COUNT_INSNS
/** @brief Instructions dispatched by every run so far (FC_COUNT_INSNS builds only). */
extern uint64_t fc_insn_count;
/** @brief The same by opcode byte, specialised forms included (FC_COUNT_INSNS builds only). */
extern uint64_t fc_insn_hist[256];
#endif

/**
 * @brief Translate a program address for a helper.
 * @param[in] vm      the VM
 * @param[in] vaddr   virtual address from the program
 * @param[in] len     bytes to be accessed (0 is allowed and checks the address only)
 * @param[in] access  FC_MEM_READ and/or FC_MEM_WRITE
 * @return the host address of @p len accessible bytes, or NULL when any byte
 *         of [vaddr, vaddr+len) is unmapped or lacks @p access
 */
/*@ requires vm == \null || (\valid_read(vm) && fc_regions_ok(vm->regions, vm->nregions));
    assigns \nothing;
    ensures vm == \null || access == 0 ? \result == \null
            : fc_xlated((uint8_t *)\result, vm->regions, vm->nregions, vaddr, len, access);
*/
void *fc_vm_translate(const fc_vm_t *vm, uint64_t vaddr, uint64_t len, uint32_t access);

/**
 * @brief Translate an address whose length is not known yet (strings).
 * @param[in]  vm      the VM
 * @param[in]  vaddr   virtual address from the program
 * @param[in]  access  FC_MEM_READ and/or FC_MEM_WRITE
 * @param[out] avail   bytes accessible from there to the region's end
 * @return the host address, or NULL when unmapped, forbidden or at the end
 */
/*@ requires vm == \null || (\valid_read(vm) && fc_regions_ok(vm->regions, vm->nregions));
    requires avail == \null || \valid(avail);
    requires avail == \null || vm == \null ||
             \separated(avail, vm, vm->regions + (0 .. vm->nregions - 1));
    assigns *avail;
    behavior mapped:
      assumes vm != \null && access != 0 && fc_mapped(vm->regions, vm->nregions, vaddr, 1, access);
      ensures \result == vm->regions[fc_vidx(vaddr)].host + fc_voff(vaddr);
      ensures avail != \null ==>
              *avail == vm->regions[fc_vidx(vaddr)].len - fc_voff(vaddr) && *avail >= 1;
      ensures avail != \null ==> \valid_read((uint8_t *)\result + (0 .. *avail - 1));
      ensures avail != \null && (access & FC_MEM_WRITE) != 0 ==>
              \valid((uint8_t *)\result + (0 .. *avail - 1));
    behavior refused:
      assumes !(vm != \null && access != 0 && fc_mapped(vm->regions, vm->nregions, vaddr, 1, access));
      ensures \result == \null;
      ensures avail != \null ==> *avail == 0;
    complete behaviors;
    disjoint behaviors;
*/
void *fc_vm_translate_span(const fc_vm_t *vm, uint64_t vaddr, uint32_t access, uint32_t *avail);

/**
 * @brief Find a helper in the VM's registry.
 * @return the entry, or NULL when @p id is not registered
 */
const fc_helper_t *fc_vm_helper(const fc_vm_t *vm, uint32_t id);

#ifdef __cplusplus
}
#endif

#endif /* FC_VM_H */
/** @} */
