/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A state machine: a lexer over the input bytes (mapped to a small
 * alphabet) with states for numbers, words, strings and escapes; counts the
 * tokens of each kind and the transitions, as a protocol decoder would.
 */
#include "kernel.h"

enum { IDLE, NUM, WORD, STR, ESC };

KERNEL(statemachine)
{
    const uint8_t *p = (const uint8_t *)ctx;
    uint32_t state = IDLE, nums = 0, words = 0, strs = 0, escs = 0, trans = 0;
    for (uint64_t i = 0; i < len; i++) {
        uint32_t c = p[i] % 7; /* 0-1 digit, 2-3 letter, 4 quote, 5 backslash, 6 space */
        uint32_t next = state;
        switch (state) {
        case IDLE:
            next = c < 2 ? NUM : c < 4 ? WORD : c == 4 ? STR : IDLE;
            break;
        case NUM:
            if (c >= 2) { nums++; next = c < 4 ? WORD : c == 4 ? STR : IDLE; }
            break;
        case WORD:
            if (c >= 4) { words++; next = c == 4 ? STR : IDLE; }
            break;
        case STR:
            next = c == 4 ? (strs++, IDLE) : c == 5 ? ESC : STR;
            break;
        default: /* ESC */
            escs++;
            next = STR;
            break;
        }
        trans += next != state;
        state = next;
    }
    return (uint64_t)nums | (uint64_t)words << 16 | (uint64_t)strs << 32 | (uint64_t)escs << 44 | (uint64_t)trans << 52;
}
