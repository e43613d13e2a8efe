/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The standard helpers. Each finds its container through vm->user (set by
 * the runtime, never by the program) and translates every pointer argument
 * with the right access and length before touching it. Errors the program
 * can handle (absent key, full store) come back in r0 as negative numbers;
 * a bad pointer faults the run.
 */
#include <string.h>

#include "fc/helpers.h"
#include "fc/runtime.h"
#include "rt_internal.h"

#define RET_ERR(err) ((uint64_t)(int64_t)(err))

static fc_container_t *self(const fc_vm_t *vm)
{
    return (fc_container_t *)vm->user;
}

static const fc_port_t *port_of(const fc_vm_t *vm)
{
    return self(vm)->tenant->rt->port;
}

/*
 * Why [vaddr, vaddr + len) cannot be written: FC_ERR_MEM_PERM when it is
 * readable (read-only memory), FC_ERR_MEM when it is not mapped at all.
 */
static int write_fault(const fc_vm_t *vm, uint64_t vaddr, uint64_t len)
{
    return fc_vm_translate(vm, vaddr, len, FC_MEM_READ) != NULL ? FC_ERR_MEM_PERM : FC_ERR_MEM;
}

/* A pointer to a u64 the helper writes: translated for 8 writable bytes. */
static int out_u64(fc_vm_t *vm, uint64_t vaddr, uint8_t **p)
{
    *p = fc_vm_translate(vm, vaddr, sizeof(uint64_t), FC_MEM_WRITE);
    return *p != NULL ? FC_OK : write_fault(vm, vaddr, sizeof(uint64_t));
}

static int get_from(fc_vm_t *vm, const fc_store_t *s, uint32_t ns, const uint64_t *a, uint64_t *ret)
{
    uint8_t *p;
    int fault = out_u64(vm, a[1], &p);
    if (fault != FC_OK)
        return fault;
    uint64_t v;
    int err = fc_store_get(s, ns, (uint32_t)a[0], &v);
    if (err == FC_OK)
        memcpy(p, &v, sizeof v); /* any alignment; the VM is little-endian like its hosts */
    *ret = RET_ERR(err);
    return FC_OK;
}

static int h_store_get_global(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    return get_from(vm, &self(vm)->tenant->rt->global, FC_STORE_NS_GLOBAL, a, ret);
}

static int h_store_put_global(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    *ret = RET_ERR(fc_store_put(&self(vm)->tenant->rt->global, FC_STORE_NS_GLOBAL,
                                (uint32_t)a[0], a[1]));
    return FC_OK;
}

static int h_store_get_tenant(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    fc_tenant_t *t = self(vm)->tenant;
    return get_from(vm, &t->rt->pool, t->id, a, ret);
}

static int h_store_put_tenant(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    *ret = RET_ERR(fc_rt_tenant_put_locked(self(vm)->tenant, (uint32_t)a[0], a[1]));
    return FC_OK;
}

static int h_store_get_local(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    fc_store_t local = fc_rt_local(self(vm));
    return get_from(vm, &local, FC_STORE_NS_LOCAL, a, ret);
}

static int h_store_put_local(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    fc_store_t local = fc_rt_local(self(vm));
    *ret = RET_ERR(fc_store_put(&local, FC_STORE_NS_LOCAL, (uint32_t)a[0], a[1]));
    return FC_OK;
}

static uint64_t now_us(const fc_vm_t *vm)
{
    const fc_port_t *port = port_of(vm);
    return port->now_us != NULL ? port->now_us(port->ctx) : 0;
}

static int h_now_ms(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)a;
    *ret = now_us(vm) / 1000u;
    return FC_OK;
}

static int h_now_us(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)a;
    *ret = now_us(vm);
    return FC_OK;
}

/* Bounded output buffer of fc_printf. */
typedef struct {
    char buf[FC_PRINTF_MAX];
    uint32_t len;
} line_t;

