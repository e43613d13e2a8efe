/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The assembler and disassembler of `femto`, in process:
 * - the exact text of every instruction form (llvm-objdump's, and current
 *   LLVM's for cpu v4);
 * - asm(disasm(x)) == x over a sweep of every opcode byte with many field
 *   values, canonical or not, and over every conformance program;
 * - label and objdump-layout input;
 * - errors name the line and the reason, and nothing crashes.
 * argv[1]: the conformance tests folder (FC_CONFORMANCE_DIR).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "asm.h"
#include "disasm.h"
#include "fc/isa.h"

static const char *conformance_dir;

static void slot(uint8_t *p, uint8_t op, uint8_t regs, int16_t off, int32_t imm)
{
    fc_insn_t i = { op, (uint8_t)(regs & 0x0f), (uint8_t)(regs >> 4), off, imm };
    fc_insn_encode(p, i);
}

/* Assemble text that must be valid; returns the byte count. */
static size_t assemble(const char *text, uint8_t **code)
{
    fc_asm_err_t err;
    size_t n;
    int rc = fc_asm(text, strlen(text), code, &n, &err);
    if (rc != 0)
        fail_msg("'%s' rejected at line %d: %s", text, err.line, err.msg);
    return n;
}

/* ---- exact text ---- */

static const struct {
    uint8_t op, regs;
    int16_t off;
    int32_t imm;
    const char *text;
} forms[] = {
    { 0xb7, 0x00, 0, 0, "r0 = 0x0" },
    { 0xb7, 0x01, 0, -3, "r1 = -0x3" },
    { 0xb4, 0x01, 0, -1, "w1 = -0x1" },
    { 0xbf, 0x21, 0, 0, "r1 = r2" },
    { 0xbc, 0x21, 0, 0, "w1 = w2" },
    { 0x04, 0x00, 0, 1, "w0 += 0x1" },
    { 0x0c, 0x40, 0, 0, "w0 += w4" },
    { 0x07, 0x01, 0, INT32_MIN, "r1 += -0x80000000" },
    { 0x17, 0x01, 0, 5, "r1 -= 0x5" },
    { 0x2f, 0x34, 0, 0, "r4 *= r3" },
    { 0x3c, 0x21, 0, 0, "w1 /= w2" },
    { 0x47, 0x03, 0, 1, "r3 |= 0x1" },
    { 0x57, 0x01, 0, 255, "r1 &= 0xff" },
    { 0x67, 0x01, 0, 32, "r1 <<= 0x20" },
    { 0x74, 0x00, 0, 3, "w0 >>= 0x3" },
    { 0x87, 0x01, 0, 0, "r1 = -r1" },
    { 0x84, 0x00, 0, 0, "w0 = -w0" },
    { 0x9f, 0x21, 0, 0, "r1 %= r2" },
    { 0xaf, 0x31, 0, 0, "r1 ^= r3" },
    { 0xc7, 0x00, 0, 48, "r0 s>>= 0x30" },
    { 0xcc, 0x21, 0, 0, "w1 s>>= w2" },
    { 0xd4, 0x01, 0, 16, "r1 = le16 r1" },
    { 0xdc, 0x03, 0, 64, "r3 = be64 r3" },
    /* cpu v4 */
    { 0xd7, 0x02, 0, 32, "r2 = bswap32 r2" },
    { 0x3f, 0x21, 1, 0, "r1 s/= r2" },
    { 0x34, 0x01, 1, -7, "w1 s/= -0x7" },
    { 0x9c, 0x21, 1, 0, "w1 s%= w2" },
    { 0x97, 0x01, 1, 3, "r1 s%= 0x3" },
    { 0xbf, 0x21, 8, 0, "r1 = (s8)r2" },
    { 0xbf, 0x21, 16, 0, "r1 = (s16)r2" },
    { 0xbf, 0x21, 32, 0, "r1 = (s32)r2" },
    { 0xbc, 0x21, 8, 0, "w1 = (s8)w2" },
    { 0x91, 0x21, 2, 0, "r1 = *(s8 *)(r2 + 0x2)" },
    { 0x89, 0x21, -2, 0, "r1 = *(s16 *)(r2 - 0x2)" },
    { 0x81, 0x21, 0, 0, "r1 = *(s32 *)(r2 + 0x0)" },
    { 0x06, 0x00, 0, 5, "gotol +0x5" },
    { 0x06, 0x00, 0, -70000, "gotol -0x11170" },
    { 0x85, 0x10, 0, -3, "call -0x3" },
    { 0x85, 0x10, 0, 6, "call +0x6" },
    { 0x8d, 0x02, 0, 0, "callx r2" },
    { 0x72, 0x0a, -8, 7, "*(u8 *)(r10 - 0x8) = 0x7" },
    { 0x7a, 0x01, 0, -1, "*(u64 *)(r1 + 0x0) = -0x1" },
    /* memory */
    { 0x61, 0x01, 4, 0, "r1 = *(u32 *)(r0 + 0x4)" },
    { 0x79, 0x21, -32768, 0, "r1 = *(u64 *)(r2 - 0x8000)" },
    { 0x69, 0x33, 0, 0, "r3 = *(u16 *)(r3 + 0x0)" },
    { 0x71, 0xa1, 32767, 0, "r1 = *(u8 *)(r10 + 0x7fff)" },
    { 0x7b, 0x1a, -8, 0, "*(u64 *)(r10 - 0x8) = r1" },
    { 0x63, 0x2a, 8, 0, "*(u32 *)(r10 + 0x8) = r2" },
    { 0x20, 0x00, 0, 4, "r0 = *(u32 *)skb[0x4]" },
    { 0x50, 0x20, 0, 0, "r0 = *(u8 *)skb[r2]" },
    /* atomics */
    { 0xdb, 0x21, 0, 0x00, "lock *(u64 *)(r1 + 0x0) += r2" },
    { 0xc3, 0x32, 0, 0x00, "lock *(u32 *)(r2 + 0x0) += w3" },
    { 0xdb, 0x21, 4, 0x50, "lock *(u64 *)(r1 + 0x4) &= r2" },
    { 0xc3, 0x21, -4, 0x40, "lock *(u32 *)(r1 - 0x4) |= w2" },
    { 0xdb, 0x21, 0, 0xa0, "lock *(u64 *)(r1 + 0x0) ^= r2" },
    { 0xdb, 0x41, 0, 0x01, "r4 = atomic_fetch_add((u64 *)(r1 + 0x0), r4)" },
    { 0xc3, 0x42, 0, 0xa1, "w4 = atomic_fetch_xor((u32 *)(r2 + 0x0), w4)" },
    { 0xdb, 0x31, 0, 0x41, "r3 = atomic_fetch_or((u64 *)(r1 + 0x0), r3)" },
    { 0xc3, 0x31, 0, 0x51, "w3 = atomic_fetch_and((u32 *)(r1 + 0x0), w3)" },
    { 0xdb, 0x41, 4, 0xe1, "r4 = xchg_64(r1 + 0x4, r4)" },
    { 0xc3, 0x41, 4, 0xe1, "w4 = xchg32_32(r1 + 0x4, w4)" },
    { 0xdb, 0x31, 0, 0xf1, "r0 = cmpxchg_64(r1 + 0x0, r0, r3)" },
    { 0xc3, 0x31, -8, 0xf1, "w0 = cmpxchg32_32(r1 - 0x8, w0, w3)" },
    /* jumps and calls */
    { 0x05, 0x00, 0, 0, "goto +0x0" },
    { 0x05, 0x00, -7, 0, "goto -0x7" },
    { 0xc6, 0x02, 10, 1, "if w2 s< 0x1 goto +0xa" },
    { 0xad, 0x23, -7, 0, "if r3 < r2 goto -0x7" },
    { 0x15, 0x01, 3, -5, "if r1 == -0x5 goto +0x3" },
    { 0x45, 0x01, 1, 8, "if r1 & 0x8 goto +0x1" },
    { 0x4e, 0x21, 1, 0, "if w1 & w2 goto +0x1" },
    { 0xdd, 0x21, 2, 0, "if r1 s<= r2 goto +0x2" },
    { 0x75, 0x01, 2, 0, "if r1 s>= 0x0 goto +0x2" },
    { 0x85, 0x00, 0, 1, "call 0x1" },
    { 0x85, 0x00, 0, -1, "call 0xffffffff" },
    { 0x95, 0x00, 0, 0, "exit" },
    /* no canonical text */
    { 0x95, 0x01, 0, 0, ".8byte 0x0000000000000195" },
    { 0x07, 0x21, 0, 1, ".8byte 0x0000000100002107" },
    { 0xb7, 0x0b, 0, 0, ".8byte 0x0000000000000bb7" },
    { 0xff, 0x00, 0, 0, ".8byte 0x00000000000000ff" },
    { 0xdf, 0x01, 0, 16, ".8byte 0x00000010000001df" },
    { 0x38, 0x00, 0, 0, ".8byte 0x0000000000000038" },
    { 0x3f, 0x21, 2, 0, ".8byte 0x000000000002213f" },
};

static void test_forms(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        uint8_t code[8], *back;
        char text[FC_DISASM_MAX];
        slot(code, forms[k].op, forms[k].regs, forms[k].off, forms[k].imm);
        assert_int_equal(fc_disasm_insn(code, 1, 0, text, sizeof text), 1);
        if (strcmp(text, forms[k].text))
            fail_msg("form %zu: got '%s', want '%s'", k, text, forms[k].text);
        size_t n = assemble(forms[k].text, &back);
        assert_int_equal(n, 8);
        assert_memory_equal(back, code, 8);
        free(back);
    }
}

