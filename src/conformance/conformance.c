/* SPDX-License-Identifier: Apache-2.0 */
/* The bpf_conformance suite's helpers and run convention (freestanding). */
#include <string.h>

#include "fc/conformance.h"
#include "fc/isa.h"

static int gather_bytes(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)vm;
    *ret = ((a[0] & 0xff) << 32) | ((a[1] & 0xff) << 24) | ((a[2] & 0xff) << 16) |
           ((a[3] & 0xff) << 8) | (a[4] & 0xff);
    return FC_OK;
}

static int memfrob(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    uint8_t *p = fc_vm_translate(vm, a[0], a[1], FC_MEM_READ | FC_MEM_WRITE);
    if (p == NULL)
        return FC_ERR_MEM;
    for (uint64_t i = 0; i < a[1]; i++)
        p[i] ^= 42;
    *ret = 0;
    return FC_OK;
}

static int no_op(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)vm;
    (void)a;
    *ret = 0;
    return FC_OK;
}

static int sqrti(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    /* bit-by-bit integer square root: exact for all 64-bit inputs, no libm */
    uint64_t x = a[0], r = 0, bit = (uint64_t)1 << 62;
    (void)vm;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    *ret = r;
    return FC_OK;
}

/* Length of the NUL-terminated string at vaddr, or -1 if it runs off its region. */
static const char *guest_str(fc_vm_t *vm, uint64_t vaddr)
{
    uint32_t avail;
    const char *s = fc_vm_translate_span(vm, vaddr, FC_MEM_READ, &avail);
    if (s == NULL || memchr(s, 0, avail) == NULL)
        return NULL;
    return s;
}

static int strcmp_ext(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    const char *p = guest_str(vm, a[0]), *q = guest_str(vm, a[1]);
    if (p == NULL || q == NULL)
        return FC_ERR_MEM;
    int c = strcmp(p, q);
    *ret = (uint64_t)(int64_t)c;
    return FC_OK;
}

static int unwind(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)vm;
    *ret = a[0];
    return a[0] == 0 ? FC_STOP : FC_OK;
}

static const fc_helper_t items[] = {
    { 0, 0, gather_bytes, "gather_bytes" },
    { 1, 0, memfrob, "memfrob" },
    { 2, 0, no_op, "no_op" },
    { 3, 0, sqrti, "sqrti" },
    { 4, 0, strcmp_ext, "strcmp_ext" },
    { 5, 0, unwind, "unwind" },
};

const fc_helper_table_t fc_conformance_helpers = { items, sizeof items / sizeof items[0], NULL };

int fc_conformance_run(const uint8_t *prog, size_t prog_len, uint8_t *mem, size_t mem_len,
                       uint64_t *r0, fc_verify_info_t *info)
{
    return fc_conformance_run_ex(prog, prog_len, mem, mem_len, NULL, 0, r0, info);
}

int fc_conformance_run_ex(const uint8_t *prog, size_t prog_len, uint8_t *mem, size_t mem_len,
                          uint8_t *fast, size_t fast_len, uint64_t *r0, fc_verify_info_t *info)
{
    uint64_t stack[FC_CONFORMANCE_STACK / 8];
    fc_region_t regions[FC_REGION_CTX] = {
        [FC_REGION_STACK - 1] = { (uint8_t *)stack, sizeof stack, FC_MEM_READ | FC_MEM_WRITE },
        [FC_REGION_CTX - 1] = { mem, (uint32_t)mem_len, FC_MEM_READ | FC_MEM_WRITE },
    };
    fc_vm_t vm;
    fc_verify_info_t dummy;
    int rc;

    if (info == NULL)
        info = &dummy;
    if (mem_len > UINT32_MAX)
        return FC_ERR_INVAL;
    memset(stack, 0, sizeof stack);
    rc = fc_vm_init(&vm, prog, prog_len, regions, FC_REGION_CTX, &fc_conformance_helpers);
    if (rc != FC_OK) {
        info->err = rc;
        info->pc = 0;
        info->reason = fc_strerror(rc);
        return rc;
    }
    rc = fc_vm_verify(&vm, info);
    if (rc != FC_OK)
        return rc;
    if (fast != NULL && (rc = fc_vm_specialise(&vm, fast, fast_len)) != FC_OK)
        return rc;
    rc = fc_vm_run(&vm, 0, mem_len ? FC_VADDR(FC_REGION_CTX, 0) : 0, mem_len, r0);
    if (rc != FC_OK) {
        info->err = rc;
        info->pc = vm.pc;
        info->reason = fc_strerror(rc);
    }
    return rc;
}
