/* SPDX-License-Identifier: Apache-2.0 */
/* ports/common/out.c (the firmwares' console output) on RIOT, unchanged. */
#include "out.c"
