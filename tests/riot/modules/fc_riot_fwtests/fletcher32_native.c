/* SPDX-License-Identifier: Apache-2.0 */
/* bench/kernels/fletcher32.c compiled natively (native_fletcher32), as ports/build.sh does. */
#define BENCH_NATIVE 1
#include "fletcher32.c"
