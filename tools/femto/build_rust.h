/* SPDX-License-Identifier: Apache-2.0 */
/* femto build of a Rust container crate (build_rust.c). */
#ifndef FEMTO_BUILD_RUST_H
#define FEMTO_BUILD_RUST_H

#include <stdint.h>

/* 1 when path is a directory holding a Cargo.toml. */
int femto_is_crate(const char *path);

/*
 * Build the crate at dir into the image out (stack bytes recorded, 0: what
 * the verifier measures; keep:
 * leave the BPF object as out.0.o; lines: embed the line table). Returns 0,
 * or -1 after saying what failed on stderr.
 */
int femto_build_rust(const char *dir, const char *out, uint32_t stack, int keep, int lines);

#endif /* FEMTO_BUILD_RUST_H */
