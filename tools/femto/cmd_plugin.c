/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto plugin: the bpf_conformance plugin contract. The program arrives as
 * hex on stdin, the input memory as hex in argv; r0 is printed in hex.
 * Anything wrong (garbage, rejection, fault) is a message on stderr and a
 * non-zero exit, never a crash.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "fc/conformance.h"
#include "fc/isa.h"
#include "hex.h"

#define MAX_PROGRAM (FC_PROGRAM_SLOTS_MAX * FC_INSN_SIZE)
#define MAX_TEXT (3 * MAX_PROGRAM + 4096)

static void help(void)
{
    printf("usage: femto plugin [MEMORY_HEX] [OPTIONS...]\n\n"
           "Implements the bpf_conformance plugin contract: reads the program as hex\n"
           "bytes from stdin, gives it MEMORY_HEX as input memory (r1 its address, r2\n"
           "its length), a 512-byte stack and the suite's helpers 0..5, verifies and\n"
           "runs it, and prints r0 in hex. Options (arguments starting with '-') are\n"
           "accepted and ignored, as the contract allows.\n\n"
           "exit: 0 ran, 1 rejected or faulted (reason on stderr), 2 bad input\n");
}

int fc_cmd_plugin(int argc, char **argv)
{
    const char *memhex = NULL;
    static char text[MAX_TEXT];
    static uint8_t prog[MAX_PROGRAM];
    uint8_t *mem = NULL;
    long memlen = 0, plen;
    size_t tlen;
    int rc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            return FEMTO_EXIT_OK;
        }
        if (argv[i][0] != '-' && memhex == NULL)
            memhex = argv[i];
    }
    if (memhex != NULL) {
        size_t l = strlen(memhex);
        mem = malloc(l / 2 + 1);
        if (mem == NULL) {
            fprintf(stderr, "femto plugin: out of memory\n");
            return FEMTO_EXIT_IO;
        }
        memlen = fc_hex_parse(memhex, l, mem, l / 2 + 1);
        if (memlen < 0) {
            fprintf(stderr, "femto plugin: memory argument is not hex bytes\n");
            free(mem);
            return FEMTO_EXIT_USAGE;
        }
    }
    tlen = fread(text, 1, sizeof text, stdin);
    if (tlen == sizeof text) {
        fprintf(stderr, "femto plugin: program too large\n");
        free(mem);
        return FEMTO_EXIT_USAGE;
    }
    plen = fc_hex_parse(text, tlen, prog, sizeof prog);
    if (plen < 0) {
        fprintf(stderr, "femto plugin: program on stdin is not hex bytes\n");
        free(mem);
        return FEMTO_EXIT_USAGE;
    }

    uint64_t r0 = 0;
    fc_verify_info_t info;
    rc = fc_conformance_run(prog, (size_t)plen, memlen ? mem : NULL, (size_t)memlen, &r0, &info);
    free(mem);
    if (rc != FC_OK) {
        fprintf(stderr, "femto plugin: %s at instruction %" PRIu32 ": %s\n",
                fc_strerror(rc), info.pc, info.reason);
        return FEMTO_EXIT_FAIL;
    }
    printf("%" PRIx64 "\n", r0);
    return FEMTO_EXIT_OK;
}
