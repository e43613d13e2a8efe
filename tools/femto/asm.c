/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The assembler: each line is cut into tokens, then matched against the
 * forms fc_disasm_insn() prints (one function per family, tried in turn).
 * Jumps and local calls to labels are patched once the whole text is read.
 */
#include "asm.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fc/isa.h"
#include "isa_text.h"

#define MAX_LINE 1024
#define MAX_TOKS 40
#define MAX_NAME 128

typedef enum { T_END, T_REG, T_NUM, T_ID, T_OP } tkind_t;

typedef struct {
    tkind_t k;
    char w;          /* T_REG: 'r' or 'w' */
    unsigned reg;    /* T_REG: 0..10 */
    uint64_t num;    /* T_NUM: magnitude */
    char s[MAX_NAME]; /* T_ID, T_OP: the text */
} tok_t;

typedef struct {
    char name[MAX_NAME];
    size_t slot;
} label_t;

typedef enum { FIX_OFF, FIX_IMM } fixkind_t;

typedef struct {
    char name[MAX_NAME];
    size_t slot;
    int line;
    fixkind_t kind;
} fixup_t;

typedef struct {
    uint8_t *code;
    size_t nslots, cap;
    label_t *labels;
    size_t nlabels, labcap;
    fixup_t *fix;
    size_t nfix, fixcap;
    fc_asm_err_t *err;
    int line;
    bool failed;
    /* the line's raw bytes show a local call: llvm-objdump prints it "call N" */
    bool raw_local_call;
    /* the tokens of the current line and the read position */
    tok_t t[MAX_TOKS];
    int nt, pos;
} asm_t;

static void fail(asm_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(asm_t *a, const char *fmt, ...)
{
    if (a->failed)
        return;
    a->failed = true;
    if (!a->err)
        return;
    a->err->line = a->line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->err->msg, sizeof a->err->msg, fmt, ap);
    va_end(ap);
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static void emit(asm_t *a, fc_insn_t i)
{
    if (!grow((void **)&a->code, &a->cap, a->nslots + 1, FC_INSN_SIZE)) {
        fail(a, "out of memory");
        return;
    }
    fc_insn_encode(a->code + a->nslots * FC_INSN_SIZE, i);
    a->nslots++;
}

static fc_insn_t mk(uint8_t op, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
    fc_insn_t i = { op, (uint8_t)dst, (uint8_t)src, off, imm };
    return i;
}

/* ---- tokens ---- */

/* longest first, so that "s>>=" is not read as "s>" ">=" */
static const char *const ops[] = {
    "s>>=", "<<=", ">>=", "s>=", "s<=", "s/=", "s%=", "s>", "s<",
    "+=", "-=", "*=", "/=", "|=", "&=", "^=", "%=", "==", "!=", ">=", "<=",
    "=", "+", "-", "*", "/", "|", "&", "^", "%", "<", ">", "(", ")", "[", "]", ",",
};

static bool is_id_start(int c) { return isalpha(c) || c == '_' || c == '.' || c == '$'; }
static bool is_id_char(int c) { return isalnum(c) || c == '_' || c == '.' || c == '$'; }

static bool parse_number(const char **pp, uint64_t *v)
{
    const char *p = *pp;
    uint64_t x = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (!isxdigit((unsigned char)*p))
            return false;
        while (isxdigit((unsigned char)*p)) {
            unsigned d = isdigit((unsigned char)*p) ? (unsigned)(*p - '0')
                                                    : (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
            if (x >> 60)
                return false;
            x = (x << 4) | d;
            p++;
        }
    } else {
        while (isdigit((unsigned char)*p)) {
            unsigned d = (unsigned)(*p - '0');
            if (x > (UINT64_MAX - d) / 10)
                return false;
            x = x * 10 + d;
            p++;
        }
    }
    if (is_id_char((unsigned char)*p))
        return false;
    *pp = p;
    *v = x;
    return true;
}

static bool tokenize(asm_t *a, const char *p)
{
    a->nt = 0;
    a->pos = 0;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (a->nt == MAX_TOKS - 1) {
            fail(a, "too many tokens on one line");
            return false;
        }
        tok_t *t = &a->t[a->nt];
        memset(t, 0, sizeof *t);
        if (!*p) {
            t->k = T_END;
            return true;
        }
        a->nt++;
        if (isdigit((unsigned char)*p)) {
            const char *start = p;
            if (!parse_number(&p, &t->num)) {
                int n = 0;
                while (start[n] && !isspace((unsigned char)start[n]) && n < 40)
                    n++;
                fail(a, "bad number '%.*s'", n, start);
                return false;
            }
            t->k = T_NUM;
            continue;
        }
        bool s_op = *p == 's' && p[1] && strchr("<>/%", p[1]);
        if (is_id_start((unsigned char)*p) && !s_op) {
            size_t n = 0;
            while (is_id_char((unsigned char)p[n]))
                n++;
            if (n >= MAX_NAME) {
                fail(a, "name too long: '%.40s...'", p);
                return false;
            }
            memcpy(t->s, p, n);
            t->s[n] = '\0';
            p += n;
            t->k = T_ID;
            if ((t->s[0] == 'r' || t->s[0] == 'w') && n >= 2 && n <= 12 && isdigit((unsigned char)t->s[1])) {
                bool digits = true;
                for (size_t k = 1; k < n; k++)
                    digits = digits && isdigit((unsigned char)t->s[k]);
                if (digits) {
                    long r = strtol(t->s + 1, NULL, 10);
                    if (r > 10 || (n > 2 && t->s[1] == '0')) {
                        fail(a, "bad register '%s' (registers are r0..r10, w0..w10)", t->s);
                        return false;
                    }
                    t->k = T_REG;
                    t->w = t->s[0];
                    t->reg = (unsigned)r;
                }
            }
            continue;
        }
        size_t k;
        for (k = 0; k < sizeof ops / sizeof ops[0]; k++) {
            size_t n = strlen(ops[k]);
            if (!strncmp(p, ops[k], n)) {
                memcpy(t->s, ops[k], n + 1);
                p += n;
                t->k = T_OP;
                break;
            }
        }
        if (k == sizeof ops / sizeof ops[0]) {
            fail(a, "unexpected character '%c'", *p);
            return false;
        }
    }
}

