/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build's compiler step. Clang's BPF backend refuses what eBPF cannot
 * do with messages written for kernel programs ("A call to built-in function
 * '__mulsf3' is not supported", "Looks like the BPF stack limit is
 * exceeded... per-cpu array map"), sometimes followed by an LLVM crash dump.
 * An author needs the C line and what to write instead, once: clang's
 * standard error is captured, each known refusal becomes one line
 * "FILE:LINE: what; what to do" (the first place per kind), and a crash
 * becomes one line naming the function. Ordinary C errors pass through as
 * clang wrote them.
 */
#include <ctype.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_cc.h"
#include "link.h"
#include "spawn.h"
#include "srcline.h"

/* The constructs a container cannot have, each with its one line of advice. */
#define REFUSALS(X)                                                                                  \
    X(R_FLOAT, "floating point is not supported (eBPF has no floating-point instructions): "         \
               "use integers or fixed point (e.g. milli-units in an int32_t)")                      \
    X(R_INT128, "128-bit arithmetic is not supported (eBPF registers are 64-bit): use uint64_t "      \
                "and carry between 64-bit halves by hand")                                           \
    X(R_BIGCOPY, "a struct or array copied or initialised in one piece is over 1 KiB, more than "     \
                 "BPF inlines: copy it with memcpy() or clear it with memset() from <string.h>")    \
    X(R_LIBCALL, "needs a compiler runtime function a container does not have: write the "           \
                 "operation with 64-bit integer maths")                                              \
    X(R_TRAP, "__builtin_trap() or abort() has no eBPF instruction: return an error value "         \
              "instead")                                                                           \
    X(R_VARARG, "variadic functions (...) are not supported: take a fixed number of arguments "       \
                "(e.g. an array and its length)")                                                    \
    X(R_STACK, "needs a stack frame over 512 B (the eBPF limit per call): make its large "          \
               "locals static or global (they go to .bss) or split it")                             \
    X(R_ARGS, "a call with more than 5 arguments: eBPF passes 5, in registers; pass a pointer "       \
              "to a struct instead")                                                                 \
    X(R_RETURN, "returns a value wider than 8 bytes: return it through a pointer argument")           \
    X(R_DYNSTACK, "a variable-length array or alloca(): the frame size must be known; use a "         \
                  "fixed-size array")                                                                \
    X(R_HEADER, "is not in the container SDK (there is no C library): the SDK has <string.h>, "      \
                "<stdint.h>, <stddef.h>, <stdbool.h>, <limits.h> and <femto/femto.h> "               \
                "(fc_printf() for output)")                                                          \
    X(R_FNPTR, "a call through a function pointer (or a virtual function): containers make "         \
               "direct calls only; call the function by name (a switch on a value chooses one)")

#define REFUSAL_ENUM_(id, text) id,
enum refusal { REFUSALS(REFUSAL_ENUM_) R_COUNT };
#undef REFUSAL_ENUM_
#define REFUSAL_TEXT_(id, text) text,
static const char *const refusal_text[R_COUNT] = { REFUSALS(REFUSAL_TEXT_) };
#undef REFUSAL_TEXT_

/* Clang's messages (the text after "error: ") and what each means. */
static const struct {
    const char *needle;
    enum refusal kind;
} messages[] = {
    { "variadic functions are not supported", R_VARARG },
    { "functions with VarArgs or StructRet are not supported", R_VARARG },
    { "Looks like the BPF stack limit is exceeded", R_STACK },
    { "too many arguments", R_ARGS },
    { "stack arguments are not supported", R_ARGS },
    { "only small returns supported", R_RETURN },
    { "aggregate returns are not supported", R_RETURN },
    { "pass by value not supported", R_ARGS },
    { "unsupported dynamic stack allocation", R_DYNSTACK },
};

/* C library headers an author may reach for (the SDK has string.h etc.). */
static const char *const libc_headers[] = {
    "stdio.h", "stdlib.h", "math.h", "stdarg.h", "time.h", "assert.h", "ctype.h", "errno.h",
    "setjmp.h", "signal.h", "float.h", "inttypes.h", "malloc.h", "unistd.h", "complex.h",
    "cstdio", "cstdlib", "cstring", "cmath", "iostream", "string", "vector",
};

typedef struct {
    char where[512]; /* "file:line" of the first place */
    char name[128];  /* the function or header concerned, if any */
    char file[400];  /* where, split */
    long line;
    int seen;
} finding_t;

/* A compiler runtime call's kind from its name: __mulsf3 float, __multi3 int128. */
static enum refusal libcall_kind(const char *fn)
{
    if (!strcmp(fn, "memcpy") || !strcmp(fn, "memset") || !strcmp(fn, "memmove"))
        return R_BIGCOPY;
    if (!strcmp(fn, "abort"))
        return R_TRAP;
    size_t n = strlen(fn);
    while (n > 0 && isdigit((unsigned char)fn[n - 1]))
        n--;
    if (n >= 2 && fn[n - 1] == 'i' && fn[n - 2] == 't')
        return R_INT128;
    /* __mulsf3, __adddf3, __fixsfsi, __floatsidf, __extendsfdf2, __ltdf2... */
    static const char *const fp[] = { "sf", "df", "tf", "xf", "float", "fix" };
    for (size_t i = 0; i < sizeof fp / sizeof fp[0]; i++)
        if (strstr(fn, fp[i]) != NULL)
            return R_FLOAT;
    return R_LIBCALL;
}

/* The identifier at line:col of path (a function's name in a stack error). */
static void ident_at(const char *path, long line, long col, char *buf, size_t len)
{
    buf[0] = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char *text = NULL;
    size_t cap = 0;
    for (long l = 1; getline(&text, &cap, f) > 0; l++) {
        if (l != line)
            continue;
        size_t c = col > 0 ? (size_t)col - 1 : 0, e = c;
        if (c < strlen(text)) {
            while (text[e] == '_' || isalnum((unsigned char)text[e]))
                e++;
            if (e > c && e - c < len)
                snprintf(buf, len, "%.*s", (int)(e - c), text + c);
        }
        break;
    }
    free(text);
    fclose(f);
}

/* Note one clang error line ("file:line:col: error: msg"); 1 when it is a known refusal. */
static int classify(const char *line, finding_t *found)
{
    const char *err = strstr(line, ": error: ");
    const char *fatal = strstr(line, ": fatal error: ");
    const char *msg = err ? err + 9 : fatal ? fatal + 15 : NULL;
    if (msg == NULL)
        return 0;
    const char *end = err ? err : fatal;
    /* file:line:col before the message */
    const char *c2 = end;
    while (c2 > line && isdigit((unsigned char)c2[-1]))
        c2--;
    if (c2 == end || c2 == line || c2[-1] != ':')
        return 0;
    const char *c1 = c2 - 1;
    while (c1 > line && isdigit((unsigned char)c1[-1]))
        c1--;
    if (c1 == c2 - 1 || c1 == line || c1[-1] != ':')
        return 0;
    char file[400];
    snprintf(file, sizeof file, "%.*s", (int)(c1 - 1 - line), line);
    long lno = strtol(c1, NULL, 10), col = strtol(c2, NULL, 10);

    enum refusal kind = R_COUNT;
    char name[128] = "";
    const char *q;
    if ((q = strstr(msg, "A call to built-in function '")) != NULL) {
        q += 29;
        size_t n = strcspn(q, "'");
        snprintf(name, sizeof name, "%.*s", (int)n, q);
        kind = libcall_kind(name);
    } else if (fatal != NULL && msg[0] == '\'' && strstr(msg, "' file not found")) {
        size_t n = strcspn(msg + 1, "'");
        snprintf(name, sizeof name, "%.*s", (int)n, msg + 1);
        for (size_t i = 0; i < sizeof libc_headers / sizeof libc_headers[0]; i++)
            if (!strcmp(name, libc_headers[i]))
                kind = R_HEADER;
    } else {
        for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
            if (strstr(msg, messages[i].needle) != NULL)
                kind = messages[i].kind;
        if (kind == R_STACK)
            ident_at(file, lno, col, name, sizeof name);
    }
    if (kind == R_COUNT)
        return 0;
    finding_t *f = &found[kind];
    if (!f->seen || (lno < f->line && !strcmp(file, f->file))) { /* the first place in the file */
        f->seen = 1;
        f->line = lno;
        snprintf(f->file, sizeof f->file, "%s", file);
        snprintf(f->where, sizeof f->where, "%s:%ld", file, lno);
        snprintf(f->name, sizeof f->name, "%s", name);
    }
    return 1;
}

static void report(const finding_t *found, enum refusal k)
{
    const finding_t *f = &found[k];
    switch (k) {
    case R_STACK:
        if (f->name[0]) {
            fprintf(stderr, "%s: function '%s' %s\n", f->where, f->name, refusal_text[k]);
            return;
        }
        fprintf(stderr, "%s: a function %s\n", f->where, refusal_text[k]);
        return;
    case R_HEADER:
        fprintf(stderr, "%s: <%s> %s\n", f->where, f->name, refusal_text[k]);
        return;
    case R_LIBCALL:
        fprintf(stderr, "%s: '%s' %s\n", f->where, f->name, refusal_text[k]);
        return;
    default:
        fprintf(stderr, "%s: %s\n", f->where, refusal_text[k]);
        return;
    }
}

/* A crash without a known cause: one line with the function and LLVM's reason. */
static void report_crash(const femto_cc_t *cc, const char *src, const char *log)
{
    char reason[160] = "", func[128] = "";
    const char *p = strstr(log, "error in backend: ");
    if (p != NULL)
        snprintf(reason, sizeof reason, "%.*s", (int)strcspn(p + 18, "\n:"), p + 18);
    /* "Cannot select: 0x55..: i64 = sdiv ...": name the operation */
    const char *eq = p != NULL && !strncmp(p + 18, "Cannot select", 13) ? strstr(p, " = ") : NULL;
    if (eq != NULL && eq < strchr(p, '\n'))
        snprintf(reason, sizeof reason, "cannot select %.*s", (int)strcspn(eq + 3, " \n"), eq + 3);
    else if ((p = strstr(log, "Unsupport signed division")) != NULL)
        snprintf(reason, sizeof reason, "signed division");
    if ((p = strstr(log, "\nIn function: ")) != NULL)
        snprintf(func, sizeof func, "%.*s", (int)strcspn(p + 14, "\n"), p + 14);
    else if ((p = strstr(log, "on function '@")) != NULL)
        snprintf(func, sizeof func, "%.*s", (int)strcspn(p + 14, "'"), p + 14);
    /* older compilers and ISA levels crash where clang-19 -mcpu=v4 emits sdiv, clz, ctz */
    const char *base = strrchr(cc->clang, '/') ? strrchr(cc->clang, '/') + 1 : cc->clang;
    int old = strcmp(cc->cpu, "v4") != 0 || !strcmp(base, "clang") ||
              (!strncmp(base, "clang-", 6) && atoi(base + 6) < 19);
    fprintf(stderr, "%s: clang's BPF backend crashed%s%s%s%s%s: %s\n", src,
            func[0] ? " on function '" : "", func, func[0] ? "'" : "", reason[0] ? ": " : "", reason,
            old ? "signed division, __builtin_clz/ctz and more need clang-19 with -mcpu=v4, "
                  "femto build's default"
                : "a construct in it is not supported in a container (floats, variadic "
                  "functions, function pointers, 128-bit maths?)");
}

int femto_cc_run(char *const *args, char **log)
{
    *log = NULL;
    int rfd;
    pid_t pid = femto_spawn(args, 2, 0, &rfd);
    if (pid < 0)
        return -1;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf != NULL) {
        if (len + 1 >= cap) {
            char *b = realloc(buf, cap * 2);
            if (b == NULL)
                break;
            buf = b;
            cap *= 2;
        }
        n = read(rfd, buf + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(rfd);
    if (buf != NULL)
        buf[len] = 0;
    *log = buf;
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int is_cxx(const char *src)
{
    const char *dot = strrchr(src, '.');
    return dot != NULL && (!strcmp(dot, ".cpp") || !strcmp(dot, ".cc") || !strcmp(dot, ".cxx") ||
                           !strcmp(dot, ".C"));
}

int femto_cc_args(const femto_cc_t *cc, const char *src, const char *out, int ir,
                  femto_cc_argv_t *v)
{
    snprintf(v->cpu, sizeof v->cpu, "-mcpu=%s", cc->cpu);
    snprintf(v->inc, sizeof v->inc, "-I%s", cc->sdk);
    const char **args = v->args;
    const char *cpu = v->cpu, *inc = v->inc;
    int a = 0;
    args[a++] = cc->clang;
    args[a++] = "-target";
    args[a++] = "bpf";
    args[a++] = cc->opt;
    args[a++] = cpu;
    args[a++] = "-g";
    /* no C library: the SDK's headers, never the host's (/usr/include) */
    args[a++] = "-ffreestanding";
    args[a++] = "-fno-builtin";
    args[a++] = "-nostdlibinc";
    args[a++] = "-fno-crash-diagnostics"; /* no preprocessed copies left in /tmp */
    args[a++] = "-fno-color-diagnostics";
    args[a++] = "-Wall";
    if (is_cxx(src)) {
        args[a++] = "-fno-exceptions";
        args[a++] = "-fno-rtti";
    }
    args[a++] = inc;
    for (int f = 0; f < cc->nflags && a < FEMTO_CC_ARGS_MAX - 8; f++)
        args[a++] = cc->flags[f];
    if (ir)
        args[a++] = "-emit-llvm";
    args[a++] = ir ? "-S" : "-c";
    args[a++] = src;
    args[a++] = "-o";
    args[a++] = out;
    args[a] = NULL;
    return a;
}

int femto_cc_compile(const femto_cc_t *cc, const char *src, const char *obj)
{
    femto_cc_argv_t v;
    femto_cc_args(cc, src, obj, 0, &v);
    char *log = NULL;
    int rc = femto_cc_run((char *const *)v.args, &log);
    const char *text = log != NULL ? log : "";
    if (rc == 127 && strstr(text, "femto: cannot run ") != NULL) {
        fprintf(stderr, "femto build: cannot run %s: install clang-19 (scripts/setup.sh) or name "
                        "the compiler with --cc or CLANG\n", cc->clang);
        free(log);
        return -1;
    }
    int crashed = rc < 0 || strstr(text, "PLEASE submit a bug report") != NULL ||
                  strstr(text, "Stack dump:") != NULL || strstr(text, "error in backend") != NULL;
    if (rc == 0 && !crashed) {
        fputs(text, stderr); /* warnings */
        free(log);
        return 0;
    }
    finding_t found[R_COUNT];
    memset(found, 0, sizeof found);
    int known = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        known += classify(line, found);
        p += n + (p[n] == '\n');
    }
    int only_copies = found[R_BIGCOPY].seen;
    for (int k = 0; k < R_COUNT; k++)
        only_copies = only_copies && (k == R_BIGCOPY || !found[k].seen);
    if (only_copies && femto_cc_big_copies(cc, src, obj) == 0) {
        free(log); /* the copies go to the memcpy/memset helpers (build_ir.c) */
        return 0;
    }
    if (known) {
        /* a 128-bit multiply also fails its wide return: the cause is the maths */
        if (found[R_INT128].seen || found[R_FLOAT].seen)
            found[R_RETURN].seen = 0;
        for (int k = 0; k < R_COUNT; k++)
            if (found[k].seen)
                report(found, (enum refusal)k);
    } else if (crashed) {
        report_crash(cc, src, text);
    } else {
        fputs(text, stderr); /* an ordinary C error, as clang put it */
    }
    free(log);
    unlink(obj);
    return -1;
}

/* Callback state: the first callx's slot found, its line. */
typedef struct {
    uint32_t slot;
    char row[512];
} line_of_t;

static int find_row(uint32_t slot, const char *row, void *arg)
{
    line_of_t *l = arg;
    if (slot != l->slot)
        return 0;
    snprintf(l->row, sizeof l->row, "%s", row);
    return 1;
}

/* Whether elf's symbol table names a symbol defined elsewhere. */
static int has_undefined(Elf *elf)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = sh.sh_size / sh.sh_entsize;
        for (size_t k = 1; d != NULL && k < n; k++) {
            GElf_Sym sym;
            const char *name;
            if (gelf_getsym(d, (int)k, &sym) != NULL && sym.st_shndx == SHN_UNDEF &&
                (name = elf_strptr(elf, sh.sh_link, sym.st_name)) != NULL && *name)
                return 1;
        }
    }
    return 0;
}

