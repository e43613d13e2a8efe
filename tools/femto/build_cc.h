/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto build's compiler step: one C or C++ file to a BPF object with
 * clang, and what clang or the object says turned into one clear line per
 * construct a container cannot have (floats, variadic functions, function
 * pointers, a frame over 512 B, 128-bit maths), with the C file and line
 * and what to write instead, never an LLVM crash dump.
 */
#ifndef FEMTO_BUILD_CC_H
#define FEMTO_BUILD_CC_H

/* The compiler and the flags every file gets. */
typedef struct {
    const char *clang;        /* the compiler to run */
    const char *cpu;          /* -mcpu value: v4 unless asked */
    const char *opt;          /* -O level: -O2 unless asked */
    const char *sdk;          /* the SDK include directory */
    const char *const *flags; /* -I/-D/-U passed through */
    int nflags;
} femto_cc_t;

/* A compiler command line and the strings it points into. */
#define FEMTO_CC_ARGS_MAX 160
typedef struct {
    const char *args[FEMTO_CC_ARGS_MAX];
    char cpu[32];
    char inc[4200];
} femto_cc_argv_t;

/* femto build's clang command line for src: an object (ir 0) or LLVM IR text (ir 1) at
 * out. Returns the argument count (args is NULL-terminated). */
int femto_cc_args(const femto_cc_t *cc, const char *src, const char *out, int ir,
                  femto_cc_argv_t *v);

/* Run args with standard error captured into *log (malloc'd, free it). Returns the exit
 * status, or -1 when the program could not be started or died of a signal. */
int femto_cc_run(char *const *args, char **log);

/*
 * The fallback for struct copies and clears over what BPF inlines (1 KiB):
 * src to LLVM IR, each such llvm.memcpy/memmove/memset call made a call of
 * the checked memcpy/memset helper, then the IR to obj. Returns 0 when obj
 * was written (nothing is printed), -1 otherwise.
 */
int femto_cc_big_copies(const femto_cc_t *cc, const char *src, const char *obj);

/*
 * Several files that call each other's functions: each to LLVM IR (big
 * copies rewritten as above), llvm-link-19 into one module, one object
 * obj. Returns 0, or -1 after saying why on stderr.
 */
int femto_cc_combine(const femto_cc_t *cc, const char *const *srcs, int nsrc, const char *obj);

/*
 * Compile src to obj. Clang's warnings are passed through; a failure is
 * reported on stderr (one line per refused construct, or clang's own
 * diagnostics for ordinary errors). Returns 0 when obj was written.
 */
int femto_cc_compile(const femto_cc_t *cc, const char *src, const char *obj);

/*
 * Refuse what compiles but cannot run in a container: a call through a
 * function pointer (callx). Reports "FILE:LINE: ..." from obj's line table.
 * Returns 0 when obj has none. *undefined is set when obj refers to a
 * symbol it does not define (a function of another file).
 */
int femto_cc_check_object(const char *src, const char *obj, int *undefined);

#endif /* FEMTO_BUILD_CC_H */
