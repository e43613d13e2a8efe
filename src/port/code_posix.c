/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile, seal and enable in one call, over the POSIX port's code memory
 * (posix.c). Its own file: the port builds without the JIT, this needs it.
 */
#include <stdint.h>

#include "fc/code_posix.h"
#include "fc/jit.h"

int fc_code_posix_jit(fc_vm_t *vm, const void **code, size_t *used)
{
    if (code != NULL)
        *code = NULL;
    if (used != NULL)
        *used = 0;
    if (vm == NULL || code == NULL)
        return FC_ERR_INVAL;
    if (!FC_JIT)
        return FC_ERR_NOTSUP;
    size_t cap = fc_jit_code_bound(vm), n = 0;
    if (cap == 0)
        return FC_ERR_NOT_VERIFIED;
    uint8_t *buf = fc_code_posix_alloc(NULL, cap);
    if (buf == NULL)
        return FC_ERR_NOMEM;
    int err = fc_jit_compile(vm, buf, cap, &n);
    const void *x = err == FC_OK ? fc_code_posix_seal(NULL, buf) : NULL;
    if (err == FC_OK && x == NULL)
        err = FC_ERR_NOMEM;
    if (err == FC_OK)
        err = fc_jit_enable(vm, x);
    if (err != FC_OK) {
        fc_code_posix_free(NULL, buf);
        return err;
    }
    *code = x;
    if (used != NULL)
        *used = n;
    return FC_OK;
}
