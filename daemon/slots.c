/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Installed containers ("slots") and the state directory.
 *
 * An envelope is checked completely before anything changes: signature
 * with the tenant's key, the tenant's right to the name and the hooks,
 * sequence number above the last accepted one, image parsed, loaded and
 * verified with the tenant's capabilities and again with tenant & hook for
 * each hook. Only then is the new state written (image file, then the
 * manifest, each to a temporary file, fsync, rename, fsync of the
 * directory) and swapped in. The manifest's rename is the commit point: a
 * crash before it restarts with the old container, after it with the new.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fc/helpers.h"
#include "fc/verify.h"
#include "config.h"
#include "slots.h"

#define RES(r, c, ...)                                                                             \
    do {                                                                                           \
        (r)->code = (c);                                                                           \
        snprintf((r)->msg, sizeof (r)->msg, __VA_ARGS__);                                          \
    } while (0)

/* FEMTOD_CRASH_AT=<step>: die at that step of an update, for the crash tests. */
static void crash_point(const char *step)
{
    const char *at = getenv("FEMTOD_CRASH_AT");
    if (at && !strcmp(at, step)) {
        fd_log("crash point '%s': exiting without cleanup", step);
        _exit(99);
    }
}

fd_slot_t *fd_slot_find(femtod_t *d, const char *name)
{
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        if (d->slots[i].used && !strcmp(d->slots[i].name, name))
            return &d->slots[i];
    return NULL;
}

fd_suspended_t *fd_suspended_find(femtod_t *d, const char *name)
{
    for (unsigned i = 0; i < d->nsuspended; i++)
        if (!strcmp(d->suspended[i].name, name))
            return &d->suspended[i];
    return NULL;
}

static fd_seq_t *seq_find(femtod_t *d, const char *tenant, const char *name)
{
    for (unsigned i = 0; i < d->nseqs; i++)
        if (!strcmp(d->seqs[i].name, name) && !strcmp(d->seqs[i].tenant, tenant))
            return &d->seqs[i];
    return NULL;
}

static fd_floor_t *floor_find(femtod_t *d, const char *tenant)
{
    for (unsigned i = 0; i < d->nfloors; i++)
        if (!strcmp(d->floors[i].tenant, tenant))
            return &d->floors[i];
    return NULL;
}

static int floor_raise(femtod_t *d, const char *tenant, uint64_t seq)
{
    fd_floor_t *f = floor_find(d, tenant);
    if (!f) {
        if (d->nfloors == FD_SEQS_MAX)
            return -1;
        f = &d->floors[d->nfloors++];
        snprintf(f->tenant, sizeof f->tenant, "%s", tenant);
        f->seq = 0;
    }
    if (seq > f->seq)
        f->seq = seq;
    return 0;
}

/* Is @p name of @p tenant installed or suspended (its record must stay)? */
static int name_in_use(femtod_t *d, const char *tenant, const char *name)
{
    fd_slot_t *s = fd_slot_find(d, name);
    fd_suspended_t *u = fd_suspended_find(d, name);
    return (s && !strcmp(s->tenant->name, tenant)) || (u && !strcmp(u->tenant, tenant));
}

/* Keep the sequence tables as they are now, to put back if the update fails. */
static void seq_checkpoint(femtod_t *d)
{
    memcpy(d->seqs_undo, d->seqs, sizeof d->seqs);
    memcpy(d->floors_undo, d->floors, sizeof d->floors);
    d->nseqs_undo = d->nseqs;
    d->nfloors_undo = d->nfloors;
}

static void seq_rollback(femtod_t *d)
{
    memcpy(d->seqs, d->seqs_undo, sizeof d->seqs);
    memcpy(d->floors, d->floors_undo, sizeof d->floors);
    d->nseqs = d->nseqs_undo;
    d->nfloors = d->nfloors_undo;
}

/*
 * Remember @p seq for @p t's @p name (after seq_checkpoint()). A new record
 * beyond the tenant's names_max, or beyond the table, replaces the lowest
 * record of a name not in use (the tenant's own when its quota is the
 * limit) and raises that tenant's floor to its sequence. 0, or -1 with
 * @p res set.
 */
static int seq_record(femtod_t *d, fd_tenant_t *t, const char *name, uint64_t seq,
                      fd_result_t *res)
{
    fd_seq_t *s = seq_find(d, t->name, name);
    if (s) {
        s->seq = seq;
        return 0;
    }
    unsigned mine = 0;
    for (unsigned i = 0; i < d->nseqs; i++)
        mine += !strcmp(d->seqs[i].tenant, t->name) ? 1u : 0u;
    int own = mine >= t->names_max;
    if (own || d->nseqs == FD_SEQS_MAX) {
        fd_seq_t *victim = NULL;
        for (unsigned i = 0; i < d->nseqs; i++) {
            fd_seq_t *c = &d->seqs[i];
            if ((own && strcmp(c->tenant, t->name)) || name_in_use(d, c->tenant, c->name))
                continue;
            if (!victim || c->seq < victim->seq)
                victim = c;
        }
        if (!victim || floor_raise(d, victim->tenant, victim->seq) != 0) {
            if (own)
                RES(res, 403, "tenant %s has %" PRIu32 " container names in use, its quota",
                    t->name, t->names_max);
            else
                RES(res, 503, "the table of %d container names is full of names in use",
                    FD_SEQS_MAX);
            return -1;
        }
        *victim = d->seqs[--d->nseqs];
    }
    s = &d->seqs[d->nseqs++];
    snprintf(s->tenant, sizeof s->tenant, "%s", t->name);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->seq = seq;
    return 0;
}