static const tok_t *peek(asm_t *a) { return &a->t[a->pos]; }
static const tok_t *next(asm_t *a) { return a->pos < a->nt ? &a->t[a->pos++] : &a->t[a->nt]; }

static bool is(asm_t *a, tkind_t k, const char *s)
{
    const tok_t *t = peek(a);
    return t->k == k && (!s || !strcmp(t->s, s));
}

static bool accept(asm_t *a, tkind_t k, const char *s)
{
    if (!is(a, k, s))
        return false;
    a->pos++;
    return true;
}

/* A short description of the token at the read position, for messages. */
static const char *here(asm_t *a, char *buf, size_t n)
{
    const tok_t *t = peek(a);
    switch (t->k) {
    case T_END: return "end of line";
    case T_REG: snprintf(buf, n, "'%c%u'", t->w, t->reg); return buf;
    case T_NUM: snprintf(buf, n, "'%llu'", (unsigned long long)t->num); return buf;
    default:    snprintf(buf, n, "'%s'", t->s); return buf;
    }
}

static bool expect(asm_t *a, tkind_t k, const char *s)
{
    if (accept(a, k, s))
        return true;
    char b[MAX_NAME + 8];
    fail(a, "expected '%s', found %s", s, here(a, b, sizeof b));
    return false;
}

static bool reg(asm_t *a, char *w, unsigned *r)
{
    if (!is(a, T_REG, NULL)) {
        char b[MAX_NAME + 8];
        fail(a, "expected a register, found %s", here(a, b, sizeof b));
        return false;
    }
    const tok_t *t = next(a);
    *w = t->w;
    *r = t->reg;
    return true;
}

/* An optionally signed number: -2^63..2^64-1, returned as two's complement. */
static bool number(asm_t *a, int64_t *v, bool *neg_out)
{
    bool neg = false;
    if (accept(a, T_OP, "-"))
        neg = true;
    else
        accept(a, T_OP, "+");
    if (!is(a, T_NUM, NULL)) {
        char b[MAX_NAME + 8];
        fail(a, "expected a number, found %s", here(a, b, sizeof b));
        return false;
    }
    uint64_t m = next(a)->num;
    if (neg && m > (uint64_t)1 << 63) {
        fail(a, "number out of range: -%llu", (unsigned long long)m);
        return false;
    }
    *v = neg ? (int64_t)(0 - m) : (int64_t)m;
    if (neg_out)
        *neg_out = neg;
    return true;
}

/* A 32-bit immediate: -2^31..2^32-1 (values above 2^31-1 wrap, as in C). */
static bool imm32(asm_t *a, int32_t *v)
{
    int64_t x;
    bool neg;
    if (!number(a, &x, &neg))
        return false;
    if ((neg && x < INT32_MIN) || (!neg && (uint64_t)x > UINT32_MAX)) {
        fail(a, "immediate out of 32-bit range: %s%llu", neg ? "-" : "",
             (unsigned long long)(neg ? 0 - (uint64_t)x : (uint64_t)x));
        return false;
    }
    *v = (int32_t)(uint32_t)(uint64_t)x;
    return true;
}

static bool at_end(asm_t *a)
{
    if (is(a, T_END, NULL))
        return true;
    char b[MAX_NAME + 8];
    fail(a, "unexpected %s after the instruction", here(a, b, sizeof b));
    return false;
}

