/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential test of the verifier's builds over generated and mutated
 * programs: the compact verifier (FC_COMPACT=1: every slot on the detailed
 * path, no call graph) against the fast one (the table loop first, the call
 * graph analysed), linked from fc_core. Both see the same program, helpers,
 * capabilities and stack, and must agree on the result, the slot, the
 * reason, the frame, the capabilities, fc_vm_t::frame and ::verified, and on
 * the call-graph fields wherever the compact build states them (no local
 * call; with one, it says unbounded), and the reason's number
 * (fc_verify_info_t::code). The compact verifier is built twice: with the
 * sentences (compared as strings) and as shipped, without them, where the
 * reason must be fc_strerror(err) and each number must name one sentence
 * (docs/vm.md). Also fc_vm_verify_entries() with random entry tables.
 *
 * With VERIFY_DIFF_REF (CMake: -DFC_VERIFY_REF_SOURCE=path/to/verify.c, an
 * older verify.c), a reference built from that file in both builds, with
 * the sentences, is also compared field for field with each new one (the
 * compact one with the sentences: the short codes changed after 4e5fa68),
 * the reason's number excepted when that file does not set it (before it
 * was a field, the sentences name the rule).
 *
 * Usage: fc_verify_diff [programs [seed]]; prints how many agreed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/isa_table.h"
#include "fc/verify.h"

int cv_verify(fc_vm_t *vm, fc_verify_info_t *info);
int cv_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t n, fc_verify_info_t *info);
int cz_verify(fc_vm_t *vm, fc_verify_info_t *info);
int cz_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t n, fc_verify_info_t *info);
#ifdef VERIFY_DIFF_REF
int rc_verify(fc_vm_t *vm, fc_verify_info_t *info);
int rc_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t n, fc_verify_info_t *info);
int rf_verify(fc_vm_t *vm, fc_verify_info_t *info);
int rf_verify_entries(fc_vm_t *vm, const uint32_t *entries, uint32_t n, fc_verify_info_t *info);
#endif

typedef int (*verify_fn)(fc_vm_t *, const uint32_t *, uint32_t, fc_verify_info_t *);

#define MAXSLOTS 48

static uint64_t seed;
static uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (uint32_t)(seed >> 11);
}
static uint32_t below(uint32_t n) { return n ? rnd() % n : 0; }

static int helper(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    (void)vm;
    *ret = args[0];
    return FC_OK;
}
static const fc_helper_t items[] = {
    { 1, 0, helper, "free" },
    { 2, 1, helper, "cap 1" },
    { 7, 4, helper, "cap 4" },
    { 0x10000, 2, helper, "cap 2, large id" },
};
static const fc_helper_table_t helpers = { items, sizeof items / sizeof items[0], NULL };

#define OPV(name, value, ...) value,
static const uint8_t valid_ops[] = { FC_ISA_TABLE(OPV) };
#define ZERO_COL(name, value, cls, sem, zero, ...) (uint8_t)(zero),
static const uint8_t zero_col[] = { FC_ISA_TABLE(ZERO_COL) };
#define FLAGS_COL(name, value, cls, sem, zero, flags, ...) (uint16_t)(flags),
static const uint16_t flags_col[] = { FC_ISA_TABLE(FLAGS_COL) };

static uint16_t rand_off(uint32_t pc, uint32_t n)
{
    static const int16_t special[] = { 0, 1, 8, 16, 32, -1, -8, -16, -512, -513, 2, 7, -32768, 32767 };
    switch (below(5)) {
    case 0:
        return 0;
    case 1: /* a jump inside or just outside the program */
        return (uint16_t)(int16_t)((int32_t)below(n + 4) - (int32_t)pc - 2);
    case 2: /* a stack offset */
        return (uint16_t)(int16_t)(-(int32_t)(below(70) * 8) - (int32_t)below(2) * (int32_t)below(8));
    case 3:
        return (uint16_t)special[below(sizeof special / sizeof special[0])];
    default:
        return (uint16_t)rnd();
    }
}

static uint32_t rand_imm(uint32_t pc, uint32_t n)
{
    static const uint32_t special[] = {
        0, 1, 16, 32, 64, 8, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0xf0, 0x02, 0x100, 0xe0, 0x11, 0xb1, 0x31, 0x101,
        2, 7, 0x10000, 65535, 65536, (uint32_t)-65535, (uint32_t)-65536, (uint32_t)-8, (uint32_t)-512,
        (uint32_t)-520, 0x80000000u, 0x7fffffffu, 0xffffffffu,
    };
    switch (below(4)) {
    case 0:
        return 0;
    case 1:
        return special[below(sizeof special / sizeof special[0])];
    case 2: /* a gotol or local call target inside or just outside */
        return (uint32_t)((int32_t)below(n + 4) - (int32_t)pc - 2);
    default:
        return rnd();
    }
}

