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

/*
 * Compile src to obj. Clang's warnings are passed through; a failure is
 * reported on stderr (one line per refused construct, or clang's own
 * diagnostics for ordinary errors). Returns 0 when obj was written.
 */
int femto_cc_compile(const femto_cc_t *cc, const char *src, const char *obj);

/*
 * Refuse what compiles but cannot run in a container: a call through a
 * function pointer (callx). Reports "FILE:LINE: ..." from obj's line table.
 * Returns 0 when obj has none.
 */
int femto_cc_check_object(const char *src, const char *obj);

#endif /* FEMTO_BUILD_CC_H */
