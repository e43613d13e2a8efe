/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build CRATE_DIR: a Rust container crate to an image, offline, with
 * Debian's toolchain (rustc-web, cargo-web, rust-web-src, llvm-22):
 *
 *  1. core and compiler_builtins for bpfel-unknown-none, compiled once from
 *     rust-web-src's sources into a sysroot in the cache (stable rustc with
 *     RUSTC_BOOTSTRAP, as the standard library's own build does);
 *  2. the SDK's helper bindings, generated from the helper list the C SDK
 *     and the host use (fc/helper_ids.h, expanded by the C compiler here);
 *  3. cargo rustc --crate-type staticlib with LTO: the archive's member is
 *     LLVM bitcode (the BPF target has no linker), which llc-22 -mcpu=v4
 *     turns into a BPF object;
 *  4. the SDK's memcpy/memset/... made local (they are for the compiler, not
 *     entries), then the linker, as for C.
 *
 * The tools are called by absolute path (a rustup toolchain earlier on PATH
 * is not Debian's); FEMTO_RUSTC, FEMTO_CARGO, FEMTO_LLVM_BIN override them.
 * The cache is FEMTO_CACHE, else $XDG_CACHE_HOME/femto, else ~/.cache/femto.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build_rust.h"
#include "cmds.h"
#include "fc/runtime.h"
#include "host.h"
#include "link.h"
#include "verdict.h"

#define PATH_LEN 4096
#define STACK_PROBE 65536u /* the stack the measuring verification offers */

/* snprintf into a PATH_LEN buffer; a path too long to fit ends the build. */
__attribute__((format(printf, 2, 3))) static int pathf(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, PATH_LEN, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= PATH_LEN) {
        fprintf(stderr, "femto build: path too long: %s...\n", out);
        return -1;
    }
    return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v != NULL && v[0] ? v : dflt;
}

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "femto build: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return -1;
}

int femto_is_crate(const char *path)
{
    char p[PATH_LEN];
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    pathf(p, "%s/Cargo.toml", path);
    return stat(p, &st) == 0;
}

/*
 * Run args (in dir when not NULL) and wait; stdout goes to out_path when not
 * NULL. Returns the exit status, or -1 when it could not be run.
 */