static uint8_t rand_reg(void)
{
    uint32_t k = below(64);
    return k < 2 ? (uint8_t)(11 + below(5)) : k < 12 ? 10 : (uint8_t)below(10);
}

static void put(uint8_t *p, uint8_t op, uint8_t dst, uint8_t src, uint16_t off, uint32_t imm)
{
    p[0] = op;
    p[1] = (uint8_t)(dst | src << 4);
    p[2] = (uint8_t)off;
    p[3] = (uint8_t)(off >> 8);
    for (int k = 0; k < 4; k++)
        p[4 + k] = (uint8_t)(imm >> (8 * k));
}

/*
 * A program most of whose slots pass: each row's zero fields zero, its
 * other fields within the rules most of the time, so the frame proof and the
 * tracking of derived pointers run over long accepted programs.
 */
static void generate_clean(uint8_t *code, uint32_t n)
{
    for (uint32_t pc = 0; pc < n; pc++) {
        uint32_t row = below(sizeof valid_ops), z = zero_col[row], fl = flags_col[row];
        uint8_t op = valid_ops[row], dst = (uint8_t)below(fl & FC_F_WDST ? 10 : 11), src = (uint8_t)below(11);
        uint16_t off = rand_off(pc, n);
        uint32_t imm = rand_imm(pc, n);
        if (below(3) == 0 && (fl & (FC_F_LOAD | FC_F_STORE))) { /* through r10 or a likely derived register */
            if (fl & FC_F_STORE)
                dst = below(2) ? 10 : (uint8_t)below(10);
            else
                src = below(2) ? 10 : (uint8_t)below(10);
            off = (uint16_t)(int16_t)-(int32_t)(8 * (1 + below(64)));
        } else if (below(4) == 0) { /* r1-r3 = r10 (+ copies), then steps */
            op = below(2) ? FC_OP_MOV64_X : below(2) ? FC_OP_ADD64_K : FC_OP_SUB64_K;
            dst = (uint8_t)below(10);
            src = op == FC_OP_MOV64_X ? (below(2) ? 10 : (uint8_t)below(10)) : 0;
            off = 0;
            imm = op == FC_OP_MOV64_X ? 0 : (uint32_t)(op == FC_OP_ADD64_K ? -(int32_t)(8 * below(40)) : (int32_t)(8 * below(40)));
            z = 0;
        }
        if (fl & FC_F_DIV)
            off = (uint16_t)below(2), imm = imm ? imm : 3;
        if ((op & 0xf0) == FC_ALU_END && ((op & 7) == FC_CLS_ALU || (op & 7) == FC_CLS_ALU64))
            imm = 16u << below(3);
        if ((op & 0xf7) == (FC_ALU_MOV | FC_CLS_ALU) || (op & 0xf7) == (FC_ALU_MOV | FC_CLS_ALU64))
            off = (op & FC_SRC_X) && below(4) == 0 ? (uint16_t)(8u << below(3)) : 0;
        if (op == FC_OP_ATOMIC_W || op == FC_OP_ATOMIC_DW)
            imm = (uint32_t[]){ 0, 1, 0x40, 0x41, 0x50, 0xa1, 0xe1, 0xf1, 0xe0, 0xf0, 0x10, 0x21 }[below(12)];
        if (op == FC_OP_CALL) {
            src = (uint8_t)below(2);
            imm = src ? (uint32_t)((int32_t)below(n) - (int32_t)pc - 1) : items[below(4)].id;
        }
        if (fl & FC_F_JUMP) {
            int32_t t = (int32_t)below(n) - (int32_t)pc - 1;
            off = (uint16_t)(int16_t)t;
            if (op == FC_OP_JA32)
                imm = (uint32_t)t;
        }
        if (z & FC_Z_DST)
            dst = 0;
        if (z & FC_Z_SRC)
            src = 0;
        if (z & FC_Z_OFF)
            off = 0;
        if (z & FC_Z_IMM)
            imm = 0;
        if (op == FC_OP_LDDW && pc + 1 >= n)
            op = FC_OP_EXIT, dst = src = 0, off = 0, imm = 0;
        put(code + 8 * pc, op, dst, src, off, imm);
        if (op == FC_OP_LDDW)
            put(code + 8 * ++pc, 0, 0, 0, 0, rnd());
    }
    /* a pointer into the stack kept across a call and used after it, at a random place */
    uint32_t at = below(n);
    if (n >= 6 && at + 5 < n) {
        uint8_t a = (uint8_t)below(10), b = below(2) ? a : (uint8_t)below(10);
        put(code + 8 * at, FC_OP_MOV64_X, a, 10, 0, 0);
        put(code + 8 * (at + 1), FC_OP_ADD64_K, a, 0, 0, (uint32_t)-(int32_t)(8 * below(40)));
        put(code + 8 * (at + 2), FC_OP_MOV64_X, b, a, 0, 0);
        put(code + 8 * (at + 3), FC_OP_CALL, 0, (uint8_t)below(2), 0, below(2) ? 1 : (uint32_t)((int32_t)below(n) - (int32_t)at - 4));
        if (below(2))
            put(code + 8 * (at + 4), FC_OP_ADD64_K, b, 0, 0, (uint32_t)-(int32_t)(8 * below(40)));
        else
            put(code + 8 * (at + 4), FC_OP_STXDW, b, (uint8_t)below(10), (uint16_t)(int16_t)-(int32_t)(8 * below(40)), 0);
    }
    put(code + 8 * (n - 1), FC_OP_EXIT, 0, 0, 0, 0);
    if (n >= 2 && code[8 * (n - 2)] == FC_OP_LDDW)
        put(code + 8 * (n - 2), FC_OP_EXIT, 0, 0, 0, 0);
}

