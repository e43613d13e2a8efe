/* SPDX-License-Identifier: Apache-2.0 */
/*
 * C source lines of BPF code, from an object's DWARF line table. The table
 * is read through llvm-objdump -d -l (LLVM_OBJDUMP to choose the binary),
 * which applies the object's relocations to .debug_line, so every code
 * section of a relocatable object maps right.
 */
#ifndef FEMTO_SRCLINE_H
#define FEMTO_SRCLINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write "file:line" of the instruction at slot of section in object obj to
 * buf. Returns 0, or -1 when the object has no line for it (built without
 * -g, or llvm-objdump is missing).
 */
int femto_srcline(const char *obj, const char *section, uint32_t slot, char *buf, size_t buflen);

/* Called per instruction: its slot in the section and "file:line" ("" when none). */
typedef int (*femto_srcline_fn)(uint32_t slot, const char *row, void *arg);

/*
 * Walk the line rows of every instruction of section in obj (stops when fn
 * returns nonzero). Returns 0 when llvm-objdump listed it, -1 otherwise.
 */
int femto_srclines(const char *obj, const char *section, femto_srcline_fn fn, void *arg);

#endif /* FEMTO_SRCLINE_H */