/* ---- instances ---------------------------------------------------------- */

static void inst_free(fd_inst_t *in)
{
    if (!in)
        return;
    if (in->c.state != FC_CONTAINER_FREE)
        (void)fc_container_remove(&in->c);
    free(in->ram);
    free(in->stack);
    free(in);
}

/* ": helper NAME needs CAPS": what a refused helper call was, by name. */
static void refusal_detail(const fc_image_t *img, const fc_verify_info_t *info, uint32_t granted,
                           char *buf, size_t n)
{
    buf[0] = '\0';
    if (info->pc >= img->nslots)
        return;
    const uint8_t *insn = img->text + (size_t)info->pc * 8u;
    if (insn[0] != 0x85) /* call imm */
        return;
    uint32_t id = (uint32_t)insn[4] | (uint32_t)insn[5] << 8 | (uint32_t)insn[6] << 16 |
                  (uint32_t)insn[7] << 24;
    const fc_helper_t *hp = fc_helper_standard(id);
    uint32_t lack = hp ? hp->caps & ~granted : 0;
    char missing[64];
    fd_caps_name(lack, missing, sizeof missing);
    snprintf(buf, n, ": helper %s (0x%" PRIx32 ")%s%s", hp && hp->name ? hp->name : "?", id,
             lack ? " needs " : "", lack ? missing : "");
}

/*
 * Load @p img as a container of @p t, verified with the tenant's
 * capabilities and, for a hook, with tenant & hook (what fc_hook_attach()
 * will check), so the attach that follows cannot fail on the program.
 */
/* The first call of a helper needing capabilities outside @p granted: its pc, or -1. */
static long first_call_beyond(const fc_image_t *img, uint32_t granted)
{
    for (uint32_t pc = 0; pc < img->nslots; pc++) {
        const uint8_t *insn = img->text + (size_t)pc * 8u;
        if (insn[0] != 0x85 || (insn[1] >> 4) != 0) /* call imm, a helper (not a local call) */
            continue;
        uint32_t id = (uint32_t)insn[4] | (uint32_t)insn[5] << 8 | (uint32_t)insn[6] << 16 |
                      (uint32_t)insn[7] << 24;
        const fc_helper_t *hp = fc_helper_standard(id);
        if (hp && (hp->caps & ~granted))
            return (long)pc;
    }
    return -1;
}

/*
 * Load @p img as a container of @p t, verified with the tenant's
 * capabilities, and for a hook check the capabilities the verifier
 * recorded (the container's vm.caps) against tenant & hook: what
 * fc_hook_attach() will check, so the attach that follows cannot fail on
 * the program. Memory as fc_container_ram_needs() says, with the room for
 * the fast engine's specialised copy.
 */
static fd_inst_t *inst_new(femtod_t *d, fd_tenant_t *t, const fc_image_t *img, fd_hook_t *h,
                           fd_result_t *res)
{
    (void)d;
    fc_ram_needs_t need;
    if (fc_container_ram_needs(img, t->ram_max, FD_STACK_MIN, &need) != FC_OK) {
        RES(res, 403, "one instance needs %" PRIu64 " bytes of RAM (data, bss and stack), tenant "
            "%s may use %" PRIu32 " per instance", (uint64_t)need.ram + need.stack, t->name,
            t->ram_max);
        return NULL;
    }
    size_t ram_len = (size_t)need.ram + need.fast, stack_len = need.stack;
    fd_inst_t *in = calloc(1, sizeof *in);
    if (in) {
        in->ram = calloc(1, ram_len ? ram_len : 1);
        in->stack = calloc(1, stack_len ? stack_len : 1);
    }
    if (!in || !in->ram || !in->stack) {
        inst_free(in);
        RES(res, 503, "out of memory");
        return NULL;
    }
    fc_verify_info_t info;
    memset(&info, 0, sizeof info);
    int err = fc_container_load(&in->c, &t->t, img, in->ram, ram_len, in->stack, stack_len,
                                in->local, FD_LOCAL_CAP, &info);
    if (err != FC_OK) {
        char why[96];
        refusal_detail(img, &info, t->caps, why, sizeof why);
        RES(res, 422, "image refused by the verifier with tenant %s's capabilities: %s at pc %" PRIu32
            " (%s)%s", t->name, info.reason ? info.reason : "?", info.pc, fc_strerror(err), why);
        free(in->ram);
        free(in->stack);
        free(in);
        return NULL;
    }
    if (h && (in->c.vm.caps & ~(t->caps & h->caps))) {
        char why[96], granted[96];
        long pc = first_call_beyond(img, t->caps & h->caps);
        fc_verify_info_t at = { .pc = pc < 0 ? 0 : (uint32_t)pc };
        refusal_detail(img, &at, t->caps & h->caps, why, sizeof why);
        fd_caps_name(t->caps & h->caps, granted, sizeof granted);
        RES(res, 422, "image refused by the verifier for hook %s (tenant & hook capabilities "
            "%s): call of a helper not granted at pc %ld%s", h->name, granted, pc, why);
        inst_free(in);
        return NULL;
    }
    in->hook = h;
    in->bytes = (ram_len ? ram_len : 1) + stack_len;
    return in;
}

