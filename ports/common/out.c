/* SPDX-License-Identifier: Apache-2.0 */
/* Console output without printf: newlib's and picolibc's printf would dwarf the runtime. */
#include <string.h>

#include "fw.h"

void fw_puts(const char *s)
{
    fw_board_write(s, strlen(s));
}

void fw_put_u64(uint64_t v)
{
    char buf[21];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    fw_board_write(buf + i, sizeof buf - i);
}

void fw_put_i64(int64_t v)
{
    if (v < 0) {
        fw_board_write("-", 1);
        fw_put_u64((uint64_t)0 - (uint64_t)v);
    } else {
        fw_put_u64((uint64_t)v);
    }
}

void fw_put_hex(uint64_t v)
{
    char buf[18];
    size_t i = sizeof buf;
    do {
        buf[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v != 0);
    buf[--i] = 'x';
    buf[--i] = '0';
    fw_board_write(buf + i, sizeof buf - i);
}

void fw_kv(const char *label, uint64_t v)
{
    fw_puts(label);
    fw_puts(" ");
    fw_put_u64(v);
    fw_puts("\n");
}

static unsigned passes, failures;

void fw_check(bool ok, const char *what)
{
    if (ok)
        passes++;
    else
        failures++;
    fw_puts(ok ? "ok   " : "FAIL ");
    fw_puts(what);
    fw_puts("\n");
}

int fw_result(void)
{
    fw_puts("checks: ");
    fw_put_u64(passes);
    fw_puts(" passed, ");
    fw_put_u64(failures);
    fw_puts(" failed\n");
    fw_puts(failures == 0 ? "RESULT: PASS\n" : "RESULT: FAIL\n");
    return failures == 0 ? 0 : 1;
}