static void put_char(line_t *l, char ch)
{
    /* keep the last byte for the newline */
    if (l->len < FC_PRINTF_MAX - 1)
        l->buf[l->len++] = ch;
}

static void put_uint(line_t *l, uint64_t v, unsigned base)
{
    char tmp[20];
    unsigned n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    while (n != 0)
        put_char(l, tmp[--n]);
}

/*
 * A NUL-terminated program string: its length, FC_ERR_MEM when it runs off
 * its region, FC_ERR_BUDGET when the budget left cannot pay for the bytes
 * scanned (so the scan stops there: a string costs what reading it costs).
 */
static int64_t program_string(fc_vm_t *vm, uint64_t vaddr, const char **s)
{
    uint32_t avail;
    *s = fc_vm_translate_span(vm, vaddr, FC_MEM_READ, &avail);
    if (*s == NULL)
        return FC_ERR_MEM;
    uint64_t payable = (uint64_t)vm->left * FC_BUDGET_BYTES_PER_UNIT;
    uint32_t scan = avail < payable ? avail : (uint32_t)payable;
    for (uint32_t i = 0; i < scan; i++)
        if ((*s)[i] == '\0')
            return fc_vm_charge(vm, FC_VM_BYTES_COST(i + 1)) == FC_OK ? (int64_t)i : FC_ERR_BUDGET;
    return scan < avail ? FC_ERR_BUDGET : FC_ERR_MEM;
}

static int h_printf(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    const char *fmt;
    int64_t flen = program_string(vm, a[0], &fmt);
    if (flen < 0)
        return (int)flen;
    line_t l;
    l.len = 0;
    unsigned next = 1;
    for (int64_t i = 0; i < flen; i++) {
        char ch = fmt[i];
        if (ch != '%' || i + 1 == flen) {
            put_char(&l, ch);
            continue;
        }
        ch = fmt[++i];
        if (ch == '%') {
            put_char(&l, '%');
            continue;
        }
        /* a missing argument reads as 0, like any unset register */
        uint64_t v = next <= 4 ? a[next] : 0;
        next++;
        switch (ch) {
        case 'd': {
            int64_t sv = (int64_t)v;
            if (sv < 0) {
                put_char(&l, '-');
                put_uint(&l, 0u - v, 10);
            } else {
                put_uint(&l, v, 10);
            }
            break;
        }
        case 'u': put_uint(&l, v, 10); break;
        case 'x': put_uint(&l, v, 16); break;
        case 'c': put_char(&l, (char)v); break;
        case 's': {
            const char *s;
            int64_t slen = program_string(vm, v, &s);
            if (slen < 0)
                return (int)slen;
            for (int64_t k = 0; k < slen && l.len < FC_PRINTF_MAX - 1; k++)
                put_char(&l, s[k]);
            break;
        }
        default: /* unknown conversion: printed as is, so the author sees it */
            put_char(&l, '%');
            put_char(&l, ch);
            next--;
            break;
        }
    }
    if (l.len == 0 || l.buf[l.len - 1] != '\n')
        l.buf[l.len++] = '\n';
    const fc_port_t *port = port_of(vm);
    if (port->log != NULL)
        port->log(port->ctx, l.buf, l.len);
    *ret = l.len;
    return FC_OK;
}

/* memcpy, memset and memcmp pay for their length before touching a byte */
static int h_memcpy(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    uint32_t len = (uint32_t)a[2];
    void *dst = fc_vm_translate(vm, a[0], len, FC_MEM_WRITE);
    const void *src = fc_vm_translate(vm, a[1], len, FC_MEM_READ);
    if (dst == NULL || src == NULL)
        return dst == NULL ? write_fault(vm, a[0], len) : FC_ERR_MEM;
    if (fc_vm_charge(vm, FC_VM_BYTES_COST(len)) != FC_OK)
        return FC_ERR_BUDGET;
    memmove(dst, src, len);
    *ret = 0;
    return FC_OK;
}

