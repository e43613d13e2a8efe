/* SPDX-License-Identifier: Apache-2.0 */
/* Hex text to bytes, for the plugin and tests' data files. */
#ifndef FEMTO_HEX_H
#define FEMTO_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse hex bytes separated by optional whitespace ("b7 00 .." or "b700..").
 * Writes at most cap bytes to out. Returns the byte count, or -1 on a
 * non-hex character, an odd digit count, or more than cap bytes.
 */
long fc_hex_parse(const char *text, size_t len, uint8_t *out, size_t cap);

#endif /* FEMTO_HEX_H */