static void test_lddw(void **state)
{
    (void)state;
    uint8_t code[16], *back;
    char text[FC_DISASM_MAX];
    slot(code, 0x18, 0x01, 0, (int32_t)0x55667788);
    slot(code + 8, 0, 0, 0, 0x11223344);
    assert_int_equal(fc_disasm_insn(code, 2, 0, text, sizeof text), 2);
    assert_string_equal(text, "r1 = 0x1122334455667788 ll");
    assert_int_equal(assemble("r1 = 0x1122334455667788 ll", &back), 16);
    assert_memory_equal(back, code, 16);
    free(back);
    /* negative constants are their two's complement */
    assert_int_equal(assemble("r2 = -1 ll", &back), 16);
    assert_int_equal(fc_disasm_insn(back, 2, 0, text, sizeof text), 2);
    assert_string_equal(text, "r2 = -0x1 ll"); /* LLVM 19 prints it signed */
    free(back);
    /* cut short, or a second slot that is not zero: one .8byte per slot */
    assert_int_equal(fc_disasm_insn(code, 1, 0, text, sizeof text), 1);
    assert_string_equal(text, ".8byte 0x5566778800000118");
    code[8] = 0x07;
    assert_int_equal(fc_disasm_insn(code, 2, 0, text, sizeof text), 1);
    /* with address and bytes, as llvm-objdump prints */
    code[8] = 0;
    fc_disasm_opts_t o = { FC_DISASM_ADDR | FC_DISASM_BYTES, NULL, NULL };
    assert_int_equal(fc_disasm_insn_ex(code, 2, 0, &o, text, sizeof text), 2);
    assert_string_equal(text, "       0:\t18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11\t"
                              "r1 = 0x1122334455667788 ll");
}

