/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Struct copies and clears larger than BPF inlines. Clang turns `a = b` of
 * a struct, or `= {0}` of a big array, into llvm.memcpy/llvm.memset with a
 * constant length; LLVM's BPF backend expands those into loads and stores
 * up to 1 KiB and otherwise wants a C library memcpy, which a container does
 * not have ("A call to built-in function 'memcpy' is not supported"). When
 * that is the only complaint, the file is compiled again through LLVM IR
 * text in which each such call over FEMTO_IR_INLINE_MAX bytes calls the
 * checked helper instead (helper 10 copies, overlap allowed; helper 11
 * fills): native speed, bounds-checked, paid for by the budget, no
 * capability needed. The ids come from the helper list.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_cc.h"
#include "fc/helper_ids.h"
#include "io.h"

/* What BPF always inlines, whatever the alignment (128 one-byte stores). */
#define FEMTO_IR_INLINE_MAX 128u

/* The intrinsics (LLVM 19, opaque pointers) and the function each becomes. */
static const struct {
    const char *intrinsic;
    const char *replacement;
} mem_calls[] = {
    { "@llvm.memcpy.p0.p0.i64(", "@femto_big_memcpy(" },
    { "@llvm.memmove.p0.p0.i64(", "@femto_big_memcpy(" }, /* the helper allows overlap */
    { "@llvm.memset.p0.i64(", "@femto_big_memset(" },
};

/* The constant length of a mem intrinsic call ("..., i64 1500, i1 false)"), or 0. */
static uint64_t call_length(const char *args)
{
    const char *last = NULL;
    for (const char *p = args; (p = strstr(p, ", i64 ")) != NULL; p++)
        last = p;
    if (last == NULL)
        return 0;
    char *end;
    uint64_t n = strtoull(last + 6, &end, 10);
    return end != last + 6 && !strncmp(end, ", i1 ", 5) ? n : 0;
}

/* Rewrite the IR text in (len bytes) to out; returns the number of calls rewritten. */
static unsigned rewrite(const char *in, size_t len, FILE *out)
{
    unsigned n = 0;
    for (size_t at = 0; at < len;) {
        const char *line = in + at;
        const char *nl = memchr(line, '\n', len - at);
        size_t ll = nl != NULL ? (size_t)(nl - line) + 1 : len - at;
        char *copy = malloc(ll + 1);
        if (copy == NULL)
            return 0;
        memcpy(copy, line, ll);
        copy[ll] = 0;
        const char *hit = NULL;
        size_t k;
        for (k = 0; k < sizeof mem_calls / sizeof mem_calls[0] && strncmp(copy, "declare ", 8); k++)
            if ((hit = strstr(copy, mem_calls[k].intrinsic)) != NULL)
                break;
        if (hit != NULL && call_length(hit) > FEMTO_IR_INLINE_MAX) {
            fprintf(out, "%.*s%s%s", (int)(hit - copy), copy, mem_calls[k].replacement,
                    hit + strlen(mem_calls[k].intrinsic));
            n++;
        } else {
            fputs(copy, out);
        }
        free(copy);
        at += ll;
    }
    /* the helpers take 32-bit lengths; nothing a container can address is larger */
    fprintf(out,
            "\ndefine internal void @femto_big_memcpy(ptr %%d, ptr %%s, i64 %%n, i1 %%v) nounwind {\n"
            "  %%n32 = trunc i64 %%n to i32\n"
            "  %%r = call i64 inttoptr (i64 %u to ptr)(ptr %%d, ptr %%s, i32 %%n32)\n"
            "  ret void\n}\n"
            "define internal void @femto_big_memset(ptr %%d, i8 %%c, i64 %%n, i1 %%v) nounwind {\n"
            "  %%c32 = zext i8 %%c to i32\n"
            "  %%n32 = trunc i64 %%n to i32\n"
            "  %%r = call i64 inttoptr (i64 %u to ptr)(ptr %%d, i32 %%c32, i32 %%n32)\n"
            "  ret void\n}\n",
            (unsigned)FC_HELPER_MEMCPY, (unsigned)FC_HELPER_MEMSET);
    return n;
}

