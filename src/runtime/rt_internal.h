/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the runtime's files only: not part of the API. */
#ifndef FC_RT_INTERNAL_H
#define FC_RT_INTERNAL_H

#include "fc/jit.h"
#include "fc/runtime.h"

static inline void rt_lock(const fc_rt_t *rt)
{
    if (rt->port->lock != NULL)
        rt->port->lock(rt->port->ctx);
}

static inline void rt_unlock(const fc_rt_t *rt)
{
    if (rt->port->unlock != NULL)
        rt->port->unlock(rt->port->ctx);
}

/*
 * Tenant-scope put with the quota: a new key counts against the tenant,
 * an overwrite does not. Caller holds the lock.
 */
int fc_rt_tenant_put_locked(fc_tenant_t *t, uint32_t key, uint64_t value);

/* The budget of a run: the hook's (or the VM's) capped by the tenant's own, when it has one. */
static inline uint32_t fc_rt_budget(const fc_tenant_t *t, uint32_t budget)
{
    return t->budget != 0 && t->budget < budget ? t->budget : budget;
}

/* Detach c from its hook; caller holds the lock. */
void fc_rt_unlink_locked(fc_container_t *c);

/*
 * The region table of a run of c (or of its load), CTX as given. Inline,
 * as the run below: every run pays for them (docs/jit.md, the empty run).
 */
static inline void fc_rt_regions(const fc_container_t *c, fc_region_t *regions, void *ctx,
                                 uint32_t ctx_len, uint32_t ctx_flags)
{
    regions[FC_REGION_RODATA - 1] =
        (fc_region_t){ c->host[FC_REGION_RODATA - 1], c->len[FC_REGION_RODATA - 1], FC_MEM_READ };
    for (unsigned r = FC_REGION_DATA; r <= FC_REGION_STACK; r++)
        regions[r - 1] = (fc_region_t){ c->host[r - 1], c->len[r - 1], FC_MEM_READ | FC_MEM_WRITE };
    regions[FC_REGION_CTX - 1] = (fc_region_t){ (uint8_t *)ctx, ctx_len, ctx_flags };
}

/*
 * Run c over a region table on this stack (fc_vm_t::regions is NULL
 * between runs); lock held. run NULL: the VM's own engine, compiled code
 * called directly when it has some (what fc_vm_run would do first).
 */
static inline int fc_rt_run_locked(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                                   uint32_t ctx_flags, uint64_t *r0, fc_vm_run_fn run)
{
    /* the region table lives for this run only: the container keeps addresses and lengths */
    fc_region_t regions[FC_REGION_CTX];
    fc_rt_regions(c, regions, ctx, ctx_len, ctx_flags);
    c->vm.regions = regions;
    c->vm.nregions = FC_REGION_CTX;
    int err;
#if FC_JIT
    if (run == NULL && (c->vm.verified & FC_VERIFIED_JIT))
        err = fc_jit_run(&c->vm, entry, FC_VADDR(FC_REGION_CTX, 0), ctx_len, r0);
    else
#endif
        err = (run != NULL ? run : fc_vm_run)(&c->vm, entry, FC_VADDR(FC_REGION_CTX, 0), ctx_len, r0);
    c->vm.regions = NULL;
    c->vm.nregions = 0;
    return err;
}

/* c's local store: its entries are the whole state (fc_store_t). */
static inline fc_store_t fc_rt_local(const fc_container_t *c)
{
    return (fc_store_t){ c->local, c->nlocal };
}

/* String equality without libc's strcmp: the runtime needs only the memory functions. */
static inline int rt_streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

#endif /* FC_RT_INTERNAL_H */