static void test_api_bounds(void **state)
{
    (void)state;
    uint8_t code[8];
    char text[8];
    slot(code, 0xdb, 0x41, 4, 0x01);
    /* out of range and NULL: 0 and an empty string */
    text[0] = 'x';
    assert_int_equal(fc_disasm_insn(code, 1, 1, text, sizeof text), 0);
    assert_string_equal(text, "");
    assert_int_equal(fc_disasm_insn(NULL, 1, 0, text, sizeof text), 0);
    /* a short buffer is cut and terminated */
    assert_int_equal(fc_disasm_insn(code, 1, 0, text, sizeof text), 1);
    assert_string_equal(text, "r4 = at");
    assert_int_equal(fc_disasm_insn(code, 1, 0, NULL, 0), 1);
}

/* symbols at slots 0 (main) and 3 (LBB0_3): the last one at or before a slot */
static const char *label_fn(void *ctx, long slot_index, long *delta)
{
    (void)ctx;
    if (slot_index < 0 || slot_index > 5)
        return NULL;
    *delta = slot_index >= 3 ? slot_index - 3 : slot_index;
    return slot_index >= 3 ? "LBB0_3" : "main";
}

static void test_labels_out(void **state)
{
    (void)state;
    uint8_t code[32];
    char text[FC_DISASM_MAX];
    slot(code, 0x05, 0, 2, 0);
    slot(code + 8, 0x85, 0x10, 0, -2);
    slot(code + 16, 0x05, 0, 5, 0);
    slot(code + 24, 0x95, 0, 0, 0);
    fc_disasm_opts_t o = { 0, label_fn, NULL };
    fc_disasm_insn_ex(code, 4, 0, &o, text, sizeof text);
    assert_string_equal(text, "goto +0x2 <LBB0_3>");
    fc_disasm_insn_ex(code, 4, 1, &o, text, sizeof text);
    assert_string_equal(text, "call -0x2 <main>");
    fc_disasm_insn_ex(code, 4, 2, &o, text, sizeof text);
    assert_string_equal(text, "goto +0x5"); /* outside the symbols */
    slot(code + 16, 0x05, 0, 1, 0);
    fc_disasm_insn_ex(code, 4, 2, &o, text, sizeof text);
    assert_string_equal(text, "goto +0x1 <LBB0_3+0x8>"); /* as llvm-objdump 19: symbol + bytes */
    uint8_t *back;
    assert_int_equal(assemble("goto +0x1 <LBB0_3+0x8>\nexit\n", &back), 16);
    assert_memory_equal(back, code + 16, 8);
    free(back);
}