static int inst_attach(fd_inst_t *in, uint32_t entry_pc)
{
    in->entry_pc = entry_pc;
    if (!in->hook)
        return FC_OK;
    int err = fc_hook_attach(&in->hook->h, &in->c, entry_pc, 0, NULL);
    in->attached = err == FC_OK;
    return err;
}

/* ---- state directory ---------------------------------------------------- */

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* unlink() without touching errno: the failure reported is the first one. */
static void unlink_keep_errno(const char *path)
{
    int e = errno;
    unlink(path);
    errno = e;
}

/*
 * Write dir/name through dir/name.tmp: write, fsync, rename, fsync dir.
 * On failure returns -1 with errno telling why (ENOSPC for a full disk:
 * the cleanup does not overwrite it).
 */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len,
                        const char *crash_tmp, const char *crash_done)
{
    char tmp[4096], dst[4096];
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, name);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    const uint8_t *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            int e = errno;
            close(fd);
            errno = e;
            unlink_keep_errno(tmp);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        unlink_keep_errno(tmp);
        return -1;
    }
    if (close(fd) != 0) {
        unlink_keep_errno(tmp);
        return -1;
    }
    crash_point(crash_tmp);
    if (rename(tmp, dst) != 0) {
        unlink_keep_errno(tmp);
        return -1;
    }
    if (fsync_dir(dir) != 0)
        return -1;
    crash_point(crash_done);
    return 0;
}

static void image_file(char *buf, size_t n, const char *name, uint64_t seq)
{
    snprintf(buf, n, "%s.%" PRIu64 ".img", name, seq);
}

/* Append one container line: container TENANT NAME SEQ IMAGE_SEQ ENTRY HOOKS */
static void manifest_slot(FILE *f, const fd_slot_t *s, uint64_t image_seq)
{
    fprintf(f, "container %s %s %" PRIu64 " %" PRIu64 " %s ", s->tenant->name, s->name, s->seq,
            image_seq, s->entry[0] ? s->entry : "-");
    unsigned n = 0;
    for (unsigned i = 0; i < s->ninst; i++)
        if (s->inst[i]->hook)
            fprintf(f, "%s%s", n++ ? "," : "", s->inst[i]->hook->name);
    fprintf(f, "%s\n", n ? "" : "-");
}

/* manifest_write(): the manifest could not be built in memory (nothing written) */
#define MANIFEST_NOMEM (-2)

/*
 * Write the manifest describing the state after this update: every slot
 * but the one named @p name, then @p nw (NULL when it is removed), and the
 * remembered sequence numbers (already updated by the caller).
 * @return 0, -1 (errno) when the directory cannot be written, MANIFEST_NOMEM
 */
static int manifest_write(femtod_t *d, const char *name, const fd_slot_t *nw, uint64_t nw_image_seq)
{
    if (!d->state_dir)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return MANIFEST_NOMEM;
    fprintf(f, "femtod-state 1\n");
    for (unsigned i = 0; i < d->nseqs; i++)
        fprintf(f, "seq %s %s %" PRIu64 "\n", d->seqs[i].tenant, d->seqs[i].name, d->seqs[i].seq);
    for (unsigned i = 0; i < d->nfloors; i++)
        fprintf(f, "floor %s %" PRIu64 "\n", d->floors[i].tenant, d->floors[i].seq);
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++) {
        const fd_slot_t *s = &d->slots[i];
        if (s->used && strcmp(s->name, name))
            manifest_slot(f, s, s->image_seq);
    }
    if (nw)
        manifest_slot(f, nw, nw_image_seq);
    for (unsigned i = 0; i < d->nsuspended; i++) { /* kept as they were */
        const fd_suspended_t *u = &d->suspended[i];
        fprintf(f, "container %s %s %" PRIu64 " %" PRIu64 " %s %s\n", u->tenant, u->name, u->seq,
                u->image_seq, u->entry, u->hooks);
    }
    int bad = ferror(f); /* a write that could not grow the buffer: the text is cut */
    if (fclose(f) != 0 || bad) {
        free(text);
        return MANIFEST_NOMEM;
    }
    int rc = write_atomic(d->state_dir, "manifest", text, len, "manifest-tmp", "manifest");
    free(text);
    return rc;
}

static int image_write(femtod_t *d, const char *name, uint64_t seq, const uint8_t *img, size_t len)
{
    if (!d->state_dir)
        return 0;
    char dir[4096], file[128];
    snprintf(dir, sizeof dir, "%s/images", d->state_dir);
    image_file(file, sizeof file, name, seq);
    return write_atomic(dir, file, img, len, "image-tmp", "image");
}

static void image_delete(femtod_t *d, const char *name, uint64_t seq)
{
    if (!d->state_dir)
        return;
    char file[128], path[4096 + 128];
    image_file(file, sizeof file, name, seq);
    snprintf(path, sizeof path, "%s/images/%s", d->state_dir, file);
    unlink(path);
}

/* ---- applying an envelope ---------------------------------------------- */

static void slot_clear(fd_slot_t *s)
{
    for (unsigned i = 0; i < s->ninst; i++)
        inst_free(s->inst[i]);
    free(s->image);
    memset(s, 0, sizeof *s);
}

static int hook_listed(const fc_deploy_msg_t *m, const char *hook)
{
    for (unsigned i = 0; i < m->nhooks; i++)
        if (!strcmp(m->hooks[i], hook))
            return 1;
    return 0;
}

static fd_inst_t *slot_inst_on(fd_slot_t *s, const fd_hook_t *h)
{
    for (unsigned i = 0; s && i < s->ninst; i++)
        if (s->inst[i]->hook == h)
            return s->inst[i];
    return NULL;
}

