/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Disassembler: one eBPF instruction to text, in the syntax llvm-objdump -d
 * of LLVM 19 prints for BPF (hexadecimal immediates and offsets, targets
 * named "<symbol+0xoffset>"), cpu v4 included. Full syntax: docs/asm.md.
 *
 * Every encoding prints as text that fc_asm() turns back into the same
 * bytes: an encoding with no canonical form (unknown opcode, register above
 * r10, a field that the instruction does not use set to nonzero) prints as
 * ".8byte 0x<slot as a little-endian u64>".
 *
 * Used by femto disasm, and by femto verify / femto run to show the rejected
 * or faulting instruction:
 *
 *     char text[FC_DISASM_MAX];
 *     fc_disasm_insn(code, nslots, pc, text, sizeof text);
 */
#ifndef FEMTO_DISASM_H
#define FEMTO_DISASM_H

#include <stddef.h>
#include <stdint.h>

/* A buffer this large always holds a whole line, address, bytes and labels
 * included (labels are cut to fit). */
#define FC_DISASM_MAX 256

/* fc_disasm_opts_t.flags */
#define FC_DISASM_ADDR  0x1u /* prefix "%8zu:\t", the slot index as llvm-objdump */
#define FC_DISASM_BYTES 0x2u /* then the slot's bytes (16 for LDDW) and a tab */

/*
 * Names for slots, so that jump and local call targets print as
 * "goto +0x3 <f+0x18>" like llvm-objdump 19: returns the name of the last
 * symbol at or before slot and sets *delta to slot minus its slot (0: the
 * target is the symbol), or NULL for none; slot may lie outside the code.
 */
typedef const char *(*fc_disasm_label_fn)(void *ctx, long slot, long *delta);

typedef struct {
    unsigned flags;           /* FC_DISASM_* */
    fc_disasm_label_fn label; /* NULL: no target names */
    void *ctx;                /* passed to label */
} fc_disasm_opts_t;

/*
 * Disassemble the instruction at slot pc of code (nslots 8-byte slots).
 *
 * buf receives the text, NUL-terminated and cut to buflen - 1 characters
 * (FC_DISASM_MAX is always enough); buf may be NULL when buflen is 0.
 * Returns the slots the instruction takes (1, or 2 for LDDW), or 0 when pc
 * is not below nslots or code is NULL (buf then holds "").
 */
int fc_disasm_insn(const uint8_t *code, size_t nslots, size_t pc, char *buf, size_t buflen);

/* The same, with options (opts may be NULL: plain text, no labels). */
int fc_disasm_insn_ex(const uint8_t *code, size_t nslots, size_t pc,
                      const fc_disasm_opts_t *opts, char *buf, size_t buflen);

#endif /* FEMTO_DISASM_H */
