/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Code memory for the JIT on POSIX hosts. W^X: a private anonymous mapping
 * is read-write while the compiler writes it and read-execute after
 * fc_code_posix_seal(); it is never writable and executable at once. The
 * mapping's length sits in its first 16 bytes, so callers keep one pointer.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "fc/code_posix.h"
#include "fc/jit.h"

#define HEAD 16u /* keeps the code 16-byte aligned */

static uint8_t *base_of(const void *mem)
{
    return (uint8_t *)(uintptr_t)mem - HEAD;
}

void *fc_code_posix_alloc(void *ctx, size_t len)
{
    (void)ctx;
    if (len == 0 || len > SIZE_MAX - HEAD)
        return NULL;
    size_t total = len + HEAD;
    void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    memcpy(m, &total, sizeof total);
    return (uint8_t *)m + HEAD;
}

const void *fc_code_posix_seal(void *ctx, void *mem)
{
    (void)ctx;
    if (mem == NULL)
        return NULL;
    size_t total;
    memcpy(&total, base_of(mem), sizeof total);
    if (mprotect(base_of(mem), total, PROT_READ | PROT_EXEC) != 0)
        return NULL;
    return mem;
}

void fc_code_posix_free(void *ctx, const void *mem)
{
    (void)ctx;
    if (mem == NULL)
        return;
    size_t total;
    memcpy(&total, base_of(mem), sizeof total);
    munmap(base_of(mem), total);
}

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
