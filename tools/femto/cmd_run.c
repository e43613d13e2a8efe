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

#define RUN_STACK_MIN   512u
#define RUN_GLOBAL_CAP  256u
#define RUN_POOL_CAP    1024u
#define RUN_LOCAL_CAP   256u

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

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void print_insn(FILE *out, const fc_image_t *img, uint32_t pc)
{
    if (pc >= img->nslots) {
        fprintf(out, "(outside the code)");
        return;
    }
    /* hex bytes until tools/femto/disasm.h exists, then fc_disasm_insn() */
    const uint8_t *p = img->text + 8u * pc;
    for (int i = 0; i < 8; i++)
        fprintf(out, "%s%02x", i ? " " : "", p[i]);
    fc_insn_t insn = fc_insn_decode(p);
    if (insn.op == FC_OP_CALL && insn.src == FC_CALL_HELPER) {
        const char *name = fc_helper_name((uint32_t)insn.imm);
        fprintf(out, "  (call %s)", name != NULL ? name : "?");
    }
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
    uint8_t *img_buf = read_file(path, &img_len), *mem = NULL, *ram = NULL, *stack = NULL;
    fc_store_entry_t *store = NULL;
    fc_port_posix_t pst;
    fc_port_t port;
    int have_port = 0;
    if (img_buf == NULL) {
        fprintf(stderr, "femto run: cannot read %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (mem_path != NULL) {
        mem = read_file(mem_path, &mem_len);
        if (mem == NULL || mem_len > UINT32_MAX) {
            fprintf(stderr, "femto run: cannot read %s: %s\n", mem_path, strerror(errno));
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

    size_t stack_len = img.stack_size > RUN_STACK_MIN ? img.stack_size : RUN_STACK_MIN;
    size_t ram_len = fc_image_ram_size(&img);
    ram = calloc(1, ram_len ? ram_len : 1);
    stack = calloc(1, stack_len);
    store = calloc(RUN_GLOBAL_CAP + RUN_POOL_CAP + RUN_LOCAL_CAP, sizeof *store);
    if (ram == NULL || stack == NULL || store == NULL) {
        fprintf(stderr, "femto run: out of memory\n");
        goto out;
    }
    if (fc_port_posix_init(&pst, &port, stdout, NULL, 0) != FC_OK) {
        fprintf(stderr, "femto run: cannot set up the POSIX port\n");
        goto out;
    }
    have_port = 1;
    static fc_rt_t rt;
    static fc_tenant_t tenant;
    static fc_container_t c;
    fc_verify_info_t info;
    rc = FEMTO_EXIT_FAIL;
    if (fc_rt_init(&rt, &port, store, RUN_GLOBAL_CAP, store + RUN_GLOBAL_CAP, RUN_POOL_CAP, NULL) !=
            FC_OK ||
        fc_tenant_add(&rt, &tenant, 1, "default", UINT32_MAX, RUN_POOL_CAP) != FC_OK) {
        fprintf(stderr, "femto run: cannot set up the runtime\n");
        goto out;
    }
    err = fc_container_load(&c, &tenant, &img, ram, ram_len, stack, stack_len,
                            store + RUN_GLOBAL_CAP + RUN_POOL_CAP, RUN_LOCAL_CAP, &info);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: %s: rejected at pc %" PRIu32 ": %s (%s)\n  ", path, info.pc,
                info.reason, fc_strerror(err));
        print_insn(stderr, &img, info.pc);
        fputc('\n', stderr);
        goto out;
    }
    c.vm.budget = budget;
    uint64_t r0 = 0;
    err = fc_container_run(&c, pc, mem, (uint32_t)mem_len, FC_MEM_READ | FC_MEM_WRITE, &r0);
    fflush(stdout);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: fault at pc %" PRIu32 ": ", c.vm.pc);
        print_insn(stderr, &img, c.vm.pc);
        fprintf(stderr, "\n  cause: %s (%d)\n", fc_strerror(err), err);
        goto out;
    }
    printf("r0 = 0x%" PRIx64 " (%" PRId64 ")\n", r0, (int64_t)r0);
    rc = FEMTO_EXIT_OK;
out:
    if (have_port)
        fc_port_posix_fini(&pst);
    free(store);
    free(stack);
    free(ram);
    free(mem);
    free(img_buf);
    return rc;
}