/* A program of n slots: mostly valid opcodes, r10-derived pointer patterns, calls, LDDWs. */
static void generate(uint8_t *code, uint32_t n)
{
    for (uint32_t pc = 0; pc < n; pc++) {
        uint8_t *p = code + 8 * pc;
        uint32_t kind = below(100);
        uint8_t op = valid_ops[below(sizeof valid_ops)];
        if (kind < 8) {
            op = (uint8_t)rnd();
        } else if (kind < 10) {
            static const uint8_t odd[] = { 0x8d, 0x20, 0x28, 0x40, 0x48, 0x30, 0x10, 0x00, 0xdf, 0x8f, 0x0d, 0x99, 0xcb, 0xd3, 0x86, 0x9d };
            op = odd[below(sizeof odd)];
        }
        uint8_t dst = rand_reg(), src = rand_reg();
        uint16_t off = rand_off(pc, n);
        uint32_t imm = rand_imm(pc, n);
        if (kind >= 10 && kind < 25) { /* r = r10 / copy / step / access through it */
            static const uint8_t pat[] = { 0xbf, 0xbf, 0x07, 0x17, 0x7b, 0x79, 0x63, 0x62, 0x71, 0xdb, 0xc3 };
            op = pat[below(sizeof pat)];
            if (op == 0xbf) {
                src = below(3) ? 10 : (uint8_t)below(10);
                off = below(8) ? 0 : off;
                imm = 0;
            } else if (op == 0x07 || op == 0x17) {
                src = 0;
                off = 0;
                imm = below(3) ? (uint32_t)(op == 0x07 ? -(int32_t)(8 * below(80)) : (int32_t)(8 * below(80))) : imm;
            } else {
                if (op == 0x62)
                    src = 0;
                if (op != 0xdb && op != 0xc3)
                    imm = op == 0x62 ? imm : 0;
                else
                    imm = (uint32_t[]){ 0, 1, 0x40, 0xa1, 0xe1, 0xf1, 0x51 }[below(7)];
            }
        }
        if (op == FC_OP_CALL && below(2))
            src = (uint8_t)below(3), dst = 0, off = 0,
            imm = src == 1 ? (uint32_t)((int32_t)below(n + 2) - (int32_t)pc - 1) : items[below(4)].id + below(2) * below(3);
        if (op == FC_OP_EXIT && below(2))
            dst = src = 0, off = 0, imm = 0;
        put(p, op, dst, src, off, imm);
        if (op == FC_OP_LDDW && pc + 1 < n) {
            pc++;
            if (below(8))
                put(code + 8 * pc, 0, 0, 0, 0, rnd());
            else
                put(code + 8 * pc, (uint8_t)below(3), (uint8_t)below(2), 0, (uint16_t)below(2), rnd());
        }
        if (op != FC_OP_LDDW && below(4) == 0 && !(p[1] & 0xf0) && (op & 7) != FC_CLS_JMP)
            p[1] = (uint8_t)((p[1] & 0x0f) | (below(3) ? 0 : 0x10)); /* src zero, often */
    }
    if (below(4))
        put(code + 8 * (n - 1), FC_OP_EXIT, 0, 0, 0, 0);
}

static uint64_t programs, accepted, failures;
static const char *sentence[64];

