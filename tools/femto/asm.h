/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assembler: llvm-objdump-style BPF text to bytecode, the inverse of
 * fc_disasm_insn(). One instruction per line; llvm-objdump -d output is
 * accepted as it is (addresses, raw bytes, "<func>:" lines and headers are
 * skipped). Labels "name:" and jump targets by name or +N/-N. Full syntax:
 * docs/asm.md.
 */
#ifndef FEMTO_ASM_H
#define FEMTO_ASM_H

#include <stddef.h>
#include <stdint.h>

/* Where and why assembly stopped. */
typedef struct {
    int line;       /* 1-based line of the error, 0 when there is none */
    char msg[200];  /* what is wrong, with the offending text */
} fc_asm_err_t;

/*
 * Assemble text (len bytes, need not be NUL-terminated).
 *
 * On success *out is a malloc'd buffer of *out_len bytes (8 per slot; free()
 * it; NULL when the text holds no instruction) and the return is 0. On the
 * first error the return is -1, *out is NULL and err (when not NULL) tells
 * the line and the reason.
 */
int fc_asm(const char *text, size_t len, uint8_t **out, size_t *out_len, fc_asm_err_t *err);

#endif /* FEMTO_ASM_H */
