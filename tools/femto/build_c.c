/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build's C path. The image's stack field is what the verifier says
 * the deepest chain of local calls needs (every frame counted), so a device
 * gives the container exactly what it can use: not 512 B for a SHA-256 that
 * needs three frames, not 512 B for a filter that needs 24.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_c.h"
#include "cmds.h"
#include "host.h"
#include "link.h"
#include "verdict.h"

/* Verify the objects linked with stack probe; *need gets the stack they need. */
static int verify_objects(const femto_build_c_t *b, const char *const *objs, int nobj,
                          uint32_t probe, uint32_t *need)
{
    fc_link_out_t lo = { 0 };
    femto_host_t *h = calloc(1, sizeof *h);
    int rc = FEMTO_EXIT_FAIL;
    if (h == NULL || fc_link_mem(objs, nobj, probe, &lo) != 0)
        goto out;
    fc_image_t img;
    fc_verify_info_t info = { 0 };
    int err = fc_image_parse(&img, lo.image, lo.len);
    if (err == FC_OK)
        err = femto_host_open(h, NULL, b->helpers, b->nhelpers);
    if (err != FC_OK) {
        fprintf(stderr, "femto build: %s: %s\n", b->out, fc_strerror(err));
        goto out;
    }
    err = femto_host_load(h, &img, &info);
    if (err != FC_OK) {
        femto_verdict_rejected(stderr, b->out, &img, &info, err, &lo, objs);
        goto out;
    }
    *need = info.stack;
    printf("%s: %" PRIu32 " slots, ", b->out, img.nslots);
    femto_verdict_needs(stdout, &info);
    putchar('\n');
    rc = FEMTO_EXIT_OK;
out:
    if (h != NULL)
        femto_host_close(h);
    free(h);
    fc_link_out_free(&lo);
    return rc;
}

int femto_build_c(const femto_build_c_t *b)
{
    char (*objs)[4096] = calloc((size_t)b->nsrc, sizeof *objs);
    const char **objp = calloc((size_t)b->nsrc, sizeof *objp);
    int rc = FEMTO_EXIT_OK, built = 0;
    if (objs == NULL || objp == NULL) {
        rc = FEMTO_EXIT_FAIL;
        goto out;
    }
    for (int i = 0; i < b->nsrc && rc == FEMTO_EXIT_OK; i++) {
        snprintf(objs[i], sizeof objs[i], "%s.%d.o", b->out, i);
        objp[i] = objs[i];
        if (femto_cc_compile(&b->cc, b->srcs[i], objs[i]) != 0)
            rc = FEMTO_EXIT_FAIL;
        else
            built = i + 1;
    }
    int undefined = 0, nobj = b->nsrc;
    for (int i = 0; i < built && rc == FEMTO_EXIT_OK; i++) {
        int u;
        if (femto_cc_check_object(b->srcs[i], objs[i], &u) != 0)
            rc = FEMTO_EXIT_FAIL;
        undefined |= u;
    }
    if (rc != FEMTO_EXIT_OK)
        goto out;
    /* files calling each other's functions: one module (llvm-link), one object */
    if (undefined && b->nsrc > 1) {
        if (femto_cc_combine(&b->cc, b->srcs, b->nsrc, objs[0]) != 0) {
            rc = FEMTO_EXIT_FAIL;
            goto out;
        }
        nobj = 1;
    }

    uint32_t stack = b->stack >= 0 ? (uint32_t)b->stack : FEMTO_HOST_STACK_MIN, need = 0;
    if (b->verify) {
        rc = verify_objects(b, objp, nobj, b->stack >= 0 ? stack : FEMTO_STACK_PROBE, &need);
        if (rc != FEMTO_EXIT_OK)
            goto out;
        if (b->stack < 0) {
            stack = need;
        } else if (need > stack) {
            fprintf(stderr, "femto build: %s: --stack %" PRIu32 " is less than the %" PRIu32
                            " B its deepest chain of local calls needs (leave --stack out to get that)\n",
                    b->out, stack, need);
            rc = FEMTO_EXIT_FAIL;
            goto out;
        }
    }
    if (fc_link_flags(objp, nobj, b->out, stack, b->link_flags) != 0)
        rc = FEMTO_EXIT_FAIL;
out:
    if (!b->keep && objp != NULL)
        for (int i = 0; i < built; i++)
            unlink(objs[i]);
    free(objs);
    free(objp);
    return rc;
}
