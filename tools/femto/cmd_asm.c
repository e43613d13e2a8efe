/* SPDX-License-Identifier: Apache-2.0 */
/* femto asm: llvm-objdump-style text to raw bytecode. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asm.h"
#include "cmds.h"
#include "io.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto asm [-o OUT | --hex] FILE.s\n\n"
            "Assemble FILE.s ('-' for standard input), written in the syntax llvm-objdump -d\n"
            "prints for BPF, into raw bytecode (8 bytes per instruction, little-endian).\n"
            "The output of 'femto disasm' and of 'llvm-objdump -d' is accepted as it is:\n"
            "slot numbers, raw bytes, '<func>:' lines and headers are skipped.\n"
            "One instruction per line; comments start with ';', '#' or '//'; labels are\n"
            "'name:'; jumps and local calls take a label or +N/-N. Syntax: docs/asm.md.\n\n"
            "options:\n"
            "  -o OUT   write the bytecode to OUT (default: standard output, which must not\n"
            "           be a terminal)\n"
            "  --hex    write the bytes as hex text on one line instead (\"b7 00 00 ...\")\n"
            "  --help   this text\n\n"
            "exit codes: 0 ok, 1 the text has an error (FILE:LINE: message on stderr),\n"
            "2 usage error, 3 I/O error\n");
}

int fc_cmd_asm(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    bool hex = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "-o")) {
            if (++i == argc) {
                fprintf(stderr, "femto asm: -o needs a file name\n");
                return FEMTO_EXIT_USAGE;
            }
            out = argv[i];
        } else if (!strcmp(argv[i], "--hex")) {
            hex = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "femto asm: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        } else if (in) {
            fprintf(stderr, "femto asm: one input FILE only\n");
            return FEMTO_EXIT_USAGE;
        } else {
            in = argv[i];
        }
    }
    if (!in) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    if (!out && !hex && isatty(STDOUT_FILENO)) {
        fprintf(stderr, "femto asm: not writing bytecode to a terminal: use -o OUT, --hex or a pipe\n");
        return FEMTO_EXIT_USAGE;
    }
    size_t len;
    char *text = (char *)femto_read_file(in, &len);
    if (!text) {
        fprintf(stderr, "femto asm: cannot read %s\n", in);
        return FEMTO_EXIT_IO;
    }
    uint8_t *code;
    size_t n;
    fc_asm_err_t err;
    int rc = fc_asm(text, len, &code, &n, &err);
    free(text);
    if (rc != 0) {
        fprintf(stderr, "%s:%d: error: %s\n", strcmp(in, "-") ? in : "<stdin>", err.line, err.msg);
        return FEMTO_EXIT_FAIL;
    }
    FILE *f = out ? fopen(out, hex ? "w" : "wb") : stdout;
    if (!f) {
        fprintf(stderr, "femto asm: cannot write %s\n", out);
        free(code);
        return FEMTO_EXIT_IO;
    }
    bool ok = true;
    if (hex) {
        for (size_t i = 0; i < n; i++)
            fprintf(f, i ? " %02x" : "%02x", code[i]);
        fputc('\n', f);
    } else if (n) {
        ok = fwrite(code, 1, n, f) == n;
    }
    free(code);
    if (f == stdout)
        ok = fflush(f) == 0 && ok;
    else
        ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "femto asm: cannot write %s\n", out ? out : "standard output");
        if (out)
            remove(out);
        return FEMTO_EXIT_IO;
    }
    return FEMTO_EXIT_OK;
}
