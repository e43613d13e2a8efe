/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto disasm: an image, a BPF ELF object or raw bytecode to text, laid out
 * as llvm-objdump -d prints it (and read back as it is by femto asm).
 */
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "disasm.h"
#include "fc/err.h"
#include "fc/image.h"
#include "fc/isa.h"
#include "io.h"
#include "link.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

typedef struct {
    long slot;
    const char *name;
} sym_t;

/* Symbols of one code section, sorted by slot. */
typedef struct {
    sym_t *v;
    size_t n, cap;
} syms_t;

typedef struct {
    unsigned flags; /* FC_DISASM_ADDR | FC_DISASM_BYTES, or 0 for --no-addr */
    FILE *out;
} view_t;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto disasm [--raw] [--no-addr | --no-bytes] FILE\n\n"
            "Disassemble FILE in the syntax of llvm-objdump -d for BPF. FILE is a\n"
            "container image (magic FCIM: its code, entries as labels), a BPF ELF\n"
            "object (each executable section, its symbols as labels) or raw bytecode\n"
            "(8 bytes per instruction); '-' reads standard input.\n\n"
            "options:\n"
            "  --raw       read FILE as raw bytecode whatever it starts with\n"
            "  --no-bytes  show slot numbers but not the instruction bytes\n"
            "  --no-addr   neither slot numbers nor bytes: plain assembly, labels as 'name:'\n"
            "  --help      this text\n\n"
            "The output assembles back to the same bytes with 'femto asm' (any layout).\n"
            "Encodings without a canonical text print as '.8byte 0x...'. Syntax: docs/asm.md.\n"
            "exit codes: 0 ok, 1 malformed input, 2 usage error, 3 I/O error\n");
}

static int cmp_sym(const void *x, const void *y)
{
    const sym_t *a = x, *b = y;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    /* keep table order for equal slots: names are unique pointers, compare text */
    return strcmp(a->name, b->name);
}

static bool add_sym(syms_t *s, long slot, const char *name)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        sym_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return false;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].slot = slot;
    s->v[s->n].name = name;
    s->n++;
    return true;
}

/* The last symbol at or before slot (the lowest-named of several there). */
static const char *label_at(void *ctx, long slot, long *delta)
{
    const syms_t *s = ctx;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid].slot <= slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    long at = s->v[lo - 1].slot;
    while (lo > 1 && s->v[lo - 2].slot == at)
        lo--;
    *delta = slot - at;
    return s->v[lo - 1].name;
}

/* One code section: labels where symbols are, then each instruction. */
static void print_code(const view_t *v, const uint8_t *code, size_t nslots, syms_t *syms)
{
    fc_disasm_opts_t o = { v->flags, syms ? label_at : NULL, syms };
    size_t k = 0;
    char line[FC_DISASM_MAX];
    for (size_t pc = 0; pc < nslots;) {
        for (; syms && k < syms->n && syms->v[k].slot <= (long)pc; k++) {
            if (syms->v[k].slot < (long)pc)
                continue; /* inside an LDDW: cannot be shown */
            if (v->flags & FC_DISASM_ADDR)
                fprintf(v->out, "\n%016zx <%s>:\n", pc * FC_INSN_SIZE, syms->v[k].name);
            else
                fprintf(v->out, "\n%s:\n", syms->v[k].name);
        }
        int n = fc_disasm_insn_ex(code, nslots, pc, &o, line, sizeof line);
        if (v->flags & FC_DISASM_ADDR)
            fprintf(v->out, "%s\n", line);
        else
            fprintf(v->out, "\t%s\n", line);
        pc += (size_t)(n > 0 ? n : 1);
    }
}

static void header(const view_t *v, const char *path, const char *format, const char *section)
{
    if (v->flags & FC_DISASM_ADDR)
        fprintf(v->out, "\n%s:\tfile format %s\n\nDisassembly of section %s:\n", path, format, section);
    else
        fprintf(v->out, "; %s: file format %s\n; section %s\n", path, format, section);
}