static int run(char *const *args, const char *dir, const char *out_path)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (dir != NULL && chdir(dir) != 0)
            _exit(126);
        if (out_path != NULL) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(126);
            close(fd);
        }
        execv(args[0], args);
        fprintf(stderr, "femto build: cannot run %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int mkdirs(const char *path)
{
    char p[PATH_LEN];
    pathf(p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* FNV-1a: names cache entries after the toolchain and the crate's path. */
static unsigned long long fnv(const char *s, unsigned long long h)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The first line the command prints (rustc -V, rustc --print sysroot). */
static int first_line(const char *const *args, const char *tmp, char *buf, size_t len)
{
    if (run((char *const *)args, NULL, tmp) != 0)
        return -1;
    FILE *f = fopen(tmp, "r");
    if (f == NULL)
        return -1;
    int ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    unlink(tmp);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    return 0;
}

/* A C type of the helper list as Rust; NULL when the generator does not know it. */
static const char *rust_type(const char *c)
{
    static const char *const map[][2] = {
        { "uint32_t", "u32" },         { "uint64_t", "u64" },
        { "int", "i32" },              { "long", "i64" },
        { "uint64_t *", "*mut u64" },  { "const char *", "*const u8" },
        { "void *", "*mut u8" },       { "const void *", "*const u8" },
        { "fc_sensor_value_t *", "*mut super::SensorValue" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(c, map[i][0]))
            return map[i][1];
    return NULL;
}

#define HELPER_ROW_(name, NAME, id, cap, ret, params, doc) { #name, #NAME, id, cap, #ret, #params, doc },
static const struct {
    const char *name, *NAME;
    unsigned id, cap;
    const char *ret, *params, *doc;
} helpers[] = { FC_HELPER_LIST(HELPER_ROW_) };
#undef HELPER_ROW_

/*
 * One parameter list "(uint32_t key, uint64_t *value)" as Rust: the
 * declaration "key: u32, value: *mut u64", the types "u32, *mut u64" and the
 * names "key, value". Returns -1 for a type rust_type() does not know.
 */
static int rust_params(const char *params, char *decl, char *types, char *names, size_t len)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", params + 1);
    char *close = strrchr(buf, ')');
    if (close != NULL)
        *close = 0;
    decl[0] = types[0] = names[0] = 0;
    if (!strcmp(buf, "void"))
        return 0;
    for (char *p = strtok(buf, ","); p != NULL; p = strtok(NULL, ",")) {
        while (*p == ' ')
            p++;
        char *nm = p + strlen(p);
        while (nm > p && nm[-1] != ' ' && nm[-1] != '*')
            nm--;
        char ty[64];
        snprintf(ty, sizeof ty, "%.*s", (int)(nm - p), p);
        size_t tl = strlen(ty);
        while (tl > 0 && ty[tl - 1] == ' ')
            ty[--tl] = 0;
        if (tl > 0 && ty[tl - 1] == '*' && (tl < 2 || ty[tl - 2] != ' ')) {
            ty[tl - 1] = 0; /* "uint64_t*" -> "uint64_t *" */
            strcat(ty, " *");
        }
        const char *rt = rust_type(ty);
        if (rt == NULL)
            return -1;
        const char *sep = decl[0] ? ", " : "";
        /* raw identifiers: a C name may be a Rust keyword (type) */
        snprintf(decl + strlen(decl), len - strlen(decl), "%sr#%s: %s", sep, nm, rt);
        snprintf(types + strlen(types), len - strlen(types), "%s%s", sep, rt);
        snprintf(names + strlen(names), len - strlen(names), "%sr#%s", sep, nm);
    }
    return 0;
}

/* The SDK's `sys` module: one function, id and capability per helper. */
static int write_helpers_rs(const char *path)
{
    char tmp[PATH_LEN];
    pathf(tmp, "%s.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return fail("%s: %s", tmp, strerror(errno));
    fprintf(f, "// Generated by femto build from fc/helper_ids.h (FC_HELPER_LIST). Do not edit.\n"
               "// A call through a constant function address is how BPF calls helper <id>.\n\n");
    for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++) {
        char decl[256], types[256], names[256];
        const char *ret = rust_type(helpers[i].ret);
        if (ret == NULL || rust_params(helpers[i].params, decl, types, names, sizeof decl) != 0) {
            fclose(f);
            unlink(tmp);
            return fail("helper %s: a C type the Rust binding generator does not know: %s",
                        helpers[i].name, helpers[i].params);
        }
        fprintf(f, "/// Helper id of `%s`.\npub const ID_%s: u32 = %u;\n", helpers[i].name,
                helpers[i].NAME, helpers[i].id);
        fprintf(f, "/// Capability bits `%s` needs (0: none).\npub const CAP_%s: u32 = %#x;\n",
                helpers[i].name, helpers[i].NAME, helpers[i].cap);
        fprintf(f,
                "/// %s\n///\n/// # Safety\n/// Pointers must be valid in the container's regions "
                "(else the run faults).\n#[inline(always)]\n"
                "pub unsafe fn %s(%s) -> %s {\n"
                "    let f: unsafe extern \"C\" fn(%s) -> %s = core::mem::transmute(%uusize);\n"
                "    f(%s)\n}\n\n",
                helpers[i].doc, helpers[i].name, decl, ret, types, ret, helpers[i].id, names);
    }
    if (fclose(f) != 0)
        return fail("%s: %s", tmp, strerror(errno));
    /* replace only when different, so cargo does not rebuild the SDK each time */
    int same = 0;
    FILE *a = fopen(tmp, "r"), *b = fopen(path, "r");
    if (a != NULL && b != NULL) {
        int ca, cb;
        do {
            ca = getc(a);
            cb = getc(b);
        } while (ca == cb && ca != EOF);
        same = ca == cb;
    }
    if (a != NULL)
        fclose(a);
    if (b != NULL)
        fclose(b);
    if (same)
        return unlink(tmp);
    return rename(tmp, path) == 0 ? 0 : fail("%s: %s", path, strerror(errno));
}

/* "--edition=YYYY" from the crate's Cargo.toml (the library's crates move editions). */
static void crate_edition(const char *dir, char *out, size_t len)
{
    char p[PATH_LEN], line[256];
    snprintf(out, len, "--edition=2021");
    pathf(p, "%s/Cargo.toml", dir);
    FILE *f = fopen(p, "r");
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        unsigned y;
        if (sscanf(line, "edition = \"%4u\"", &y) == 1) {
            snprintf(out, len, "--edition=%u", y);
            break;
        }
    }
    if (f != NULL)
        fclose(f);
}

/* A vendored crate (older toolchains ship compiler_builtins under vendor/). */
static int vendored(const char *library, const char *prefix, char *out)
{
    char v[PATH_LEN];
    pathf(v, "%s/../vendor", library);
    DIR *d = opendir(v);
    struct dirent *e;
    int found = -1;
    while (d != NULL && (e = readdir(d)) != NULL)
        if (!strncmp(e->d_name, prefix, strlen(prefix)) && pathf(out, "%s/%s", v, e->d_name) == 0)
            found = 0;
    if (d != NULL)
        closedir(d);
    return found;
}

/* core and compiler_builtins for the BPF target, once per toolchain. */
static int ensure_sysroot(const char *rustc, const char *cache, const char *sysroot)
{
    char lib[PATH_LEN], probe[PATH_LEN], src[PATH_LEN], line[PATH_LEN], tmp[PATH_LEN];
    struct stat st;
    pathf(lib, "%s/lib/rustlib/bpfel-unknown-none/lib", sysroot);
    pathf(probe, "%s/libcompiler_builtins.rlib", lib);
    if (stat(probe, &st) == 0)
        return 0;
    pathf(tmp, "%s/sysroot-out.%ld", cache, (long)getpid());
    const char *pargs[] = { rustc, "--print", "sysroot", NULL };
    if (first_line(pargs, tmp, line, sizeof line) != 0)
        return fail("%s --print sysroot failed%s", rustc, "");
    pathf(src, "%s/lib/rustlib/src/rust/library", line);
    pathf(probe, "%s/core/src/lib.rs", src);
    if (stat(probe, &st) != 0)
        return fail("%s: missing: the Rust sources are needed to build core for BPF "
                    "(Debian package rust-web-src; bash scripts/setup.sh)%s", probe, "");
    fprintf(stderr, "femto build: building core for bpfel-unknown-none (once per toolchain)\n");
    /* built beside, then renamed into place: a concurrent build sees all or nothing */
    char stage[PATH_LEN], stage_lib[PATH_LEN];
    pathf(stage, "%s.tmp.%ld", sysroot, (long)getpid());
    pathf(stage_lib, "%s/lib/rustlib/bpfel-unknown-none/lib", stage);
    if (mkdirs(stage_lib) != 0)
        return fail("%s: %s", stage_lib, strerror(errno));
    static const char *const crates[][3] = {
        { "core", "core", NULL },
        { "compiler_builtins", "compiler-builtins/compiler-builtins", "feature=\"compiler-builtins\"" },
    };
    for (size_t i = 0; i < 2; i++) {
        char dir[PATH_LEN], in[PATH_LEN], out[PATH_LEN], edition[32];
        pathf(dir, "%s/%s", src, crates[i][1]);
        if (i == 1 && stat(dir, &st) != 0 && vendored(src, "compiler_builtins-", dir) != 0)
            return fail("%s: no compiler_builtins sources (rust-web-src)%s", src, "");
        pathf(in, "%s/src/lib.rs", dir);
        pathf(out, "%s/lib%s.rlib", stage_lib, crates[i][0]);
        crate_edition(dir, edition, sizeof edition);
        const char *args[32];
        int n = 0;
        args[n++] = rustc;
        args[n++] = edition;
        args[n++] = "--crate-type=rlib";
        args[n++] = "--crate-name";
        args[n++] = crates[i][0];
        args[n++] = "--target=bpfel-unknown-none";
        args[n++] = "--sysroot";
        args[n++] = stage;
        args[n++] = "-Copt-level=3";
        args[n++] = "-Cpanic=abort";
        args[n++] = "-Cdebuginfo=0"; /* core's own lines are not the author's; smaller, faster LTO */
        args[n++] = "-Zforce-unstable-if-unmarked";
        args[n++] = "--cap-lints=allow";
        if (crates[i][2] != NULL) {
            args[n++] = "--cfg";
            args[n++] = crates[i][2];
        }
        args[n++] = in;
        args[n++] = "-o";
        args[n++] = out;
        args[n] = NULL;
        if (run((char *const *)args, NULL, NULL) != 0)
            return fail("building %s for bpfel-unknown-none failed%s", crates[i][0], "");
    }
    if (rename(stage, sysroot) != 0 && stat(probe, &st) != 0)
        return fail("%s: %s", sysroot, strerror(errno));
    return 0;
}

/*
 * LLVM's BPF backend refuses a memcpy, memmove or memset intrinsic whose
 * length is not a constant ("A call to built-in function 'memcpy' is not
 * supported"), and Rust's slice copies (copy_from_slice, copy_within, fill)
 * are exactly that. Such a call, or one longer than INLINE_MAX bytes, becomes
 * a call of the checked helper (memcpy allows overlap, so it serves memmove
 * too): `call void @llvm.memcpy.p0.p0.i64(ptr A, ptr B, i64 N, i1 false)` ->
 * `call i64 inttoptr (i64 10 to ptr)(ptr A, ptr B, i64 N)`, which the
 * backend emits as `call 10`. Arguments, their attributes, metadata and the
 * debug location are kept as they are.
 */
#define INLINE_MAX 128

/* The end of the top-level argument starting at p (a ',' or the closing ')'). */
static const char *arg_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '(' || *p == '[' || *p == '{' || *p == '<')
            depth++;
        else if ((*p == ')' || *p == ']' || *p == '}' || *p == '>') && depth-- == 0)
            return p;
        else if (*p == ',' && depth == 0)
            return p;
    }
    return NULL;
}