static bool same_width(asm_t *a, char w1, char w2)
{
    if (w1 == w2)
        return true;
    fail(a, "mixes %c and %c registers (w for 32-bit, r for 64-bit)", w1, w2);
    return false;
}

static void add_fixup(asm_t *a, const char *name, fixkind_t kind)
{
    if (!grow((void **)&a->fix, &a->fixcap, a->nfix + 1, sizeof *a->fix)) {
        fail(a, "out of memory");
        return;
    }
    fixup_t *f = &a->fix[a->nfix++];
    snprintf(f->name, sizeof f->name, "%s", name);
    f->slot = a->nslots;
    f->line = a->line;
    f->kind = kind;
}

/*
 * A jump or call target: +N, -N or N (slots after the next instruction), or
 * a label (patched later: *label set). An llvm-objdump annotation "<name>"
 * or "<name+0xN>" may follow and is ignored.
 */
static bool target(asm_t *a, int64_t *rel, const char **label)
{
    *label = NULL;
    *rel = 0;
    if (is(a, T_ID, NULL)) {
        *label = next(a)->s;
    } else if (!number(a, rel, NULL)) {
        return false;
    }
    if (accept(a, T_OP, "<")) { /* "<name>" or llvm-objdump 19's "<name+0x18>" */
        if (!accept(a, T_ID, NULL) || (accept(a, T_OP, "+") && !accept(a, T_NUM, NULL)) ||
            !accept(a, T_OP, ">")) {
            fail(a, "bad '<label>' annotation");
            return false;
        }
    }
    return true;
}

static bool jump_off(asm_t *a, int64_t rel, const char *label, int16_t *off)
{
    if (label) {
        add_fixup(a, label, FIX_OFF);
        *off = 0;
        return true;
    }
    if (rel < INT16_MIN || rel > INT16_MAX) {
        fail(a, "jump offset %lld does not fit in 16 bits (use gotol)", (long long)rel);
        return false;
    }
    *off = (int16_t)rel;
    return true;
}

static bool imm_target(asm_t *a, int64_t rel, const char *label, int32_t *imm)
{
    if (label) {
        add_fixup(a, label, FIX_IMM);
        *imm = 0;
        return true;
    }
    if (rel < INT32_MIN || rel > INT32_MAX) {
        fail(a, "offset %lld does not fit in 32 bits", (long long)rel);
        return false;
    }
    *imm = (int32_t)rel;
    return true;
}

/* ---- instruction families ---- */

/* if rD OP (rS|imm) goto T */
static void asm_if(asm_t *a)
{
    char w, w2;
    unsigned d, s = 0;
    int32_t imm = 0;
    if (!reg(a, &w, &d))
        return;
    const tok_t *t = next(a);
    int jop = t->k == T_OP ? isa_op_by_text(t->s, FC_CLS_JMP, true) : -1; /* the ISA table's operators */
    if (jop < 0) {
        fail(a, "expected a comparison (== != > >= < <= s> s>= s< s<= &)");
        return;
    }
    uint8_t op = (uint8_t)((unsigned)jop | (w == 'w' ? FC_CLS_JMP32 : FC_CLS_JMP));
    if (is(a, T_REG, NULL)) {
        if (!reg(a, &w2, &s) || !same_width(a, w, w2))
            return;
        op |= FC_SRC_X;
    } else if (!imm32(a, &imm)) {
        return;
    }
    if (!expect(a, T_ID, "goto"))
        return;
    int64_t rel;
    const char *label;
    int16_t off;
    if (!target(a, &rel, &label) || !at_end(a) || !jump_off(a, rel, label, &off))
        return;
    emit(a, mk(op, d, s, off, imm));
}

/* (s8|s16|s32|u8|u16|u32|u64 *) : the size bits; *sx for s */
static bool size_cast(asm_t *a, uint8_t *size, bool *sx, bool allow_s)
{
    if (!expect(a, T_OP, "("))
        return false;
    const tok_t *t = next(a);
    static const struct { const char *s; uint8_t size; } sz[] = {
        { "8", FC_SIZE_B }, { "16", FC_SIZE_H }, { "32", FC_SIZE_W }, { "64", FC_SIZE_DW },
    };
    if (t->k == T_ID && (t->s[0] == 'u' || (t->s[0] == 's' && allow_s))) {
        for (size_t k = 0; k < 4; k++) {
            if (!strcmp(t->s + 1, sz[k].s)) {
                *size = sz[k].size;
                *sx = t->s[0] == 's';
                if (*sx && *size == FC_SIZE_DW)
                    break;
                return expect(a, T_OP, "*") && expect(a, T_OP, ")");
            }
        }
    }
    fail(a, "expected a width: u8, u16, u32, u64%s", allow_s ? ", s8, s16, s32" : "");
    return false;
}

