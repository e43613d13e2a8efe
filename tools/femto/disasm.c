/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One instruction to llvm-objdump text. Each form checks that every field it
 * does not print is zero: otherwise the text would assemble to other bytes,
 * and the slot prints as ".8byte" instead, so asm(disasm(x)) == x always.
 */
#include "disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fc/isa.h"
#include "isa_text.h"

/* A bounded string builder: output past the end is dropped, never overrun. */
typedef struct {
    char *p;
    size_t cap;
    size_t len;
} sbuf_t;

static void put(sbuf_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sbuf_t *s, const char *fmt, ...)
{
    if (s->cap == 0 || s->len >= s->cap - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    s->len += (size_t)n;
    if (s->len > s->cap - 1)
        s->len = s->cap - 1;
}

static const char *const size_names[4] = { "32", "16", "8", "64" };

static const char *atomic_name(int32_t op)
{
    switch (op & ~FC_ATOMIC_FETCH) {
    case FC_ATOMIC_ADD: return "add";
    case FC_ATOMIC_OR:  return "or";
    case FC_ATOMIC_AND: return "and";
    case FC_ATOMIC_XOR: return "xor";
    default:            return NULL;
    }
}

static const char *atomic_sym(int32_t op)
{
    switch (op) {
    case FC_ATOMIC_ADD: return "+=";
    case FC_ATOMIC_OR:  return "|=";
    case FC_ATOMIC_AND: return "&=";
    case FC_ATOMIC_XOR: return "^=";
    default:            return NULL;
    }
}

/* An immediate as LLVM 19 prints it: hexadecimal, "-0x1" when negative. */
static void put_imm(sbuf_t *s, int64_t v)
{
    if (v < 0)
        put(s, "-0x%" PRIx64, (uint64_t)0 - (uint64_t)v);
    else
        put(s, "0x%" PRIx64, (uint64_t)v);
}

/* "(r1 + 0x4)" / "(r10 - 0x8)", as llvm-objdump prints a memory operand. */
static void put_mem(sbuf_t *s, unsigned reg, int16_t off)
{
    if (off < 0)
        put(s, "r%u - 0x%x", reg, (unsigned)-(int)off);
    else
        put(s, "r%u + 0x%x", reg, (unsigned)off);
}

/* "+0x3 <f+0x18>": the offset, then the target as symbol + byte offset. */
static void put_target(sbuf_t *s, const fc_disasm_opts_t *o, size_t pc, int64_t rel)
{
    put(s, "%c0x%" PRIx64, rel < 0 ? '-' : '+', rel < 0 ? (uint64_t)0 - (uint64_t)rel : (uint64_t)rel);
    if (o && o->label) {
        long delta = 0;
        const char *name = o->label(o->ctx, (long)pc + 1 + (long)rel, &delta);
        if (name && delta)
            put(s, " <%s+0x%lx>", name, (unsigned long)delta * FC_INSN_SIZE);
        else if (name)
            put(s, " <%s>", name);
    }
}

static bool alu(sbuf_t *s, fc_insn_t i)
{
    bool is64 = (i.op & 0x07) == FC_CLS_ALU64;
    bool x = (i.op & FC_SRC_X) != 0;
    unsigned op = i.op & 0xf0u;
    char r = is64 ? 'r' : 'w';

    if (op == FC_ALU_END) {
        /* le/be (ALU) and bswap (ALU64 K) print r registers, as LLVM does */
        if (i.src || i.off || (i.imm != 16 && i.imm != 32 && i.imm != 64) || (is64 && x))
            return false;
        const char *name = is64 ? "bswap" : x ? "be" : "le";
        put(s, "r%u = %s%d r%u", i.dst, name, (int)i.imm, i.dst);
        return true;
    }
    if (op == FC_ALU_NEG) {
        if (x || i.src || i.off || i.imm)
            return false;
        put(s, "%c%u = -%c%u", r, i.dst, r, i.dst);
        return true;
    }
    if (op == FC_ALU_MOV) {
        if (!x) {
            if (i.src || i.off)
                return false;
            put(s, "%c%u = ", r, i.dst);
            put_imm(s, i.imm);
            return true;
        }
        if (i.imm)
            return false;
        if (i.off == 0)
            put(s, "%c%u = %c%u", r, i.dst, r, i.src);
        else if (i.off == 8 || i.off == 16 || (i.off == 32 && is64))
            put(s, "%c%u = (s%d)%c%u", r, i.dst, (int)i.off, r, i.src);
        else
            return false;
        return true;
    }
    const char *sym = isa_op_text(op, FC_CLS_ALU64, false);
    if (!sym)
        return false;
    bool signed_div = false;
    if (i.off == 1 && (op == FC_ALU_DIV || op == FC_ALU_MOD))
        signed_div = true;
    else if (i.off != 0)
        return false;
    const char *pre = signed_div ? "s" : "";
    if (x) {
        if (i.imm)
            return false;
        put(s, "%c%u %s%s %c%u", r, i.dst, pre, sym, r, i.src);
    } else {
        if (i.src)
            return false;
        put(s, "%c%u %s%s ", r, i.dst, pre, sym);
        put_imm(s, i.imm);
    }
    return true;
}

static bool jmp(sbuf_t *s, fc_insn_t i, size_t pc, const fc_disasm_opts_t *o)
{
    bool is32 = (i.op & 0x07) == FC_CLS_JMP32;
    bool x = (i.op & FC_SRC_X) != 0;
    unsigned op = i.op & 0xf0u;
    char r = is32 ? 'w' : 'r';

    switch (op) {
    case FC_JMP_JA:
        if (x || i.dst || i.src)
            return false;
        if (is32) {
            if (i.off)
                return false;
            put(s, "gotol ");
            put_target(s, o, pc, i.imm);
        } else {
            if (i.imm)
                return false;
            put(s, "goto ");
            put_target(s, o, pc, i.off);
        }
        return true;
    case FC_JMP_CALL:
        if (is32 || i.off)
            return false;
        if (x) {
            /* callx: the register in dst, as the kernel and the conformance suite encode it */
            if (i.src || i.imm || i.dst > 10)
                return false;
            put(s, "callx r%u", i.dst);
            return true;
        }
        if (i.dst)
            return false;
        if (i.src == FC_CALL_HELPER) {
            /* unsigned: a sign marks a local call (LLVM 19 prints "call -0x1" for both) */
            put(s, "call 0x%" PRIx32, (uint32_t)i.imm);
            return true;
        }
        if (i.src == FC_CALL_LOCAL) {
            /* a sign marks a pc-relative local call ("call +6"), see docs/asm.md */
            put(s, "call ");
            put_target(s, o, pc, i.imm);
            return true;
        }
        return false;
    case FC_JMP_EXIT:
        if (is32 || x || i.dst || i.src || i.off || i.imm)
            return false;
        put(s, "exit");
        return true;
    default:
        break;
    }
    const char *sym = isa_op_text(op, FC_CLS_JMP, true);
    if (!sym)
        return false;
    if (x) {
        if (i.imm || i.src > 10)
            return false;
        put(s, "if %c%u %s %c%u goto ", r, i.dst, sym, r, i.src);
    } else {
        if (i.src)
            return false;
        put(s, "if %c%u %s ", r, i.dst, sym);
        put_imm(s, i.imm);
        put(s, " goto ");
    }
    put_target(s, o, pc, i.off);
    return true;
}

static bool ld(sbuf_t *s, fc_insn_t i, const uint8_t *next)
{
    unsigned mode = i.op & 0xe0u, size = (i.op >> 3) & 3u;
    if (i.op == FC_OP_LDDW) {
        if (!next || i.src || i.off)
            return false;
        fc_insn_t hi = fc_insn_decode(next);
        if (hi.op || hi.dst || hi.src || hi.off)
            return false;
        uint64_t v = (uint64_t)(uint32_t)i.imm | ((uint64_t)(uint32_t)hi.imm << 32);
        put(s, "r%u = ", i.dst);
        put_imm(s, (int64_t)v);
        put(s, " ll");
        return true;
    }
    if (size == 3 || i.dst || i.off)
        return false;
    if (mode == FC_MODE_ABS && !i.src) {
        put(s, "r0 = *(u%s *)skb[", size_names[size]);
        put_imm(s, i.imm);
        put(s, "]");
        return true;
    }
    if (mode == FC_MODE_IND && !i.imm && i.src <= 10) {
        put(s, "r0 = *(u%s *)skb[r%u]", size_names[size], i.src);
        return true;
    }
    return false;
}

static bool ldst(sbuf_t *s, fc_insn_t i)
{
    unsigned cls = i.op & 0x07u, mode = i.op & 0xe0u, size = (i.op >> 3) & 3u;
    const char *w = size_names[size];
    if (i.src > 10)
        return false;
    if (cls == FC_CLS_LDX) {
        if (i.imm || (mode != FC_MODE_MEM && !(mode == FC_MODE_MEMSX && size != 3)))
            return false;
        put(s, "r%u = *(%c%s *)(", i.dst, mode == FC_MODE_MEM ? 'u' : 's', w);
        put_mem(s, i.src, i.off);
        put(s, ")");
        return true;
    }
    if (cls == FC_CLS_ST) {
        if (mode != FC_MODE_MEM || i.src)
            return false;
        put(s, "*(u%s *)(", w);
        put_mem(s, i.dst, i.off);
        put(s, ") = ");
        put_imm(s, i.imm);
        return true;
    }
    /* STX */
    if (mode == FC_MODE_MEM) {
        if (i.imm)
            return false;
        put(s, "*(u%s *)(", w);
        put_mem(s, i.dst, i.off);
        put(s, ") = r%u", i.src);
        return true;
    }
    if (mode != FC_MODE_ATOMIC || (size != 0 && size != 3))
        return false;
    char r = size == 3 ? 'r' : 'w';
    const char *sym = atomic_sym(i.imm);
    const char *name = atomic_name(i.imm);
    if (sym) {
        put(s, "lock *(u%s *)(", w);
        put_mem(s, i.dst, i.off);
        put(s, ") %s %c%u", sym, r, i.src);
    } else if (name && (i.imm & FC_ATOMIC_FETCH)) {
        put(s, "%c%u = atomic_fetch_%s((u%s *)(", r, i.src, name, w);
        put_mem(s, i.dst, i.off);
        put(s, "), %c%u)", r, i.src);
    } else if (i.imm == FC_ATOMIC_XCHG) {
        put(s, "%c%u = xchg%s_%s(", r, i.src, size == 3 ? "" : "32", w);
        put_mem(s, i.dst, i.off);
        put(s, ", %c%u)", r, i.src);
    } else if (i.imm == FC_ATOMIC_CMPXCHG) {
        put(s, "%c0 = cmpxchg%s_%s(", r, size == 3 ? "" : "32", w);
        put_mem(s, i.dst, i.off);
        put(s, ", %c0, %c%u)", r, r, i.src);
    } else {
        return false;
    }
    return true;
}

/* The text of one instruction; false when it has no canonical form. */
static bool insn_text(sbuf_t *s, const uint8_t *code, size_t nslots, size_t pc,
                      const fc_disasm_opts_t *o, int *slots)
{
    fc_insn_t i = fc_insn_decode(code + pc * FC_INSN_SIZE);
    *slots = 1;
    if (i.dst > 10)
        return false;
    switch (i.op & 0x07) {
    case FC_CLS_ALU:
    case FC_CLS_ALU64:
        if ((i.op & FC_SRC_X) && i.src > 10)
            return false;
        return alu(s, i);
    case FC_CLS_JMP:
    case FC_CLS_JMP32:
        return jmp(s, i, pc, o);
    case FC_CLS_LD:
        if (i.op == FC_OP_LDDW)
            *slots = 2;
        if (ld(s, i, pc + 1 < nslots ? code + (pc + 1) * FC_INSN_SIZE : NULL))
            return true;
        *slots = 1;
        return false;
    default:
        return ldst(s, i);
    }
}

static uint64_t slot_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = (v << 8) | p[k];
    return v;
}

