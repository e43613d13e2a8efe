/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build for C and C++ files: compile each (build_cc.c), link, run the
 * verifier as a device would and write the image with the stack the
 * deepest chain of local calls needs.
 */
#ifndef FEMTO_BUILD_C_H
#define FEMTO_BUILD_C_H

#include <stdint.h>

#include "build_cc.h"

typedef struct {
    femto_cc_t cc;              /* compiler and flags */
    const char *const *srcs;    /* C/C++ files */
    int nsrc;
    const char *out;            /* the image to write */
    int keep;                   /* keep the objects (OUT.N.o) */
    int verify;                 /* run the verifier (default) */
    long stack;                 /* stack to record, -1: what the verifier measures */
    unsigned link_flags;        /* FC_LINK_* */
    const uint32_t *helpers;    /* firmware helper ids the device offers */
    unsigned nhelpers;
} femto_build_c_t;

/* Build b->out. Returns a FEMTO_EXIT_* code; errors are on stderr. */
int femto_build_c(const femto_build_c_t *b);

#endif /* FEMTO_BUILD_C_H */