/* Rewrites one line into out when it is such an intrinsic call; 0 when left as is. */
static int lower_line(const char *line, FILE *out)
{
    static const struct {
        const char *name;
        unsigned id;
    } ops[] = { { "call void @llvm.memcpy.", FC_HELPER_MEMCPY },
                { "call void @llvm.memmove.", FC_HELPER_MEMCPY },
                { "call void @llvm.memset.", FC_HELPER_MEMSET } };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        const char *c = strstr(line, ops[k].name), *open = c ? strchr(c, '(') : NULL;
        if (open == NULL)
            continue;
        const char *a[5], *p = open + 1;
        int n = 0;
        while (n < 5 && (a[n] = p, p = arg_end(p)) != NULL) {
            n++;
            if (*p == ')')
                break;
            p++;
        }
        if (p == NULL || n != 4)
            return 0;
        /* the length: "i64 [attrs] VALUE"; a literal up to INLINE_MAX stays inline */
        const char *v = a[3] - 1; /* the comma before the fourth argument (a[3] is past it) */
        const char *tok = v;
        while (tok > a[2] && tok[-1] != ' ')
            tok--;
        char *end;
        unsigned long long len = strtoull(tok, &end, 10);
        if (end == v && len <= INLINE_MAX)
            return 0;
        /* the result is named: an unnamed one would take a number and shift the function's */
        static unsigned seq;
        size_t indent = strspn(line, " \t");
        fprintf(out, "%.*s%%fc.mem.%u = %.*scall i64 inttoptr (i64 %u to ptr)(%.*s)%s", (int)indent, line,
                seq++, (int)(c - line - (ptrdiff_t)indent), line + indent, ops[k].id,
                (int)(v - (open + 1)), open + 1, p + 1);
        return 1;
    }
    return 0;
}