/* An exactly-one hook held by someone other than @p mine cannot take another. */
static int hook_taken(femtod_t *d, fd_hook_t *h, fd_slot_t *mine)
{
    if (h->policy != FC_POLICY_EXACTLY_ONE)
        return 0;
    /* held by an instance of another slot, attached now or backed off */
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        if (d->slots[i].used && &d->slots[i] != mine && slot_inst_on(&d->slots[i], h))
            return 1;
    return 0;
}

/* Containers of @p t installed or suspended. */
static unsigned tenant_slots(femtod_t *d, const fd_tenant_t *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        n += d->slots[i].used && d->slots[i].tenant == t ? 1u : 0u;
    for (unsigned i = 0; i < d->nsuspended; i++)
        n += !strcmp(d->suspended[i].tenant, t->name) ? 1u : 0u;
    return n;
}

/* Bytes one instance of @p img takes (what inst_new() allocates). */
static size_t inst_bytes(const fc_image_t *img)
{
    fc_ram_needs_t need;
    (void)fc_container_ram_needs(img, UINT64_MAX, FD_STACK_MIN, &need);
    return (size_t)need.ram + need.fast + need.stack;
}

/*
 * Before anything is allocated: @p n more instances of @p img within @p t's
 * per-instance and total RAM. Its running instances count, except those of
 * @p old, which a replacement frees: the swap holds both for a moment, so
 * a tenant's peak is at most twice its total. 0, or -1 with @p res set.
 */
static int ram_check(femtod_t *d, const fd_tenant_t *t, const fc_image_t *img, unsigned n,
                     const fd_slot_t *old, fd_result_t *res)
{
    fc_ram_needs_t need;
    if (fc_container_ram_needs(img, t->ram_max, FD_STACK_MIN, &need) != FC_OK) {
        RES(res, 403, "one instance needs %" PRIu64 " bytes of RAM (data, bss and stack), tenant "
            "%s may use %" PRIu32 " per instance", (uint64_t)need.ram + need.stack, t->name,
            t->ram_max);
        return -1;
    }
    size_t one = inst_bytes(img), used = 0;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && d->slots[i].tenant == t && &d->slots[i] != old &&
                             j < d->slots[i].ninst; j++)
            used += d->slots[i].inst[j]->bytes;
    if (used + (size_t)n * one > t->ram_total_max) {
        RES(res, 403, "%u instance%s of %zu bytes beside the %zu in use exceed tenant %s's %" PRIu32
            " bytes of RAM", n, n == 1 ? "" : "s", one, used, t->name, t->ram_total_max);
        return -1;
    }
    return 0;
}

/* A deploy whose new state could not be saved (nothing applied): why, in the answer. */
static void state_failed(fd_result_t *res, int mw, int err)
{
    if (mw == MANIFEST_NOMEM)
        RES(res, 503, "out of memory: the state manifest could not be built (nothing was changed)");
    else
        RES(res, 500, "cannot write the state directory: %s", strerror(err));
}

static void op_install(femtod_t *d, fd_tenant_t *t, fc_deploy_msg_t *m, fd_slot_t *old,
                       fd_result_t *res)
{
    fd_slot_t nw;
    memset(&nw, 0, sizeof nw);
    nw.tenant = t;
    snprintf(nw.name, sizeof nw.name, "%s", m->name);
    snprintf(nw.entry, sizeof nw.entry, "%s", m->entry);
    nw.seq = m->seq;
    nw.image_seq = m->seq;
    /* the slot owns the image bytes: the containers run them in place */
    nw.image = m->image;
    nw.image_len = m->image_len;
    m->image = NULL;
    int err = fc_image_parse(&nw.img, nw.image, nw.image_len);
    if (err != FC_OK) {
        RES(res, 422, "not a valid container image: %s", fc_strerror(err));
        goto fail;
    }
    if (fc_image_entry(&nw.img, m->entry[0] ? m->entry : NULL, &nw.entry_pc) != FC_OK) {
        RES(res, 422, "the image has no entry point '%s'", m->entry);
        goto fail;
    }
    for (unsigned i = 0; i < m->nhooks; i++) {
        fd_hook_t *h = fd_hook_find(d, m->hooks[i]);
        if (hook_taken(d, h, old)) {
            RES(res, 409, "hook %s takes exactly one container and has one", h->name);
            goto fail;
        }
    }
    unsigned n = m->nhooks ? m->nhooks : 1;
    if (!old && tenant_slots(d, t) >= t->slots_max) {
        RES(res, 403, "tenant %s has %u containers, its quota", t->name, t->slots_max);
        goto fail;
    }
    if (ram_check(d, t, &nw.img, n, old, res) != 0)
        goto fail;
    for (unsigned i = 0; i < n; i++) {
        fd_inst_t *in = inst_new(d, t, &nw.img, m->nhooks ? fd_hook_find(d, m->hooks[i]) : NULL, res);
        if (!in)
            goto fail;
        nw.inst[nw.ninst++] = in;
    }
    fd_slot_t *dst = old;
    for (unsigned i = 0; !dst && i < FD_SLOTS_MAX; i++)
        if (!d->slots[i].used)
            dst = &d->slots[i];
    if (!dst) {
        RES(res, 503, "no free container slot (%d installed)", FD_SLOTS_MAX);
        goto fail;
    }
    seq_checkpoint(d);
    if (seq_record(d, t, m->name, m->seq, res) != 0)
        goto fail;
    int mw = 0;
    if (image_write(d, nw.name, nw.image_seq, nw.image, nw.image_len) != 0 ||
        (mw = manifest_write(d, nw.name, &nw, nw.image_seq)) != 0) {
        int e = errno; /* before the cleanup below can change it */
        seq_rollback(d);
        if (!old || old->image_seq != nw.image_seq)
            image_delete(d, nw.name, nw.image_seq);
        state_failed(res, mw, e);
        goto fail;
    }
    /* committed: swap the old container for the new one */
    uint64_t old_image_seq = old ? old->image_seq : 0;
    int replaced = old != NULL;
    if (old)
        slot_clear(old);
    *dst = nw;
    dst->used = 1;
    for (unsigned i = 0; i < dst->ninst; i++) {
        err = inst_attach(dst->inst[i], dst->entry_pc);
        if (err != FC_OK) /* pre-verified and checked for room: not expected */
            fd_log("deploy: %s: attach to %s failed: %s", dst->name, dst->inst[i]->hook->name,
                   fc_strerror(err));
    }
    crash_point("applied");
    if (replaced && old_image_seq != dst->image_seq)
        image_delete(d, dst->name, old_image_seq);
    RES(res, replaced ? 204 : 201, "%s %s/%s seq %" PRIu64 " (%zu-byte image, %u hook%s)",
        replaced ? "replaced" : "installed", t->name, dst->name, dst->seq, dst->image_len,
        m->nhooks, m->nhooks == 1 ? "" : "s");
    return;
fail:
    for (unsigned i = 0; i < nw.ninst; i++)
        inst_free(nw.inst[i]);
    free(nw.image);
}

