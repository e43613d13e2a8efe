/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The board's fault path, checked: this firmware executes an illegal
 * instruction, so it must end in the board's fault or trap handler, which
 * prints a "FAIL: ..." line and exits 3 (scripts/qemu-tests.sh requires
 * both). A board whose vectors, exception mode or stack were set up wrong
 * would hang, reset or exit 0 instead, and every test firmware's "exit 3 on
 * a fault" would be an untested promise.
 */
#include "fw.h"

int main(void);

int main(void)
{
    fw_board_init();
    fw_puts("fault firmware: executing an illegal instruction\n");
#if defined(__arm__)
    __asm__ volatile("udf #0");
#elif defined(__XTENSA__)
    __asm__ volatile("ill");
#else
    __asm__ volatile("unimp");
#endif
    fw_puts("fault firmware: still running after it\n");
    return 0;
}
