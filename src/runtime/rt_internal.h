/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the runtime's files only: not part of the API. */
#ifndef FC_RT_INTERNAL_H
#define FC_RT_INTERNAL_H

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

/* The region table of a run of c (or of its load), CTX as given. */
void fc_rt_regions(const fc_container_t *c, fc_region_t *regions, void *ctx, uint32_t ctx_len,
                   uint32_t ctx_flags);

/* Run c over a region table on this stack (fc_vm_t::regions is NULL between runs); lock held. */
int fc_rt_run_locked(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                     uint32_t ctx_flags, uint64_t *r0, fc_vm_run_fn run);

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
