/* SPDX-License-Identifier: Apache-2.0 */
/*
 * src/conformance/conformance.c (the suite's helpers) on RIOT, unchanged.
 * native64 builds with _GNU_SOURCE, whose <string.h> declares its own
 * memfrob(): the header comes first, then the suite's helper is renamed.
 */
#include <string.h>
#define memfrob fc_conformance_memfrob
#include "conformance.c"