/* rB + N / rB - N (inside the parentheses) */
static bool mem_addr(asm_t *a, unsigned *base, int16_t *off)
{
    char w;
    if (!reg(a, &w, base))
        return false;
    if (w != 'r') {
        fail(a, "a memory address takes an r register, not w%u", *base);
        return false;
    }
    bool neg;
    if (accept(a, T_OP, "-"))
        neg = true;
    else if (accept(a, T_OP, "+"))
        neg = false;
    else {
        *off = 0;
        return true;
    }
    if (!is(a, T_NUM, NULL)) {
        fail(a, "expected an offset after r%u", *base);
        return false;
    }
    uint64_t m = next(a)->num;
    if ((!neg && m > INT16_MAX) || (neg && m > 32768)) {
        fail(a, "memory offset %s%llu does not fit in 16 bits", neg ? "-" : "",
             (unsigned long long)m);
        return false;
    }
    *off = (int16_t)(neg ? -(int64_t)m : (int64_t)m);
    return true;
}

/* "(rB + N)" */
static bool mem_paren(asm_t *a, unsigned *base, int16_t *off)
{
    return expect(a, T_OP, "(") && mem_addr(a, base, off) && expect(a, T_OP, ")");
}

static const struct { const char *s; int32_t op; } atomic_ops[] = {
    { "+=", FC_ATOMIC_ADD }, { "|=", FC_ATOMIC_OR }, { "&=", FC_ATOMIC_AND }, { "^=", FC_ATOMIC_XOR },
};

/* lock *(uN *)(rB + off) OP= rS */
static void asm_lock(asm_t *a)
{
    uint8_t size;
    bool sx;
    unsigned base, s;
    int16_t off;
    char w;
    if (!expect(a, T_OP, "*") || !size_cast(a, &size, &sx, false) || !mem_paren(a, &base, &off))
        return;
    if (size != FC_SIZE_W && size != FC_SIZE_DW) {
        fail(a, "atomic operations take u32 or u64");
        return;
    }
    const tok_t *t = next(a);
    size_t k;
    for (k = 0; k < 4; k++)
        if (t->k == T_OP && !strcmp(t->s, atomic_ops[k].s))
            break;
    if (k == 4) {
        fail(a, "expected an atomic operation: += |= &= ^=");
        return;
    }
    if (!reg(a, &w, &s) || !at_end(a))
        return;
    if (size == FC_SIZE_DW && w != 'r') {
        fail(a, "a 64-bit atomic takes an r register");
        return;
    }
    emit(a, mk((uint8_t)(FC_CLS_STX | FC_MODE_ATOMIC | size), base, s, off, atomic_ops[k].op));
}

/* *(uN *)(rB + off) = rS | imm */
static void asm_store(asm_t *a)
{
    uint8_t size;
    bool sx;
    unsigned base, s;
    int16_t off;
    char w;
    if (!size_cast(a, &size, &sx, false) || !mem_paren(a, &base, &off) || !expect(a, T_OP, "="))
        return;
    if (is(a, T_REG, NULL)) {
        if (!reg(a, &w, &s) || !at_end(a))
            return;
        if (size == FC_SIZE_DW && w != 'r') {
            fail(a, "a 64-bit store takes an r register");
            return;
        }
        emit(a, mk((uint8_t)(FC_CLS_STX | FC_MODE_MEM | size), base, s, off, 0));
        return;
    }
    int32_t imm;
    if (!imm32(a, &imm) || !at_end(a))
        return;
    emit(a, mk((uint8_t)(FC_CLS_ST | FC_MODE_MEM | size), base, 0, off, imm));
}

/* after "rD = *": (uN *)(rB + off) or (uN *)skb[imm|rS] */
static void asm_load(asm_t *a, char w, unsigned d)
{
    uint8_t size;
    bool sx;
    unsigned base;
    int16_t off;
    if (!size_cast(a, &size, &sx, true))
        return;
    if (accept(a, T_ID, "skb")) {
        if (w != 'r' || d != 0 || sx || size == FC_SIZE_DW) {
            fail(a, "legacy packet loads are r0 = *(u8|u16|u32 *)skb[...]");
            return;
        }
        if (!expect(a, T_OP, "["))
            return;
        if (is(a, T_REG, NULL)) {
            char w2;
            unsigned s;
            if (!reg(a, &w2, &s) || !expect(a, T_OP, "]") || !at_end(a))
                return;
            emit(a, mk((uint8_t)(FC_CLS_LD | FC_MODE_IND | size), 0, s, 0, 0));
            return;
        }
        int32_t imm;
        if (!imm32(a, &imm) || !expect(a, T_OP, "]") || !at_end(a))
            return;
        emit(a, mk((uint8_t)(FC_CLS_LD | FC_MODE_ABS | size), 0, 0, 0, imm));
        return;
    }
    if (!mem_paren(a, &base, &off) || !at_end(a))
        return;
    if (w != 'r' && (size == FC_SIZE_DW || sx)) {
        fail(a, "a 64-bit or sign-extending load takes an r register");
        return;
    }
    emit(a, mk((uint8_t)(FC_CLS_LDX | (sx ? FC_MODE_MEMSX : FC_MODE_MEM) | size), d, base, off, 0));
}