static void fail(const char *what, const uint8_t *code, uint32_t n, const fc_verify_info_t *a,
                 const fc_verify_info_t *b)
{
    if (failures++ < 10) {
        fprintf(stderr, "MISMATCH (%s): err %d/%d pc %u/%u reason '%s'/'%s' code %u/%u frame %u/%u caps %u/%u "
                        "stack %u/%u depth %u/%u functions %u/%u recursive %u/%u\n  program:",
                what, a->err, b->err, a->pc, b->pc, a->reason, b->reason, a->code, b->code, a->frame, b->frame, a->caps,
                b->caps, a->stack, b->stack, a->call_depth, b->call_depth, a->functions, b->functions,
                a->recursive, b->recursive);
        for (uint32_t k = 0; k < 8 * n; k++)
            fprintf(stderr, "%s%02x", k % 8 ? "" : " ", code[k]);
        fprintf(stderr, "\n");
    }
}

typedef struct {
    fc_verify_info_t info;
    int rc;
    uint16_t frame;
    uint8_t verified;
} result_t;

static void run(verify_fn f, const uint8_t *code, size_t len, uint32_t stack_len, uint32_t caps,
                const uint32_t *entries, uint32_t ne, int use_entries, result_t *out)
{
    static uint8_t stack[1];
    fc_region_t regions[FC_REGION_CTX];
    fc_vm_t vm;
    memset(regions, 0, sizeof regions);
    regions[FC_REGION_STACK - 1].host = stack;
    regions[FC_REGION_STACK - 1].len = stack_len;
    regions[FC_REGION_STACK - 1].flags = FC_MEM_READ | FC_MEM_WRITE;
    if (fc_vm_init(&vm, code, len, regions, FC_REGION_CTX, &helpers) != FC_OK)
        abort();
    vm.caps = caps;
    memset(&out->info, 0x5a, sizeof out->info); /* every field must be written */
    out->rc = use_entries ? f(&vm, entries, ne, &out->info) : f(&vm, NULL, 0, &out->info);
    out->frame = vm.frame;
    out->verified = vm.verified;
}

/* strings: compare the reasons as strings; codes: compare the reasons' numbers */
static int same_core(const result_t *a, const result_t *b, int strings, int codes)
{
    return a->rc == b->rc && a->info.err == b->info.err && a->info.pc == b->info.pc &&
           a->info.frame == b->info.frame && a->info.caps == b->info.caps && a->frame == b->frame &&
           a->verified == b->verified && (!strings || strcmp(a->info.reason, b->info.reason) == 0) &&
           (!codes || a->info.code == b->info.code);
}

#ifdef VERIFY_DIFF_REF
/* ref against a new build: the number too when the reference sets it (never 0 on a rule's refusal) */
static int same_all(const result_t *ref, const result_t *b)
{
    int codes = ref->info.code != 0 || ref->info.err == FC_OK || ref->info.err == FC_ERR_INVAL;
    return same_core(ref, b, 1, codes) && ref->info.stack == b->info.stack &&
           ref->info.call_depth == b->info.call_depth && ref->info.functions == b->info.functions &&
           ref->info.recursive == b->info.recursive;
}
#endif

/* wrappers: the plain entry point as a verify_fn (entries unused) */
static int fast_v(fc_vm_t *vm, const uint32_t *e, uint32_t n, fc_verify_info_t *i) { (void)e, (void)n; return fc_vm_verify(vm, i); }
static int cv_v(fc_vm_t *vm, const uint32_t *e, uint32_t n, fc_verify_info_t *i) { (void)e, (void)n; return cv_verify(vm, i); }
static int cz_v(fc_vm_t *vm, const uint32_t *e, uint32_t n, fc_verify_info_t *i) { (void)e, (void)n; return cz_verify(vm, i); }
#ifdef VERIFY_DIFF_REF
static int rc_v(fc_vm_t *vm, const uint32_t *e, uint32_t n, fc_verify_info_t *i) { (void)e, (void)n; return rc_verify(vm, i); }
static int rf_v(fc_vm_t *vm, const uint32_t *e, uint32_t n, fc_verify_info_t *i) { (void)e, (void)n; return rf_verify(vm, i); }
#endif