/* ---- round trips ---- */

/* asm(disasm(code)) == code, slot by slot, in every layout */
static int roundtrip(const uint8_t *code, size_t nslots, unsigned flags)
{
    size_t cap = nslots * (FC_DISASM_MAX + 2) + 1, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    fc_disasm_opts_t o = { flags, NULL, NULL };
    int canonical = 0;
    for (size_t pc = 0; pc < nslots;) {
        int n = fc_disasm_insn_ex(code, nslots, pc, &o, text + len, cap - len);
        assert_true(n == 1 || n == 2);
        if (!strstr(text + len, ".8byte"))
            canonical++;
        len += strlen(text + len);
        text[len++] = '\n';
        pc += (size_t)n;
    }
    text[len] = '\0';
    uint8_t *back;
    size_t blen;
    fc_asm_err_t err;
    if (fc_asm(text, len, &back, &blen, &err) != 0)
        fail_msg("own output rejected at line %d: %s\n%s", err.line, err.msg, text);
    if (blen != nslots * 8 || memcmp(back, code, blen))
        fail_msg("round trip differs:\n%s", text);
    free(back);
    free(text);
    return canonical;
}

static void test_sweep(void **state)
{
    (void)state;
    static const uint8_t regs[] = { 0x00, 0x01, 0x10, 0x21, 0xa0, 0x0a, 0xb0, 0x0b, 0xff };
    static const int16_t offs[] = { 0, 1, -1, 8, 16, 32, 7, INT16_MIN, INT16_MAX };
    static const int32_t imms[] = { 0, 1, -1, 16, 32, 64, 0x41, 0xa1, 0xe1, 0xf1, 0x51,
                                    INT32_MIN, INT32_MAX, 0x100 };
    long canonical = 0, total = 0;
    uint8_t code[16];
    for (unsigned op = 0; op < 256; op++)
        for (size_t r = 0; r < sizeof regs; r++)
            for (size_t o = 0; o < sizeof offs / sizeof offs[0]; o++)
                for (size_t k = 0; k < sizeof imms / sizeof imms[0]; k++) {
                    slot(code, (uint8_t)op, regs[r], offs[o], imms[k]);
                    /* second slot: an LDDW's upper half, or garbage */
                    slot(code + 8, (k & 1) ? 0 : (uint8_t)op, 0, 0, imms[(k + 3) % 14]);
                    canonical += roundtrip(code, 2, (k & 2) ? FC_DISASM_ADDR | FC_DISASM_BYTES : 0);
                    total++;
                }
    /* the sweep meets the instruction forms, not only .8byte */
    print_message("sweep: %ld encodings, %ld instructions with a mnemonic\n", total, canonical);
    assert_true(canonical > 40000);
}