/* after "rD = NAME(": the atomic fetch, xchg and cmpxchg forms */
static void asm_atomic_fn(asm_t *a, char w, unsigned d, const char *name)
{
    static const struct { const char *s; int32_t op; } fetch[] = {
        { "atomic_fetch_add", FC_ATOMIC_ADD | FC_ATOMIC_FETCH },
        { "atomic_fetch_or", FC_ATOMIC_OR | FC_ATOMIC_FETCH },
        { "atomic_fetch_and", FC_ATOMIC_AND | FC_ATOMIC_FETCH },
        { "atomic_fetch_xor", FC_ATOMIC_XOR | FC_ATOMIC_FETCH },
    };
    unsigned base, s, s0;
    int16_t off;
    char w2, w0;
    uint8_t size;
    bool sx;
    for (size_t k = 0; k < 4; k++) {
        if (strcmp(name, fetch[k].s))
            continue;
        if (!expect(a, T_OP, "(") || !size_cast(a, &size, &sx, false) || !mem_paren(a, &base, &off) ||
            !expect(a, T_OP, ",") || !reg(a, &w2, &s) || !expect(a, T_OP, ")") || !at_end(a))
            return;
        if (size != FC_SIZE_W && size != FC_SIZE_DW) {
            fail(a, "atomic operations take u32 or u64");
            return;
        }
        if (s != d || w2 != w) {
            fail(a, "%s returns into its operand register: %c%u = %s(..., %c%u)", name, w2, s, name, w2, s);
            return;
        }
        if ((size == FC_SIZE_DW) != (w == 'r')) {
            fail(a, "use r registers with u64 and w registers with u32");
            return;
        }
        emit(a, mk((uint8_t)(FC_CLS_STX | FC_MODE_ATOMIC | size), base, s, off, fetch[k].op));
        return;
    }
    bool x64 = !strcmp(name, "xchg_64"), x32 = !strcmp(name, "xchg32_32");
    bool c64 = !strcmp(name, "cmpxchg_64"), c32 = !strcmp(name, "cmpxchg32_32");
    if (!x64 && !x32 && !c64 && !c32) {
        fail(a, "unknown function '%s'", name);
        return;
    }
    char want = (x64 || c64) ? 'r' : 'w';
    if (w != want) {
        fail(a, "%s takes %c registers", name, want);
        return;
    }
    if (!expect(a, T_OP, "(") || !mem_addr(a, &base, &off) || !expect(a, T_OP, ","))
        return;
    if (c64 || c32) {
        if (!reg(a, &w0, &s0) || !expect(a, T_OP, ","))
            return;
        if (d != 0 || s0 != 0 || w0 != want) {
            fail(a, "cmpxchg compares and returns in %c0: %c0 = %s(rB + off, %c0, %cS)", want, want,
                 name, want, want);
            return;
        }
    }
    if (!reg(a, &w2, &s) || !expect(a, T_OP, ")") || !at_end(a))
        return;
    if (w2 != want || ((x64 || x32) && s != d)) {
        fail(a, "%s: use %c%u = %s(rB + off, %c%u)", name, want, d, name, want, d);
        return;
    }
    uint8_t op = (uint8_t)(FC_CLS_STX | FC_MODE_ATOMIC | (want == 'r' ? FC_SIZE_DW : FC_SIZE_W));
    emit(a, mk(op, base, s, off, (x64 || x32) ? FC_ATOMIC_XCHG : FC_ATOMIC_CMPXCHG));
}

