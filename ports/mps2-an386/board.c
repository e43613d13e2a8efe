/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU mps2-an386 (Cortex-M4): vector table, reset, CMSDK UART0 console,
 * CMSDK timer0 as the clock, exit through semihosting.
 */
#include <stdint.h>
#include <string.h>

#include "fw.h"

#define REG(addr) (*(volatile uint32_t *)(addr))

/* CMSDK APB UART0 */
#define UART0_DATA     REG(0x40004000u)
#define UART0_STATE    REG(0x40004004u)
#define UART0_CTRL     REG(0x40004008u)
#define UART0_BAUDDIV  REG(0x40004010u)
#define UART_STATE_TXF 1u
#define UART_CTRL_TXEN 1u

/* CMSDK APB timer0: a 32-bit down counter on the 25 MHz peripheral clock */
#define TIMER0_CTRL   REG(0x40000000u)
#define TIMER0_VALUE  REG(0x40000004u)
#define TIMER0_RELOAD REG(0x40000008u)

const char fw_board_name[] = "mps2-an386 (Cortex-M4)";
const uint32_t fw_board_tick_hz = 25000000u;

void fw_board_init(void)
{
    UART0_BAUDDIV = 16;
    UART0_CTRL = UART_CTRL_TXEN;
    TIMER0_CTRL = 0;
    TIMER0_RELOAD = 0xffffffffu;
    TIMER0_VALUE = 0xffffffffu;
    TIMER0_CTRL = 1;
}

void fw_board_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (UART0_STATE & UART_STATE_TXF)
            ;
        UART0_DATA = (uint8_t)s[i];
    }
}

uint64_t fw_board_ticks(void)
{
    /* the counter counts down and wraps every 171 s: accumulate the distance moved */
    static uint32_t last = 0xffffffffu;
    static uint64_t total;
    uint32_t now = TIMER0_VALUE;
    total += (uint32_t)(last - now);
    last = now;
    return total;
}

_Noreturn void fw_board_exit(int status)
{
    /* SYS_EXIT_EXTENDED: reason ADP_Stopped_ApplicationExit, subcode = exit status */
    uint32_t block[2] = { 0x20026u, (uint32_t)status };
    register uint32_t r0 __asm__("r0") = 0x20u;
    register uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    for (;;)
        ;
}

/* ---- startup ---- */

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[],
    __stack_top[];
int main(void);
void fw_reset(void);
void fw_fault(void);

void fw_reset(void)
{
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
    fw_board_exit(main());
}

void fw_fault(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    fw_puts("FAIL: fault, exception ");
    fw_put_u64(ipsr & 0x1ffu);
    fw_puts("\n");
    fw_board_exit(3);
}

/* initial SP, reset, then NMI..SysTick all reporting a fault */
__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)__stack_top,
    fw_reset,
    fw_fault, fw_fault, fw_fault, fw_fault, fw_fault, 0, 0, 0, 0,
    fw_fault, fw_fault, 0, fw_fault, fw_fault,
};
