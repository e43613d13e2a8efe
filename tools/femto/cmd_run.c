/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto run: load an image as a container of a default tenant holding every
 * capability, over the POSIX port, run one entry once and print r0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "fc/helpers.h"
#include "fc/image.h"
#include "fc/isa.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"
#include "host.h"
#include "io.h"


static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto run X.img [--entry NAME] [--mem FILE] [--budget N]\n\n"
            "Run an image once on the host as a container of a default tenant holding every\n"
            "capability, with the standard helpers over the POSIX port (clock, log to stdout,\n"
            "random, no sensors). The container's log lines come first; the last line of stdout\n"
            "is the result: r0 = 0x<hex> (<signed decimal>).\n\n"
            "options:\n"
            "  --entry NAME   entry point to run (default: the first in the image's table)\n"
            "  --mem FILE     map FILE's bytes as the writable context: r1 = its address\n"
            "                 (region 4, offset 0), r2 = its length (default: none, r2 = 0)\n"
            "  --budget N     instruction budget: backward-jump slots and calls (default %u)\n\n"
            "exit codes: 0 ran, 1 rejected by the verifier or faulted (pc, instruction and\n"
            "cause on stderr), 2 usage error, 3 file not readable or not an image\n",
            FC_BUDGET_DEFAULT);
}

int fc_cmd_run(int argc, char **argv)
{
    const char *path = NULL, *entry = NULL, *mem_path = NULL;
    uint32_t budget = FC_BUDGET_DEFAULT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "--entry") && i + 1 < argc) {
            entry = argv[++i];
        } else if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
            mem_path = argv[++i];
        } else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long b = strtoull(argv[++i], &end, 0);
            if (errno || *end || end == argv[i] || b > UINT32_MAX) {
                fprintf(stderr, "femto run: bad budget '%s'\n", argv[i]);
                return FEMTO_EXIT_USAGE;
            }
            budget = (uint32_t)b;
        } else if (argv[i][0] == '-' || path != NULL) {
            fprintf(stderr, "femto run: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }

    int rc = FEMTO_EXIT_IO;
    size_t img_len = 0, mem_len = 0;
    uint8_t *img_buf = femto_read_file(path, &img_len), *mem = NULL;
    femto_host_t *h = calloc(1, sizeof *h);
    if (h == NULL || img_buf == NULL) {
        fprintf(stderr, "femto run: cannot read %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (mem_path != NULL) {
        mem = femto_read_file(mem_path, &mem_len);
        if (mem == NULL || mem_len > UINT32_MAX) {
            fprintf(stderr, "femto run: cannot read %s: %s\n", mem_path,
                    mem == NULL ? strerror(errno) : "larger than 4 GiB");
            goto out;
        }
    }
    fc_image_t img;
    int err = fc_image_parse(&img, img_buf, img_len);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: %s: not a valid image: %s\n", path, fc_strerror(err));
        goto out;
    }
    uint32_t pc;
    if (fc_image_entry(&img, entry, &pc) != FC_OK) {
        fprintf(stderr, "femto run: %s: no entry point '%s'\n", path, entry);
        rc = FEMTO_EXIT_USAGE;
        goto out;
    }
    err = femto_host_open(h, stdout, NULL, 0);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: cannot set up the host runtime: %s\n", fc_strerror(err));
        goto out;
    }
    rc = FEMTO_EXIT_FAIL;
    fc_verify_info_t info;
    err = femto_host_load(h, &img, &info);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: %s: rejected at pc %" PRIu32 ": %s (%s)\n  ", path, info.pc,
                info.reason ? info.reason : fc_strerror(err), fc_strerror(err));
        femto_host_print_insn(stderr, &img, info.pc);
        fprintf(stderr, "\n  (femto verify on the object shows the C line)\n");
        goto out;
    }
    h->c.vm.budget = budget;
    uint64_t r0 = 0;
    err = fc_container_run(&h->c, pc, mem, (uint32_t)mem_len, FC_MEM_READ | FC_MEM_WRITE, &r0);
    fflush(stdout);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: fault at pc %" PRIu32 ": ", h->c.vm.pc);
        femto_host_print_insn(stderr, &img, h->c.vm.pc);
        fprintf(stderr, "\n  cause: %s (%d)\n", fc_strerror(err), err);
        goto out;
    }
    printf("r0 = 0x%" PRIx64 " (%" PRId64 ")\n", r0, (int64_t)r0);
    rc = FEMTO_EXIT_OK;
out:
    if (h != NULL)
        femto_host_close(h);
    free(h);
    free(mem);
    free(img_buf);
    return rc;
}