static int h_memset(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    uint32_t len = (uint32_t)a[2];
    void *dst = fc_vm_translate(vm, a[0], len, FC_MEM_WRITE);
    if (dst == NULL)
        return write_fault(vm, a[0], len);
    if (fc_vm_charge(vm, FC_VM_BYTES_COST(len)) != FC_OK)
        return FC_ERR_BUDGET;
    memset(dst, (int)(uint8_t)a[1], len);
    *ret = 0;
    return FC_OK;
}

static int h_memcmp(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    uint32_t len = (uint32_t)a[2];
    const void *x = fc_vm_translate(vm, a[0], len, FC_MEM_READ);
    const void *y = fc_vm_translate(vm, a[1], len, FC_MEM_READ);
    if (x == NULL || y == NULL)
        return FC_ERR_MEM;
    if (fc_vm_charge(vm, FC_VM_BYTES_COST(len)) != FC_OK)
        return FC_ERR_BUDGET;
    int c = memcmp(x, y, len);
    *ret = RET_ERR(c < 0 ? -1 : c > 0);
    return FC_OK;
}

static uint32_t sensor_count(const fc_port_t *port)
{
    return port->sensor_count != NULL ? port->sensor_count(port->ctx) : 0;
}

static int h_sensor_count(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)a;
    *ret = sensor_count(port_of(vm));
    return FC_OK;
}

static int h_sensor_find(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    const fc_port_t *port = port_of(vm);
    uint32_t n = sensor_count(port);
    uint32_t type = (uint32_t)a[0];
    *ret = RET_ERR(FC_ERR_NOENT);
    for (uint64_t i = a[1]; i < n; i++) {
        uint32_t t = port->sensor_type != NULL ? port->sensor_type(port->ctx, (uint32_t)i) : 0;
        if (t != 0 && (type == FC_SENSOR_ANY || t == type)) {
            *ret = i;
            break;
        }
    }
    return FC_OK;
}

static int h_sensor_read(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    uint8_t *p = fc_vm_translate(vm, a[1], sizeof(fc_sensor_value_t), FC_MEM_WRITE);
    if (p == NULL)
        return write_fault(vm, a[1], sizeof(fc_sensor_value_t));
    const fc_port_t *port = port_of(vm);
    if (a[0] >= sensor_count(port) || port->sensor_read == NULL) {
        *ret = RET_ERR(FC_ERR_NOENT);
        return FC_OK;
    }
    fc_sensor_value_t v;
    memset(&v, 0, sizeof v);
    int err = port->sensor_read(port->ctx, (uint32_t)a[0], &v);
    if (err == FC_OK)
        memcpy(p, &v, sizeof v);
    *ret = RET_ERR(err < 0 ? err : FC_OK);
    return FC_OK;
}

static int h_random_u32(fc_vm_t *vm, const uint64_t *a, uint64_t *ret)
{
    (void)a;
    const fc_port_t *port = port_of(vm);
    *ret = port->random != NULL ? port->random(port->ctx) : 0;
    return FC_OK;
}

#define HELPER_ENTRY_(name, NAME, id, cap, rtype, params, doc) \
    { FC_HELPER_##NAME, cap, h_##name, #name },
const fc_helper_t fc_helpers_standard[] = { FC_HELPER_LIST(HELPER_ENTRY_) };
#undef HELPER_ENTRY_

const uint32_t fc_helpers_standard_count =
    (uint32_t)(sizeof fc_helpers_standard / sizeof fc_helpers_standard[0]);

const fc_helper_t *fc_helper_standard(uint32_t id)
{
    for (uint32_t i = 0; i < fc_helpers_standard_count; i++)
        if (fc_helpers_standard[i].id == id)
            return &fc_helpers_standard[i];
    return NULL;
}

const char *fc_helper_name(uint32_t id)
{
    const fc_helper_t *h = fc_helper_standard(id);
    return h != NULL ? h->name : NULL;
}