/* attach, detach, remove: the container is installed (checked by the caller). */
static void op_change(femtod_t *d, fd_tenant_t *t, const fc_deploy_msg_t *m, fd_slot_t *s,
                      fd_result_t *res)
{
    fd_inst_t *added[FC_DEPLOY_HOOKS_MAX];
    unsigned nadded = 0;
    fd_slot_t nw = *s; /* the state after the change, sharing instances */
    nw.seq = m->seq;
    if (m->op == FC_DEPLOY_OP_ATTACH) {
        /* attached somewhere now: the hook-less instance kept since install
         * goes first, so it does not count against the hooks allowed */
        unsigned keep = 0;
        for (unsigned i = 0; i < nw.ninst; i++)
            if (nw.inst[i]->hook)
                nw.inst[keep++] = nw.inst[i];
        nw.ninst = keep;
        for (unsigned i = 0; i < m->nhooks; i++) {
            fd_hook_t *h = fd_hook_find(d, m->hooks[i]);
            if (slot_inst_on(s, h))
                continue; /* already there */
            if (hook_taken(d, h, s)) {
                RES(res, 409, "hook %s takes exactly one container and has one", h->name);
                goto fail;
            }
            if (nw.ninst == FC_DEPLOY_HOOKS_MAX) {
                RES(res, 409, "a container attaches to at most %u hooks", FC_DEPLOY_HOOKS_MAX);
                goto fail;
            }
            if (ram_check(d, t, &s->img, nadded + 1, NULL, res) != 0)
                goto fail;
            fd_inst_t *in = inst_new(d, t, &s->img, h, res);
            if (!in)
                goto fail;
            added[nadded++] = in;
            nw.inst[nw.ninst++] = in;
        }
        if (!nw.ninst) /* every hook listed was there already: nothing was hook-less */
            nw = *s, nw.seq = m->seq;
    } else if (m->op == FC_DEPLOY_OP_DETACH) {
        for (unsigned i = 0; i < m->nhooks; i++)
            if (!slot_inst_on(s, fd_hook_find(d, m->hooks[i]))) {
                RES(res, 404, "%s is not attached to %s", s->name, m->hooks[i]);
                return;
            }
        nw.ninst = 0;
        for (unsigned i = 0; i < s->ninst; i++)
            if (!s->inst[i]->hook || !hook_listed(m, s->inst[i]->hook->name))
                nw.inst[nw.ninst++] = s->inst[i];
    }
    seq_checkpoint(d);
    if (seq_record(d, t, m->name, m->seq, res) != 0)
        goto fail;
    int mw = manifest_write(d, s->name, m->op == FC_DEPLOY_OP_REMOVE ? NULL : &nw, s->image_seq);
    if (mw != 0) {
        int e = errno;
        seq_rollback(d);
        state_failed(res, mw, e);
        goto fail;
    }
    if (m->op == FC_DEPLOY_OP_REMOVE) {
        uint64_t image_seq = s->image_seq;
        char name[FC_DEPLOY_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s", s->name);
        slot_clear(s);
        crash_point("applied");
        image_delete(d, name, image_seq);
        RES(res, 202, "removed %s/%s (sequence %" PRIu64 " remembered)", t->name, name, m->seq);
        return;
    }
    /* free the instances the new state no longer has (detached, or idle) */
    for (unsigned i = 0; i < s->ninst; i++) {
        int kept = 0;
        for (unsigned j = 0; j < nw.ninst; j++)
            kept |= nw.inst[j] == s->inst[i];
        if (!kept)
            inst_free(s->inst[i]);
    }
    *s = nw;
    for (unsigned i = 0; i < nadded; i++) {
        int err = inst_attach(added[i], s->entry_pc);
        if (err != FC_OK)
            fd_log("deploy: %s: attach to %s failed: %s", s->name, added[i]->hook->name,
                   fc_strerror(err));
    }
    crash_point("applied");
    RES(res, 204, "%s %s/%s seq %" PRIu64 ": %u hook%s", m->op == FC_DEPLOY_OP_ATTACH ? "attached" :
        "detached", t->name, s->name, s->seq, m->nhooks, m->nhooks == 1 ? "" : "s");
    return;
fail:
    for (unsigned i = 0; i < nadded; i++)
        inst_free(added[i]);
}

static const char *const op_names[] = { "install", "attach", "detach", "remove" };

void fd_apply_envelope(femtod_t *d, const uint8_t *buf, size_t len, const char *only_tenant,
                       fd_result_t *res)
{
    fc_deploy_env_t env;
    memset(&env, 0, sizeof env);
    res->code = 500;
    res->msg[0] = '\0';
    if (len > FD_ENVELOPE_MAX) {
        RES(res, 413, "envelope of %zu bytes exceeds %u", len, FD_ENVELOPE_MAX);
        goto out;
    }
    int rc = fc_deploy_parse(&env, buf, len);
    if (rc != FC_OK) {
        RES(res, rc == FC_ERR_NOMEM ? 503 : 400, "%s",
            rc == FC_ERR_FORMAT   ? "malformed envelope"
            : rc == FC_ERR_NOTSUP ? "unsupported COSE algorithm (only EdDSA, -8)"
                                  : fc_strerror(rc));
        goto out;
    }
    fc_deploy_msg_t *m = &env.msg;
    if (only_tenant && strcmp(only_tenant, m->tenant)) {
        RES(res, 403, "a client of tenant %s may not deploy for tenant '%s'", only_tenant, m->tenant);
        goto out;
    }
    fd_tenant_t *t = fd_tenant_find(d, m->tenant);
    if (!t) {
        RES(res, 401, "unknown tenant '%s'", m->tenant);
        goto out;
    }
    if (fc_deploy_check(&env, t->pk) != FC_OK) {
        RES(res, 401, "signature does not verify with tenant %s's key", t->name);
        goto out;
    }
    if (!fd_tenant_may_name(t, m->name)) {
        RES(res, 403, "tenant %s may not use the container name '%s'", t->name, m->name);
        goto out;
    }
    if (fd_suspended_find(d, m->name)) {
        RES(res, 409, "container '%s' is suspended (%s): configure it again and reload first",
            m->name, fd_suspended_find(d, m->name)->why);
        goto out;
    }
    fd_slot_t *s = fd_slot_find(d, m->name);
    fd_seq_t *known = seq_find(d, t->name, m->name);
    if (s && s->tenant != t) { /* a name belongs to its tenant while installed */
        RES(res, 403, "container name '%s' belongs to another tenant", m->name);
        goto out;
    }
    for (unsigned i = 0; i < m->nhooks; i++) {
        if (!fd_hook_find(d, m->hooks[i])) {
            RES(res, 404, "no hook '%s'", m->hooks[i]);
            goto out;
        }
        if (!fd_tenant_may_hook(t, m->hooks[i])) {
            RES(res, 403, "tenant %s may not use hook '%s'", t->name, m->hooks[i]);
            goto out;
        }
        if (fd_hook_find(d, m->hooks[i])->privileged && !t->privileged) {
            RES(res, 403, "hook %s sees other tenants' traffic: tenant %s is not privileged",
                m->hooks[i], t->name);
            goto out;
        }
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(m->hooks[i], m->hooks[j])) {
                RES(res, 400, "hook '%s' named twice", m->hooks[i]);
                goto out;
            }
    }
    fd_floor_t *fl = floor_find(d, t->name);
    uint64_t last = known ? known->seq : fl ? fl->seq : 0;
    if (m->seq <= last) {
        RES(res, 409, "sequence %" PRIu64 " is not above %" PRIu64 " (replay or rollback)", m->seq,
            last);
        goto out;
    }
    if (m->op != FC_DEPLOY_OP_INSTALL && !s) {
        RES(res, 404, "no container '%s' installed", m->name);
        goto out;
    }
    if (m->op == FC_DEPLOY_OP_INSTALL)
        op_install(d, t, m, s, res);
    else
        op_change(d, t, m, s, res);
out:
    fd_log("deploy: %s %s/%s seq %" PRIu64 " -> %d.%02d %s", env.msg.op < 4 ? op_names[env.msg.op] : "?",
           env.msg.tenant[0] ? env.msg.tenant : "?", env.msg.name[0] ? env.msg.name : "?",
           env.msg.seq, res->code / 100, res->code % 100, res->msg);
    fc_deploy_env_free(&env);
}

