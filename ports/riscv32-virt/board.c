/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU virt, 32-bit (RV32IMAC, -bios none, machine mode): NS16550A UART
 * console, CLINT mtime (10 MHz) as the clock, exit through the sifive_test
 * ("virt test") device.
 */
#include <stdint.h>

#include "fw.h"

#define UART0     ((volatile uint8_t *)0x10000000u)
#define UART_THR  0
#define UART_LSR  5
#define LSR_THRE  0x20u
#define MTIME_LO  (*(volatile uint32_t *)0x0200bff8u)
#define MTIME_HI  (*(volatile uint32_t *)0x0200bffcu)
#define TEST_DEV  (*(volatile uint32_t *)0x00100000u)
#define TEST_PASS 0x5555u
#define TEST_FAIL 0x3333u

const char fw_board_name[] = "virt rv32 (RV32IMAC)";
const uint32_t fw_board_tick_hz = 10000000u;

static uint64_t t0;

static uint64_t mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return (uint64_t)hi << 32 | lo;
}

void fw_board_init(void)
{
    t0 = mtime();
}

void fw_board_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(UART0[UART_LSR] & LSR_THRE))
            ;
        UART0[UART_THR] = (uint8_t)s[i];
    }
}

uint64_t fw_board_ticks(void)
{
    return mtime() - t0;
}

_Noreturn void fw_board_exit(int status)
{
    TEST_DEV = status == 0 ? TEST_PASS : ((uint32_t)status << 16 | TEST_FAIL);
    for (;;)
        ;
}

/* ---- trap: any exception is a failed run ---- */

void fw_trap(void);

void fw_trap(void)
{
    uint32_t cause, epc;
    /* zicsr is enabled locally: -march=rv32imac selects picolibc's multilib */
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, mcause\n.option pop"
                     : "=r"(cause));
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, mepc\n.option pop"
                     : "=r"(epc));
    fw_puts("FAIL: trap, mcause ");
    fw_put_hex(cause);
    fw_puts(" mepc ");
    fw_put_hex(epc);
    fw_puts("\n");
    fw_board_exit(3);
}
