/* SPDX-License-Identifier: Apache-2.0 */
/* File input shared by the subcommands. */
#ifndef FEMTO_IO_H
#define FEMTO_IO_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read a whole file ("-" is standard input) into a malloc'd buffer.
 * Returns the buffer (free() it; never NULL on success, even when empty)
 * and its length in *len, or NULL with errno set.
 */
uint8_t *femto_read_file(const char *path, size_t *len);

/* What a file holds, judged by its first bytes. */
enum femto_kind { FEMTO_KIND_RAW, FEMTO_KIND_IMAGE, FEMTO_KIND_ELF };
enum femto_kind femto_kind_of(const uint8_t *buf, size_t len);

#endif /* FEMTO_IO_H */
