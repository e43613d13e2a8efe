/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The linker: BPF ELF objects (clang -target bpf) to a container image
 * (docs/image-format.md), through libelf.
 *
 * All executable sections become one code blob, .rodata* one read-only blob,
 * .data* then .bss* the DATA region. Relocations are resolved at link time
 * into virtual addresses (FC_VADDR(region, offset)), so the device never
 * patches code: LDDW of a data symbol (R_BPF_64_64), local calls
 * (R_BPF_64_32), pointers in initialised data (R_BPF_64_ABS64). Every
 * global function becomes an entry point. Anything else is refused with
 * the symbol and the section named.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fc/image.h"
#include "fc/isa.h"
#include "fc/vm.h"
#include "link.h"
#include "srcline.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_64_64 1
#define R_BPF_64_ABS64 2
#define R_BPF_64_ABS32 3
#define R_BPF_64_NODYLD32 4
#define R_BPF_64_32 10

#define MAX_SECTIONS 1024
#define MAX_ENTRIES 256

enum kind { K_SKIP, K_TEXT, K_RODATA, K_DATA, K_BSS };

typedef struct {
    uint8_t *bytes; /* copy (NULL for bss) */
    size_t len, cap;
} blob_t;

typedef struct {
    Elf *elf;
    const char *path;
    int input; /* index of the input */
    int fd;
    size_t nsec;
    enum kind kind[MAX_SECTIONS];
    uint64_t base[MAX_SECTIONS]; /* offset of the section in its blob */
} obj_t;

typedef struct {
    blob_t text, rodata, data;
    uint64_t bss_len;
    struct {
        char name[FC_IMAGE_NAME_LEN];
        uint32_t slot;
    } entries[MAX_ENTRIES];
    unsigned nentries;
    fc_link_piece_t *pieces;
    size_t npieces;
} link_t;

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "femto link: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return -1;
}

static int blob_append(blob_t *b, const void *p, size_t len, size_t align, uint64_t *at)
{
    size_t off = (b->len + align - 1) / align * align;
    if (off + len > b->cap) {
        size_t cap = (off + len) * 2 + 64;
        uint8_t *n = realloc(b->bytes, cap);
        if (n == NULL)
            return fail("out of memory");
        b->bytes = n;
        b->cap = cap;
    }
    memset(b->bytes + b->len, 0, off - b->len);
    if (p != NULL)
        memcpy(b->bytes + off, p, len);
    else
        memset(b->bytes + off, 0, len);
    b->len = off + len;
    *at = off;
    return 0;
}

static enum kind classify(const char *name, const GElf_Shdr *sh)
{
    if (!(sh->sh_flags & SHF_ALLOC))
        return K_SKIP;
    if (sh->sh_type == SHT_NOBITS)
        return K_BSS;
    if (sh->sh_type != SHT_PROGBITS)
        return K_SKIP;
    if (sh->sh_flags & SHF_EXECINSTR)
        return K_TEXT;
    if (sh->sh_flags & SHF_WRITE)
        return K_DATA;
    (void)name;
    return K_RODATA;
}

const char *fc_link_elf_problem(Elf *elf, size_t file_len)
{
    size_t n;
    GElf_Ehdr eh;
    if (gelf_getehdr(elf, &eh) == NULL || elf_getshdrnum(elf, &n) != 0)
        return "bad section table";
    if (eh.e_shoff > file_len || (uint64_t)n * eh.e_shentsize > file_len - eh.e_shoff)
        return "the section table extends past the end of the file";
    for (size_t i = 1; i < n; i++) {
        GElf_Shdr sh;
        if (gelf_getshdr(elf_getscn(elf, i), &sh) == NULL)
            return "unreadable section header";
        if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > file_len || sh.sh_size > file_len - sh.sh_offset))
            return "a section extends past the end of the file";
        if ((sh.sh_flags & SHF_ALLOC) &&
            (sh.sh_addralign > 4096 || (sh.sh_addralign & (sh.sh_addralign - 1)) != 0))
            return "an allocated section aligned to other than a power of two up to 4096";
        if (sh.sh_type == SHT_SYMTAB && sh.sh_entsize != sizeof(Elf64_Sym))
            return "symbol table with a wrong entry size";
        if (sh.sh_type == SHT_REL && sh.sh_entsize != sizeof(Elf64_Rel))
            return "relocation table with a wrong entry size";
    }
    return NULL;
}

