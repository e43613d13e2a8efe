/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generated differential test of the specialised forms: random programs
 * built from the shapes fc_vm_specialise() fuses (3-operand pairs, counter
 * steps and copies, loop tails, loads feeding an add or xor, sum += *p++,
 * table addresses, indexed loads, ALU pairs, backward jumps, r10 and
 * register loads and stores) run raw and specialised; result, fault, fault
 * slot, budget left and every byte of context, data and stack must agree.
 * Built with FC_COUNT_INSNS=1, it also counts the opcodes the specialised
 * runs dispatch and fails, naming them, if any specialised form
 * (FC_SOPS in vm_internal.h) was never executed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/fc.h"
#include "vm_internal.h"

#define NPROG  20000
#define SLOTS  96
#define BUDGET 1500

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static fc_insn_t prog[SLOTS];
static uint32_t np;
static void put(uint8_t op, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    if (np < SLOTS)
        prog[np++] = (fc_insn_t){ op, dst, src, off, imm };
}

/* registers the snippets may write: r0, r2..r9 (r1 stays the context's address most of the time) */
static uint8_t reg_w(void) { uint8_t r = (uint8_t)rnd(9); return r == 1 ? 0 : r; }
static uint8_t reg_r(void) { return (uint8_t)rnd(10); }
static int32_t small(void) { return (int32_t)rnd(17) - 8; }

static const uint8_t alu_ops[] = { 0x00, 0x10, 0x20, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0 };

static void snippet(void)
{
    uint8_t d = reg_w(), e = reg_w(), s = reg_r(), t = reg_r();
    uint8_t w64 = rnd(2) ? FC_CLS_ALU64 : FC_CLS_ALU, op = alu_ops[rnd(sizeof alu_ops)];
    int16_t o = (int16_t)(rnd(15) * 4);
    uint8_t sz = (uint8_t)(rnd(4) << 3), ld = (uint8_t)(FC_CLS_LDX | FC_MODE_MEM | sz);
    switch (rnd(14)) {
    case 0: put((uint8_t)(w64 | op | FC_SRC_X), d, s, 0, 0); break;
    case 1: put((uint8_t)(w64 | op), d, 0, 0, op == 0x60 || op == 0x70 || op == 0xc0 ? (int32_t)rnd(40) : small()); break;
    case 2: /* d = s; d op= t (or K) */
        put((uint8_t)(w64 | FC_ALU_MOV | FC_SRC_X), d, s, 0, 0);
        if (rnd(2))
            put((uint8_t)(w64 | op | FC_SRC_X), d, t, 0, 0);
        else
            put((uint8_t)(w64 | op), d, 0, 0, (int32_t)rnd(20));
        break;
    case 3: /* d += K; e = s */
        put((uint8_t)(w64 | FC_ALU_ADD), d, 0, 0, small());
        put((uint8_t)((rnd(2) ? FC_CLS_ALU64 : FC_CLS_ALU) | FC_ALU_MOV | FC_SRC_X), e, s, 0, 0);
        break;
    case 4: /* a load through r1 (the context) or r10, maybe feeding a 32-bit add or xor */
        if (rnd(3))
            put(ld, d, 1, o, 0);
        else
            put(ld, d, 10, (int16_t)(-8 - 8 * (int16_t)rnd(8)), 0);
        if (rnd(3))
            put((uint8_t)(FC_CLS_ALU | (rnd(2) ? FC_ALU_ADD : FC_ALU_XOR) | FC_SRC_X), e, d, 0, 0);
        break;
    case 5: /* sum += *p++ with p = r1 */
        put(0x69, d, 1, (int16_t)(rnd(8) * 2), 0);
        put((uint8_t)(FC_CLS_ALU | FC_ALU_ADD | FC_SRC_X), e, d, 0, 0);
        if (d != e)
            put(0x07, 1, 0, 0, 2);
        break;
    case 6: { /* stores through r1 and r10, immediate and register */
        int r10 = (int)rnd(2);
        int16_t so = r10 ? (int16_t)(-8 * (1 + (int16_t)rnd(8))) : o;
        if (rnd(2))
            put((uint8_t)(FC_CLS_STX | FC_MODE_MEM | sz), r10 ? 10 : 1, s, so, 0);
        else
            put((uint8_t)(FC_CLS_ST | FC_MODE_MEM | sz), r10 ? 10 : 1, 0, so, small());
        break;
    }
    case 7: /* d = K64 (a context address); d += s, then a load */
        put(FC_OP_LDDW, d, 0, 0, (int32_t)rnd(16));
        put(0, 0, 0, 0, FC_REGION_CTX);
        put(0x0f, d, s == d ? 0 : s, 0, 0);
        break;
    case 8: /* d = s + t; e = load [d + off] */
        put(0xbf, d, 1, 0, 0);
        put(0x0f, d, t == d ? 0 : t, 0, 0);
        put((uint8_t)(FC_CLS_LDX | FC_MODE_MEM | (uint8_t)(rnd(3) << 3)), e, d, (int16_t)rnd(8), 0);
        break;
    case 9: /* ALU pairs: a = b; c += d / a *= b; c += d / w_a *= K; w_c += w_d */
        switch (rnd(3)) {
        case 0: put(0xbf, d, s, 0, 0); put(0x0f, e == d ? (uint8_t)((e + 1) % 10) : e, t, 0, 0); break;
        case 1: put(0x2f, d, s, 0, 0); put(0x0f, e, t, 0, 0); break;
        default: put(0x24, d, 0, 0, small()); put(0x0c, e, t, 0, 0); break;
        }
        break;
    case 10: /* a forward conditional jump over one or two slots, K or X, 64 or 32 bits */
        put((uint8_t)((rnd(2) ? FC_CLS_JMP : FC_CLS_JMP32) | (uint8_t)((1 + rnd(13)) << 4) | (rnd(2) ? FC_SRC_X : 0)),
            d, 0, (int16_t)(1 + rnd(2)), small());
        if (prog[np - 1].op & FC_SRC_X) { prog[np - 1].src = s; prog[np - 1].imm = 0; }
        if ((prog[np - 1].op & 0xf0) == FC_JMP_CALL || (prog[np - 1].op & 0xf0) == FC_JMP_EXIT)
            prog[np - 1].op = (uint8_t)((prog[np - 1].op & 0x0f) | FC_JMP_JEQ);
        put(0x07, e, 0, 0, 1);
        put(0x07, e, 0, 0, 2);
        break;
    default: /* a byte, half, word or double load through a random register: mostly faults */
        put(ld, d, s, o, 0);
        break;
    }
}

