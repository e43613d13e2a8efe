/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @defgroup fc_runtime Runtime: tenants, containers, stores
 * @brief Several containers of several tenants, isolated from the firmware
 *        and from each other, in memory the firmware provides.
 *
 * Objects, all public structs the firmware places where it likes
 * (statically, usually) and hands to an init call:
 * - @ref fc_rt_t, the runtime: a port, the global store, the pool of
 *   tenant stores, the helper registry (standard helpers chained with the
 *   firmware's own), the lists of tenants and hooks;
 * - @ref fc_tenant_t: an id, a name, a capability mask and a quota of
 *   entries in the tenant pool;
 * - @ref fc_container_t: an image's code (in place) and its VM, where its
 *   RODATA, DATA and stack memory (the caller's) lie, its tenant and its
 *   local store; loaded and verified once, run many times (through a hook,
 *   see hook.h, or directly), removed;
 * - hooks are in hook.h.
 *
 * Isolation: a container's memory is its own region table; the store
 * helpers find the tenant through the calling VM (fc_vm_t::user is the
 * container), never through program arguments, so no program can name
 * another tenant's namespace. Capabilities: a container may call the
 * helpers whose capability bits its tenant has, narrowed on attach to what
 * the hook grants; the verifier checks every call before the container is
 * accepted, the interpreter again at each call.
 *
 * Locking: functions marked "locks" take the port's lock; hook firing
 * holds it while containers run, so containers, hooks and stores can be
 * changed from another thread than the one firing.
 *
 * @note RAM per container beside its stack and DATA: sizeof(fc_container_t),
 *       88 B on Cortex-M4 (a static assertion keeps it there on 32-bit targets), 136 B on x86-64.
 *
 * @par Threads and interrupts
 * Functions marked "(locks)" take the port's lock (fc_port_t::lock) for
 * their whole work: callable concurrently from any thread; from an ISR only
 * when the port's lock is ISR-safe (masks interrupts) and never from inside
 * a helper, which already runs under it. fc_rt_init() and the loads
 * (fc_container_load(), fc_container_load_code()) write state nothing else
 * can see yet: call them before sharing the objects, or under your own
 * serialisation; they are ISR-safe (no lock, no allocation).
 * @{
 */
#ifndef FC_RUNTIME_H
#define FC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "fc/err.h"
#include "fc/image.h"
#include "fc/port.h"
#include "fc/store.h"
#include "fc/verify.h"
#include "fc/vm.h"
#include "fc/helper_ids.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Budget of each run of a hook configured without one (femtod) and of `femto run`. */
#define FC_HOOK_BUDGET_DEFAULT 100000u

struct fc_hook;
typedef struct fc_tenant fc_tenant_t;
typedef struct fc_container fc_container_t;

/** @brief The runtime. Set up with fc_rt_init(); fields are read-only to the caller. */
typedef struct fc_rt {
    const fc_port_t *port;     /**< the firmware's services */
    fc_store_t global;         /**< global scope (namespace FC_STORE_NS_GLOBAL) */
    fc_store_t pool;           /**< tenant scope: every tenant's values, ns = tenant id */
    fc_helper_table_t helpers; /**< the standard helpers, chained to the firmware's */
    fc_tenant_t *tenants;      /**< registered tenants */
    struct fc_hook *hooks;     /**< registered hooks */
} fc_rt_t;

/** @brief A tenant. Set up with fc_tenant_add(). */
struct fc_tenant {
    fc_rt_t *rt;            /**< its runtime */
    const char *name;       /**< for tools and logs (kept by pointer) */
    fc_tenant_t *next;      /**< next tenant of the runtime */
    uint32_t id;            /**< unique, 1..0xfffffffd: its namespace in the pool */
    uint32_t caps;          /**< capabilities its containers may be granted */
    uint32_t quota;         /**< most entries it may hold in the tenant pool */
    uint32_t used;          /**< entries it holds */
    uint32_t ncontainers;   /**< containers loaded and not removed */
    uint32_t budget;        /**< most budget of each run of its containers, 0: the hook's (fc_tenant_set_budget) */
};

/** @brief fc_container_t::state */
enum fc_container_state {
    FC_CONTAINER_FREE = 0,  /**< not loaded (or removed) */
    FC_CONTAINER_LOADED,    /**< verified, runnable, not attached */
    FC_CONTAINER_ATTACHED,  /**< attached to a hook (fc_hook_attach()) */
};

/**
 * @brief A container instance. Its stack and DATA memory are the caller's
 *        and not counted here.
 *
 * 88 B on 32-bit targets (a static assertion keeps it there: with a 512 B
 * stack, 600 B of RAM per instance), 136 B on x86-64. What the runtime can
 * derive it does not keep:
 * - the region table is built on the C stack of each run (and of the load,
 *   for the verifier) from @ref host and @ref len, the flags being fixed
 *   per region (RODATA read-only, DATA and STACK read-write, CTX the
 *   hook's); fc_vm_t::regions is NULL and fc_vm_t::nregions 0 between runs;
 * - fc_vm_t::caps holds the capabilities the program needs (what the
 *   verifier recorded at load), which attach checks against what the
 *   tenant and the hook grant: a verified program calls nothing else, and
 *   the interpreter still checks each call against it;
 * - the hook a container is attached to is found through the runtime's
 *   hooks (detach and remove only);
 * - the local store is its entries and their number (fc_store_t needs no more).
 */
struct fc_container {
    fc_vm_t vm;                           /**< its VM; vm.user points back here */
    uint8_t *host[FC_REGION_STACK];       /**< host address of RODATA, DATA, STACK (region id - 1) */
    fc_tenant_t *tenant;                  /**< owner */
    fc_container_t *next;                 /**< next container on its hook, in run order */
    fc_store_entry_t *local;              /**< local store entries (NULL when none) */
    uint32_t len[FC_REGION_STACK];        /**< their lengths in bytes */
    uint16_t nlocal;                      /**< local store entries (at most UINT16_MAX) */
    uint16_t entry;                       /**< entry slot run by the hook (slots < FC_PROGRAM_SLOTS_MAX) */
    int16_t prio;                         /**< order on the hook: lower runs first */
    uint8_t state;                        /**< @ref fc_container_state */
    uint8_t reserved;                     /**< zero */
};

/**
 * @brief Set up a runtime.
 * @param[out] rt        the runtime
 * @param[in]  port      the firmware's services (kept by pointer)
 * @param[out] global    entries of the global store (may be NULL when @p nglobal is 0)
 * @param[in]  nglobal   their number
 * @param[out] pool      entries shared by all tenant stores (quota per tenant)
 * @param[in]  npool     their number
 * @param[in]  firmware  the firmware's own helpers (ids >= FC_HELPER_FIRMWARE_BASE), or NULL
 * @return FC_OK, FC_ERR_INVAL for NULL @p rt / @p port or a firmware helper id
 *         below FC_HELPER_FIRMWARE_BASE
 */
int fc_rt_init(fc_rt_t *rt, const fc_port_t *port, fc_store_entry_t *global, uint32_t nglobal,
               fc_store_entry_t *pool, uint32_t npool, const fc_helper_table_t *firmware);

/** @brief Find a registered tenant by id (locks). @return it or NULL */
fc_tenant_t *fc_rt_tenant(fc_rt_t *rt, uint32_t id);

/** @brief Find a registered hook by name (locks). @return it or NULL */
struct fc_hook *fc_rt_hook(fc_rt_t *rt, const char *name);

/** @brief Fetch from the global store (locks). @return FC_OK, FC_ERR_NOENT, FC_ERR_INVAL */
int fc_rt_global_get(fc_rt_t *rt, uint32_t key, uint64_t *value);

/** @brief Store into the global store (locks). @return FC_OK, FC_ERR_FULL, FC_ERR_INVAL */
int fc_rt_global_put(fc_rt_t *rt, uint32_t key, uint64_t value);

/**
 * @brief Visit the global store (locks; @p fn runs under the lock and must
 *        not call the runtime). @return as fc_store_foreach()
 */
int fc_rt_global_foreach(fc_rt_t *rt, fc_store_visit_fn fn, void *arg);

/**
 * @brief Register a tenant (locks).
 * @param[in]  rt     runtime
 * @param[out] t      tenant state, kept by the runtime until fc_tenant_remove()
 * @param[in]  id     unique id, 1..0xfffffffd
 * @param[in]  name   name (kept by pointer, may be NULL)
 * @param[in]  caps   capability mask (FC_CAP_*)
 * @param[in]  quota  most entries it may hold in the tenant pool
 * @return FC_OK, FC_ERR_EXISTS for a taken id, FC_ERR_INVAL
 */
int fc_tenant_add(fc_rt_t *rt, fc_tenant_t *t, uint32_t id, const char *name, uint32_t caps,
                  uint32_t quota);

/**
 * @brief Cap the budget of every run of the tenant's containers (locks).
 *
 * A run gets the smaller of this and its hook's budget (fc_hook_fire()), or
 * of this and fc_vm_t::budget (fc_container_run()): a tenant cannot buy
 * more work per run than its operator gives it, whatever hook it is on.
 *
 * @param[in,out] t       tenant
 * @param[in]     budget  budget units per run, 0 for no cap of its own
 * @return FC_OK, FC_ERR_INVAL
 */
int fc_tenant_set_budget(fc_tenant_t *t, uint32_t budget);

/**
 * @brief Unregister a tenant and delete its values (locks).
 * @return FC_OK, FC_ERR_BUSY while it has containers, FC_ERR_NOENT when not registered
 */
int fc_tenant_remove(fc_tenant_t *t);

/** @brief Fetch one of the tenant's values (locks). @return FC_OK, FC_ERR_NOENT, FC_ERR_INVAL */
int fc_tenant_get(fc_tenant_t *t, uint32_t key, uint64_t *value);

/**
 * @brief Store one of the tenant's values (locks).
 * @return FC_OK, FC_ERR_QUOTA when a new key would exceed the quota,
 *         FC_ERR_FULL when the pool is full, FC_ERR_INVAL
 */
int fc_tenant_put(fc_tenant_t *t, uint32_t key, uint64_t value);

/** @brief Visit the tenant's values (locks, see fc_rt_global_foreach()). */
int fc_tenant_foreach(fc_tenant_t *t, fc_store_visit_fn fn, void *arg);

/** @brief What an image needs in RAM (fc_container_ram_needs()). */
typedef struct {
    uint32_t ram;   /**< DATA region bytes: .data + .bss (fc_image_ram_size()) */
    uint32_t stack; /**< stack bytes: the image's declared stack, at least the caller's floor */
    /**
     * Bytes more of RAM (after ram, 8-aligned) that make fc_container_load()
     * run the specialised copy of the code: 8 per slot, plus up to 7 of alignment
     * (0 when built with FC_SPECIALISE 0). Not counted in the limit.
     */
    uint32_t fast;
} fc_ram_needs_t;

/**
 * @brief Check an image's RAM needs against a limit before anything is
 *        allocated or zeroed.
 *
 * An image declares its .bss (up to 4 GiB) and its stack in its header;
 * call this between fc_image_parse() and allocating the memory
 * fc_container_load() takes, so such numbers are refused before they reach
 * an allocator or a memset. Reads the header only (ISR-safe, no lock).
 *
 * @param[in]  img        parsed image
 * @param[in]  limit      most bytes of RAM one instance may get: DATA + stack
 * @param[in]  stack_min  the least stack the caller gives any image (such as 512), 0 for none
 * @param[out] need       the sizes to allocate; set also when over the limit (for the message)
 * @return FC_OK, FC_ERR_INVAL (NULL arguments), FC_ERR_QUOTA when
 *         need->ram + need->stack exceeds @p limit
 */
int fc_container_ram_needs(const fc_image_t *img, uint64_t limit, uint32_t stack_min,
                           fc_ram_needs_t *need);

/**
 * @brief Load a parsed image as a container of tenant @p t and verify it
 *        with the tenant's capabilities.
 *
 * Maps RODATA in place, copies .data into @p ram and zeroes .bss, maps the
 * stack, initialises the VM over the runtime's helpers and runs the
 * verifier once. The image bytes must stay valid and unchanged until
 * fc_container_remove(); the fc_image_t itself need not.
 *
 * The fastest engine the build and the memory allow runs it, without
 * asking: when @p ram has fc_ram_needs_t::fast bytes beyond the DATA
 * region (fc_container_ram_needs()), the verified code is specialised into
 * them (fc_vm_specialise(); never mapped for the program), and every run,
 * attach and detach keeps that copy: attach and detach are O(1) checks of
 * the capabilities the verifier recorded (the container's fc_vm_t::caps).
 *
 * @param[out] c          container state
 * @param[in]  t          owning tenant
 * @param[in]  img        parsed image (fc_image_parse())
 * @param[out] ram        DATA memory, at least fc_image_ram_size() bytes (more: see above)
 * @param[in]  ram_len    its size
 * @param[out] stack      stack memory, at least the image's stack size
 * @param[in]  stack_len  its size (512 B is typical)
 * @param[out] local      entries of the local store (may be NULL)
 * @param[in]  nlocal     their number, at most UINT16_MAX
 * @param[out] info       verifier verdict (may be NULL)
 * @return FC_OK, FC_ERR_INVAL, FC_ERR_NOMEM / FC_ERR_STACK (memory too small),
 *         or the verifier's rejection (FC_ERR_HELPER_PERM: a helper the
 *         tenant lacks; info->pc names the call)
 */
int fc_container_load(fc_container_t *c, fc_tenant_t *t, const fc_image_t *img,
                      uint8_t *ram, size_t ram_len, uint8_t *stack, size_t stack_len,
                      fc_store_entry_t *local, uint32_t nlocal, fc_verify_info_t *info);

/**
 * @brief Load raw bytecode (no image: no rodata, DATA is @p ram zeroed).
 *        For tests and tools; parameters as fc_container_load().
 */
int fc_container_load_code(fc_container_t *c, fc_tenant_t *t, const uint8_t *code, size_t len,
                           uint8_t *ram, size_t ram_len, uint8_t *stack, size_t stack_len,
                           fc_store_entry_t *local, uint32_t nlocal, fc_verify_info_t *info);

/**
 * @brief Run a loaded container once, outside any hook (locks).
 * @param[in,out] c          container
 * @param[in]     entry      entry slot
 * @param[in,out] ctx        context mapped as FC_REGION_CTX (may be NULL when @p ctx_len is 0);
 *                           r1 = its virtual address, r2 = @p ctx_len
 * @param[in]     ctx_len    its length
 * @param[in]     ctx_flags  FC_MEM_READ, or FC_MEM_READ | FC_MEM_WRITE
 * @param[out]    r0         result (may be NULL)
 * @return FC_OK or the fault (c->vm.pc is the faulting slot); FC_ERR_INVAL
 *         when not loaded
 */
int fc_container_run(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                     uint32_t ctx_flags, uint64_t *r0);

/** @brief An engine with fc_vm_run()'s contract (fc_container_run_with()). */
typedef int (*fc_vm_run_fn)(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0);

/**
 * @brief fc_container_run() through another engine with fc_vm_run()'s
 *        contract: for tools, such as `femto run`, which runs a copy of the
 *        interpreter built to count instructions (tools/femto/run_count.c).
 *        The lock, the tenant's budget cap and the run's region table are
 *        those of fc_container_run(), which is this with fc_vm_run.
 * @return as fc_container_run(); FC_ERR_INVAL for a NULL @p run
 */
int fc_container_run_with(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                          uint32_t ctx_flags, uint64_t *r0, fc_vm_run_fn run);

/**
 * @brief Detach the container if attached, delete its local values and
 *        release it (locks). Its memory may then be reused.
 * @return FC_OK or FC_ERR_INVAL when not loaded
 */
int fc_container_remove(fc_container_t *c);

/** @brief Fetch from the container's local store (locks). */
int fc_container_get(fc_container_t *c, uint32_t key, uint64_t *value);

/**
 * @brief Store into the container's local store (locks), as its program's
 *        store_put_local would (tools seeding a store before a run).
 * @return FC_OK, FC_ERR_FULL, FC_ERR_INVAL when not loaded
 */
int fc_container_put(fc_container_t *c, uint32_t key, uint64_t value);

/** @brief Visit the container's local store (locks, see fc_rt_global_foreach()). */
int fc_container_foreach(fc_container_t *c, fc_store_visit_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* FC_RUNTIME_H */
/** @} */
