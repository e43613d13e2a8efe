/* SPDX-License-Identifier: Apache-2.0 */
/* The linker behind `femto link` and `femto build`. */
#ifndef FEMTO_LINK_H
#define FEMTO_LINK_H

#include <stdint.h>

/*
 * Link BPF ELF objects into one container image written to output.
 * stack is the stack size recorded in the image. Returns 0, or -1 after
 * printing what could not be linked (symbol and section) on stderr.
 */
int fc_link(const char *const *inputs, int ninputs, const char *output, uint32_t stack);

#endif /* FEMTO_LINK_H */
