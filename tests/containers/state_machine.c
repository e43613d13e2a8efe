/* SPDX-License-Identifier: Apache-2.0 */
/* A line-protocol parser as a state machine ("SET k v", "ADD k v", "GET k"
 * lines made from the input bytes), with a hysteresis filter on the values. */
#include <femto/femto.h>
#include <stdbool.h>

enum state { IDLE, VERB, KEY, VALUE, SKIP };
enum verb { V_NONE, V_SET, V_ADD, V_GET };

static int32_t regs[8];

typedef struct {
    bool high;
    int32_t on, off;
    uint32_t flips;
} hysteresis_t;

static void feed(hysteresis_t *h, int32_t v)
{
    if (!h->high && v > h->on) {
        h->high = true;
        h->flips++;
    } else if (h->high && v < h->off) {
        h->high = false;
        h->flips++;
    }
}

FC_ENTRY(run) uint64_t run(const uint8_t *ctx, uint64_t len)
{
    static const char alphabet[] = "SETADDGET 0123456789-\n";
    enum state st = IDLE;
    enum verb verb = V_NONE;
    char vb[3] = { 0, 0, 0 };
    unsigned nvb = 0, key = 0;
    int32_t value = 0;
    bool neg = false;
    uint64_t gets = 0, errors = 0;
    hysteresis_t h = { false, 50, -50, 0 };
    for (uint64_t i = 0; i <= len; i++) {
        uint8_t b = i == len ? '\n' : ctx[i];
        char c = b == '\n' || (b >= ' ' && b < 127) ? (char)b : alphabet[b % (sizeof alphabet - 1)];
        switch (st) {
        case IDLE:
            if (c >= 'A' && c <= 'Z') {
                vb[0] = c;
                nvb = 1;
                st = VERB;
            } else if (c != '\n' && c != ' ') {
                errors++;
                st = SKIP;
            }
            break;
        case VERB:
            if (c == ' ' && nvb == 3) {
                verb = vb[0] == 'S' && vb[1] == 'E' && vb[2] == 'T'   ? V_SET
                       : vb[0] == 'A' && vb[1] == 'D' && vb[2] == 'D' ? V_ADD
                       : vb[0] == 'G' && vb[1] == 'E' && vb[2] == 'T' ? V_GET
                                                                      : V_NONE;
                st = verb == V_NONE ? SKIP : KEY;
                key = 0;
            } else if (c >= 'A' && c <= 'Z' && nvb < 3) {
                vb[nvb++] = c;
            } else {
                errors++;
                st = c == '\n' ? IDLE : SKIP;
            }
            break;
        case KEY:
            if (c >= '0' && c <= '9') {
                key = (key * 10 + (unsigned)(c - '0')) % 8;
            } else if (c == ' ' && verb != V_GET) {
                value = 0;
                neg = false;
                st = VALUE;
            } else if (c == '\n' && verb == V_GET) {
                gets = gets * 7 + (uint64_t)(uint32_t)regs[key];
                st = IDLE;
            } else {
                errors++;
                st = c == '\n' ? IDLE : SKIP;
            }
            break;
        case VALUE:
            if (c == '-' && value == 0) {
                neg = true;
            } else if (c >= '0' && c <= '9') {
                value = (value * 10 + (c - '0')) % 100000;
            } else if (c == '\n') {
                int32_t v = neg ? -value : value;
                regs[key] = verb == V_SET ? v : regs[key] + v;
                feed(&h, regs[key]);
                st = IDLE;
            } else {
                errors++;
                st = SKIP;
            }
            break;
        case SKIP:
            if (c == '\n')
                st = IDLE;
            break;
        }
    }
    uint64_t acc = gets ^ errors << 48 ^ (uint64_t)h.flips << 40;
    for (int i = 0; i < 8; i++)
        acc = acc * 1000003u + (uint64_t)(uint32_t)regs[i];
    return acc;
}
