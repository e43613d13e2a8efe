/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU sim machine, Xtensa lx106 (the ESP8266's core): console and exit
 * through semihosting (QEMU's -semihosting, the simcall instruction: a2 the
 * call, a3..a5 its arguments), the CCOUNT cycle counter as the clock.
 * Under -icount shift=0 CCOUNT runs at the core's configured 40 MHz of
 * virtual time, one tick per 25 guest instructions.
 */
#include <stdint.h>

#include "fw.h"

#define SYS_EXIT  1u
#define SYS_WRITE 4u

const char fw_board_name[] = "QEMU sim (Xtensa lx106)";
const uint32_t fw_board_tick_hz = 40000000u;

static uint32_t simcall(uint32_t call, uint32_t a, uint32_t b, uint32_t c)
{
    register uint32_t a2 __asm__("a2") = call;
    register uint32_t a3 __asm__("a3") = a;
    register uint32_t a4 __asm__("a4") = b;
    register uint32_t a5 __asm__("a5") = c;
    __asm__ volatile("simcall" : "+r"(a2), "+r"(a3) : "r"(a4), "r"(a5) : "memory");
    return a2;
}

static uint32_t ccount(void)
{
    uint32_t v;
    __asm__ volatile("rsr.ccount %0" : "=r"(v));
    return v;
}

void fw_board_init(void)
{
    (void)fw_board_ticks();
}

void fw_board_write(const char *s, size_t len)
{
    while (len > 0) {
        uint32_t n = simcall(SYS_WRITE, 1u, (uint32_t)(uintptr_t)s, (uint32_t)len);
        /* -1 (an error) or 0: nothing more will get out, do not spin */
        if (n == 0 || n > len)
            return;
        s += n;
        len -= n;
    }
}

uint64_t fw_board_ticks(void)
{
    /* CCOUNT is 32 bits and wraps every 107 s at 40 MHz: accumulate the distance moved */
    static uint32_t last;
    static uint64_t total;
    uint32_t now = ccount();
    total += (uint32_t)(now - last);
    last = now;
    return total;
}

_Noreturn void fw_board_exit(int status)
{
    (void)simcall(SYS_EXIT, (uint32_t)status, 0, 0);
    for (;;)
        ;
}

/* ---- exceptions (start.S's vectors): any is a failed run ---- */

void fw_exception(uint32_t vector);

void fw_exception(uint32_t vector)
{
    uint32_t cause, epc, depc, vaddr;
    __asm__ volatile("rsr.exccause %0" : "=r"(cause));
    __asm__ volatile("rsr.epc1 %0" : "=r"(epc));
    __asm__ volatile("rsr.depc %0" : "=r"(depc));
    __asm__ volatile("rsr.excvaddr %0" : "=r"(vaddr));
    fw_puts("FAIL: exception, vector ");
    fw_put_u64(vector);
    fw_puts(" exccause ");
    fw_put_u64(cause);
    fw_puts(" epc1 ");
    fw_put_hex(epc);
    fw_puts(" depc ");
    fw_put_hex(depc);
    fw_puts(" excvaddr ");
    fw_put_hex(vaddr);
    fw_puts("\n");
    fw_board_exit(3);
}
