/* SPDX-License-Identifier: Apache-2.0 */
/* Differential runs for the JIT tests: one program through the interpreter and through the JIT. */
#ifndef JIT_DIFF_H
#define JIT_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "fc/vm.h"

/* What one engine's run gave. */
typedef struct {
    int rc;
    uint64_t r0;
    uint32_t pc, left;
} diff_result_t;

/*
 * Run prog (as the conformance suite does: r1 = the memory's address, r2 its
 * length, a 512-byte stack, the given helpers) with budget, through the raw
 * interpreter and through the JIT, each on its own copy of mem and stack.
 * Returns 0 when both agree on the result, fault code, pc, budget left and
 * final memory and stack; 1 when they differ (why says how); -1 when the
 * program is not verified (nothing ran); 2 when the JIT could not be set up.
 * jit_bytes (may be NULL) gets the compiled size.
 */
int jit_diff(const uint8_t *prog, size_t len, const uint8_t *mem, size_t mem_len, uint32_t budget,
             const fc_helper_table_t *helpers, diff_result_t *interp, char *why, size_t why_len,
             size_t *jit_bytes);

/* The same from slot entry (any slot: entries that are not valid fail alike). */
int jit_diff_at(const uint8_t *prog, size_t len, const uint8_t *mem, size_t mem_len, uint32_t budget,
                uint32_t entry, const fc_helper_table_t *helpers, char *why, size_t why_len);

/* Budgets worth trying around a run that used `used` units: the faults at every boundary. */
int jit_diff_budgets(uint32_t used, uint32_t *out, int cap);

/*
 * Read a bpf_conformance .test file: its program, memory and expected
 * result (cap bytes each at most). 0, or -1 when unreadable or malformed.
 */
int jit_read_test(const char *path, uint8_t *prog, size_t *plen, uint8_t *mem, size_t *mlen,
                  size_t cap, uint64_t *want);

#endif
