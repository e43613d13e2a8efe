/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs every bpf_conformance test file of a folder through the VM (the
 * dispatch variant this binary is linked with) and prints the count.
 * callx is the one test expected to be rejected: the verifier refuses calls
 * through a register by design, and this runner checks that it says so.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/conformance.h"

#define MAXBYTES 65536

static long parse_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*s) {
        unsigned v;
        int used;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\n' || *s == '\0')
            break;
        if (sscanf(s, "%2x%n", &v, &used) != 1 || used != 2 || n >= cap)
            return -1;
        out[n++] = (uint8_t)v;
        s += used;
    }
    return (long)n;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    static uint8_t prog[MAXBYTES], mem[MAXBYTES];
    static char line[4 * MAXBYTES];
    char *names[1024];
    size_t nnames = 0;
    int pass = 0, fail = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CONFORMANCE_TESTS_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (d == NULL) {
        perror(argv[1]);
        return 2;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL && nnames < 1024;) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".test"))
            names[nnames++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, nnames, sizeof names[0], cmp_name);

    for (size_t t = 0; t < nnames; t++) {
        char path[4096];
        long plen = -1, mlen = 0;
        uint64_t want = 0, got = 0;
        int has_result = 0;
        snprintf(path, sizeof path, "%s/%s", argv[1], names[t]);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            perror(path);
            fail++;
            continue;
        }
        while (fgets(line, sizeof line, f)) {
            if (!strncmp(line, "program ", 8))
                plen = parse_hex(line + 8, prog, sizeof prog);
            else if (!strncmp(line, "memory ", 7))
                mlen = parse_hex(line + 7, mem, sizeof mem);
            else if (!strncmp(line, "result ", 7))
                has_result = sscanf(line + 7, "%" SCNx64, &want) == 1;
        }
        fclose(f);
        if (plen < 0 || mlen < 0 || !has_result) {
            printf("FAIL %s: unreadable test file\n", names[t]);
            fail++;
            continue;
        }
        fc_verify_info_t info;
        static uint8_t fast[MAXBYTES], mem2[MAXBYTES];
        uint64_t got2 = 0;
        memcpy(mem2, mem, (size_t)mlen);
        int rc = fc_conformance_run(prog, (size_t)plen, mlen ? mem : NULL, (size_t)mlen, &got, &info);
        /* the specialised copy must agree with the raw code on every test */
        int rc2 = fc_conformance_run_ex(prog, (size_t)plen, mlen ? mem2 : NULL, (size_t)mlen,
                                        fast, sizeof fast, &got2, NULL);
        if (FC_SPECIALISE && rc == FC_OK && (rc2 != rc || got2 != got)) {
            fail++;
            printf("FAIL %s: specialised run gave %d/0x%" PRIx64 ", raw %d/0x%" PRIx64 "\n",
                   names[t], rc2, got2, rc, got);
            continue;
        }
        if (!strcmp(names[t], "callx.test")) {
            if (rc == FC_ERR_CALL) {
                pass++;
                printf("ok   %s: rejected as designed (%s)\n", names[t], info.reason);
            } else {
                fail++;
                printf("FAIL %s: expected the verifier to reject callx, got %d\n", names[t], rc);
            }
        } else if (rc != FC_OK) {
            fail++;
            printf("FAIL %s: %s at %" PRIu32 ": %s\n", names[t], fc_strerror(rc), info.pc, info.reason);
        } else if (got != want) {
            fail++;
            printf("FAIL %s: r0 = 0x%" PRIx64 ", want 0x%" PRIx64 "\n", names[t], got, want);
        } else {
            pass++;
        }
        free(names[t]);
    }
    printf("conformance (%s interpreter): %d/%zu\n",
           FC_COMPACT ? "compact" : FC_COMPUTED_GOTO ? "computed-goto" : "switch", pass, nnames);
    printf("%d passed, %d failed\n", pass, fail);
    return fail == 0 && pass > 0 ? 0 : 1;
}