/* A loop: counter c, a body, then one of the tails fc_vm_specialise() turns into a loop tail. */
static void loop(void)
{
    uint8_t c = (uint8_t)(6 + rnd(4)), e = reg_w(), s = reg_r(), lim = (uint8_t)(6 + rnd(4));
    if (e == c) e = 0;
    if (lim == c) lim = (uint8_t)(c == 9 ? 6 : c + 1);
    put(0xb7, c, 0, 0, 0);
    put(0xb7, lim, 0, 0, (int32_t)(2 + rnd(12)));
    uint32_t top = np;
    for (uint32_t k = rnd(3); k > 0; k--)
        snippet();
    /* the body must not clobber the counter or the limit */
    for (uint32_t k = top; k < np; k++)
        if (prog[k].dst == c || prog[k].dst == lim) prog[k].dst = 0;
    static const uint8_t jk[] = { 0x55, 0xa5, 0xb5, 0x25, 0x35, 0xc5, 0x65, 0x56, 0xa6, 0xb6, 0x26, 0x36, 0xc6, 0x66 };
    switch (rnd(4)) {
    case 0: /* c += K; e = s (mov64 or mov32); backward jump testing c, K or X */
        put(rnd(2) ? 0x07 : 0x04, c, 0, 0, 1);
        put(rnd(2) ? 0xbf : 0xbc, e, s, 0, 0);
        break;
    case 1:
        put(0x07, c, 0, 0, 1);
        break;
    default:
        put(rnd(2) ? 0x07 : 0x04, c, 0, 0, rnd(4) ? 1 : -1);
        break;
    }
    int16_t back = (int16_t)((int32_t)top - (int32_t)np - 1);
    uint8_t j = rnd(2) ? jk[rnd(sizeof jk)] : (uint8_t)(jk[rnd(sizeof jk)] | FC_SRC_X);
    if (rnd(6) == 0)
        put(0x05, 0, 0, back, 0); /* ja back: runs to the budget */
    else if (j & FC_SRC_X)
        put(j, c, lim, back, 0);
    else
        put(j, c, 0, back, (int32_t)(2 + rnd(12)));
}

