/* SPDX-License-Identifier: Apache-2.0 */
/* femto: the container author's command. Dispatches to cmd_<name>.c. */
#include <stdio.h>
#include <string.h>

#include "cmd_device.h"
#include "cmds.h"
#include "fc/version.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "build",  fc_cmd_build,  "compile C or C++ with clang-19, link and verify an image" },
    { "link",   fc_cmd_link,   "link a BPF ELF object into an image" },
    { "asm",    fc_cmd_asm,    "assemble llvm-objdump-style text into raw bytecode" },
    { "disasm", fc_cmd_disasm, "disassemble an image, an ELF object or raw bytecode" },
    { "verify", fc_cmd_verify, "run the verifier and explain a rejection" },
    { "run",    fc_cmd_run,    "run an image on the host with the standard helpers" },
    { "info",   fc_cmd_info,   "show an image's header, sections, entries, needs" },
    { "plugin", fc_cmd_plugin, "bpf_conformance plugin: hex program on stdin" },
    { "keygen", fc_cmd_keygen, "make an Ed25519 key pair for signing" },
    { "sign",   fc_cmd_sign,   "wrap an image in a signed COSE_Sign1 envelope" },
    { "push",   fc_cmd_push,   "upload a signed envelope to a device over CoAP" },
    { "device", fc_cmd_device, "list, inspect, read the logs of, remove containers on a device" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: femto COMMAND [ARGS...]\n\n"
                 "Build, inspect, run, sign and deploy femto-containers.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-7s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'femto COMMAND --help' describes one command; 'femto --version' the version.\n"
                 "exit codes: 0 ok, 1 failed (rejected, faulted, refused), "
                 "2 usage error, 3 I/O error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return FEMTO_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("femto %s\n", FC_VERSION_STRING);
        return FEMTO_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "femto: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return FEMTO_EXIT_USAGE;
}