/* Every program of the shared conformance suite. */
static void test_conformance(void **state)
{
    (void)state;
    if (!conformance_dir)
        skip();
    DIR *d = opendir(conformance_dir);
    assert_non_null(d);
    struct dirent *de;
    int files = 0;
    static char line[1 << 16];
    static uint8_t code[1 << 14];
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".test"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", conformance_dir, de->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t len = 0;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "program ", 8))
                continue;
            for (char *p = line + 8; *p && len < sizeof code;) {
                unsigned v;
                int used;
                if (sscanf(p, "%2x%n", &v, &used) != 1)
                    break;
                code[len++] = (uint8_t)v;
                p += used;
                while (*p == ' ')
                    p++;
            }
        }
        fclose(f);
        assert_true(len > 0 && len % 8 == 0);
        roundtrip(code, len / 8, 0);
        roundtrip(code, len / 8, FC_DISASM_ADDR | FC_DISASM_BYTES);
        files++;
    }
    closedir(d);
    print_message("conformance: %d programs round-trip\n", files);
    assert_true(files >= 300);
}

/* ---- input layouts ---- */

static void test_labels_in(void **state)
{
    (void)state;
    uint8_t *code;
    char text[FC_DISASM_MAX];
    const char *src =
        "; a loop\n"
        "main:\n"
        "    r0 = 0          # counter\n"
        "loop: r0 += 1\n"
        "    if r0 < 10 goto loop\n"
        "    call f          // local call\n"
        "    gotol end\n"
        "    r0 = 0x1122334455667788 ll\n"
        "end:\n"
        "    exit\n"
        "f:  w0 = 7\n"
        "    exit\n";
    size_t n = assemble(src, &code);
    assert_int_equal(n, 10 * 8);
    fc_disasm_insn(code, 10, 2, text, sizeof text);
    assert_string_equal(text, "if r0 < 0xa goto -0x2");
    fc_disasm_insn(code, 10, 3, text, sizeof text);
    assert_string_equal(text, "call +0x4");
    fc_disasm_insn(code, 10, 4, text, sizeof text);
    assert_string_equal(text, "gotol +0x2");
    free(code);
}

static void test_objdump_layout(void **state)
{
    (void)state;
    /* llvm-objdump -d output, as it is */
    const char *src =
        "\n"
        "t1.o:\tfile format elf64-bpf\n"
        "\n"
        "Disassembly of section .text:\n"
        "\n"
        "0000000000000000 <loop>:\n"
        "       0:\tb4 00 00 00 00 00 00 00\tw0 = 0\n"
        "       1:\tc6 02 02 00 01 00 00 00\tif w2 s< 1 goto +2 <LBB0_3>\n"
        "       2:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0 ll\n"
        "\n"
        "0000000000000020 <LBB0_3>:\n"
        "       4:\t95 00 00 00 00 00 00 00\texit\n"
        "<f>:\n"
        "\tbf 10 00 00 00 00 00 00\tr0 = r1\n"
        "\tab\n"; /* a label-less hex-looking word is an error below, not here */
    uint8_t *code;
    size_t n;
    fc_asm_err_t err;
    assert_int_equal(fc_asm(src, strlen(src), &code, &n, &err), -1);
    assert_int_equal(err.line, 15);
    const char *ok = strstr(src, "\n\tab\n");
    size_t len = (size_t)(ok - src) + 1;
    assert_int_equal(fc_asm(src, len, &code, &n, &err), 0);
    assert_int_equal(n, 6 * 8);
    static const uint8_t want[] = {
        0xb4, 0, 0, 0, 0, 0, 0, 0, 0xc6, 0x02, 2, 0, 1, 0, 0, 0,
        0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x95, 0, 0, 0, 0, 0, 0, 0, 0xbf, 0x10, 0, 0, 0, 0, 0, 0,
    };
    assert_memory_equal(code, want, sizeof want);
    free(code);
}

/* ---- errors ---- */

