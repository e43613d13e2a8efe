/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto verify: the verifier's verdict on an image, on BPF objects (linked
 * in memory as femto link would) or on raw bytecode, as a device offering
 * the standard helpers gives it. A rejection names the slot, the reason,
 * the instruction and, for objects built with -g, the C file and line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "fc/helpers.h"
#include "fc/image.h"
#include "host.h"
#include "io.h"
#include "link.h"
#include "verdict.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto verify [--raw] [--helper ID]... FILE [more.o...]\n\n"
            "Run the verifier as a device offering the standard helpers would, and print\n"
            "the verdict. FILE is a container image, one or more BPF ELF objects (linked in\n"
            "memory as 'femto link' does) or raw bytecode (8 bytes per slot); '-' reads\n"
            "standard input.\n\n"
            "On success: 'FILE: ok' with the code size, entries, helpers, the stack the\n"
            "deepest chain of local calls needs (every frame counted) and the call depth.\n"
            "On rejection: the slot, the reason, the instruction, and for objects compiled\n"
            "with -g (femto build does) the C file and line.\n\n"
            "options:\n"
            "  --raw        read FILE as raw bytecode whatever it starts with\n"
            "  --helper ID  the device also offers firmware helper ID (0x%x and up)\n\n"
            "exit codes: 0 accepted, 1 rejected (or not a valid image), 2 usage error,\n"
            "3 file not readable\n",
            FC_HELPER_FIRMWARE_BASE);
}

int fc_cmd_verify(int argc, char **argv)
{
    const char *paths[64];
    int npaths = 0, raw = 0;
    uint32_t extra[FEMTO_HOST_EXTRA_MAX];
    unsigned nextra = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "--raw")) {
            raw = 1;
        } else if (!strcmp(argv[i], "--helper") && i + 1 < argc) {
            if (femto_helper_arg("verify", argv[++i], extra, &nextra) != 0)
                return FEMTO_EXIT_USAGE;
        } else if ((argv[i][0] == '-' && argv[i][1]) || npaths == 64) {
            fprintf(stderr, "femto verify: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        } else {
            paths[npaths++] = argv[i];
        }
    }
    if (npaths == 0) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }

    int rc = FEMTO_EXIT_IO;
    size_t len = 0;
    uint8_t *buf = femto_read_file(paths[0], &len);
    femto_host_t *h = calloc(1, sizeof *h);
    fc_link_out_t lo = { 0 };
    if (buf == NULL || h == NULL) {
        fprintf(stderr, "femto verify: cannot read %s: %s\n", paths[0], strerror(errno));
        goto out;
    }
    enum femto_kind kind = raw ? FEMTO_KIND_RAW : femto_kind_of(buf, len);
    if (npaths > 1 && kind != FEMTO_KIND_ELF) {
        fprintf(stderr, "femto verify: several files are linked only when they are ELF objects\n");
        rc = FEMTO_EXIT_USAGE;
        goto out;
    }
    rc = FEMTO_EXIT_FAIL;
    if (kind == FEMTO_KIND_ELF) {
        if (fc_link_mem(paths, npaths, FEMTO_HOST_STACK_MIN, &lo) != 0)
            goto out;
        free(buf);
        buf = lo.image;
        len = lo.len;
        lo.image = NULL;
    }
    int err = femto_host_open(h, NULL, extra, nextra);
    if (err != FC_OK) {
        fprintf(stderr, "femto verify: cannot set up the host runtime: %s\n", fc_strerror(err));
        goto out;
    }
    fc_image_t img;
    fc_verify_info_t info = { 0 };
    if (kind == FEMTO_KIND_RAW) {
        if (len == 0 || len % 8) {
            fprintf(stderr, "femto verify: %s: %zu bytes is not a whole number of 8-byte slots\n",
                    paths[0], len);
            goto out;
        }
        memset(&img, 0, sizeof img);
        img.text = buf;
        img.text_len = (uint32_t)len;
        img.nslots = (uint32_t)(len / 8);
        err = femto_host_load_code(h, buf, len, &info);
    } else {
        err = fc_image_parse(&img, buf, len);
        if (err != FC_OK) {
            fprintf(stderr, "femto verify: %s: not a valid image: %s\n", paths[0], fc_strerror(err));
            goto out;
        }
        err = femto_verdict_measure(h, &img, &info);
    }
    if (err == FC_OK) {
        if (kind == FEMTO_KIND_RAW) {
            printf("%s: ok: %" PRIu32 " slots (raw bytecode), ", paths[0], img.nslots);
            femto_verdict_needs(stdout, &info);
            putchar('\n');
        } else if (kind == FEMTO_KIND_IMAGE && femto_verdict_stack_short(stdout, paths[0], &img, &info)) {
            goto out; /* a device giving the image what it asks would overflow */
        } else {
            if (kind == FEMTO_KIND_ELF)
                img.stack_size = info.stack; /* objects ask for nothing: what femto build would record */
            femto_verdict_ok(stdout, paths[0], &img, &info);
        }
        rc = FEMTO_EXIT_OK;
        goto out;
    }
    femto_verdict_rejected(stdout, paths[0], &img, &info, err, kind == FEMTO_KIND_ELF ? &lo : NULL,
                           paths);
out:
    if (h != NULL)
        femto_host_close(h);
    free(h);
    fc_link_out_free(&lo);
    free(buf);
    return rc;
}
