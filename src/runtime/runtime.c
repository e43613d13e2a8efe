/* SPDX-License-Identifier: Apache-2.0 */
/* The runtime, its tenants and containers; hooks are in hook.c, helpers in helpers.c. */
#include <string.h>

#include "fc/helpers.h"
#include "fc/hook.h"
#include "fc/isa.h"
#include "fc/jit.h"
#include "fc/runtime.h"
#include "rt_internal.h"

/*
 * The per-instance RAM target (88 B beside DATA, so 600 B with a 512 B
 * stack) is a property of 32-bit targets; the cross builds check it here.
 */
#if UINTPTR_MAX == 0xffffffffu
_Static_assert(sizeof(fc_container_t) <= 88, "fc_container_t exceeds 88 B on a 32-bit target");
#endif
/* fc_container_t::entry is a slot number in 16 bits */
_Static_assert(FC_PROGRAM_SLOTS_MAX <= 65536u, "entry slots no longer fit fc_container_t::entry");

#define TENANT_ID_MAX 0xfffffffdu

int fc_rt_init(fc_rt_t *rt, const fc_port_t *port, fc_store_entry_t *global, uint32_t nglobal,
               fc_store_entry_t *pool, uint32_t npool, const fc_helper_table_t *firmware)
{
    if (rt == NULL || port == NULL)
        return FC_ERR_INVAL;
    for (const fc_helper_table_t *t = firmware; t != NULL; t = t->next)
        for (uint32_t i = 0; i < t->count; i++)
            if (t->items[i].id < FC_HELPER_FIRMWARE_BASE)
                return FC_ERR_INVAL;
    memset(rt, 0, sizeof *rt);
    rt->port = port;
    if (fc_store_init(&rt->global, global, nglobal) != FC_OK ||
        fc_store_init(&rt->pool, pool, npool) != FC_OK)
        return FC_ERR_INVAL;
    rt->helpers.items = fc_helpers_standard;
    rt->helpers.count = fc_helpers_standard_count;
    rt->helpers.next = firmware;
    return FC_OK;
}

fc_tenant_t *fc_rt_tenant(fc_rt_t *rt, uint32_t id)
{
    if (rt == NULL)
        return NULL;
    rt_lock(rt);
    fc_tenant_t *t = rt->tenants;
    while (t != NULL && t->id != id)
        t = t->next;
    rt_unlock(rt);
    return t;
}

fc_hook_t *fc_rt_hook(fc_rt_t *rt, const char *name)
{
    if (rt == NULL || name == NULL)
        return NULL;
    rt_lock(rt);
    fc_hook_t *h = rt->hooks;
    while (h != NULL && !rt_streq(h->name, name))
        h = h->next;
    rt_unlock(rt);
    return h;
}