static int open_obj(obj_t *o, const char *path)
{
    GElf_Ehdr eh;
    o->path = path;
    o->fd = open(path, O_RDONLY);
    if (o->fd < 0)
        return fail("%s: %s", path, strerror(errno));
    o->elf = elf_begin(o->fd, ELF_C_READ, NULL);
    if (o->elf == NULL || elf_kind(o->elf) != ELF_K_ELF || gelf_getehdr(o->elf, &eh) == NULL)
        return fail("%s: not an ELF object", path);
    if (eh.e_machine != EM_BPF || eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return fail("%s: not a little-endian 64-bit BPF object (build it with clang -target bpf)", path);
    if (elf_getshdrnum(o->elf, &o->nsec) != 0 || o->nsec > MAX_SECTIONS)
        return fail("%s: bad section table", path);
    struct stat st;
    const char *why = fstat(o->fd, &st) != 0 ? "cannot stat" : fc_link_elf_problem(o->elf, (size_t)st.st_size);
    if (why != NULL)
        return fail("%s: malformed ELF object: %s", path, why);
    return 0;
}

/* Pass 1: place every allocated section in its blob. */
/*
 * Marks the sections holding a global function (an entry). The verifier
 * takes slot 0 and the call targets as the starts of functions, so code
 * placed before the entries (a local function the compiler emitted first,
 * as rustc's do under -function-sections) would be taken as part of the
 * entry that calls it: a recursion, and a stack sized for the run-time
 * call limit. Entries' sections therefore go first.
 */
static void mark_entries(const obj_t *o, uint8_t *has)
{
    memset(has, 0, o->nsec);
    for (size_t i = 1; i < o->nsec; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = elf_getscn(o->elf, i);
        if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        for (size_t k = 0; d != NULL && k < sh.sh_size / sh.sh_entsize; k++) {
            GElf_Sym sym;
            if (gelf_getsym(d, (int)k, &sym) != NULL && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
                GELF_ST_BIND(sym.st_info) == STB_GLOBAL && sym.st_shndx != SHN_UNDEF &&
                sym.st_shndx < o->nsec)
                has[sym.st_shndx] = 1;
        }
    }
}

static int gather(link_t *l, obj_t *o)
{
    size_t shstrndx;
    uint8_t has_entry[MAX_SECTIONS];
    elf_getshdrstrndx(o->elf, &shstrndx);
    mark_entries(o, has_entry);
    /* pass 0: the code sections holding entries; pass 1: everything else, in order */
    for (size_t k = 1; k < 2 * o->nsec; k++) {
        size_t i = k < o->nsec ? k : k - o->nsec;
        if (k == o->nsec)
            continue;
        Elf_Scn *scn = elf_getscn(o->elf, i);
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        const char *name = elf_strptr(o->elf, shstrndx, sh.sh_name);
        if (k < o->nsec) {
            o->kind[i] = classify(name ? name : "", &sh);
            if (name && (!strcmp(name, "maps") || !strncmp(name, ".maps", 5)))
                return fail("%s: section %s: BPF maps are not supported; use the key-value store helpers",
                            o->path, name);
        }
        if ((o->kind[i] == K_TEXT && has_entry[i]) != (k < o->nsec))
            continue;
        if (o->kind[i] == K_SKIP || sh.sh_size == 0)
            continue;
        size_t align = sh.sh_addralign ? sh.sh_addralign : 1;
        Elf_Data *d = o->kind[i] == K_BSS ? NULL : elf_getdata(scn, NULL);
        const void *bytes = d ? d->d_buf : NULL;
        int rc;
        switch (o->kind[i]) {
        case K_TEXT:
            if (sh.sh_size % FC_INSN_SIZE)
                return fail("%s: section %s: size not a multiple of 8", o->path, name);
            rc = blob_append(&l->text, bytes, sh.sh_size, 8, &o->base[i]);
            if (rc == 0) {
                fc_link_piece_t *p = realloc(l->pieces, (l->npieces + 1) * sizeof *p);
                if (p == NULL)
                    return fail("out of memory");
                l->pieces = p;
                p += l->npieces++;
                p->input = o->input;
                snprintf(p->section, sizeof p->section, "%s", name);
                p->slot = (uint32_t)(o->base[i] / FC_INSN_SIZE);
                p->nslots = (uint32_t)(sh.sh_size / FC_INSN_SIZE);
            }
            break;
        case K_RODATA: rc = blob_append(&l->rodata, bytes, sh.sh_size, align, &o->base[i]); break;
        case K_DATA:   rc = blob_append(&l->data, bytes, sh.sh_size, align, &o->base[i]); break;
        default:
            l->bss_len = (l->bss_len + align - 1) / align * align;
            o->base[i] = l->bss_len;
            l->bss_len += sh.sh_size;
            rc = 0;
            break;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Virtual address of a symbol (+ addend) once all sections are placed. */
static int sym_vaddr(const link_t *l, const obj_t *o, const GElf_Sym *s, const char *sname,
                     const char *where, uint64_t addend, uint64_t *out)
{
    if (s->st_shndx == SHN_UNDEF)
        return fail("%s: %s: undefined symbol '%s'", o->path, where, sname);
    if (s->st_shndx >= o->nsec)
        return fail("%s: %s: symbol '%s' in no section we link", o->path, where, sname);
    uint64_t off = o->base[s->st_shndx] + s->st_value + addend;
    switch (o->kind[s->st_shndx]) {
    case K_RODATA: *out = FC_VADDR(FC_REGION_RODATA, off); return 0;
    case K_DATA:   *out = FC_VADDR(FC_REGION_DATA, off); return 0;
    case K_BSS:    *out = FC_VADDR(FC_REGION_DATA, l->data.len + off); return 0;
    default:
        return fail("%s: %s: symbol '%s' is not data (indirect calls and code addresses are not supported)",
                    o->path, where, sname);
    }
}

/* Pass 2: relocations and entry points. */
static int relocate(link_t *l, obj_t *o)
{
    size_t shstrndx;
    elf_getshdrstrndx(o->elf, &shstrndx);
    Elf_Data *symtab = NULL;
    size_t strtab = 0, nsyms = 0;
    for (size_t i = 1; i < o->nsec; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = elf_getscn(o->elf, i);
        gelf_getshdr(scn, &sh);
        if (sh.sh_type == SHT_SYMTAB) {
            symtab = elf_getdata(scn, NULL);
            strtab = sh.sh_link;
            nsyms = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        }
    }
    if (symtab == NULL)
        return fail("%s: no symbol table", o->path);

    for (size_t k = 0; k < nsyms; k++) {
        GElf_Sym s;
        gelf_getsym(symtab, (int)k, &s);
        if (GELF_ST_TYPE(s.st_info) != STT_FUNC || GELF_ST_BIND(s.st_info) != STB_GLOBAL ||
            s.st_shndx == SHN_UNDEF || s.st_shndx >= o->nsec || o->kind[s.st_shndx] != K_TEXT)
            continue;
        const char *name = elf_strptr(o->elf, strtab, s.st_name);
        if (name == NULL || strlen(name) >= FC_IMAGE_NAME_LEN)
            return fail("%s: function name '%s' longer than %u characters", o->path, name ? name : "?",
                        FC_IMAGE_NAME_LEN - 1);
        if (l->nentries == MAX_ENTRIES)
            return fail("too many entry points");
        memset(l->entries[l->nentries].name, 0, FC_IMAGE_NAME_LEN);
        strcpy(l->entries[l->nentries].name, name);
        l->entries[l->nentries++].slot = (uint32_t)((o->base[s.st_shndx] + s.st_value) / FC_INSN_SIZE);
    }

    for (size_t i = 1; i < o->nsec; i++) {
        GElf_Shdr sh;
        Elf_Scn *scn = elf_getscn(o->elf, i);
        gelf_getshdr(scn, &sh);
        if (sh.sh_type == SHT_RELA)
            return fail("%s: RELA relocations are not produced by clang -target bpf", o->path);
        if (sh.sh_type != SHT_REL || sh.sh_info >= o->nsec)
            continue;
        size_t target = sh.sh_info;
        GElf_Shdr tsh;
        gelf_getshdr(elf_getscn(o->elf, target), &tsh);
        const char *tname = elf_strptr(o->elf, shstrndx, tsh.sh_name);
        if (o->kind[target] == K_SKIP)
            continue; /* debug info and BTF: not part of the image */
        Elf_Data *rd = elf_getdata(scn, NULL);
        size_t nrel = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
        for (size_t r = 0; r < nrel; r++) {
            GElf_Rel rel;
            GElf_Sym s;
            gelf_getrel(rd, (int)r, &rel);
            gelf_getsym(symtab, (int)GELF_R_SYM(rel.r_info), &s);
            const char *sname = elf_strptr(o->elf, strtab, s.st_name);
            if (GELF_ST_TYPE(s.st_info) == STT_SECTION && s.st_shndx < o->nsec) {
                GElf_Shdr ssh;
                gelf_getshdr(elf_getscn(o->elf, s.st_shndx), &ssh);
                sname = elf_strptr(o->elf, shstrndx, ssh.sh_name);
            }
            if (sname == NULL)
                sname = "?";
            char where[256];
            snprintf(where, sizeof where, "section %s offset 0x%llx", tname ? tname : "?",
                     (unsigned long long)rel.r_offset);
            unsigned type = (unsigned)GELF_R_TYPE(rel.r_info);
            if (o->kind[target] == K_TEXT) {
                uint8_t *p = l->text.bytes + o->base[target] + rel.r_offset;
                uint64_t pc = (o->base[target] + rel.r_offset) / FC_INSN_SIZE;
                fc_insn_t in = fc_insn_decode(p);
                if (type == R_BPF_64_64 && in.op == FC_OP_LDDW) {
                    uint64_t addend = (uint32_t)in.imm, v;
                    if (sym_vaddr(l, o, &s, sname, where, addend, &v))
                        return -1;
                    in.imm = (int32_t)(uint32_t)v;
                    fc_insn_encode(p, in);
                    fc_insn_t hi = fc_insn_decode(p + 8);
                    hi.imm = (int32_t)(uint32_t)(v >> 32);
                    fc_insn_encode(p + 8, hi);
                } else if (type == R_BPF_64_32 && in.op == FC_OP_CALL) {
                    if (s.st_shndx == SHN_UNDEF)
                        return fail("%s: %s: call of undefined function '%s'", o->path, where, sname);
                    if (s.st_shndx >= o->nsec || o->kind[s.st_shndx] != K_TEXT)
                        return fail("%s: %s: call of '%s', which is not code", o->path, where, sname);
                    /* target slot in its section: symbol value / 8 + imm + 1 (as libbpf reads it) */
                    uint64_t tbyte = s.st_value + (uint64_t)(((int64_t)in.imm + 1) * FC_INSN_SIZE);
                    uint64_t tslot = (o->base[s.st_shndx] + tbyte) / FC_INSN_SIZE;
                    in.src = FC_CALL_LOCAL;
                    in.imm = (int32_t)((int64_t)tslot - (int64_t)pc - 1);
                    fc_insn_encode(p, in);
                } else {
                    return fail("%s: %s: relocation type %u against '%s' is not supported", o->path,
                                where, type, sname);
                }
            } else if (o->kind[target] == K_DATA || o->kind[target] == K_RODATA) {
                blob_t *b = o->kind[target] == K_DATA ? &l->data : &l->rodata;
                uint8_t *p = b->bytes + o->base[target] + rel.r_offset;
                uint64_t v;
                if (type == R_BPF_64_ABS64) {
                    uint64_t addend;
                    memcpy(&addend, p, 8);
                    if (sym_vaddr(l, o, &s, sname, where, addend, &v))
                        return -1;
                    memcpy(p, &v, 8);
                } else {
                    return fail("%s: %s: relocation type %u against '%s' in data is not supported "
                                "(32-bit pointers cannot hold a virtual address)", o->path, where, type, sname);
                }
            } else {
                return fail("%s: %s: relocation in .bss", o->path, where);
            }
        }
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return memcmp(a, b, FC_IMAGE_NAME_LEN);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t align8(uint32_t x) { return (x + 7u) & ~7u; }

/* The line table being built (docs/image-format.md, "Line table"). */
typedef struct {
    struct row { uint32_t slot, line, file; } *rows;
    size_t nrows, caprows;
    char **files;
    size_t nfiles;
    uint32_t base; /* the current piece's first slot in the image */
    int oom;
} lines_t;

static int add_row(uint32_t slot, const char *row, void *arg)
{
    lines_t *t = arg;
    const char *colon = strrchr(row, ':');
    /* an instruction without a row gets line 0 ("no line"), so it does not
     * inherit the line of the code before it (another section, say) */
    uint32_t line = colon != NULL && colon != row ? (uint32_t)strtoul(colon + 1, NULL, 10) : 0;
    size_t flen = line ? (size_t)(colon - row) : 0, f = 0;
    for (; line != 0 && f < t->nfiles; f++)
        if (strlen(t->files[f]) == flen && !memcmp(t->files[f], row, flen))
            break;
    if (line != 0 && f == t->nfiles) {
        char **nf = realloc(t->files, (t->nfiles + 1) * sizeof *nf);
        if (nf == NULL || (nf[t->nfiles] = strndup(row, flen)) == NULL) {
            if (nf != NULL)
                t->files = nf;
            t->oom = 1;
            return 1;
        }
        t->files = nf;
        t->nfiles++;
    }
    struct row r = { t->base + slot, line, (uint32_t)f };
    /* one row per change of position: the slots up to the next row share it */
    if (t->nrows > 0 && t->rows[t->nrows - 1].line == r.line && t->rows[t->nrows - 1].file == r.file)
        return 0;
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows * 2 + 64;
        struct row *n = realloc(t->rows, cap * sizeof *n);
        if (n == NULL) {
            t->oom = 1;
            return 1;
        }
        t->rows = n;
        t->caprows = cap;
    }
    t->rows[t->nrows++] = r;
    return 0;
}

static void lines_free(lines_t *t)
{
    for (size_t i = 0; i < t->nfiles; i++)
        free(t->files[i]);
    free(t->files);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* Rows of every code piece from its object's DWARF line table, in slot order. */
static int gather_lines(lines_t *t, const char *const *inputs, const link_t *l)
{
    for (size_t i = 0; i < l->npieces; i++) {
        t->base = l->pieces[i].slot;
        if (femto_srclines(inputs[l->pieces[i].input], l->pieces[i].section, add_row, t) != 0)
            return fail("%s: cannot read its line table (llvm-objdump -d -l; set LLVM_OBJDUMP)",
                        inputs[l->pieces[i].input]);
        if (t->oom)
            return fail("out of memory");
    }
    if (t->nfiles == 0)
        return fail("no line table in the objects: compile them with -g");
    if (t->nfiles > 0xffff || t->nrows > UINT32_MAX / FC_IMAGE_LINE_ROW_LEN / 2)
        return fail("line table too large");
    return 0;
}

static uint32_t lines_size(const lines_t *t)
{
    size_t n = FC_IMAGE_LINES_HDR_LEN + t->nrows * FC_IMAGE_LINE_ROW_LEN + t->nfiles * 4;
    for (size_t i = 0; i < t->nfiles; i++)
        n += strlen(t->files[i]) + 1;
    return (uint32_t)n;
}

static void lines_write(const lines_t *t, uint8_t *p)
{
    put32(p, (uint32_t)t->nrows);
    put16(p + 4, (uint32_t)t->nfiles);
    uint8_t *r = p + FC_IMAGE_LINES_HDR_LEN;
    for (size_t i = 0; i < t->nrows; i++, r += FC_IMAGE_LINE_ROW_LEN) {
        put32(r, t->rows[i].slot);
        put32(r + 4, t->rows[i].line);
        put32(r + 8, t->rows[i].file);
    }
    uint8_t *pool = r + 4 * t->nfiles;
    uint32_t at = 0;
    for (size_t i = 0; i < t->nfiles; i++) {
        size_t n = strlen(t->files[i]) + 1;
        put32(r + 4 * i, at);
        memcpy(pool + at, t->files[i], n);
        at += (uint32_t)n;
    }
}

int fc_link_mem(const char *const *inputs, int ninputs, uint32_t stack, fc_link_out_t *out)
{
    return fc_link_mem_flags(inputs, ninputs, stack, 0, out);
}

int fc_link_mem_flags(const char *const *inputs, int ninputs, uint32_t stack, unsigned flags,
                      fc_link_out_t *out)
{
    lines_t lines;
    memset(&lines, 0, sizeof lines);
    link_t l;
    obj_t objs[64];
    int rc = -1;

    memset(&l, 0, sizeof l);
    if (ninputs < 1 || ninputs > 64)
        return fail("between 1 and 64 objects");
    elf_version(EV_CURRENT);
    for (int i = 0; i < ninputs; i++) {
        memset(&objs[i], 0, sizeof objs[i]);
        objs[i].fd = -1;
        objs[i].input = i;
    }
    memset(out, 0, sizeof *out);
    for (int i = 0; i < ninputs; i++)
        if (open_obj(&objs[i], inputs[i]) || gather(&l, &objs[i]))
            goto out;
    for (int i = 0; i < ninputs; i++)
        if (relocate(&l, &objs[i]))
            goto out;
    if (l.text.len == 0) {
        fail("no code in the input");
        goto out;
    }
    if (l.nentries == 0) {
        fail("no entry point: a container needs at least one global (non-static) function");
        goto out;
    }
    /* A noreturn tail: clang ends the code with a call that never returns and
     * no exit after it; one exit there keeps the program from ending in a call. */
    if (fc_insn_decode(l.text.bytes + l.text.len - FC_INSN_SIZE).op == FC_OP_CALL) {
        uint8_t ex[FC_INSN_SIZE];
        uint64_t at;
        fc_insn_encode(ex, (fc_insn_t){ .op = FC_OP_EXIT });
        if (blob_append(&l.text, ex, sizeof ex, 8, &at))
            goto out;
    }
    qsort(l.entries, l.nentries, sizeof l.entries[0], cmp_entry);
    for (unsigned i = 1; i < l.nentries; i++)
        if (!memcmp(l.entries[i].name, l.entries[i - 1].name, FC_IMAGE_NAME_LEN)) {
            fail("entry point '%s' defined twice", l.entries[i].name);
            goto out;
        }

    /* helper ids the code calls */
    uint32_t helpers[512];
    unsigned nh = 0;
    size_t nslots = l.text.len / FC_INSN_SIZE;
    for (size_t pc = 0; pc < nslots; pc++) {
        fc_insn_t in = fc_insn_decode(l.text.bytes + pc * FC_INSN_SIZE);
        if (in.op == FC_OP_LDDW) {
            pc++;
            continue;
        }
        if (in.op == FC_OP_CALL && in.src == FC_CALL_HELPER) {
            unsigned k;
            for (k = 0; k < nh && helpers[k] != (uint32_t)in.imm; k++)
                ;
            if (k == nh && nh < 512)
                helpers[nh++] = (uint32_t)in.imm;
        }
    }
    qsort(helpers, nh, sizeof helpers[0], cmp_u32);

    uint32_t off_entries = FC_IMAGE_HDR_LEN;
    uint32_t off_helpers = align8(off_entries + l.nentries * FC_IMAGE_ENTRY_LEN);
    uint32_t off_text = align8(off_helpers + nh * 4u);
    uint32_t off_rodata = align8(off_text + (uint32_t)l.text.len);
    uint32_t off_data = align8(off_rodata + (uint32_t)l.rodata.len);
    uint32_t total = align8(off_data + (uint32_t)l.data.len), off_lines = total;
    if (flags & FC_LINK_LINES) {
        if (gather_lines(&lines, inputs, &l) != 0)
            goto out;
        total = align8(off_lines + lines_size(&lines));
    }
    uint8_t *img = calloc(1, total);
    if (img == NULL) {
        fail("out of memory");
        goto out;
    }
    memcpy(img, FC_IMAGE_MAGIC, 4);
    put16(img + FC_IMAGE_OFF_VERSION, FC_IMAGE_VERSION);
    put16(img + FC_IMAGE_OFF_HDR_LEN, FC_IMAGE_HDR_LEN);
    put32(img + FC_IMAGE_OFF_IMAGE_LEN, total);
    put32(img + FC_IMAGE_OFF_STACK, stack);
    put16(img + FC_IMAGE_OFF_NENTRIES, l.nentries);
    put16(img + FC_IMAGE_OFF_NHELPERS, nh);
    put32(img + FC_IMAGE_OFF_ENTRIES, off_entries);
    put32(img + FC_IMAGE_OFF_HELPERS, off_helpers);
    put32(img + FC_IMAGE_OFF_TEXT, off_text);
    put32(img + FC_IMAGE_OFF_TEXT_LEN, (uint32_t)l.text.len);
    put32(img + FC_IMAGE_OFF_RODATA, off_rodata);
    put32(img + FC_IMAGE_OFF_RODATA_LEN, (uint32_t)l.rodata.len);
    put32(img + FC_IMAGE_OFF_DATA, off_data);
    put32(img + FC_IMAGE_OFF_DATA_LEN, (uint32_t)l.data.len);
    put32(img + FC_IMAGE_OFF_BSS_LEN, (uint32_t)l.bss_len);
    for (unsigned i = 0; i < l.nentries; i++) {
        uint8_t *e = img + off_entries + i * FC_IMAGE_ENTRY_LEN;
        put32(e, l.entries[i].slot);
        memcpy(e + 4, l.entries[i].name, FC_IMAGE_NAME_LEN);
    }
    for (unsigned i = 0; i < nh; i++)
        put32(img + off_helpers + 4 * i, helpers[i]);
    memcpy(img + off_text, l.text.bytes, l.text.len);
    if (l.rodata.len)
        memcpy(img + off_rodata, l.rodata.bytes, l.rodata.len);
    if (l.data.len)
        memcpy(img + off_data, l.data.bytes, l.data.len);
    if (flags & FC_LINK_LINES) {
        put32(img + FC_IMAGE_OFF_FLAGS, FC_IMAGE_FLAG_LINES);
        lines_write(&lines, img + off_lines);
    }
    put32(img + FC_IMAGE_OFF_CHECKSUM, fc_image_checksum(img + FC_IMAGE_OFF_FLAGS, total - FC_IMAGE_OFF_FLAGS));

    out->image = img;
    out->len = total;
    out->pieces = l.pieces;
    out->npieces = l.npieces;
    l.pieces = NULL;
    rc = 0;
out:
    for (int i = 0; i < ninputs; i++) {
        if (objs[i].elf)
            elf_end(objs[i].elf);
        if (objs[i].fd >= 0)
            close(objs[i].fd);
    }
    free(l.text.bytes);
    free(l.rodata.bytes);
    free(l.data.bytes);
    free(l.pieces);
    lines_free(&lines);
    return rc;
}

void fc_link_out_free(fc_link_out_t *out)
{
    free(out->image);
    free(out->pieces);
    memset(out, 0, sizeof *out);
}

int fc_link(const char *const *inputs, int ninputs, const char *output, uint32_t stack)
{
    return fc_link_flags(inputs, ninputs, output, stack, 0);
}

int fc_link_flags(const char *const *inputs, int ninputs, const char *output, uint32_t stack,
                  unsigned flags)
{
    fc_link_out_t o;
    if (fc_link_mem_flags(inputs, ninputs, stack, flags, &o) != 0)
        return -1;
    int rc = 0;
    FILE *f = fopen(output, "wb");
    if (f == NULL || fwrite(o.image, 1, o.len, f) != o.len) {
        rc = fail("%s: %s", output, strerror(errno));
        if (f != NULL)
            fclose(f);
    } else if (fclose(f) != 0) {
        rc = fail("%s: %s", output, strerror(errno));
    }
    fc_link_out_free(&o);
    return rc;
}