static uint8_t code[SLOTS * 8], fast[SLOTS * 8];
static uint8_t ctx0[64], data0[64];
static uint64_t stack[512 / 8];

typedef struct {
    int err;
    uint32_t pc, left;
    uint64_t r0;
    uint8_t ctx[64], data[64], stack[512];
} outcome_t;

static void run(fc_vm_t *vm, outcome_t *o)
{
    fc_region_t *r = vm->regions;
    memcpy(r[FC_REGION_CTX - 1].host, ctx0, sizeof ctx0);
    memcpy(r[FC_REGION_DATA - 1].host, data0, sizeof data0);
    memset(stack, 0x5c, sizeof stack);
    o->r0 = 0;
    o->err = fc_vm_run(vm, 0, FC_VADDR(FC_REGION_CTX, 0), 64, &o->r0);
    o->pc = vm->pc;
    o->left = vm->left;
    if (o->err != FC_OK)
        o->r0 = 0;
    memcpy(o->ctx, r[FC_REGION_CTX - 1].host, 64);
    memcpy(o->data, r[FC_REGION_DATA - 1].host, 64);
    memcpy(o->stack, stack, sizeof stack);
}

#define NAME(op) { op, #op },
static const struct { uint8_t op; const char *name; } forms[] = { FC_SOPS(NAME) };

int main(void)
{
    static uint8_t ctx[64], data[64];
    fc_region_t regions[4] = {
        { NULL, 0, FC_MEM_READ },
        { data, sizeof data, FC_MEM_READ | FC_MEM_WRITE },
        { (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE },
        { ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE },
    };
    static uint64_t hist[256];
    unsigned ran = 0, bad = 0;
    for (int k = 0; k < 64; k++) {
        ctx0[k] = (uint8_t)(k * 37 + 11);
        data0[k] = (uint8_t)(k * 53 + 7);
    }
    for (unsigned t = 0; t < NPROG; t++) {
        np = 0;
        put(0xb7, 0, 0, 0, 0);
        while (np < SLOTS - 24)
            if (rnd(3)) snippet(); else loop();
        put(FC_OP_EXIT, 0, 0, 0, 0);
        for (uint32_t k = 0; k < np; k++)
            fc_insn_encode(code + 8 * k, prog[k]);
        fc_vm_t vm;
        if (fc_vm_init(&vm, code, (size_t)np * 8, regions, 4, NULL) != FC_OK || fc_vm_verify(&vm, NULL) != FC_OK)
            continue; /* e.g. a shape the verifier refuses: not this test's subject */
        vm.budget = BUDGET;
        static outcome_t a, b;
        run(&vm, &a);
        if (fc_vm_specialise(&vm, fast, sizeof fast) != FC_OK) {
            printf("FAIL program %u: not specialised\n", t);
            return 1;
        }
        memset(fc_insn_hist, 0, sizeof fc_insn_hist);
        run(&vm, &b);
        for (int op = 0; op < 256; op++)
            hist[op] += fc_insn_hist[op];
        ran++;
        if (a.err != b.err || a.pc != b.pc || a.left != b.left || a.r0 != b.r0 ||
            memcmp(a.ctx, b.ctx, 64) || memcmp(a.data, b.data, 64) || memcmp(a.stack, b.stack, 512)) {
            if (bad++ < 5)
                printf("FAIL program %u (%u slots): raw %d pc %u left %u r0 0x%" PRIx64
                       ", specialised %d pc %u left %u r0 0x%" PRIx64 "\n", t, np, a.err, a.pc,
                       a.left, a.r0, b.err, b.pc, b.left, b.r0);
        }
    }
    unsigned missing = 0;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++)
        if (hist[forms[f].op] == 0) {
            printf("FAIL: specialised form %s (0x%02x) never executed\n", forms[f].name, forms[f].op);
            missing++;
        }
    printf("%u programs raw vs specialised, %u differ; %zu specialised forms, %u never executed\n",
           ran, bad, sizeof forms / sizeof forms[0], missing);
    return bad == 0 && missing == 0 && ran > NPROG / 2 ? 0 : 1;
}
