/* SPDX-License-Identifier: Apache-2.0 */
/* The original package's first tutorial container: the context plus one. */
#include <stdint.h>
#include "bpf/bpfapi/helpers.h"

unsigned long increment(unsigned long *context)
{
    return *context + 1;
}