static void check(const uint8_t *code, size_t len, uint32_t stack_len, uint32_t caps)
{
    uint32_t n = (uint32_t)(len / 8), entries[4], ne = below(5);
    for (uint32_t k = 0; k < ne; k++)
        entries[k] = below(4) ? below(n + 1) : rnd();
    for (int pass = 0; pass < 2; pass++) {
        int e = pass == 1; /* the entry-table form */
        const uint32_t *ep = e && below(16) ? entries : NULL;
        result_t f, c, z;
        run(e ? fc_vm_verify_entries : fast_v, code, len, stack_len, caps, ep, ne, e, &f);
        run(e ? cv_verify_entries : cv_v, code, len, stack_len, caps, ep, ne, e, &c);
        run(e ? cz_verify_entries : cz_v, code, len, stack_len, caps, ep, ne, e, &z);
        if (!same_core(&f, &c, 1, 1))
            fail(e ? "entries: fast vs compact" : "fast vs compact", code, n, &f.info, &c.info);
        if (c.verified & FC_VERIFIED_CALLS) {
            if (c.info.functions != 0 || c.info.call_depth != FC_VERIFY_DEPTH_UNBOUNDED || c.info.recursive ||
                c.info.stack != c.info.frame * (FC_CALL_DEPTH_MAX + 1))
                fail("compact call graph", code, n, &f.info, &c.info);
        } else if (f.info.stack != c.info.stack || f.info.call_depth != c.info.call_depth ||
                   f.info.functions != c.info.functions || f.info.recursive != c.info.recursive) {
            fail("call graph without calls", code, n, &f.info, &c.info);
        }
        /*
         * the shipped compact build: the same, with the error's description as
         * the reason and a number that names the sentence; 0 exactly when the
         * program is accepted or the arguments are refused
         */
        unsigned v = z.info.code;
        if (!same_core(&c, &z, 0, 1) || c.info.stack != z.info.stack || c.info.call_depth != z.info.call_depth ||
            c.info.functions != z.info.functions || strcmp(z.info.reason, fc_strerror(z.info.err)) != 0 ||
            v >= 64 || (v == 0) != (z.info.err == FC_OK))
            fail("compact codes", code, n, &c.info, &z.info);
        else if (!sentence[v])
            sentence[v] = c.info.reason;
        else if (strcmp(sentence[v], c.info.reason) != 0)
            fail("one code, two sentences", code, n, &c.info, &z.info);
#ifdef VERIFY_DIFF_REF
        result_t rc, rf;
        run(e ? rc_verify_entries : rc_v, code, len, stack_len, caps, ep, ne, e, &rc);
        run(e ? rf_verify_entries : rf_v, code, len, stack_len, caps, ep, ne, e, &rf);
        if (!same_all(&rc, &c))
            fail("reference compact vs compact", code, n, &rc.info, &c.info);
        if (!same_all(&rf, &f))
            fail("reference fast vs fast", code, n, &rf.info, &f.info);
#endif
        if (!e) {
            programs++;
            accepted += f.rc == FC_OK;
        }
    }
}

int main(int argc, char **argv)
{
    uint64_t count = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000;
    seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ull;
    static uint8_t code[8 * MAXSLOTS + 8];
    static const uint32_t stacks[] = { 0, 4, 8, 12, 16, 64, 100, 509, 512, 520, 4096, 65530, 65535, 65536, 200000 };

    for (uint64_t k = 0; k < count; k++) {
        uint32_t n = 1 + below(below(4) ? 12 : MAXSLOTS);
        uint32_t stack_len = below(2) ? 512 : stacks[below(sizeof stacks / sizeof stacks[0])];
        uint32_t caps = below(2) ? 0xffffffffu : rnd() & 7;
        if (below(2))
            generate_clean(code, n);
        else
            generate(code, n);
        check(code, 8 * (size_t)n, stack_len, caps);
        for (uint32_t m = below(3); m > 0; m--) { /* mutations of the same program */
            code[below(8 * n)] ^= (uint8_t)(1u << below(8));
            if (below(2))
                code[below(8 * n)] = (uint8_t)rnd();
            check(code, 8 * (size_t)n, stack_len, caps);
        }
    }
    check(code, 0, 512, 0); /* empty */
    unsigned codes = 0;
    for (unsigned v = 0; v < 64; v++) {
        for (unsigned u = 0; u < v; u++)
            if (sentence[v] && sentence[u] && strcmp(sentence[u], sentence[v]) == 0) {
                fprintf(stderr, "MISMATCH: codes %u and %u name one sentence '%s'\n", u, v, sentence[v]);
                failures++;
            }
        codes += sentence[v] != NULL;
    }
    printf("%llu programs, %llu accepted, %u distinct reasons seen:", (unsigned long long)programs,
           (unsigned long long)accepted, codes);
    for (unsigned v = 0; v < 64; v++)
        if (sentence[v])
            printf(" %u", v);
    printf("\n%s\n", failures ? "MISMATCHES" : "compact and fast verifiers agree");
    return failures != 0;
}