int femto_cc_check_object(const char *src, const char *obj, int *undefined)
{
    *undefined = 0;
    int fd = open(obj, O_RDONLY);
    if (fd < 0)
        return 0; /* the linker reports an unreadable object */
    elf_version(EV_CURRENT);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    off_t flen = lseek(fd, 0, SEEK_END);
    int bad = 0;
    size_t shstrndx;
    if (elf == NULL || flen < 0 || fc_link_elf_problem(elf, (size_t)flen) != NULL ||
        elf_getshdrstrndx(elf, &shstrndx) != 0)
        goto out; /* the linker names what is wrong */
    *undefined = has_undefined(elf);
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL && !bad; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) == NULL || sh.sh_type != SHT_PROGBITS ||
            !(sh.sh_flags & SHF_EXECINSTR))
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
        if (d == NULL || d->d_buf == NULL || name == NULL)
            continue;
        const uint8_t *code = d->d_buf;
        for (size_t i = 0; i + 8 <= d->d_size; i += 8) {
            if (code[i] == 0x18) { /* LDDW: its second slot is data */
                i += 8;
                continue;
            }
            if (code[i] != 0x8d) /* callx: BPF_JMP | BPF_CALL | BPF_X */
                continue;
            line_of_t l = { (uint32_t)(i / 8), "" };
            /* its status is not looked at: stopping early may end llvm-objdump by SIGPIPE */
            (void)femto_srclines(obj, name, find_row, &l);
            if (l.row[0] == 0)
                snprintf(l.row, sizeof l.row, "%s (section %s, slot %zu)", src, name, i / 8);
            fprintf(stderr, "%s: %s\n", l.row, refusal_text[R_FNPTR]);
            bad = 1;
            break;
        }
    }
out:
    if (elf != NULL)
        elf_end(elf);
    close(fd);
    return bad ? -1 : 0;
}
