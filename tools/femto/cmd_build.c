/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build: C (or C++) to a container image in one command: clang-19
 * -target bpf -O2 -mcpu=v4 with the SDK on the include path (build_cc.c),
 * the linker, then the verifier, whose measured stack goes into the image
 * (build_c.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_c.h"
#include "build_rust.h"
#include "cmds.h"
#include "fc/helper_ids.h"
#include "host.h"
#include "link.h"
#include "verdict.h"

static void help(void)
{
    printf("usage: femto build X.c [more.c|.cpp...] -o X.img [-I DIR] [-D NAME[=VAL]] [-O2|-Os|...]\n"
           "                  [--helper ID]... [--stack N] [--no-verify] [--keep-obj] [-g]\n\n"
           "Compiles each file with clang-19 -target bpf -O2 -mcpu=v4 -g -ffreestanding, the\n"
           "SDK on the include path (femto/femto.h, string.h, stdint.h, stddef.h, stdbool.h,\n"
           "limits.h; no host headers), links the objects into one image, runs the verifier\n"
           "as a device offering the standard helpers would and records in the image the\n"
           "stack the deepest chain of local calls needs. C++ files (.cpp .cc .cxx) get\n"
           "-fno-exceptions -fno-rtti. What a container cannot have (floats, variadic\n"
           "functions, function pointers, a frame over 512 B, 128-bit maths) is refused\n"
           "with one line: the C file and line and what to write instead.\n\n"
           "  -o FILE        the image to write (required)\n"
           "  -I DIR, -D X, -U X, -std=X, -W...  passed to clang\n"
           "  -O0 -O1 -O2 -O3 -Os -Oz            optimisation (default -O2)\n"
           "  --cc CLANG     the compiler (default: $CLANG, else clang-19)\n"
           "  --mcpu vN      the BPF ISA level, v1..v4 (default v4)\n"
           "  --helper ID    the device also offers firmware helper ID (0x%x and up)\n"
           "  --stack N      stack bytes the image asks for (default: what the verifier measures)\n"
           "  --no-verify    skip the verifier (the image then asks for --stack, default 512)\n"
           "  --keep-obj     keep the objects next to the image (X.img.N.o), for debug info\n"
           "  -g             embed a line table: run/verify/femtod name the source line of a slot\n"
           "  CRATE_DIR      instead of C files: a Rust crate (Cargo.toml) built with the\n"
           "                 Debian toolchain and sdk/rust (docs/femto.md)\n\n"
           "On success prints 'X.img: N slots, stack S B (...), call depth D'.\n"
           "exit: 0 built, 1 compile, link or verify error (on stderr), 2 usage\n",
           FC_HELPER_FIRMWARE_BASE);
}

/* FEMTO_SDK, else the SDK installed beside this executable (<bindir>/
 * FC_INSTALL_SDK_REL), else the source tree's (a build-tree femto). */
static const char *sdk_dir(void)
{
    static char installed[2048];
    struct stat st;
    if (getenv("FEMTO_SDK"))
        return getenv("FEMTO_SDK");
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            int w = snprintf(installed, sizeof installed, "%s/%s", exe, FC_INSTALL_SDK_REL);
            char probe[2100];
            snprintf(probe, sizeof probe, "%s/femto/femto.h", installed);
            if (w > 0 && (size_t)w < sizeof installed && stat(probe, &st) == 0)
                return installed;
        }
    }
    return FC_SDK_DIR;
}

int fc_cmd_build(int argc, char **argv)
{
    const char *out = NULL, *srcs[64], *flags[64];
    int nsrc = 0, nflags = 0, keep = 0, lines = 0, verify = 1;
    const char *stack = NULL, *cpu = "v4", *opt = "-O2";
    const char *clang = getenv("CLANG") ? getenv("CLANG") : "clang-19";
    uint32_t helpers[FEMTO_HOST_EXTRA_MAX];
    unsigned nhelpers = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--keep-obj")) {
            keep = 1;
        } else if (!strcmp(argv[i], "-g")) {
            lines = 1; /* the image carries a line table: faults name the source line */
        } else if (!strcmp(argv[i], "--stack") && i + 1 < argc) {
            stack = argv[++i];
        } else if (!strcmp(argv[i], "--no-verify")) {
            verify = 0;
        } else if (!strcmp(argv[i], "--cc") && i + 1 < argc) {
            clang = argv[++i];
        } else if (!strcmp(argv[i], "--mcpu") && i + 1 < argc) {
            cpu = argv[++i];
            if (strcmp(cpu, "v1") && strcmp(cpu, "v2") && strcmp(cpu, "v3") && strcmp(cpu, "v4")) {
                fprintf(stderr, "femto build: bad --mcpu '%s' (v1, v2, v3 or v4)\n", cpu);
                return FEMTO_EXIT_USAGE;
            }
        } else if (!strncmp(argv[i], "-O", 2) && strlen(argv[i]) == 3 && strchr("0123sz", argv[i][2])) {
            opt = argv[i];
        } else if (!strcmp(argv[i], "--helper") && i + 1 < argc) {
            if (femto_helper_arg("build", argv[++i], helpers, &nhelpers) != 0)
                return FEMTO_EXIT_USAGE;
        } else if (!strcmp(argv[i], "-U") && i + 1 < argc && nflags < 62) {
            flags[nflags++] = argv[i];
            flags[nflags++] = argv[++i];
        } else if ((!strncmp(argv[i], "-U", 2) || !strncmp(argv[i], "-std=", 5) ||
                    (!strncmp(argv[i], "-W", 2) && strncmp(argv[i], "-Wl,", 4))) && nflags < 63) {
            flags[nflags++] = argv[i];
        } else if ((!strcmp(argv[i], "-I") || !strcmp(argv[i], "-D")) && i + 1 < argc && nflags < 62) {
            flags[nflags++] = argv[i];
            flags[nflags++] = argv[++i];
        } else if ((!strncmp(argv[i], "-I", 2) || !strncmp(argv[i], "-D", 2)) && nflags < 63) {
            flags[nflags++] = argv[i];
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "femto build: unknown option '%s' (see femto build --help)\n", argv[i]);
            return FEMTO_EXIT_USAGE;
        } else if (nsrc < 64) {
            srcs[nsrc++] = argv[i];
        }
    }
    if (out == NULL || nsrc == 0) {
        fprintf(stderr, "femto build: need C files and -o OUT (see femto build --help)\n");
        return FEMTO_EXIT_USAGE;
    }
    long st = -1;
    if (stack != NULL) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(stack, &end, 0);
        if (errno || *end || end == stack || v > 65536) {
            fprintf(stderr, "femto build: bad --stack '%s' (0..65536)\n", stack);
            return FEMTO_EXIT_USAGE;
        }
        st = (long)v;
    }
    if (nsrc == 1 && femto_is_crate(srcs[0])) /* a Rust crate: build_rust.c */
        return femto_build_rust(srcs[0], out, st < 0 ? 0 : (uint32_t)st, keep, lines) == 0
                   ? FEMTO_EXIT_OK
                   : FEMTO_EXIT_FAIL;

    femto_build_c_t b = {
        .cc = { .clang = clang, .cpu = cpu, .opt = opt, .sdk = sdk_dir(), .flags = flags, .nflags = nflags },
        .srcs = srcs, .nsrc = nsrc, .out = out, .keep = keep, .verify = verify, .stack = st,
        .link_flags = lines ? FC_LINK_LINES : 0, .helpers = helpers, .nhelpers = nhelpers,
    };
    return femto_build_c(&b);
}
