/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The board interface of ports/common/fw.h over RIOT: console = stdio,
 * ticks = ztimer64 microseconds. The instruction counts fw_tests.c derives
 * from ticks assume QEMU -icount and mean nothing here; only its pass/fail
 * checks count.
 */
#include <stdlib.h>

#include "fw.h"
#include "stdio_base.h"
#include "ztimer64.h"

const char fw_board_name[] = RIOT_BOARD " (RIOT)";
const uint32_t fw_board_tick_hz = 1000000u;

void fw_board_init(void)
{
}

void fw_board_write(const char *s, size_t len)
{
    stdio_write(s, len);
}

uint64_t fw_board_ticks(void)
{
    return ztimer64_now(ZTIMER64_USEC);
}

_Noreturn void fw_board_exit(int status)
{
    exit(status);
}