int fc_rt_global_get(fc_rt_t *rt, uint32_t key, uint64_t *value)
{
    if (rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(rt);
    int err = fc_store_get(&rt->global, FC_STORE_NS_GLOBAL, key, value);
    rt_unlock(rt);
    return err;
}

int fc_rt_global_put(fc_rt_t *rt, uint32_t key, uint64_t value)
{
    if (rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(rt);
    int err = fc_store_put(&rt->global, FC_STORE_NS_GLOBAL, key, value);
    rt_unlock(rt);
    return err;
}

int fc_rt_global_foreach(fc_rt_t *rt, fc_store_visit_fn fn, void *arg)
{
    if (rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(rt);
    int err = fc_store_foreach(&rt->global, FC_STORE_NS_GLOBAL, fn, arg);
    rt_unlock(rt);
    return err;
}

int fc_tenant_add(fc_rt_t *rt, fc_tenant_t *t, uint32_t id, const char *name, uint32_t caps,
                  uint32_t quota)
{
    if (rt == NULL || t == NULL || id == 0 || id > TENANT_ID_MAX)
        return FC_ERR_INVAL;
    rt_lock(rt);
    for (fc_tenant_t *o = rt->tenants; o != NULL; o = o->next) {
        if (o->id == id || o == t) {
            rt_unlock(rt);
            return FC_ERR_EXISTS;
        }
    }
    memset(t, 0, sizeof *t);
    t->rt = rt;
    t->name = name;
    t->id = id;
    t->caps = caps;
    t->quota = quota;
    t->next = rt->tenants;
    rt->tenants = t;
    rt_unlock(rt);
    return FC_OK;
}

int fc_tenant_remove(fc_tenant_t *t)
{
    if (t == NULL || t->rt == NULL)
        return FC_ERR_INVAL;
    fc_rt_t *rt = t->rt;
    int err = FC_ERR_NOENT;
    rt_lock(rt);
    for (fc_tenant_t **p = &rt->tenants; *p != NULL; p = &(*p)->next) {
        if (*p != t)
            continue;
        if (t->ncontainers != 0) {
            err = FC_ERR_BUSY;
            break;
        }
        *p = t->next;
        (void)fc_store_purge(&rt->pool, t->id);
        t->used = 0;
        t->rt = NULL;
        err = FC_OK;
        break;
    }
    rt_unlock(rt);
    return err;
}

int fc_rt_tenant_put_locked(fc_tenant_t *t, uint32_t key, uint64_t value)
{
    fc_store_t *pool = &t->rt->pool;
    if (fc_store_get(pool, t->id, key, NULL) == FC_ERR_NOENT) {
        if (t->used >= t->quota)
            return FC_ERR_QUOTA;
        int err = fc_store_put(pool, t->id, key, value);
        if (err == FC_OK)
            t->used++;
        return err;
    }
    return fc_store_put(pool, t->id, key, value);
}

int fc_tenant_get(fc_tenant_t *t, uint32_t key, uint64_t *value)
{
    if (t == NULL || t->rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(t->rt);
    int err = fc_store_get(&t->rt->pool, t->id, key, value);
    rt_unlock(t->rt);
    return err;
}

int fc_tenant_put(fc_tenant_t *t, uint32_t key, uint64_t value)
{
    if (t == NULL || t->rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(t->rt);
    int err = fc_rt_tenant_put_locked(t, key, value);
    rt_unlock(t->rt);
    return err;
}

int fc_tenant_foreach(fc_tenant_t *t, fc_store_visit_fn fn, void *arg)
{
    if (t == NULL || t->rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(t->rt);
    int err = fc_store_foreach(&t->rt->pool, t->id, fn, arg);
    rt_unlock(t->rt);
    return err;
}

/*
 * Compile the verified VM into the port's code memory and run that from now
 * on (docs/jit.md): 1 when it does, 0 when the build has no JIT, the port no
 * code memory, or compiling failed (the VM then interprets).
 */
static int rt_jit(fc_vm_t *vm, const fc_port_t *port)
{
#if FC_JIT
    if (port->code_alloc == NULL || port->code_seal == NULL || port->code_free == NULL)
        return 0;
    size_t cap = fc_jit_code_bound(vm);
    uint8_t *buf = cap != 0 ? port->code_alloc(port->ctx, cap) : NULL;
    if (buf == NULL)
        return 0;
    const void *x = NULL;
    if (fc_jit_compile(vm, buf, cap, NULL) == FC_OK)
        x = port->code_seal(port->ctx, buf);
    if (x != NULL && fc_jit_enable(vm, x) == FC_OK)
        return 1;
    port->code_free(port->ctx, x != NULL ? x : buf);
#else
    (void)vm;
    (void)port;
#endif
    return 0;
}

/*
 * Common tail of both loads: keep where the regions lie, the VM over them
 * (a table on this stack), verified with the tenant's capabilities.
 */
static int load_vm(fc_container_t *c, fc_tenant_t *t, const uint8_t *code, size_t len,
                   const uint32_t *entries, uint32_t nentries,
                   fc_region_t *regions, uint8_t *fast, size_t fast_len,
                   fc_store_entry_t *local, uint32_t nlocal, fc_verify_info_t *info)
{
    for (unsigned r = FC_REGION_RODATA; r <= FC_REGION_STACK; r++) {
        c->host[r - 1] = regions[r - 1].host;
        c->len[r - 1] = regions[r - 1].len;
    }
    regions[FC_REGION_CTX - 1] = (fc_region_t){ NULL, 0, 0 };
    int err = fc_vm_init(&c->vm, code, len, regions, FC_REGION_CTX, &t->rt->helpers);
    fc_store_t store;
    if (err == FC_OK)
        err = fc_store_init(&store, local, nlocal);
    if (err != FC_OK) {
        memset(c, 0, sizeof *c);
        if (info != NULL)
            *info = (fc_verify_info_t){ .err = err, .reason = fc_strerror(err) };
        return err;
    }
    c->local = local;
    c->nlocal = (uint16_t)nlocal;
    c->vm.user = c;
    c->vm.caps = t->caps;
    fc_verify_info_t mine;
    if (info == NULL)
        info = &mine;
    err = fc_vm_verify_entries(&c->vm, entries, nentries, info);
    if (err != FC_OK) {
        memset(c, 0, sizeof *c); /* no pointer to this stack's table survives */
        return err;
    }
    /*
     * From now on the VM is granted what its program needs: every call it
     * makes was checked against the tenant's capabilities and adds to
     * info->caps, and attach checks that set against the hook's (hook.c).
     */
    c->vm.caps = info->caps;
    /* the fastest engine the build and the memory allow: compiled code, else the specialised copy */
    if (!rt_jit(&c->vm, t->rt->port) && FC_SPECIALISE && fast != NULL &&
        fast_len / FC_INSN_SIZE >= c->vm.nslots)
        (void)fc_vm_specialise(&c->vm, fast, fast_len);
    c->vm.regions = NULL; /* each run builds its own table (fc_rt_run_locked) */
    c->vm.nregions = 0;
    c->tenant = t;
    c->state = FC_CONTAINER_LOADED;
    rt_lock(t->rt);
    t->ncontainers++;
    rt_unlock(t->rt);
    return FC_OK;
}

static int fail(fc_verify_info_t *info, int err)
{
    if (info != NULL)
        *info = (fc_verify_info_t){ .err = err, .reason = fc_strerror(err) };
    return err;
}

int fc_container_ram_needs(const fc_image_t *img, uint64_t limit, uint32_t stack_min,
                           fc_ram_needs_t *need)
{
    if (img == NULL || need == NULL)
        return FC_ERR_INVAL;
    need->ram = fc_image_ram_size(img);
    need->stack = img->stack_size > stack_min ? img->stack_size : stack_min;
    need->fast = FC_SPECIALISE ? img->nslots * FC_INSN_SIZE + FC_INSN_SIZE - 1 : 0;
    return (uint64_t)need->ram + need->stack > limit ? FC_ERR_QUOTA : FC_OK;
}

int fc_container_load(fc_container_t *c, fc_tenant_t *t, const fc_image_t *img,
                      uint8_t *ram, size_t ram_len, uint8_t *stack, size_t stack_len,
                      fc_store_entry_t *local, uint32_t nlocal, fc_verify_info_t *info)
{
    if (c == NULL || t == NULL || t->rt == NULL || img == NULL || nlocal > UINT16_MAX)
        return fail(info, FC_ERR_INVAL);
    memset(c, 0, sizeof *c);
    fc_region_t regions[FC_REGION_CTX];
    int err = fc_image_map(img, regions, ram, ram_len, stack, stack_len);
    if (err != FC_OK)
        return fail(info, err);
    /* RAM past the DATA region (which is all the program can reach), 8-aligned, for the fast copy */
    size_t at = fc_image_ram_size(img), fast_len = 0;
    uint8_t *fast = NULL;
    if (ram != NULL) {
        size_t pad = (FC_INSN_SIZE - (uintptr_t)(ram + at) % FC_INSN_SIZE) % FC_INSN_SIZE;
        if (ram_len >= at + pad) {
            fast = ram + at + pad;
            fast_len = ram_len - at - pad;
        }
    }
    /*
     * The entry table's slots start functions for the verifier (each is a
     * call graph root). Past FC_VERIFY_FUNCS_MAX + 1 entries the verifier no
     * longer analyses the graph whatever they are (depth bounded at run
     * time), so that many distinct ones are enough and the table stays on
     * this stack. (Repeats among them can leave a later entry out: its code
     * then counts as part of the function before it, which can only
     * over-estimate the stack, never under-estimate it.)
     */
    uint32_t entries[FC_VERIFY_FUNCS_MAX + 1], nentries = 0;
    for (uint32_t i = 0; i < img->nentries && nentries < FC_VERIFY_FUNCS_MAX + 1; i++)
        if (fc_image_entry_at(img, i, NULL, &entries[nentries]) == FC_OK)
            nentries++;
    return load_vm(c, t, img->text, img->text_len, entries, nentries, regions, fast, fast_len, local,
                   nlocal, info);
}

int fc_container_load_code(fc_container_t *c, fc_tenant_t *t, const uint8_t *code, size_t len,
                           uint8_t *ram, size_t ram_len, uint8_t *stack, size_t stack_len,
                           fc_store_entry_t *local, uint32_t nlocal, fc_verify_info_t *info)
{
    if (c == NULL || t == NULL || t->rt == NULL || code == NULL || stack == NULL ||
        (ram == NULL && ram_len != 0) || ram_len > UINT32_MAX || stack_len > UINT32_MAX ||
        nlocal > UINT16_MAX)
        return fail(info, FC_ERR_INVAL);
    memset(c, 0, sizeof *c);
    if (ram_len != 0)
        memset(ram, 0, ram_len);
    fc_region_t regions[FC_REGION_CTX] = {
        [FC_REGION_DATA - 1] = { ram, (uint32_t)ram_len, FC_MEM_READ | FC_MEM_WRITE },
        [FC_REGION_STACK - 1] = { stack, (uint32_t)stack_len, FC_MEM_READ | FC_MEM_WRITE },
    };
    return load_vm(c, t, code, len, NULL, 0, regions, NULL, 0, local, nlocal, info);
}

int fc_tenant_set_budget(fc_tenant_t *t, uint32_t budget)
{
    if (t == NULL || t->rt == NULL)
        return FC_ERR_INVAL;
    rt_lock(t->rt);
    t->budget = budget;
    rt_unlock(t->rt);
    return FC_OK;
}

/* Both runs: run NULL is the VM's own engine (fc_rt_run_locked), one call less per run. */
static inline int run_container(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                                uint32_t ctx_flags, uint64_t *r0, fc_vm_run_fn run)
{
    if (c == NULL || c->state == FC_CONTAINER_FREE || (ctx == NULL && ctx_len != 0))
        return FC_ERR_INVAL;
    fc_rt_t *rt = c->tenant->rt;
    rt_lock(rt);
    uint32_t own = c->vm.budget;
    c->vm.budget = fc_rt_budget(c->tenant, own);
    int err = fc_rt_run_locked(c, entry, ctx, ctx_len, ctx_flags & (FC_MEM_READ | FC_MEM_WRITE), r0,
                               run);
    c->vm.budget = own;
    rt_unlock(rt);
    return err;
}

int fc_container_run(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                     uint32_t ctx_flags, uint64_t *r0)
{
    return run_container(c, entry, ctx, ctx_len, ctx_flags, r0, NULL);
}

int fc_container_run_with(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                          uint32_t ctx_flags, uint64_t *r0, fc_vm_run_fn run)
{
    if (run == NULL)
        return FC_ERR_INVAL;
    return run_container(c, entry, ctx, ctx_len, ctx_flags, r0, run);
}

int fc_container_remove(fc_container_t *c)
{
    if (c == NULL || c->state == FC_CONTAINER_FREE)
        return FC_ERR_INVAL;
    fc_rt_t *rt = c->tenant->rt;
    rt_lock(rt);
    if (c->state == FC_CONTAINER_ATTACHED)
        fc_rt_unlink_locked(c);
    c->tenant->ncontainers--;
    /* local entries, DATA and stack are the caller's memory: clear them so nothing leaks to its next user */
    if (c->nlocal != 0)
        memset(c->local, 0, (size_t)c->nlocal * sizeof *c->local);
    for (unsigned r = FC_REGION_DATA; r <= FC_REGION_STACK; r++)
        if (c->len[r - 1] != 0)
            memset(c->host[r - 1], 0, c->len[r - 1]);
    if (c->vm.verified & FC_VERIFIED_JIT) /* compiled code, in the port's code memory */
        rt->port->code_free(rt->port->ctx, c->vm.fast);
    else if (c->vm.fast != NULL) /* the specialised copy, in the caller's RAM too */
        memset((uint8_t *)(uintptr_t)c->vm.fast, 0, (size_t)c->vm.nslots * FC_INSN_SIZE);
    memset(c, 0, sizeof *c);
    rt_unlock(rt);
    return FC_OK;
}

int fc_container_get(fc_container_t *c, uint32_t key, uint64_t *value)
{
    if (c == NULL || c->state == FC_CONTAINER_FREE)
        return FC_ERR_INVAL;
    fc_store_t local = fc_rt_local(c);
    rt_lock(c->tenant->rt);
    int err = fc_store_get(&local, FC_STORE_NS_LOCAL, key, value);
    rt_unlock(c->tenant->rt);
    return err;
}

int fc_container_put(fc_container_t *c, uint32_t key, uint64_t value)
{
    if (c == NULL || c->state == FC_CONTAINER_FREE)
        return FC_ERR_INVAL;
    fc_store_t local = fc_rt_local(c);
    rt_lock(c->tenant->rt);
    int err = fc_store_put(&local, FC_STORE_NS_LOCAL, key, value);
    rt_unlock(c->tenant->rt);
    return err;
}

int fc_container_foreach(fc_container_t *c, fc_store_visit_fn fn, void *arg)
{
    if (c == NULL || c->state == FC_CONTAINER_FREE)
        return FC_ERR_INVAL;
    fc_store_t local = fc_rt_local(c);
    rt_lock(c->tenant->rt);
    int err = fc_store_foreach(&local, FC_STORE_NS_LOCAL, fn, arg);
    rt_unlock(c->tenant->rt);
    return err;
}