static const struct {
    const char *text;
    int line;
    const char *msg;
} bad[] = {
    { "r0 = 0\nfrob r1\nexit\n", 2, "unknown instruction 'frob'" },
    { "r11 = 0\n", 1, "bad register 'r11'" },
    { "exit\nr1 += r12\n", 2, "bad register 'r12'" },
    { "goto nowhere\n", 1, "undefined label 'nowhere'" },
    { "r0 = 0\n\nif r0 > 1 goto out\nexit\n", 3, "undefined label 'out'" },
    { "a: exit\na: exit\n", 2, "defined twice" },
    { "w1 += r2\n", 1, "mixes w and r" },
    { "r1 = 0x100000000\n", 1, "32-bit range" },
    { "r1 += -2147483649\n", 1, "32-bit range" },
    { "goto +40000\n", 1, "16 bits" },
    { "r1 = *(u32 *)(r2 + 40000)\n", 1, "16 bits" },
    { "r1 = *(u128 *)(r2 + 0)\n", 1, "expected a width" },
    { "*(u64 *)(r10 - 8) = w1\n", 1, "r register" },
    { "r1 = -r2\n", 1, "in place" },
    { "r1 = be16 r2\n", 1, "in place" },
    { "r1 = (s64)r2\n", 1, "sign-extension" },
    { "w1 = (s32)w2\n", 1, "sign-extension" },
    { "r1 = cmpxchg_64(r1 + 0, r0, r2)\n", 1, "r0" },
    { "r1 = atomic_fetch_add((u64 *)(r1 + 0), r2)\n", 1, "operand register" },
    { "r1 = frob(r1)\n", 1, "unknown function" },
    { "r1 = 0 ll junk\n", 1, "unexpected 'junk'" },
    { "exit 0\n", 1, "unexpected" },
    { "if r1 ~ 2 goto +1\n", 1, "unexpected character '~'" },
    { "if r1 = 2 goto +1\n", 1, "comparison" },
    { "if r1 > 2 +1\n", 1, "expected 'goto'" },
    { "r1 = 12abc\n", 1, "bad number" },
    { "r1 = 99999999999999999999 ll\n", 1, "bad number" },
    { "lock *(u8 *)(r1 + 0) += r2\n", 1, "u32 or u64" },
    { "r1 = *(u32 *)(w2 + 0)\n", 1, "r register" },
    { "r1 =\n", 1, "expected a number" },
    { "call\n", 1, "expected a number" },
    { "r0 = *(u32 *)skb[\n", 1, "expected a number" },
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint8_t *code = (uint8_t *)1;
        size_t n = 99;
        fc_asm_err_t err;
        int rc = fc_asm(bad[k].text, strlen(bad[k].text), &code, &n, &err);
        if (rc != -1 || err.line != bad[k].line || !strstr(err.msg, bad[k].msg))
            fail_msg("'%s': rc %d line %d '%s', want line %d '%s'", bad[k].text, rc, err.line,
                     err.msg, bad[k].line, bad[k].msg);
        assert_null(code);
        assert_int_equal(n, 0);
    }
}

/* Garbage never crashes the assembler (ASan/UBSan builds check the memory). */
static void test_garbage(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "r1", "w2", "=", "+=", "s>>=", "*", "(", ")", "u32", "s8", "-", "+", "0x7fffffff",
        "99999999999999999999", "goto", "if", "<", ">", "lock", "ll", "call", ":", "lbl",
        "\t", "#", ";", "\n", "[", "]", "skb", ",", "atomic_fetch_add", "cmpxchg_64", ".8byte",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    unsigned seed = 12345;
    char text[512];
    int accepted = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int words = 1 + (int)(seed % 12);
        for (int w = 0; w < words; w++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % np];
            size_t n = strlen(p);
            if (len + n + 2 >= sizeof text)
                break;
            memcpy(text + len, p, n);
            len += n;
            text[len++] = ' ';
        }
        uint8_t *code;
        size_t n;
        fc_asm_err_t err;
        if (fc_asm(text, len, &code, &n, &err) == 0) {
            accepted++;
            free(code);
        } else {
            assert_true(err.line >= 1 && err.msg[0]);
        }
    }
    assert_true(accepted > 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        conformance_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),        cmocka_unit_test(test_lddw),
        cmocka_unit_test(test_api_bounds),   cmocka_unit_test(test_labels_out),
        cmocka_unit_test(test_sweep),        cmocka_unit_test(test_conformance),
        cmocka_unit_test(test_labels_in),    cmocka_unit_test(test_objdump_layout),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests_name("asm", tests, NULL, NULL);
}