static int disasm_raw(const view_t *v, const char *path, const uint8_t *buf, size_t len)
{
    if (len % FC_INSN_SIZE) {
        fprintf(stderr, "femto disasm: %s: %zu bytes is not a whole number of 8-byte instructions "
                        "(and not an image or an ELF object)\n", path, len);
        return FEMTO_EXIT_FAIL;
    }
    print_code(v, buf, len / FC_INSN_SIZE, NULL);
    return FEMTO_EXIT_OK;
}

static int disasm_image(const view_t *v, const char *path, const uint8_t *buf, size_t len)
{
    fc_image_t img;
    int err = fc_image_parse(&img, buf, len);
    if (err != FC_OK) {
        fprintf(stderr, "femto disasm: %s: not a valid image: %s\n", path, fc_strerror(err));
        return FEMTO_EXIT_FAIL;
    }
    syms_t syms = { 0 };
    for (uint32_t i = 0; i < img.nentries; i++) {
        const char *name;
        uint32_t pc;
        if (fc_image_entry_at(&img, i, &name, &pc) == FC_OK && !add_sym(&syms, (long)pc, name)) {
            free(syms.v);
            fprintf(stderr, "femto disasm: out of memory\n");
            return FEMTO_EXIT_FAIL;
        }
    }
    qsort(syms.v, syms.n, sizeof *syms.v, cmp_sym);
    header(v, path, "femto-image", ".text");
    print_code(v, img.text, img.nslots, &syms);
    free(syms.v);
    return FEMTO_EXIT_OK;
}