/* rD = ... : every form that starts with an assignment */
static void asm_assign(asm_t *a, char w, unsigned d)
{
    uint8_t cls = w == 'w' ? FC_CLS_ALU : FC_CLS_ALU64;
    char w2;
    unsigned s;
    if (accept(a, T_OP, "*")) {
        asm_load(a, w, d);
        return;
    }
    if (is(a, T_OP, "-") && a->t[a->pos + 1].k == T_REG) {
        a->pos++;
        if (!reg(a, &w2, &s) || !at_end(a) || !same_width(a, w, w2))
            return;
        if (s != d) {
            fail(a, "negation is in place: %c%u = -%c%u", w, d, w, d);
            return;
        }
        emit(a, mk((uint8_t)(cls | FC_ALU_NEG), d, 0, 0, 0));
        return;
    }
    if (is(a, T_OP, "(")) {
        /* movsx: (s8)rS */
        a->pos++;
        const tok_t *t = next(a);
        int16_t bits = 0;
        if (t->k == T_ID && !strcmp(t->s, "s8"))
            bits = 8;
        else if (t->k == T_ID && !strcmp(t->s, "s16"))
            bits = 16;
        else if (t->k == T_ID && !strcmp(t->s, "s32") && w == 'r')
            bits = 32;
        if (!bits) {
            fail(a, "expected a sign-extension cast: (s8), (s16)%s", w == 'r' ? ", (s32)" : "");
            return;
        }
        if (!expect(a, T_OP, ")") || !reg(a, &w2, &s) || !at_end(a) || !same_width(a, w, w2))
            return;
        emit(a, mk((uint8_t)(cls | FC_ALU_MOV | FC_SRC_X), d, s, bits, 0));
        return;
    }
    if (is(a, T_ID, NULL)) {
        char name[MAX_NAME];
        snprintf(name, sizeof name, "%s", next(a)->s);
        if (is(a, T_OP, "(")) {
            asm_atomic_fn(a, w, d, name);
            return;
        }
        /* le16 / be32 / bswap64 rD */
        static const struct { const char *s; uint8_t op; } sw[] = {
            { "le", FC_CLS_ALU | FC_ALU_END | FC_SRC_K },
            { "be", FC_CLS_ALU | FC_ALU_END | FC_SRC_X },
            { "bswap", FC_CLS_ALU64 | FC_ALU_END | FC_SRC_K },
        };
        for (size_t k = 0; k < 3; k++) {
            size_t n = strlen(sw[k].s);
            if (strncmp(name, sw[k].s, n))
                continue;
            const char *bits = name + n;
            int32_t width = !strcmp(bits, "16") ? 16 : !strcmp(bits, "32") ? 32 : !strcmp(bits, "64") ? 64 : 0;
            if (!width)
                break;
            if (!reg(a, &w2, &s) || !at_end(a))
                return;
            if (s != d) {
                fail(a, "%s is in place: r%u = %s r%u", name, d, name, d);
                return;
            }
            emit(a, mk(sw[k].op, d, 0, 0, width));
            return;
        }
        fail(a, "unknown operation '%s'", name);
        return;
    }
    if (is(a, T_REG, NULL)) {
        if (!reg(a, &w2, &s) || !at_end(a) || !same_width(a, w, w2))
            return;
        emit(a, mk((uint8_t)(cls | FC_ALU_MOV | FC_SRC_X), d, s, 0, 0));
        return;
    }
    /* rD = imm, or rD = imm64 ll */
    int64_t v;
    bool neg;
    if (!number(a, &v, &neg))
        return;
    if (accept(a, T_ID, "ll")) {
        if (!at_end(a))
            return;
        if (w != 'r') {
            fail(a, "a 64-bit immediate load takes an r register");
            return;
        }
        uint64_t u = (uint64_t)v;
        emit(a, mk(FC_OP_LDDW, d, 0, 0, (int32_t)(uint32_t)u));
        emit(a, mk(0, 0, 0, 0, (int32_t)(uint32_t)(u >> 32)));
        return;
    }
    if (!at_end(a))
        return;
    if ((neg && v < INT32_MIN) || (!neg && (uint64_t)v > UINT32_MAX)) {
        fail(a, "immediate out of 32-bit range (for 64-bit constants write '%c%u = N ll')", w, d);
        return;
    }
    emit(a, mk((uint8_t)(cls | FC_ALU_MOV), d, 0, 0, (int32_t)(uint32_t)(uint64_t)v));
}

/* rD OP= (rS|imm) */
static void asm_alu(asm_t *a, char w, unsigned d)
{
    const tok_t *t = next(a);
    /* the ISA table's operators; "s/=" and "s%=" are the signed division and modulo (off 1) */
    int aop = t->k == T_OP ? isa_op_by_text(t->s, FC_CLS_ALU64, false) : -1;
    int16_t off = 0;
    if (aop < 0 && t->k == T_OP && t->s[0] == 's') {
        aop = isa_op_by_text(t->s + 1, FC_CLS_ALU64, false);
        if (aop != FC_ALU_DIV && aop != FC_ALU_MOD)
            aop = -1;
        off = 1;
    }
    if (aop < 0) {
        fail(a, "expected an assignment or an operator (= += -= *= /= %%= |= &= ^= <<= >>= s>>= s/= s%%=)");
        return;
    }
    uint8_t op = (uint8_t)((unsigned)aop | (w == 'w' ? FC_CLS_ALU : FC_CLS_ALU64));
    if (is(a, T_REG, NULL)) {
        char w2;
        unsigned s;
        if (!reg(a, &w2, &s) || !at_end(a) || !same_width(a, w, w2))
            return;
        emit(a, mk((uint8_t)(op | FC_SRC_X), d, s, off, 0));
        return;
    }
    int32_t imm;
    if (!imm32(a, &imm) || !at_end(a))
        return;
    emit(a, mk(op, d, 0, off, imm));
}