/* ---- restore at start --------------------------------------------------- */

static int restore_container(femtod_t *d, char **w, unsigned nw)
{
    /* container TENANT NAME SEQ IMAGE_SEQ ENTRY HOOKS */
    if (nw != 7)
        return -1;
    if (!fc_deploy_name_ok(w[1], FC_DEPLOY_NAME_MAX) || !fc_deploy_name_ok(w[2], FC_DEPLOY_NAME_MAX))
        return -1;
    fd_tenant_t *t = fd_tenant_find(d, w[1]);
    char why[sizeof d->suspended[0].why] = "";
    if (!t)
        snprintf(why, sizeof why, "tenant %s not configured", w[1]);
    char hooks[256];
    snprintf(hooks, sizeof hooks, "%s", w[6]);
    for (char *save = NULL, *h = strtok_r(hooks, ",", &save); h && !why[0];
         h = strtok_r(NULL, ",", &save))
        if (strcmp(h, "-") && !fd_hook_find(d, h))
            snprintf(why, sizeof why, "hook %.*s not configured", FC_DEPLOY_HOOK_MAX, h);
    if (why[0]) {
        /* suspended, never deleted: a configuration naming it again brings it back */
        if (d->nsuspended == FD_SLOTS_MAX || strlen(w[5]) >= sizeof d->suspended[0].entry ||
            strlen(w[6]) >= sizeof d->suspended[0].hooks)
            return -1;
        fd_suspended_t *u = &d->suspended[d->nsuspended++];
        memset(u, 0, sizeof *u);
        snprintf(u->tenant, sizeof u->tenant, "%s", w[1]);
        snprintf(u->name, sizeof u->name, "%s", w[2]);
        u->seq = strtoull(w[3], NULL, 10);
        u->image_seq = strtoull(w[4], NULL, 10);
        snprintf(u->entry, sizeof u->entry, "%s", w[5]);
        snprintf(u->hooks, sizeof u->hooks, "%s", w[6]);
        snprintf(u->why, sizeof u->why, "%s", why);
        fd_log("restore: %s/%s suspended: %s (its files are kept)", u->tenant, u->name, why);
        return 0;
    }
    fd_slot_t *s = NULL;
    for (unsigned i = 0; !s && i < FD_SLOTS_MAX; i++)
        if (!d->slots[i].used)
            s = &d->slots[i];
    if (!s)
        return -1;
    memset(s, 0, sizeof *s);
    s->tenant = t;
    snprintf(s->name, sizeof s->name, "%s", w[2]);
    s->seq = strtoull(w[3], NULL, 10);
    s->image_seq = strtoull(w[4], NULL, 10);
    if (strcmp(w[5], "-"))
        snprintf(s->entry, sizeof s->entry, "%s", w[5]);
    char path[4096 + 128], file[128];
    image_file(file, sizeof file, s->name, s->image_seq);
    snprintf(path, sizeof path, "%s/images/%s", d->state_dir, file);
    if (fc_deploy_read_file(path, &s->image, &s->image_len, FD_ENVELOPE_MAX) != FC_OK ||
        fc_image_parse(&s->img, s->image, s->image_len) != FC_OK ||
        fc_image_entry(&s->img, s->entry[0] ? s->entry : NULL, &s->entry_pc) != FC_OK) {
        fd_log("restore: %s: image %s missing or invalid: not loaded", s->name, path);
        free(s->image);
        memset(s, 0, sizeof *s);
        return 0;
    }
    fd_result_t res;
    snprintf(hooks, sizeof hooks, "%s", w[6]);
    int any = 0;
    for (char *save = NULL, *h = strtok_r(hooks, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
        if (!strcmp(h, "-"))
            break;
        fd_hook_t *hk = fd_hook_find(d, h);
        if (!hk || s->ninst == FC_DEPLOY_HOOKS_MAX) {
            fd_log("restore: %s: hook %s unknown now: skipped", s->name, h);
            continue;
        }
        any = 1;
        fd_inst_t *in = inst_new(d, t, &s->img, hk, &res);
        if (!in || inst_attach(in, s->entry_pc) != FC_OK) {
            fd_log("restore: %s on %s: %s", s->name, h, in ? "attach failed" : res.msg);
            inst_free(in);
            continue;
        }
        s->inst[s->ninst++] = in;
    }
    if (!any) {
        fd_inst_t *in = inst_new(d, t, &s->img, NULL, &res);
        if (in)
            s->inst[s->ninst++] = in;
    }
    s->used = 1;
    fd_log("restore: %s/%s seq %" PRIu64 " (%zu-byte image, %u instance%s)", t->name, s->name,
           s->seq, s->image_len, s->ninst, s->ninst == 1 ? "" : "s");
    return 0;
}

/* Remove temporary files and images no manifest line names (an interrupted update's). */
static void sweep(femtod_t *d)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/images", d->state_dir);
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int keep = 0;
        for (unsigned i = 0; i < FD_SLOTS_MAX && !keep; i++) {
            char file[128];
            if (!d->slots[i].used)
                continue;
            image_file(file, sizeof file, d->slots[i].name, d->slots[i].image_seq);
            keep = !strcmp(file, e->d_name);
        }
        for (unsigned i = 0; i < d->nsuspended && !keep; i++) {
            char file[128];
            image_file(file, sizeof file, d->suspended[i].name, d->suspended[i].image_seq);
            keep = !strcmp(file, e->d_name);
        }
        if (!keep) {
            char path[4096 + 300];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            fd_log("restore: removing leftover %s", path);
            unlink(path);
        }
    }
    closedir(dp);
    char tmp[4096 + 32];
    snprintf(tmp, sizeof tmp, "%s/manifest.tmp", d->state_dir);
    unlink(tmp);
}

