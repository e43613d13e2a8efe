/* SPDX-License-Identifier: Apache-2.0 */
/* The linker behind `femto link` and `femto build`. */
#ifndef FEMTO_LINK_H
#define FEMTO_LINK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Link BPF ELF objects into one container image written to output.
 * stack is the stack size recorded in the image. Returns 0, or -1 after
 * printing what could not be linked (symbol and section) on stderr.
 */
int fc_link(const char *const *inputs, int ninputs, const char *output, uint32_t stack);

/* fc_link flag: embed a line table (image slot to source file and line) read from
 * the objects' DWARF (they must be compiled with -g; read with llvm-objdump). */
#define FC_LINK_LINES 1u

/* fc_link() with FC_LINK_* flags. */
int fc_link_flags(const char *const *inputs, int ninputs, const char *output, uint32_t stack,
                  unsigned flags);

/*
 * Check what libelf takes on trust: every section with contents lies inside
 * the file (file_len bytes) and tables have their standard entry sizes.
 * Returns NULL when sane, else a constant description of the first problem.
 */
struct Elf;
const char *fc_link_elf_problem(struct Elf *elf, size_t file_len);

/* Where one code section of one input landed in the image's code. */
typedef struct {
    int input;        /* index into inputs */
    char section[64]; /* its ELF section name (cut to fit) */
    uint32_t slot;    /* its first slot in the image's code */
    uint32_t nslots;  /* its length in slots */
} fc_link_piece_t;

/* An image linked in memory, and where its code came from. */
typedef struct {
    uint8_t *image;          /* malloc'd image bytes */
    size_t len;              /* their count */
    fc_link_piece_t *pieces; /* malloc'd, in slot order */
    size_t npieces;
} fc_link_out_t;

/* fc_link() into memory; free the result with fc_link_out_free(). */
int fc_link_mem(const char *const *inputs, int ninputs, uint32_t stack, fc_link_out_t *out);
int fc_link_mem_flags(const char *const *inputs, int ninputs, uint32_t stack, unsigned flags,
                      fc_link_out_t *out);
void fc_link_out_free(fc_link_out_t *out);

#endif /* FEMTO_LINK_H */