static int lower_mem_intrinsics(const char *in_path, const char *out_path)
{
    FILE *in = fopen(in_path, "r"), *out = fopen(out_path, "w");
    char *line = NULL;
    size_t cap = 0;
    int rc = in != NULL && out != NULL ? 0 : -1;
    while (rc == 0 && getline(&line, &cap, in) > 0)
        if (!lower_line(line, out))
            fputs(line, out);
    free(line);
    if (in != NULL)
        fclose(in);
    if (out != NULL && fclose(out) != 0)
        rc = -1;
    return rc == 0 ? 0 : fail("%s: %s", out_path, strerror(errno));
}

/* The staticlib cargo reports in its JSON messages (the .a of a staticlib target). */
static int find_staticlib(const char *json, char *out, size_t len)
{
    FILE *f = fopen(json, "r");
    if (f == NULL)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int found = -1;
    while (getline(&line, &cap, f) > 0) {
        if (strstr(line, "\"compiler-artifact\"") == NULL || strstr(line, "\"staticlib\"") == NULL)
            continue;
        char *p = strstr(line, "\"filenames\":[\"");
        if (p == NULL)
            continue;
        p += 14;
        char *e = strstr(p, ".a\"");
        if (e == NULL || (size_t)(e + 2 - p) >= len)
            continue;
        snprintf(out, len, "%.*s", (int)(e + 2 - p), p);
        found = 0;
    }
    free(line);
    fclose(f);
    return found;
}

