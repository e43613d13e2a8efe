/* SPDX-License-Identifier: Apache-2.0 */
/* Hooks: attach in priority order, detach, fire under a policy. */
#include <string.h>

#include "fc/hook.h"
#include "rt_internal.h"

int fc_hook_init(fc_hook_t *h, fc_rt_t *rt, const char *name, fc_policy_t policy,
                 uint32_t ctx_flags, uint32_t caps, uint32_t budget)
{
    if (h == NULL || rt == NULL || name == NULL || (unsigned)policy > FC_POLICY_EXACTLY_ONE ||
        (ctx_flags & ~(uint32_t)(FC_MEM_READ | FC_MEM_WRITE)) != 0)
        return FC_ERR_INVAL;
    rt_lock(rt);
    for (fc_hook_t *o = rt->hooks; o != NULL; o = o->next) {
        if (o == h || rt_streq(o->name, name)) {
            rt_unlock(rt);
            return FC_ERR_EXISTS;
        }
    }
    memset(h, 0, sizeof *h);
    h->rt = rt;
    h->name = name;
    h->policy = (uint8_t)policy;
    /* a writable context is also readable: a write-only region makes no sense to C code */
    h->ctx_flags = (uint8_t)(ctx_flags ? (ctx_flags | FC_MEM_READ) : 0);
    h->caps = caps;
    h->budget = budget;
    h->next = rt->hooks;
    rt->hooks = h;
    rt_unlock(rt);
    return FC_OK;
}

int fc_hook_remove(fc_hook_t *h)
{
    if (h == NULL || h->rt == NULL)
        return FC_ERR_INVAL;
    fc_rt_t *rt = h->rt;
    int err = FC_ERR_NOENT;
    rt_lock(rt);
    for (fc_hook_t **p = &rt->hooks; *p != NULL; p = &(*p)->next) {
        if (*p == h) {
            if (h->head != NULL) {
                err = FC_ERR_BUSY;
            } else {
                *p = h->next;
                h->rt = NULL;
                err = FC_OK;
            }
            break;
        }
    }
    rt_unlock(rt);
    return err;
}

void fc_hook_on_fault(fc_hook_t *h, fc_fault_fn fn, void *arg)
{
    if (h == NULL || h->rt == NULL)
        return;
    rt_lock(h->rt);
    h->on_fault = fn;
    h->fault_arg = arg;
    rt_unlock(h->rt);
}

/*
 * May c run with the capabilities caps? O(1): c->vm.caps is what the
 * verifier recorded at load that its helpers need (runtime.c), so the
 * verified (and specialised) code is kept and nothing changes. Only a
 * refusal runs the verifier again, on a copy of the VM, to name the call.
 */
static int grant(const fc_container_t *c, uint32_t caps, fc_verify_info_t *info)
{
    if (c->vm.caps & ~caps) {
        fc_vm_t probe = c->vm;
        fc_region_t regions[FC_REGION_CTX];
        fc_rt_regions(c, regions, NULL, 0, 0);
        probe.regions = regions;
        probe.nregions = FC_REGION_CTX;
        probe.caps = caps;
        int err = fc_vm_verify(&probe, info);
        return err != FC_OK ? err : FC_ERR_HELPER_PERM; /* (it cannot pass: the needs say so) */
    }
    if (info != NULL)
        *info = (fc_verify_info_t){ .err = FC_OK, .reason = "ok", .frame = c->vm.frame, .caps = c->vm.caps };
    return FC_OK;
}

/*
 * Store a link of a hook's list. fc_hook_fire() reads h->head without the
 * lock, so its writers store atomically (GCC/clang __atomic builtins, what
 * C11 <stdatomic.h> is built on; a word store on every supported target).
 */
static void publish(fc_container_t **link, fc_container_t *value)
{
    __atomic_store_n(link, value, __ATOMIC_RELEASE);
}

