/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's fault accounting: every instance counts its runs and faults and
 * keeps its last fault. FD_FAULTS_BACKOFF faults in a row detach it from
 * its hook for backoff_ms, doubling each time; after quarantine_after
 * backoffs it stays detached (quarantined) until a new deploy replaces it
 * or the configuration is reloaded. One log line per change of state, not
 * per fault. Depends on the slots (femtod.h) and the runtime's public API.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "health.h"

void fd_ring_put(fd_ring_t *r, const char *text, size_t len)
{
    char *l = r->line[r->total % FD_RING_LINES];
    size_t n = len < FD_RING_LINE - 1 ? len : FD_RING_LINE - 1;
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        n--;
    memcpy(l, text, n);
    l[n] = '\0';
    r->total++;
}

/*
 * The runtime's log for fc_printf: the daemon set log_inst (a CoAP-request
 * run, or a hook with one container) or log_hook (several: the runtime's
 * log does not say which) before the run.
 */
void fd_log_container(void *ctx, const char *text, size_t len)
{
    /* the port's ctx is femtod_t::pst: the daemon around it */
    femtod_t *d = (femtod_t *)(void *)((char *)ctx - offsetof(femtod_t, pst));
    fd_slot_t *sl = NULL;
    if (d->log_inst && fd_inst_of(d, &d->log_inst->c, &sl)) {
        fd_ring_put(&d->log_inst->out, text, len);
        printf("[%s/%s] %.*s", sl->tenant->name, sl->name, (int)len, text);
    } else if (d->log_hook) {
        printf("[hook %s] %.*s", d->log_hook->name, (int)len, text);
    } else {
        printf("%.*s", (int)len, text);
    }
}

const char *fd_inst_state_name(enum fd_inst_state s)
{
    static const char *const names[] = { "running", "backoff", "quarantined" };
    return (unsigned)s < 3 ? names[s] : "?";
}

fd_inst_t *fd_inst_of(femtod_t *d, const fc_container_t *c, fd_slot_t **slot)
{
    for (unsigned i = 0; c && i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++)
            if (&d->slots[i].inst[j]->c == c) {
                if (slot)
                    *slot = &d->slots[i];
                return d->slots[i].inst[j];
            }
    return NULL;
}

/* From the hook's fault callback (under the runtime lock): only count. */
void fd_health_fault(femtod_t *d, const fc_container_t *c, int err, uint32_t pc)
{
    fd_inst_t *in = fd_inst_of(d, c, NULL);
    if (!in)
        return;
    in->faults++;
    in->consecutive++;
    in->last_err = err;
    in->last_pc = pc;
}

/* Back @p in off (or quarantine it) when it faulted too often in a row. */
static void judge(femtod_t *d, fd_inst_t *in)
{
    if (in->consecutive < FD_FAULTS_BACKOFF || in->state != FD_INST_RUNNING)
        return;
    fd_slot_t *sl = NULL;
    (void)fd_inst_of(d, &in->c, &sl);
    if (in->attached && in->hook && fc_hook_detach(&in->hook->h, &in->c) == FC_OK)
        in->attached = 0;
    uint32_t base = d->backoff_ms ? d->backoff_ms : 1000u;
    uint32_t limit = d->quarantine_after ? d->quarantine_after : 4u;
    if (in->backoffs >= limit) {
        in->state = FD_INST_QUARANTINED;
        fd_log("health: %s/%s on %s quarantined after %" PRIu64 " faults (last: %s at pc %" PRIu32
               "); a new deploy brings it back", sl ? sl->tenant->name : "?", sl ? sl->name : "?",
               in->hook ? in->hook->name : "-", in->faults, fc_strerror(in->last_err), in->last_pc);
        return;
    }
    uint64_t wait = (uint64_t)base << (in->backoffs < 20 ? in->backoffs : 20);
    in->backoffs++;
    in->state = FD_INST_BACKOFF;
    in->until_ms = fd_now_ms(d) + wait;
    fd_log("health: %s/%s on %s backed off for %" PRIu64 " ms after %" PRIu32 " faults in a row "
           "(last: %s at pc %" PRIu32 ")", sl ? sl->tenant->name : "?", sl ? sl->name : "?",
           in->hook ? in->hook->name : "-", wait, in->consecutive, fc_strerror(in->last_err),
           in->last_pc);
}

/* After a fire of @p h: runs counted, a clean run forgives, too many faults back off. */
void fd_health_ran(femtod_t *d, fd_hook_t *h, const fc_hook_result_t *res)
{
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++) {
            fd_inst_t *in = d->slots[i].inst[j];
            if (in->hook != h || !in->attached)
                continue;
            int faulted = in->faults != in->faults_mark;
            in->faults_mark = in->faults;
            if (res->ran && (faulted || h->policy == FC_POLICY_ALL || res->faults == 0)) {
                in->runs++;
                in->budget_used = in->c.vm.budget - in->c.vm.left;
                if (!faulted)
                    in->consecutive = 0; /* a clean run forgives */
            }
            judge(d, in);
        }
}

/* A run of a CoAP-request container (not through fc_hook_fire). */
void fd_health_app(femtod_t *d, fd_inst_t *in, int err)
{
    in->runs++;
    in->budget_used = in->c.vm.budget - in->c.vm.left;
    if (err == FC_OK)
        in->consecutive = 0;
    else
        fd_health_fault(d, &in->c, err, in->c.vm.pc);
    judge(d, in);
}

/* From the loop: instances whose backoff is over go back on their hooks. */
void fd_health_tick(femtod_t *d)
{
    uint64_t now = fd_now_ms(d);
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++) {
            fd_inst_t *in = d->slots[i].inst[j];
            if (in->state != FD_INST_BACKOFF || now < in->until_ms)
                continue;
            in->state = FD_INST_RUNNING;
            in->consecutive = 0;
            if (in->hook && !in->attached &&
                fc_hook_attach(&in->hook->h, &in->c, in->entry_pc, 0, NULL) == FC_OK)
                in->attached = 1;
            fd_log("health: %s/%s back on %s after its backoff", d->slots[i].tenant->name,
                   d->slots[i].name, in->hook ? in->hook->name : "-");
        }
}
