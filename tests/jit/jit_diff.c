/* SPDX-License-Identifier: Apache-2.0 */
#include "jit_diff.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/code_posix.h"
#include "fc/jit.h"
#include "fc/verify.h"

#define STACK 512

static int run_one(const uint8_t *prog, size_t len, uint8_t *mem, size_t mem_len, uint8_t *stack,
                   uint32_t budget, uint32_t entry, const fc_helper_table_t *helpers, int jit,
                   diff_result_t *res, size_t *jit_bytes)
{
    fc_region_t regions[FC_REGION_CTX] = {
        [FC_REGION_STACK - 1] = { stack, STACK, FC_MEM_READ | FC_MEM_WRITE },
        [FC_REGION_CTX - 1] = { mem_len ? mem : NULL, (uint32_t)mem_len, FC_MEM_READ | FC_MEM_WRITE },
    };
    fc_vm_t vm;
    if (fc_vm_init(&vm, prog, len, regions, FC_REGION_CTX, helpers) != FC_OK)
        return -1;
    if (fc_vm_verify(&vm, NULL) != FC_OK)
        return -1;
    vm.budget = budget;
    const void *code = NULL;
    if (jit) {
        int err = fc_code_posix_jit(&vm, &code, jit_bytes);
        if (err != FC_OK) {
            fprintf(stderr, "JIT setup: %s\n", fc_strerror(err));
            return 2;
        }
        if (!(vm.verified & FC_VERIFIED_JIT))
            return 2;
    }
    memset(res, 0, sizeof *res);
    res->rc = fc_vm_run(&vm, entry, mem_len ? FC_VADDR(FC_REGION_CTX, 0) : 0, mem_len, &res->r0);
    res->pc = vm.pc;
    res->left = vm.left;
    if (res->rc != FC_OK)
        res->r0 = 0;
    fc_code_posix_free(NULL, code);
    return 0;
}

static int diff_at(const uint8_t *prog, size_t len, const uint8_t *mem, size_t mem_len, uint32_t budget,
                   uint32_t entry, const fc_helper_table_t *helpers, diff_result_t *interp, char *why,
                   size_t why_len, size_t *jit_bytes)
{
    uint8_t *m[2], s[2][STACK];
    diff_result_t r[2];
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        m[k] = malloc(mem_len ? mem_len : 1);
        if (mem_len)
            memcpy(m[k], mem, mem_len);
        memset(s[k], 0, STACK);
    }
    for (int k = 0; k < 2 && rc == 0; k++)
        rc = run_one(prog, len, m[k], mem_len, s[k], budget, entry, helpers, k, &r[k], k ? jit_bytes : NULL);
    if (rc == 0) {
        if (interp != NULL)
            *interp = r[0];
        if (r[0].rc != r[1].rc || r[0].r0 != r[1].r0 || r[0].pc != r[1].pc || r[0].left != r[1].left) {
            snprintf(why, why_len,
                     "interpreter rc %d r0 0x%" PRIx64 " pc %" PRIu32 " left %" PRIu32
                     ", JIT rc %d r0 0x%" PRIx64 " pc %" PRIu32 " left %" PRIu32,
                     r[0].rc, r[0].r0, r[0].pc, r[0].left, r[1].rc, r[1].r0, r[1].pc, r[1].left);
            rc = 1;
        } else if (mem_len && memcmp(m[0], m[1], mem_len) != 0) {
            snprintf(why, why_len, "final memory differs");
            rc = 1;
        } else if (memcmp(s[0], s[1], STACK) != 0) {
            snprintf(why, why_len, "final stack differs");
            rc = 1;
        }
    } else if (rc == 2)
        snprintf(why, why_len, "the JIT could not compile or enable it");
    free(m[0]);
    free(m[1]);
    return rc;
}

int jit_diff(const uint8_t *prog, size_t len, const uint8_t *mem, size_t mem_len, uint32_t budget,
             const fc_helper_table_t *helpers, diff_result_t *interp, char *why, size_t why_len,
             size_t *jit_bytes)
{
    return diff_at(prog, len, mem, mem_len, budget, 0, helpers, interp, why, why_len, jit_bytes);
}

int jit_diff_at(const uint8_t *prog, size_t len, const uint8_t *mem, size_t mem_len, uint32_t budget,
                uint32_t entry, const fc_helper_table_t *helpers, char *why, size_t why_len)
{
    return diff_at(prog, len, mem, mem_len, budget, entry, helpers, NULL, why, why_len, NULL);
}

int jit_diff_budgets(uint32_t used, uint32_t *out, int cap)
{
    const uint32_t fixed[] = { 0, 1, 2, 3, 5, 8, 13, 40, 100 };
    int n = 0;
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0] && n < cap; k++)
        if (fixed[k] < used)
            out[n++] = fixed[k];
    if (used > 0 && n < cap)
        out[n++] = used - 1;
    if (n < cap)
        out[n++] = used;
    return n;
}

/* hex bytes separated by blanks, up to the end of the line */
static int hex_bytes(const char *t, uint8_t *out, size_t cap, size_t *n)
{
    *n = 0;
    for (;;) {
        char *e;
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t == '\0' || *t == '\n' || *t == '\r')
            return 0;
        char two[3] = { t[0], t[1], 0 };
        unsigned long v = strtoul(two, &e, 16);
        if (e != two + 2 || *n >= cap)
            return -1;
        out[(*n)++] = (uint8_t)v;
        t += 2;
    }
}

int jit_read_test(const char *path, uint8_t *prog, size_t *plen, uint8_t *mem, size_t *mlen,
                  size_t cap, uint64_t *want)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    static char text[1 << 18];
    int have_prog = 0, have_result = 0, bad = 0;
    *mlen = 0;
    while (fgets(text, sizeof text, f) != NULL) {
        if (strncmp(text, "program ", 8) == 0) {
            have_prog = 1;
            bad |= hex_bytes(text + 8, prog, cap, plen);
        } else if (strncmp(text, "memory ", 7) == 0)
            bad |= hex_bytes(text + 7, mem, cap, mlen);
        else if (strncmp(text, "result ", 7) == 0)
            have_result = sscanf(text + 7, "%" SCNx64, want) == 1;
    }
    fclose(f);
    return have_prog && have_result && !bad ? 0 : -1;
}
