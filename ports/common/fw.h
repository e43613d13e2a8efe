/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the shared firmware (ports/common) needs from a board
 * (ports/<board>/board.c), the port built on it, the console output and the
 * data generated at build time. Firmware-private: not part of include/fc.
 */
#ifndef FW_H
#define FW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fc/port.h"

/* ---- board (ports/<board>/board.c) ---- */

/** Board name printed in the banner. */
extern const char fw_board_name[];
/** Frequency of fw_board_ticks(), in Hz. */
extern const uint32_t fw_board_tick_hz;
/** Start the console and the free-running timer. */
void fw_board_init(void);
/** Write bytes to the console (UART). */
void fw_board_write(const char *s, size_t len);
/** Free-running 64-bit timer ticks since fw_board_init() (extended in software where needed). */
uint64_t fw_board_ticks(void);
/** Leave QEMU with @p status (0 pass) through the board's exit device. */
_Noreturn void fw_board_exit(int status);

/* ---- port (ports/common/port_board.c) ---- */

/** The runtime's port over the board: clock from the timer, log to the console, no lock. */
extern const fc_port_t fw_port;

/* ---- console (ports/common/out.c): no printf, so the firmware stays small ---- */

void fw_puts(const char *s);
void fw_put_u64(uint64_t v);
void fw_put_i64(int64_t v);
void fw_put_hex(uint64_t v);
/** Print "label value\n". */
void fw_kv(const char *label, uint64_t v);

/* ---- on-target checks (ports/common/out.c), shared by the test firmwares ---- */

/** Count one check and print "ok   what" or "FAIL what". */
void fw_check(bool ok, const char *what);
/** Print "checks: N passed, M failed" and the RESULT line; 0 when every check passed, else 1. */
int fw_result(void);

/* ---- hostile containers (ports/common/fw_hostile.c) ---- */

struct fc_tenant;
/** Run the hostile programs as containers of @p t; prints a line each, returns the failures. */
unsigned fw_hostile_run(struct fc_tenant *t);

/* ---- generated data ---- */

/** One bpf_conformance test: program, initial memory, expected r0. */
typedef struct {
    const char *name;
    const uint8_t *prog;
    uint32_t prog_len;
    const uint8_t *mem;
    uint32_t mem_len;
    uint64_t result;
} fw_conf_test_t;

extern const fw_conf_test_t fw_conf_tests[];
extern const unsigned fw_conf_ntests;

extern const uint8_t fw_img_fletcher32[];
extern const size_t fw_img_fletcher32_len;
extern const uint8_t fw_img_thread_counter[];
extern const size_t fw_img_thread_counter_len;
extern const uint8_t fw_fletcher_input[];
extern const size_t fw_fletcher_input_len;

/** bench/kernels/fletcher32.c compiled natively for the target (BENCH_NATIVE). */
uint64_t native_fletcher32(void *ctx, uint64_t len);

#endif /* FW_H */
