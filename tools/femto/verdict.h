/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verifier's verdict as femto verify and femto build print it: what an
 * accepted image needs (stack along the deepest local-call chain, call
 * depth), or where and why it was rejected, down to the C line when the
 * objects it was linked from are at hand.
 */
#ifndef FEMTO_VERDICT_H
#define FEMTO_VERDICT_H

#include <stdio.h>

#include "fc/image.h"
#include "fc/verify.h"
#include "host.h"
#include "link.h"

/* Stack a measuring load offers, so that any need can be measured. */
#define FEMTO_STACK_PROBE 65536u

/*
 * Load img into h (opened) as a device would, but with a FEMTO_STACK_PROBE
 * byte stack, so that *info says what the program needs whatever stack the
 * image asks for. Returns FC_OK or the rejection's fc_err_t.
 */
int femto_verdict_measure(femto_host_t *h, const fc_image_t *img, fc_verify_info_t *info);

/*
 * The device's stack check: 0 when the image asks for at least what the
 * program needs, else 1 after printing "PATH: rejected: ..." to out.
 */
int femto_verdict_stack_short(FILE *out, const char *path, const fc_image_t *img,
                              const fc_verify_info_t *info);

/* "PATH: ok: N slots, entries ..., helpers ..., stack S B (frame F B x L levels), call depth D" */
void femto_verdict_ok(FILE *out, const char *path, const fc_image_t *img, const fc_verify_info_t *info);

/* "stack S B (...), call depth D": what info says the program needs. */
void femto_verdict_needs(FILE *out, const fc_verify_info_t *info);

/*
 * A rejection: the slot, the reason, the instruction, and when lo is not
 * NULL (the image was linked from objects[]) the C file and line.
 */
void femto_verdict_rejected(FILE *out, const char *path, const fc_image_t *img,
                            const fc_verify_info_t *info, int err, const fc_link_out_t *lo,
                            const char *const *objects);

/*
 * One "--helper ID" of command cmd: a firmware helper id the device offers,
 * appended to ids (*n of them, at most FEMTO_HOST_EXTRA_MAX). Returns 0, or
 * -1 after printing why on stderr (a usage error).
 */
int femto_helper_arg(const char *cmd, const char *arg, uint32_t *ids, unsigned *n);

#endif /* FEMTO_VERDICT_H */