/* src to LLVM IR text at out with its big copies rewritten: the number rewritten, or -1. */
static int to_ir(const femto_cc_t *cc, const char *src, const char *out, femto_cc_argv_t *v)
{
    char ir[4200];
    snprintf(ir, sizeof ir, "%s.raw.ll", out);
    femto_cc_args(cc, src, ir, 1, v);
    char *log = NULL;
    int rc = femto_cc_run((char *const *)v->args, &log);
    free(log);
    uint8_t *text = NULL;
    size_t len = 0;
    int n = -1;
    if (rc == 0 && (text = femto_read_file(ir, &len)) != NULL) {
        FILE *f = fopen(out, "w");
        if (f != NULL) {
            n = (int)rewrite((const char *)text, len, f);
            if (fclose(f) != 0)
                n = -1;
        }
    }
    free(text);
    unlink(ir);
    return n;
}

/* IR (one file or several, linked) to obj: only the target and level matter now. */
static int ir_to_obj(const femto_cc_t *cc, const femto_cc_argv_t *v, const char *ir, const char *obj)
{
    const char *args[] = { cc->clang, "-target", "bpf", cc->opt, v->cpu, "-c", ir, "-o", obj, NULL };
    char *log = NULL;
    int rc = femto_cc_run((char *const *)args, &log);
    if (rc != 0 && log != NULL)
        fputs(log, stderr);
    free(log);
    return rc == 0 ? 0 : -1;
}

int femto_cc_big_copies(const femto_cc_t *cc, const char *src, const char *obj)
{
    char big[4200];
    snprintf(big, sizeof big, "%s.big.ll", obj);
    femto_cc_argv_t v;
    int n = to_ir(cc, src, big, &v);
    int rc = -1;
    if (n > 0) {
        char *log = NULL;
        const char *args[] = { cc->clang, "-target", "bpf", cc->opt, v.cpu, "-c", big, "-o", obj, NULL };
        rc = femto_cc_run((char *const *)args, &log); /* quiet: the caller reports the first failure */
        free(log);
    }
    unlink(big);
    return rc == 0 ? 0 : -1;
}

/* llvm-link beside the compiler: clang-19 -> llvm-link-19 (LLVM_LINK overrides). */
static void llvm_link_name(const char *clang, char *buf, size_t len)
{
    const char *env = getenv("LLVM_LINK");
    const char *dash = strrchr(clang, '-');
    if (env != NULL)
        snprintf(buf, len, "%s", env);
    else if (dash != NULL && dash[1] >= '0' && dash[1] <= '9')
        snprintf(buf, len, "llvm-link%s", dash);
    else
        snprintf(buf, len, "llvm-link");
}

int femto_cc_combine(const femto_cc_t *cc, const char *const *srcs, int nsrc, const char *obj)
{
    char (*ll)[4200] = calloc((size_t)nsrc, sizeof *ll);
    const char **args = calloc((size_t)nsrc + 5, sizeof *args);
    char tool[256], all[4200];
    femto_cc_argv_t v;
    int rc = -1, made = 0;
    snprintf(all, sizeof all, "%s.all.bc", obj);
    if (ll == NULL || args == NULL)
        goto out;
    for (; made < nsrc; made++) {
        snprintf(ll[made], sizeof ll[made], "%s.%d.ll", obj, made);
        if (to_ir(cc, srcs[made], ll[made], &v) < 0) {
            fprintf(stderr, "femto build: %s: cannot be compiled to LLVM IR\n", srcs[made]);
            goto out;
        }
    }
    llvm_link_name(cc->clang, tool, sizeof tool);
    int a = 0;
    args[a++] = tool;
    for (int i = 0; i < nsrc; i++)
        args[a++] = ll[i];
    args[a++] = "-o";
    args[a++] = all;
    args[a] = NULL;
    char *log = NULL;
    int lrc = femto_cc_run((char *const *)args, &log);
    if (lrc != 0)
        fprintf(stderr, "femto build: %s could not link the files' IR%s%s", tool, log && *log ? ":\n" : "\n",
                log ? log : "");
    free(log);
    if (lrc == 0)
        rc = ir_to_obj(cc, &v, all, obj);
out:
    for (int i = 0; i < made; i++)
        unlink(ll[i]);
    unlink(all);
    free(ll);
    free(args);
    return rc;
}