static void asm_insn(asm_t *a)
{
    const tok_t *t = peek(a);
    char b[MAX_NAME + 8];
    if (t->k == T_REG) {
        char w;
        unsigned d;
        reg(a, &w, &d);
        if (accept(a, T_OP, "="))
            asm_assign(a, w, d);
        else
            asm_alu(a, w, d);
        return;
    }
    if (accept(a, T_OP, "*")) {
        asm_store(a);
        return;
    }
    if (t->k != T_ID) {
        fail(a, "expected an instruction, found %s", here(a, b, sizeof b));
        return;
    }
    char name[MAX_NAME];
    snprintf(name, sizeof name, "%s", t->s);
    a->pos++;
    int64_t rel;
    const char *label;
    if (!strcmp(name, "exit")) {
        if (at_end(a))
            emit(a, mk(FC_OP_EXIT, 0, 0, 0, 0));
    } else if (!strcmp(name, "if")) {
        asm_if(a);
    } else if (!strcmp(name, "lock")) {
        asm_lock(a);
    } else if (!strcmp(name, "goto")) {
        int16_t off;
        if (target(a, &rel, &label) && at_end(a) && jump_off(a, rel, label, &off))
            emit(a, mk(FC_OP_JA, 0, 0, off, 0));
    } else if (!strcmp(name, "gotol")) {
        int32_t imm;
        if (target(a, &rel, &label) && at_end(a) && imm_target(a, rel, label, &imm))
            emit(a, mk(FC_OP_JA32, 0, 0, 0, imm));
    } else if (!strcmp(name, "call")) {
        /* a bare number is a helper id; +N, -N or a label is a local call */
        if (is(a, T_NUM, NULL)) {
            int32_t imm;
            if (imm32(a, &imm) && at_end(a))
                emit(a, mk(FC_OP_CALL, 0, a->raw_local_call ? FC_CALL_LOCAL : FC_CALL_HELPER, 0, imm));
            return;
        }
        int32_t imm;
        if (target(a, &rel, &label) && at_end(a) && imm_target(a, rel, label, &imm))
            emit(a, mk(FC_OP_CALL, 0, FC_CALL_LOCAL, 0, imm));
    } else if (!strcmp(name, "callx")) {
        char w;
        unsigned r;
        if (reg(a, &w, &r) && at_end(a))
            emit(a, mk(FC_OP_CALLX, r, 0, 0, 0));
    } else if (!strcmp(name, ".8byte")) {
        int64_t v;
        if (!number(a, &v, NULL) || !at_end(a))
            return;
        uint8_t p[FC_INSN_SIZE];
        for (int k = 0; k < 8; k++)
            p[k] = (uint8_t)((uint64_t)v >> (8 * k));
        emit(a, fc_insn_decode(p));
    } else {
        fail(a, "unknown instruction '%s'", name);
    }
}

/* ---- lines ---- */

static void add_label(asm_t *a, const char *name, size_t n)
{
    if (n >= MAX_NAME) {
        fail(a, "label too long");
        return;
    }
    for (size_t k = 0; k < a->nlabels; k++) {
        if (strlen(a->labels[k].name) == n && !strncmp(a->labels[k].name, name, n)) {
            /* llvm-objdump output may name one address twice (section and function) */
            if (a->labels[k].slot == a->nslots)
                return;
            fail(a, "label '%.*s' defined twice", (int)n, name);
            return;
        }
    }
    if (!grow((void **)&a->labels, &a->labcap, a->nlabels + 1, sizeof *a->labels)) {
        fail(a, "out of memory");
        return;
    }
    memcpy(a->labels[a->nlabels].name, name, n);
    a->labels[a->nlabels].name[n] = '\0';
    a->labels[a->nlabels].slot = a->nslots;
    a->nlabels++;
}

static bool is_hex_byte(const char *p)
{
    return isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) &&
           (p[2] == '\0' || isspace((unsigned char)p[2]));
}

