/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host device femto run and femto verify load images into: the runtime
 * over the POSIX port with one default tenant holding every standard
 * capability, so their verdict is the one a device offering the standard
 * helpers (plus the firmware helper ids given) would give.
 */
#ifndef FEMTO_HOST_H
#define FEMTO_HOST_H

#include <stdint.h>
#include <stdio.h>

#include "fc/image.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"
#include "fc/verify.h"

#define FEMTO_HOST_STACK_MIN 512u /* stack given to images asking for less */
#define FEMTO_HOST_EXTRA_MAX 32u  /* firmware helper ids accepted by --helper */

typedef struct {
    fc_port_posix_t pst;
    fc_port_t port;
    fc_rt_t rt;
    fc_tenant_t tenant;
    fc_container_t c;
    fc_helper_table_t extra;
    fc_helper_t extra_items[FEMTO_HOST_EXTRA_MAX];
    fc_store_entry_t *store;
    uint8_t *ram, *stack;
    int have_port;
} femto_host_t;

/*
 * Set up the port (container log lines to log, NULL discards them), the
 * runtime and the default tenant. extra lists firmware helper ids
 * (FC_HELPER_FIRMWARE_BASE and up) the device is assumed to offer: calls to
 * them verify, and fault with FC_ERR_HELPER_FAIL if run. Returns FC_OK or
 * an fc_err_t.
 */
int femto_host_open(femto_host_t *h, FILE *log, const uint32_t *extra, unsigned nextra);

/*
 * Load img as the container (maps its regions, runs the verifier). On a
 * rejection *info says where and why. Returns FC_OK or the fc_err_t.
 */
int femto_host_load(femto_host_t *h, const fc_image_t *img, fc_verify_info_t *info);

/* The same for raw bytecode (no image: empty data, 512-byte stack). */
int femto_host_load_code(femto_host_t *h, const uint8_t *code, size_t len, fc_verify_info_t *info);

/*
 * Print the instruction at slot pc of img as llvm-objdump would, with its
 * bytes, and the helper's name for a helper call.
 */
void femto_host_print_insn(FILE *out, const fc_image_t *img, uint32_t pc);

/*
 * Print "  at FILE:LINE ..." for slot pc when img carries a line table
 * (femto build -g). Returns 0 when printed, -1 when there is no line.
 */
int femto_host_print_line(FILE *out, const fc_image_t *img, uint32_t pc);

/* Release everything (safe after a failed open). */
void femto_host_close(femto_host_t *h);

#endif /* FEMTO_HOST_H */