static int disasm_elf(const view_t *v, const char *path, uint8_t *buf, size_t len)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        fprintf(stderr, "femto disasm: libelf: %s\n", elf_errmsg(-1));
        return FEMTO_EXIT_FAIL;
    }
    Elf *e = elf_memory((char *)buf, len);
    GElf_Ehdr eh;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        fprintf(stderr, "femto disasm: %s: malformed ELF: %s\n", path, elf_errmsg(-1));
        if (e)
            elf_end(e);
        return FEMTO_EXIT_FAIL;
    }
    if (eh.e_machine != EM_BPF || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        fprintf(stderr, "femto disasm: %s: not a little-endian BPF object (machine %u)\n", path,
                (unsigned)eh.e_machine);
        elf_end(e);
        return FEMTO_EXIT_FAIL;
    }
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0) {
        fprintf(stderr, "femto disasm: %s: malformed ELF: %s\n", path, elf_errmsg(-1));
        elf_end(e);
        return FEMTO_EXIT_FAIL;
    }
    const char *why = fc_link_elf_problem(e, len);
    if (why != NULL) {
        fprintf(stderr, "femto disasm: %s: malformed ELF: %s\n", path, why);
        elf_end(e);
        return FEMTO_EXIT_FAIL;
    }
    /* the symbol table, if any */
    Elf_Data *symdata = NULL;
    size_t nsyms = 0, symstr = 0;
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        GElf_Shdr sh;
        if (gelf_getshdr(s, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_entsize) {
            symdata = elf_getdata(s, NULL);
            nsyms = sh.sh_size / sh.sh_entsize;
            symstr = sh.sh_link;
            break;
        }
    }
    if (symdata && symdata->d_size / sizeof(Elf64_Sym) < nsyms)
        nsyms = symdata->d_size / sizeof(Elf64_Sym);
    int rc = FEMTO_EXIT_OK;
    bool first = true;
    for (Elf_Scn *s = elf_nextscn(e, NULL); s; s = elf_nextscn(e, s)) {
        GElf_Shdr sh;
        if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_EXECINSTR) ||
            sh.sh_size == 0)
            continue;
        const char *secname = elf_strptr(e, shstrndx, sh.sh_name);
        Elf_Data *d = elf_getdata(s, NULL);
        if (!d || !d->d_buf || d->d_size != sh.sh_size) {
            fprintf(stderr, "femto disasm: %s: section %s: cannot read its data\n", path,
                    secname ? secname : "?");
            rc = FEMTO_EXIT_FAIL;
            break;
        }
        syms_t syms = { 0 };
        size_t ndx = elf_ndxscn(s);
        for (size_t k = 0; k < nsyms; k++) {
            GElf_Sym sym;
            if (!gelf_getsym(symdata, (int)k, &sym) || sym.st_shndx != ndx)
                continue;
            int type = GELF_ST_TYPE(sym.st_info);
            if (type == STT_SECTION || type == STT_FILE || type == STT_OBJECT)
                continue;
            const char *name = elf_strptr(e, symstr, sym.st_name);
            if (!name || !*name || sym.st_value % FC_INSN_SIZE || sym.st_value >= sh.sh_size)
                continue;
            if (!add_sym(&syms, (long)(sym.st_value / FC_INSN_SIZE), name)) {
                rc = FEMTO_EXIT_FAIL;
                break;
            }
        }
        qsort(syms.v, syms.n, sizeof *syms.v, cmp_sym);
        /* no symbol at the start: llvm-objdump names the section there */
        if ((syms.n == 0 || syms.v[0].slot != 0) && rc == FEMTO_EXIT_OK) {
            if (!add_sym(&syms, 0, secname ? secname : "?"))
                rc = FEMTO_EXIT_FAIL;
            qsort(syms.v, syms.n, sizeof *syms.v, cmp_sym);
        }
        if (first) {
            header(v, path, "elf64-bpf", secname ? secname : "?");
            first = false;
        } else if (v->flags & FC_DISASM_ADDR) {
            fprintf(v->out, "\nDisassembly of section %s:\n", secname ? secname : "?");
        } else {
            fprintf(v->out, "; section %s\n", secname ? secname : "?");
        }
        if (sh.sh_size % FC_INSN_SIZE)
            fprintf(stderr, "femto disasm: %s: section %s: %zu trailing bytes ignored\n", path,
                    secname ? secname : "?", (size_t)(sh.sh_size % FC_INSN_SIZE));
        print_code(v, d->d_buf, sh.sh_size / FC_INSN_SIZE, &syms);
        free(syms.v);
    }
    if (first && rc == FEMTO_EXIT_OK)
        fprintf(stderr, "femto disasm: %s: no executable section\n", path);
    elf_end(e);
    return rc;
}

int fc_cmd_disasm(int argc, char **argv)
{
    bool raw = false;
    view_t v = { FC_DISASM_ADDR | FC_DISASM_BYTES, stdout };
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(argv[i], "--raw")) {
            raw = true;
        } else if (!strcmp(argv[i], "--no-addr")) {
            v.flags = 0;
        } else if (!strcmp(argv[i], "--no-bytes")) {
            v.flags &= ~FC_DISASM_BYTES;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "femto disasm: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        } else if (path) {
            fprintf(stderr, "femto disasm: one FILE only\n");
            return FEMTO_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    size_t len;
    uint8_t *buf = femto_read_file(path, &len);
    if (!buf) {
        fprintf(stderr, "femto disasm: cannot read %s\n", path);
        return FEMTO_EXIT_IO;
    }
    int rc;
    enum femto_kind kind = raw ? FEMTO_KIND_RAW : femto_kind_of(buf, len);
    if (kind == FEMTO_KIND_ELF)
        rc = disasm_elf(&v, path, buf, len);
    else if (kind == FEMTO_KIND_IMAGE)
        rc = disasm_image(&v, path, buf, len);
    else
        rc = disasm_raw(&v, path, buf, len);
    free(buf);
    if (fflush(stdout) != 0 && rc == FEMTO_EXIT_OK)
        rc = FEMTO_EXIT_IO;
    return rc;
}
