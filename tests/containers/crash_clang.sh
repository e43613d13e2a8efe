#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A stand-in for clang that crashes the way LLVM's BPF backend does (no
# diagnostic with a line, then the dump): femto build must turn it into one
# line naming the function and LLVM's reason. Used by containers_test.sh.
cat >&2 <<'DUMP'
fatal error: error in backend: Cannot select: 0x55fa29ec18e0: ch = vaend 0x55fa29ec1480:1, FrameIndex:i64<0>
  0x55fa29ec1870: i64 = FrameIndex<0>
In function: mix
PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash backtrace, preprocessed source, and associated run script.
Stack dump:
0.	Program arguments: clang-19 -target bpf -O2 -c x.c
1.	<eof> parser at end of file
2.	Code generation
 #0 0x00007f0a1b2c3d4e llvm::sys::PrintStackTrace(llvm::raw_ostream&, int)
clang: error: clang frontend command failed with exit code 70 (use -v to see invocation)
DUMP
exit 1