int fd_state_restore(femtod_t *d)
{
    if (!d->state_dir)
        return 0;
    char path[4096 + 32];
    mkdir(d->state_dir, 0755);
    snprintf(path, sizeof path, "%s/images", d->state_dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        fd_log("state: cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/manifest", d->state_dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        sweep(d);
        fd_log("state: %s is empty, starting with no containers", d->state_dir);
        return 0;
    }
    char line[1024];
    unsigned lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        char *w[8];
        unsigned nw = 0;
        lineno++;
        for (char *save = NULL, *x = strtok_r(line, " \n", &save); x && nw < 8;
             x = strtok_r(NULL, " \n", &save))
            w[nw++] = x;
        if (nw == 0)
            continue;
        if (lineno == 1) {
            if (nw != 2 || strcmp(w[0], "femtod-state") || strcmp(w[1], "1")) {
                rc = -1;
                break;
            }
        } else if (!strcmp(w[0], "seq") && nw == 4 && d->nseqs < FD_SEQS_MAX) {
            fd_seq_t *s = &d->seqs[d->nseqs++];
            snprintf(s->tenant, sizeof s->tenant, "%s", w[1]);
            snprintf(s->name, sizeof s->name, "%s", w[2]);
            s->seq = strtoull(w[3], NULL, 10);
        } else if (!strcmp(w[0], "floor") && nw == 3) {
            if (floor_raise(d, w[1], strtoull(w[2], NULL, 10)) != 0) {
                rc = -1;
                break;
            }
        } else if (!strcmp(w[0], "container")) {
            if (restore_container(d, w, nw) != 0) {
                rc = -1;
                break;
            }
        } else {
            rc = -1;
            break;
        }
    }
    fclose(f);
    if (rc != 0) {
        fd_log("state: %s:%u is malformed", path, lineno);
        return -1;
    }
    sweep(d);
    return 0;
}