static void asm_line(asm_t *a, char *p)
{
    /* comments */
    for (char *c = p; *c; c++) {
        if (*c == ';' || *c == '#' || (c[0] == '/' && c[1] == '/')) {
            *c = '\0';
            break;
        }
    }
    while (isspace((unsigned char)*p))
        p++;
    /* llvm-objdump headers */
    if (strstr(p, "file format ") || !strncmp(p, "Disassembly of section", 22))
        return;
    /* "0000000000000028 <LBB0_2>:" or "<LBB0_2>:" */
    char *q = p;
    while (isxdigit((unsigned char)*q))
        q++;
    if (q > p && isspace((unsigned char)*q)) {
        char *r = q;
        while (isspace((unsigned char)*r))
            r++;
        if (*r == '<')
            q = r;
    }
    if (*q == '<') {
        char *end = strchr(q, '>');
        if (end && end[1] == ':') {
            char *r = end + 2;
            while (isspace((unsigned char)*r))
                r++;
            if (!*r) {
                add_label(a, q + 1, (size_t)(end - q - 1));
                return;
            }
        }
    }
    /* "  12:" slot address */
    q = p;
    while (isdigit((unsigned char)*q))
        q++;
    if (q > p && *q == ':') {
        p = q + 1;
        while (isspace((unsigned char)*p))
            p++;
    }
    /* labels "name:" */
    for (;;) {
        q = p;
        if (!is_id_start((unsigned char)*q))
            break;
        while (is_id_char((unsigned char)*q))
            q++;
        if (*q != ':')
            break;
        add_label(a, p, (size_t)(q - p));
        if (a->failed)
            return;
        p = q + 1;
        while (isspace((unsigned char)*p))
            p++;
    }
    /* raw bytes as llvm-objdump prints them: skipped, the text says it all */
    uint8_t raw[FC_INSN_SIZE];
    size_t nraw = 0;
    while (is_hex_byte(p)) {
        if (nraw < sizeof raw)
            raw[nraw] = (uint8_t)strtoul((char[]){ p[0], p[1], '\0' }, NULL, 16);
        nraw++;
        p += 2;
        while (isspace((unsigned char)*p))
            p++;
    }
    if (!*p) {
        if (nraw)
            fail(a, "raw bytes without an instruction");
        return;
    }
    /* what llvm-objdump cannot decode, its bytes say */
    if (!strncmp(p, "<unknown>", 9) && !p[9 + strspn(p + 9, " \t")]) {
        if (nraw != FC_INSN_SIZE) {
            fail(a, "<unknown> needs the instruction's 8 bytes before it");
            return;
        }
        emit(a, fc_insn_decode(raw));
        return;
    }
    if (!tokenize(a, p))
        return;
    a->raw_local_call = nraw == FC_INSN_SIZE && raw[0] == FC_OP_CALL && raw[1] >> 4 == FC_CALL_LOCAL;
    asm_insn(a);
}

static void resolve(asm_t *a)
{
    for (size_t k = 0; k < a->nfix && !a->failed; k++) {
        fixup_t *f = &a->fix[k];
        size_t j;
        for (j = 0; j < a->nlabels; j++)
            if (!strcmp(a->labels[j].name, f->name))
                break;
        a->line = f->line;
        if (j == a->nlabels) {
            fail(a, "undefined label '%s'", f->name);
            return;
        }
        int64_t rel = (int64_t)a->labels[j].slot - (int64_t)f->slot - 1;
        uint8_t *p = a->code + f->slot * FC_INSN_SIZE;
        fc_insn_t i = fc_insn_decode(p);
        if (f->kind == FIX_OFF) {
            if (rel < INT16_MIN || rel > INT16_MAX) {
                fail(a, "label '%s' is %lld slots away: too far for a 16-bit jump (use gotol)",
                     f->name, (long long)rel);
                return;
            }
            i.off = (int16_t)rel;
        } else {
            i.imm = (int32_t)rel;
        }
        fc_insn_encode(p, i);
    }
}

int fc_asm(const char *text, size_t len, uint8_t **out, size_t *out_len, fc_asm_err_t *err)
{
    asm_t *a = calloc(1, sizeof *a);
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (err) {
        err->line = 0;
        err->msg[0] = '\0';
    }
    if (!a || !out || !out_len || (!text && len)) {
        free(a);
        if (err)
            snprintf(err->msg, sizeof err->msg, "%s", a ? "invalid arguments" : "out of memory");
        return -1;
    }
    a->err = err;
    char line[MAX_LINE];
    size_t i = 0;
    while (i < len && !a->failed) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        a->line++;
        size_t n = j - i;
        if (n && text[i + n - 1] == '\r')
            n--;
        if (n >= sizeof line) {
            fail(a, "line longer than %d characters", MAX_LINE - 1);
            break;
        }
        memcpy(line, text + i, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) {
            fail(a, "NUL byte in the text");
            break;
        }
        asm_line(a, line);
        i = j + 1;
    }
    if (!a->failed)
        resolve(a);
    int rc = a->failed ? -1 : 0;
    if (rc == 0) {
        *out = a->code;
        *out_len = a->nslots * FC_INSN_SIZE;
        a->code = NULL;
    }
    free(a->code);
    free(a->labels);
    free(a->fix);
    free(a);
    return rc;
}