int fc_disasm_insn_ex(const uint8_t *code, size_t nslots, size_t pc,
                      const fc_disasm_opts_t *opts, char *buf, size_t buflen)
{
    sbuf_t s = { buf, buf ? buflen : 0, 0 };
    if (s.cap)
        buf[0] = '\0';
    if (!code || pc >= nslots)
        return 0;

    /* the text goes first into a scratch buffer, so that the prefix can show
     * how many slots it took */
    char tmp[FC_DISASM_MAX];
    sbuf_t t = { tmp, sizeof tmp, 0 };
    tmp[0] = '\0';
    int slots;
    if (!insn_text(&t, code, nslots, pc, opts, &slots)) {
        t.len = 0;
        tmp[0] = '\0';
        put(&t, ".8byte 0x%016" PRIx64, slot_u64(code + pc * FC_INSN_SIZE));
    }
    unsigned flags = opts ? opts->flags : 0;
    if (flags & FC_DISASM_ADDR)
        put(&s, "%8zu:\t", pc);
    if (flags & FC_DISASM_BYTES) {
        const uint8_t *p = code + pc * FC_INSN_SIZE;
        for (int k = 0; k < slots * FC_INSN_SIZE; k++)
            put(&s, k ? " %02x" : "%02x", p[k]);
        put(&s, "\t");
    }
    put(&s, "%s", tmp);
    return slots;
}

int fc_disasm_insn(const uint8_t *code, size_t nslots, size_t pc, char *buf, size_t buflen)
{
    return fc_disasm_insn_ex(code, nslots, pc, NULL, buf, buflen);
}