/* Every member of the archive, extracted into dir (names listed in names). */
static int extract(const char *llvm, const char *archive, const char *dir, char names[][PATH_LEN],
                   int max)
{
    char ar[PATH_LEN];
    pathf(ar, "%s/llvm-ar", llvm);
    const char *args[] = { ar, "x", archive, NULL };
    if (run((char *const *)args, dir, NULL) != 0)
        return fail("%s x %s failed", ar, archive);
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max)
        if (e->d_name[0] != '.')
            pathf(names[n++], "%s/%s", dir, e->d_name);
    closedir(d);
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    char p[PATH_LEN];
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            pathf(p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

static int cache_dir(char *out, size_t len)
{
    const char *c = getenv("FEMTO_CACHE");
    if (c != NULL && c[0])
        snprintf(out, len, "%s", c);
    else if (getenv("XDG_CACHE_HOME") != NULL && getenv("XDG_CACHE_HOME")[0])
        snprintf(out, len, "%s/femto", getenv("XDG_CACHE_HOME"));
    else if (getenv("HOME") != NULL)
        snprintf(out, len, "%s/.cache/femto", getenv("HOME"));
    else
        return fail("no cache directory: set FEMTO_CACHE%s%s", "", "");
    return mkdirs(out) == 0 ? 0 : fail("%s: %s", out, strerror(errno));
}

/*
 * The stack the object's deepest chain of local calls needs, as the
 * verifier measures it on a device with the standard helpers (the C path
 * records the same); -1 after printing the rejection (with its source line
 * when lines).
 */
static long measured_stack(const char *obj, const char *out, int lines)
{
    fc_link_out_t lo = { 0 };
    femto_host_t *h = calloc(1, sizeof *h);
    const char *objs[] = { obj };
    long need = -1;
    fc_image_t img;
    fc_verify_info_t info = { 0 };
    if (h == NULL || fc_link_mem_flags(objs, 1, STACK_PROBE, lines ? FC_LINK_LINES : 0, &lo) != 0 ||
        fc_image_parse(&img, lo.image, lo.len) != FC_OK || femto_host_open(h, NULL, NULL, 0) != FC_OK)
        goto out;
    int err = femto_host_load(h, &img, &info);
    if (err != FC_OK) {
        femto_verdict_rejected(stderr, out, &img, &info, err, NULL, NULL);
        goto out;
    }
    need = info.stack;
    printf("%s: %u slots, ", out, (unsigned)img.nslots); /* as the C path reports it */
    femto_verdict_needs(stdout, &info);
    putchar('\n');
out:
    if (h != NULL)
        femto_host_close(h);
    free(h);
    fc_link_out_free(&lo);
    return need;
}

int femto_build_rust(const char *crate, const char *out, uint32_t stack, int keep, int lines)
{
    const char *rustc = env_or("FEMTO_RUSTC", "/usr/bin/rustc");
    const char *cargo = env_or("FEMTO_CARGO", "/usr/bin/cargo");
    const char *llvm = env_or("FEMTO_LLVM_BIN", "/usr/lib/llvm-22/bin");
    char llc[PATH_LEN], path[PATH_LEN];
    pathf(llc, "%s/llc", llvm);
    const char *tools[] = { rustc, cargo, llc };
    for (size_t i = 0; i < 3; i++)
        if (access(tools[i], X_OK) != 0)
            return fail("%s not found: Rust containers need Debian's rustc-web, cargo-web, "
                        "rust-web-src and llvm-22 (bash scripts/setup.sh installs them)%s",
                        tools[i], "");

    char cache[PATH_LEN], tc[PATH_LEN], version[512], tmp[PATH_LEN];
    if (cache_dir(cache, sizeof cache) != 0)
        return -1;
    pathf(tmp, "%s/version.%ld", cache, (long)getpid());
    const char *vargs[] = { rustc, "-V", NULL };
    if (first_line(vargs, tmp, version, sizeof version) != 0)
        return fail("%s -V failed%s", rustc, "");
    pathf(tc, "%s/rust-%016llx", cache, fnv(rustc, fnv(version, 14695981039346656037ull)));
    char sysroot[PATH_LEN], helpers_rs[PATH_LEN], target[PATH_LEN];
    pathf(sysroot, "%s/sysroot", tc);
    pathf(helpers_rs, "%s/helpers.rs", tc);
    if (mkdirs(tc) != 0)
        return fail("%s: %s", tc, strerror(errno));
    setenv("RUSTC_BOOTSTRAP", "1", 1); /* -Z flags and the sysroot crates' features */
    if (ensure_sysroot(rustc, tc, sysroot) != 0 || write_helpers_rs(helpers_rs) != 0)
        return -1;

    if (realpath(crate, path) == NULL)
        return fail("%s: %s", crate, strerror(errno));
    pathf(target, "%s/target-%016llx", tc, fnv(path, 14695981039346656037ull));
    char manifest[PATH_LEN], rustflags[PATH_LEN], cargo_home[PATH_LEN];
    pathf(manifest, "%s/Cargo.toml", path);
    pathf(rustflags, "--sysroot %s -C panic=abort%s", sysroot,
             lines ? " -C debuginfo=line-tables-only" : "");
    pathf(cargo_home, "%s/cargo-home", tc);
    /* a hermetic cargo: Debian's rustc, no user configuration, no network */
    setenv("RUSTC", rustc, 1);
    setenv("RUSTFLAGS", rustflags, 1);
    setenv("CARGO_HOME", cargo_home, 1);
    setenv("FEMTO_HELPERS_RS", helpers_rs, 1);
    unsetenv("CARGO_ENCODED_RUSTFLAGS");
    unsetenv("CARGO_BUILD_TARGET");
    const char *cargs[] = { cargo, "rustc", "--quiet", "--release", "--offline",
                            "--target", "bpfel-unknown-none", "--manifest-path", manifest,
                            "--target-dir", target, "--crate-type", "staticlib",
                            "--message-format=json-render-diagnostics",
                            "--config", "profile.release.lto=true",
                            "--config", "profile.release.panic=\"abort\"",
                            "--config", "profile.release.codegen-units=1",
                            "--config", "profile.release.opt-level=3", NULL };
    char json[PATH_LEN], lib[PATH_LEN];
    pathf(json, "%s.cargo.json", out);
    if (run((char *const *)cargs, NULL, json) != 0) {
        unlink(json);
        return fail("cargo could not build %s (its errors are above)%s", crate, "");
    }
    int found = find_staticlib(json, lib, sizeof lib);
    unlink(json);
    if (found != 0)
        return fail("%s: cargo built no staticlib (is it a library crate?)%s", crate, "");

    /* the archive's bitcode members, one module, one BPF object */
    char work[PATH_LEN];
    pathf(work, "%s/work-XXXXXX", tc);
    if (mkdtemp(work) == NULL)
        return fail("%s: %s", work, strerror(errno));
    static char members[16][PATH_LEN];
    int rc = -1, nm = extract(llvm, lib, work, members, 16);
    char bc[PATH_LEN], obj[PATH_LEN], tool[PATH_LEN];
    pathf(obj, "%s.0.o", out);
    if (nm <= 0) {
        if (nm == 0)
            fail("%s: an empty archive%s", lib, "");
        goto done;
    }
    /* one textual module (llvm-link -S), its variable-length copies made helper calls */
    const char *largs[24];
    int n = 0;
    char all[PATH_LEN];
    pathf(tool, "%s/llvm-link", llvm);
    largs[n++] = tool;
    largs[n++] = "-S";
    for (int i = 0; i < nm; i++)
        largs[n++] = members[i];
    largs[n++] = "-o";
    pathf(all, "%s/all.ll", work);
    largs[n++] = all;
    largs[n] = NULL;
    if (run((char *const *)largs, NULL, NULL) != 0) {
        fail("llvm-link of %s failed%s", lib, "");
        goto done;
    }
    pathf(bc, "%s/lowered.ll", work);
    if (lower_mem_intrinsics(all, bc) != 0)
        goto done;
    /* one section per function, so the linker can put the entries first */
    const char *lcargs[] = { llc, "-march=bpfel", "-mcpu=v4", "-O2", "-filetype=obj", "-function-sections",
                             bc, "-o", obj, NULL };
    if (run((char *const *)lcargs, NULL, NULL) != 0) {
        fail("%s could not compile %s to BPF", llc, bc);
        goto done;
    }
    pathf(tool, "%s/llvm-objcopy", llvm);
    const char *oargs[] = { tool, "--localize-symbol=memcpy", "--localize-symbol=memmove",
                            "--localize-symbol=memset", "--localize-symbol=memcmp",
                            "--localize-symbol=bcmp", obj, NULL };
    if (run((char *const *)oargs, NULL, NULL) != 0) {
        fail("%s on %s failed", tool, obj);
        goto done;
    }
    /* llc-22's DWARF is read by the objdump of the same LLVM */
    pathf(tool, "%s/llvm-objdump", llvm);
    setenv("LLVM_OBJDUMP", env_or("LLVM_OBJDUMP", tool), 1);
    const char *objs[] = { obj };
    long need = measured_stack(obj, out, lines);
    if (need < 0)
        goto done;
    if (stack == 0)
        stack = (uint32_t)need;
    else if ((uint32_t)need > stack) {
        fprintf(stderr, "femto build: %s: --stack %u is less than the %ld B its deepest chain of "
                        "local calls needs\n", out, (unsigned)stack, need);
        goto done;
    }
    rc = fc_link_flags(objs, 1, out, stack, lines ? FC_LINK_LINES : 0);
done:
    if (!keep)
        unlink(obj);
    rm_dir(work);
    return rc;
}
