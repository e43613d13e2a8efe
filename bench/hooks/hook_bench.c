/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cost of firing a hook, for callgrind: `hook_bench MODE N` fires a hook
 * N times with collection switched on only around the fire calls, so the
 * instruction count callgrind reports divided by N is the cost of one fire.
 * Modes: empty (nothing attached), trivial (one container: r0 = 0; exit),
 * counter (the thread counter, hand-assembled: two store helper calls).
 * Run bench/hooks/run.sh rather than this directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "fc/hook.h"
#include "fc/isa.h"
#include "fc/runtime.h"

static void emit(uint8_t *p, uint8_t op, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    fc_insn_encode(p, (fc_insn_t){ op, dst, src, off, imm });
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hook_bench empty|trivial|counter N\n");
        return 2;
    }
    long n = atol(argv[2]);
    static fc_port_null_t pst;
    static fc_port_t port;
    static fc_rt_t rt;
    static fc_store_entry_t pool[64];
    static fc_tenant_t t;
    static fc_hook_t h;
    static fc_container_t c;
    static uint8_t code[16 * 8], stack[512];
    size_t len = 0;
    fc_port_null_init(&pst, &port, NULL, 0, NULL, 0);
    if (fc_rt_init(&rt, &port, NULL, 0, pool, 64, NULL) != FC_OK ||
        fc_tenant_add(&rt, &t, 1, "bench", FC_CAP_STANDARD, 64) != FC_OK ||
        fc_hook_init(&h, &rt, "sched", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_STANDARD, 1000) != FC_OK)
        return 1;
    if (!strcmp(argv[1], "trivial")) {
        emit(code, 0xb7, 0, 0, 0, 0); /* r0 = 0 */
        emit(code + 8, 0x95, 0, 0, 0, 0);
        len = 16;
    } else if (!strcmp(argv[1], "counter")) {
        const fc_insn_t p[] = {
            { 0x61, 6, 1, 4, 0 },   /* r6 = ctx->next */
            { 0x7a, 10, 0, -8, 0 }, /* *(u64 *)(r10 - 8) = 0 */
            { 0xbf, 1, 6, 0, 0 },   { 0xbf, 2, 10, 0, 0 },  { 0x07, 2, 0, 0, -8 },
            { 0x85, 0, 0, 0, FC_HELPER_STORE_GET_TENANT },
            { 0x79, 2, 10, -8, 0 }, { 0x07, 2, 0, 0, 1 },   { 0xbf, 1, 6, 0, 0 },
            { 0x85, 0, 0, 0, FC_HELPER_STORE_PUT_TENANT },  { 0x95, 0, 0, 0, 0 },
        };
        for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
            fc_insn_encode(code + 8 * i, p[i]);
        len = 8 * (sizeof p / sizeof p[0]);
    } else if (strcmp(argv[1], "empty") != 0) {
        return 2;
    }
    if (len != 0) {
        if (fc_container_load_code(&c, &t, code, len, NULL, 0, stack, sizeof stack, NULL, 0,
                                   NULL) != FC_OK ||
            fc_hook_attach(&h, &c, 0, 0, NULL) != FC_OK)
            return 1;
    }
    uint32_t ctx[2] = { 1, 2 };
    fc_hook_result_t res;
    long ran = 0;
    /* one fire outside the measurement warms nothing in callgrind but keeps first-call paths out */
    fc_hook_fire(&h, ctx, sizeof ctx, &res);
    for (long i = 0; i < n; i++) {
        CALLGRIND_TOGGLE_COLLECT;
        int r = fc_hook_fire(&h, ctx, sizeof ctx, &res);
        CALLGRIND_TOGGLE_COLLECT;
        ran += r;
    }
    printf("%s: %ld fires, %ld container runs\n", argv[1], n, ran);
    return 0;
}