/* ---- store values ------------------------------------------------------- */

static int put_value(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    (void)ns;
    FILE *f = ((void **)arg)[0];
    const char *owner = ((void **)arg)[1];
    fprintf(f, "%s %" PRIu32 " %" PRIu64 "\n", owner, key, value);
    return 0;
}

/*
 * Save the global and tenant stores to DIR/stores (atomically) when they
 * changed since the last save. Containers' local stores are not kept.
 */
int fd_stores_save(femtod_t *d)
{
    if (!d->state_dir)
        return 0;
    d->port.lock(d->port.ctx);
    int same = d->stores_saved && !memcmp(d->pool_saved, d->pool, sizeof d->pool) &&
               !memcmp(d->global_saved, d->global, sizeof d->global);
    if (!same) {
        memcpy(d->pool_saved, d->pool, sizeof d->pool);
        memcpy(d->global_saved, d->global, sizeof d->global);
    }
    d->port.unlock(d->port.ctx);
    if (same)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        fd_log("state: cannot save the stores: %s (kept for the next save)", strerror(errno));
        d->stores_saved = 0; /* the snapshot above is not on disk: the next save writes again */
        return -1;
    }
    fprintf(f, "femtod-stores 1\n");
    void *arg[2] = { f, (void *)"global -" };
    fc_rt_global_foreach(&d->rt, put_value, arg);
    for (unsigned i = 0; i < d->ntenants; i++) {
        char owner[FC_DEPLOY_NAME_MAX + 8];
        snprintf(owner, sizeof owner, "tenant %s", d->tenants[i].name);
        arg[1] = owner;
        fc_tenant_foreach(&d->tenants[i].t, put_value, arg);
    }
    int bad = ferror(f); /* cut text: a write could not grow the buffer */
    if (fclose(f) != 0 || bad) {
        free(text);
        fd_log("state: cannot save the stores: out of memory (kept for the next save)");
        d->stores_saved = 0;
        return -1;
    }
    int rc = write_atomic(d->state_dir, "stores", text, len, "stores-tmp", "stores");
    free(text);
    if (rc != 0) {
        fd_log("state: cannot save the stores: %s", strerror(errno));
        d->stores_saved = 0;
        return -1;
    }
    d->stores_saved = 1;
    return 0;
}

/* Put back the values fd_stores_save() kept (before any container runs). */
int fd_stores_restore(femtod_t *d)
{
    if (!d->state_dir)
        return 0;
    char path[4096 + 32];
    snprintf(path, sizeof path, "%s/stores", d->state_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    unsigned n = 0, lineno = 0, skipped = 0;
    while (fgets(line, sizeof line, f)) {
        char *w[4];
        unsigned nw = 0;
        lineno++;
        for (char *save = NULL, *x = strtok_r(line, " \n", &save); x && nw < 4;
             x = strtok_r(NULL, " \n", &save))
            w[nw++] = x;
        if (lineno == 1) {
            if (nw != 2 || strcmp(w[0], "femtod-stores") || strcmp(w[1], "1"))
                break;
            continue;
        }
        if (nw != 4) {
            skipped++;
            continue;
        }
        char *end1, *end2;
        unsigned long long key = strtoull(w[2], &end1, 10), value = strtoull(w[3], &end2, 10);
        if (*end1 || *end2 || key > UINT32_MAX) {
            skipped++;
            continue;
        }
        int err = FC_ERR_INVAL;
        if (!strcmp(w[0], "global")) {
            err = fc_rt_global_put(&d->rt, (uint32_t)key, value);
        } else if (!strcmp(w[0], "tenant")) {
            fd_tenant_t *t = fd_tenant_find(d, w[1]);
            if (t)
                err = fc_tenant_put(&t->t, (uint32_t)key, value);
        }
        if (err == FC_OK)
            n++;
        else
            skipped++;
    }
    fclose(f);
    fd_log("restore: %u store values%s", n, skipped ? " (some skipped: tenant gone or quota)" : "");
    return 0;
}

void fd_slots_free(femtod_t *d)
{
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        if (d->slots[i].used)
            slot_clear(&d->slots[i]);
}
