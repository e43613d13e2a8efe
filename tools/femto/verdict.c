/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "fc/helpers.h"
#include "host.h"
#include "srcline.h"
#include "verdict.h"

int femto_verdict_measure(femto_host_t *h, const fc_image_t *img, fc_verify_info_t *info)
{
    fc_image_t probe = *img;
    if (probe.stack_size < FEMTO_STACK_PROBE)
        probe.stack_size = FEMTO_STACK_PROBE;
    return femto_host_load(h, &probe, info);
}

int femto_verdict_stack_short(FILE *out, const char *path, const fc_image_t *img,
                              const fc_verify_info_t *info)
{
    if (info->stack <= img->stack_size)
        return 0;
    fprintf(out, "%s: rejected: the image asks for %" PRIu32 " B of stack, its deepest chain of "
                 "local calls needs %" PRIu32 " B (frame %" PRIu32 " B x %u levels): it would "
                 "overflow on a device; rebuild with femto build, which records the need\n",
            path, img->stack_size, info->stack, info->frame,
            info->call_depth == FC_VERIFY_DEPTH_UNBOUNDED ? (unsigned)FC_CALL_DEPTH_MAX + 1u
                                                          : info->call_depth + 1u);
    return 1;
}

void femto_verdict_needs(FILE *out, const fc_verify_info_t *info)
{
    fprintf(out, "stack %" PRIu32 " B", info->stack);
    if (info->call_depth == FC_VERIFY_DEPTH_UNBOUNDED)
        fprintf(out, " (frame %" PRIu32 " B x %u levels, the run-time limit), call depth unbounded%s",
                info->frame, (unsigned)FC_CALL_DEPTH_MAX + 1u,
                info->recursive ? " (recursive)" : "");
    else
        fprintf(out, " (frame %" PRIu32 " B x %u level%s), call depth %u", info->frame,
                info->call_depth + 1u, info->call_depth ? "s" : "", (unsigned)info->call_depth);
}

void femto_verdict_ok(FILE *out, const char *path, const fc_image_t *img, const fc_verify_info_t *info)
{
    fprintf(out, "%s: ok: %" PRIu32 " slots", path, img->nslots);
    if (img->nentries) {
        fprintf(out, ", entries");
        for (uint32_t i = 0; i < img->nentries; i++) {
            const char *name;
            uint32_t pc;
            fc_image_entry_at(img, i, &name, &pc);
            fprintf(out, "%s %s@%" PRIu32, i ? "," : "", name, pc);
        }
    }
    fprintf(out, ", helpers");
    if (img->nhelpers == 0)
        fprintf(out, " none");
    for (uint32_t i = 0; i < img->nhelpers; i++) {
        uint32_t id;
        fc_image_helper_at(img, i, &id);
        const char *name = fc_helper_name(id);
        fprintf(out, "%s %s(%" PRIu32 ")", i ? "," : "", name ? name : "firmware", id);
    }
    fprintf(out, ", ");
    femto_verdict_needs(out, info);
    if (img->stack_size != info->stack)
        fprintf(out, "; the image asks for %" PRIu32 " B", img->stack_size);
    fputc('\n', out);
}

/* The piece of linked code slot pc came from. */
static const fc_link_piece_t *piece_of(const fc_link_out_t *lo, uint32_t pc)
{
    for (size_t i = 0; i < lo->npieces; i++)
        if (pc >= lo->pieces[i].slot && pc - lo->pieces[i].slot < lo->pieces[i].nslots)
            return &lo->pieces[i];
    return NULL;
}

void femto_verdict_rejected(FILE *out, const char *path, const fc_image_t *img,
                            const fc_verify_info_t *info, int err, const fc_link_out_t *lo,
                            const char *const *objects)
{
    if (info->reason == NULL) { /* refused before the verifier ran (memory, stack) */
        fprintf(out, "%s: rejected: %s\n", path, fc_strerror(err));
        return;
    }
    /* the rule's number (docs/vm.md, "Reason codes"): what a compact device reports beside err */
    fprintf(out, "%s: rejected at slot %" PRIu32 ": %s (%s", path, info->pc, info->reason, fc_strerror(err));
    if (info->code != 0)
        fprintf(out, ", reason %u", (unsigned)info->code);
    fputs(")\n  ", out);
    femto_host_print_insn(out, img, info->pc);
    fputc('\n', out);
    const fc_link_piece_t *p = lo != NULL ? piece_of(lo, info->pc) : NULL;
    if (p == NULL) {
        femto_host_print_line(out, img, info->pc); /* an image built with -g */
        return;
    }
    char where[512];
    const char *obj = objects[p->input];
    uint32_t off = info->pc - p->slot;
    if (femto_srcline(obj, p->section, off, where, sizeof where) == 0)
        fprintf(out, "  at %s (%s, section %s, slot %" PRIu32 ")\n", where, obj, p->section, off);
    else
        fprintf(out, "  in %s, section %s, slot %" PRIu32 " (no line: build with -g for the C line)\n",
                obj, p->section, off);
}

int femto_helper_arg(const char *cmd, const char *arg, uint32_t *ids, unsigned *n)
{
    char *end;
    errno = 0;
    unsigned long id = strtoul(arg, &end, 0);
    if (errno || *end || end == arg || id < FC_HELPER_FIRMWARE_BASE || id > INT32_MAX ||
        *n == FEMTO_HOST_EXTRA_MAX) {
        fprintf(stderr, "femto %s: bad --helper '%s' (a firmware id, 0x%x..0x7fffffff, at most %u)\n",
                cmd, arg, FC_HELPER_FIRMWARE_BASE, FEMTO_HOST_EXTRA_MAX);
        return -1;
    }
    ids[(*n)++] = (uint32_t)id;
    return 0;
}