int fc_hook_attach(fc_hook_t *h, fc_container_t *c, uint32_t entry, int16_t prio,
                   fc_verify_info_t *info)
{
    if (h == NULL || h->rt == NULL || c == NULL || c->state == FC_CONTAINER_FREE ||
        c->tenant->rt != h->rt || entry >= c->vm.nslots) {
        if (info != NULL)
            *info = (fc_verify_info_t){ .err = FC_ERR_INVAL, .reason = "bad hook, container or entry" };
        return FC_ERR_INVAL;
    }
    fc_rt_t *rt = h->rt;
    int err = FC_OK;
    const char *why = NULL;
    rt_lock(rt);
    if (c->state == FC_CONTAINER_ATTACHED) {
        err = FC_ERR_BUSY;
        why = "container already attached to a hook";
    } else if (h->policy == FC_POLICY_EXACTLY_ONE && h->head != NULL) {
        err = FC_ERR_BUSY;
        why = "hook takes exactly one container and has one";
    } else if (h->count == UINT16_MAX) {
        err = FC_ERR_FULL;
        why = "too many containers on this hook";
    }
    if (err != FC_OK) {
        rt_unlock(rt);
        if (info != NULL)
            *info = (fc_verify_info_t){ .err = err, .reason = why };
        return err;
    }
    err = grant(c, c->tenant->caps & h->caps, info);
    if (err == FC_OK) {
        fc_container_t **p = &h->head;
        while (*p != NULL && (*p)->prio <= prio)
            p = &(*p)->next;
        c->entry = (uint16_t)entry; /* < nslots <= FC_PROGRAM_SLOTS_MAX (runtime.c) */
        c->prio = prio;
        c->next = *p;
        c->state = FC_CONTAINER_ATTACHED;
        publish(p, c);
        h->count++;
    }
    rt_unlock(rt);
    return err;
}

/* Take c off h's list if it is there; caller holds the lock. @return whether it was */
static int unlink_from(fc_hook_t *h, fc_container_t *c)
{
    for (fc_container_t **p = &h->head; *p != NULL; p = &(*p)->next) {
        if (*p == c) {
            publish(p, c->next);
            h->count--;
            c->next = NULL;
            c->state = FC_CONTAINER_LOADED;
            return 1;
        }
    }
    return 0;
}

/*
 * A container keeps no pointer to its hook (RAM per instance): removing an
 * attached one looks for it on the runtime's hooks, which cannot be removed
 * while it is attached (fc_hook_remove()).
 */
void fc_rt_unlink_locked(fc_container_t *c)
{
    for (fc_hook_t *h = c->tenant->rt->hooks; h != NULL; h = h->next)
        if (unlink_from(h, c))
            return;
}

int fc_hook_detach(fc_hook_t *h, fc_container_t *c)
{
    if (h == NULL || h->rt == NULL || c == NULL)
        return FC_ERR_INVAL;
    int err = FC_ERR_NOENT;
    rt_lock(h->rt);
    if (c->state == FC_CONTAINER_ATTACHED && unlink_from(h, c))
        err = FC_OK;
    rt_unlock(h->rt);
    return err;
}

/* Does the policy stop after this result? */
static int stops(uint8_t policy, uint64_t r0)
{
    int32_t v = (int32_t)(uint32_t)r0;
    return (policy == FC_POLICY_FIRST_NEGATIVE && v < 0) ||
           (policy == FC_POLICY_FIRST_POSITIVE && v > 0);
}

int fc_hook_fire(fc_hook_t *h, void *ctx, uint32_t ctx_len, fc_hook_result_t *res)
{
    if (h == NULL || (ctx == NULL && ctx_len != 0))
        return FC_ERR_INVAL;
    if (res != NULL)
        memset(res, 0, sizeof *res);
    /*
     * Nothing attached: one atomic read, no lock (attach and detach store
     * the links atomically, see publish()). A concurrent attach is ordered
     * after this fire, which is what it would be had it taken the lock later.
     */
    if (__atomic_load_n(&h->head, __ATOMIC_ACQUIRE) == NULL)
        return 0;
    fc_rt_t *rt = h->rt;
    fc_hook_result_t local;
    if (res == NULL)
        res = &local;
    memset(res, 0, sizeof *res);
    rt_lock(rt);
    for (fc_container_t *c = h->head; c != NULL; c = c->next) {
        uint64_t r0 = 0;
        c->vm.budget = fc_rt_budget(c->tenant, h->budget);
        int err = fc_rt_run_locked(c, c->entry, ctx, ctx_len, h->ctx_flags, &r0, NULL);
        res->ran++;
        if (err != FC_OK) {
            fc_fault_t f = { c, err, c->vm.pc };
            if (res->faults++ == 0)
                res->fault = f;
            if (h->on_fault != NULL)
                h->on_fault(h, &f, h->fault_arg);
            continue;
        }
        res->r0 = r0;
        res->by = c;
        if (stops(h->policy, r0)) {
            res->stopped = c->next != NULL;
            break;
        }
    }
    rt_unlock(rt);
    return res->ran;
}

int fc_hook_foreach(fc_hook_t *h, fc_hook_visit_fn fn, void *arg)
{
    if (h == NULL || h->rt == NULL || fn == NULL)
        return FC_ERR_INVAL;
    int r = 0;
    rt_lock(h->rt);
    for (fc_container_t *c = h->head; c != NULL && r == 0; c = c->next)
        r = fn(c, arg);
    rt_unlock(h->rt);
    return r;
}
