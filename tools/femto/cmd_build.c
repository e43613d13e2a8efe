/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build: C to a container image in one command: clang -target bpf
 * -O2 with the SDK on the include path, then the linker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "link.h"

static void help(void)
{
    printf("usage: femto build X.c [more.c...] -o X.img [-I DIR] [-D NAME[=VAL]] [--keep-obj] [--stack N]\n\n"
           "Compiles each C file with clang -target bpf -O2 -mcpu=v3 -g, the SDK\n"
           "(femto/femto.h, femto/helpers.h) on the include path, and links the\n"
           "objects into one image. Globals, string literals, const tables,\n"
           "static functions (local calls) and switch statements all work.\n\n"
           "  -o FILE      the image to write (required)\n"
           "  -I DIR, -D X passed to clang\n"
           "  --keep-obj   keep the objects next to the image (X.img.N.o), for debug info\n"
           "  --stack N    stack bytes the image asks for (default 512)\n"
           "  CLANG env    the compiler to run (default clang)\n\n"
           "exit: 0 built, 1 compile or link error (on stderr), 2 usage\n");
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

static int run(char *const *args)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(args[0], args);
        fprintf(stderr, "femto build: cannot run %s\n", args[0]);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int fc_cmd_build(int argc, char **argv)
{
    const char *out = NULL, *srcs[64], *flags[64];
    int nsrc = 0, nflags = 0, keep = 0;
    const char *stack = "512";

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            help();
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--keep-obj")) {
            keep = 1;
        } else if (!strcmp(argv[i], "--stack") && i + 1 < argc) {
            stack = argv[++i];
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

    char objs[64][4096];
    const char *objp[64];
    char inc[4096];
    snprintf(inc, sizeof inc, "-I%s", sdk_dir());
    const char *clang = getenv("CLANG") ? getenv("CLANG") : "clang";
    int rc = FEMTO_EXIT_OK;
    for (int i = 0; i < nsrc; i++) {
        snprintf(objs[i], sizeof objs[i], "%s.%d.o", out, i);
        objp[i] = objs[i];
        const char *args[96];
        int a = 0;
        args[a++] = clang;
        args[a++] = "-target";
        args[a++] = "bpf";
        args[a++] = "-O2";
        args[a++] = "-mcpu=v3";
        args[a++] = "-g";
        args[a++] = "-ffreestanding";
        args[a++] = "-fno-builtin";
        args[a++] = "-Wall";
        args[a++] = inc;
        for (int f = 0; f < nflags; f++)
            args[a++] = flags[f];
        args[a++] = "-c";
        args[a++] = srcs[i];
        args[a++] = "-o";
        args[a++] = objs[i];
        args[a] = NULL;
        if (run((char *const *)args) != 0) {
            fprintf(stderr, "femto build: compiling %s failed\n", srcs[i]);
            rc = FEMTO_EXIT_FAIL;
            nsrc = i;
            break;
        }
    }
    if (rc == FEMTO_EXIT_OK) {
        char *end;
        unsigned long st = strtoul(stack, &end, 0);
        if (*end || st > 65536) {
            fprintf(stderr, "femto build: bad --stack '%s'\n", stack);
            rc = FEMTO_EXIT_USAGE;
        } else if (fc_link(objp, nsrc, out, (uint32_t)st) != 0) {
            rc = FEMTO_EXIT_FAIL;
        }
    }
    if (!keep)
        for (int i = 0; i < nsrc; i++)
            unlink(objs[i]);
    return rc;
}
