/* SPDX-License-Identifier: Apache-2.0 */
/* ports/common/fw_hostile.c (the hostile containers) on RIOT, unchanged. */
#include "fw_hostile.c"
