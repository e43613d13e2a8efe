/* SPDX-License-Identifier: Apache-2.0 */
/* femto link: BPF ELF objects to a container image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "link.h"

static void help(void)
{
    printf("usage: femto link X.o [more.o...] -o X.img [--stack N] [-g]\n\n"
           "Links BPF objects (clang -target bpf -c) into a container image\n"
           "(docs/image-format.md): code, read-only data, data and bss, every\n"
           "global function as an entry point, the helper ids the code calls.\n"
           "Addresses of data are resolved to virtual addresses now, so the\n"
           "device never patches the code.\n\n"
           "  -o FILE      the image to write (required)\n"
           "  --stack N    stack bytes the image asks for (default 512)\n"
           "  -g           embed a line table from the objects' DWARF (compiled with -g)\n\n"
           "exit: 0 linked, 1 something could not be linked (named on stderr), 2 usage\n");
}

int fc_cmd_link(int argc, char **argv)
{
    const char *out = NULL;
    const char *inputs[64];
    int n = 0;
    unsigned long stack = 512;
    unsigned flags = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--stack") && i + 1 < argc) {
            char *end;
            stack = strtoul(argv[++i], &end, 0);
            if (*end || stack > 65536) {
                fprintf(stderr, "femto link: bad --stack '%s'\n", argv[i]);
                return FEMTO_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "-g")) {
            flags |= FC_LINK_LINES;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "femto link: unknown option '%s' (see femto link --help)\n", argv[i]);
            return FEMTO_EXIT_USAGE;
        } else if (n < 64) {
            inputs[n++] = argv[i];
        }
    }
    if (out == NULL || n == 0) {
        fprintf(stderr, "femto link: need objects and -o OUT (see femto link --help)\n");
        return FEMTO_EXIT_USAGE;
    }
    return fc_link_flags(inputs, n, out, (uint32_t)stack, flags) == 0 ? FEMTO_EXIT_OK : FEMTO_EXIT_FAIL;
}
