/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "fc/helpers.h"
#include "disasm.h"
#include "fc/isa.h"
#include "host.h"

#define HOST_GLOBAL_CAP 256u
#define HOST_POOL_CAP   1024u
#define HOST_LOCAL_CAP  256u

/* Stands in for a firmware helper the host does not have. */
static int absent_helper(fc_vm_t *vm, const uint64_t *args, uint64_t *ret)
{
    (void)vm;
    (void)args;
    *ret = 0;
    return FC_ERR_HELPER_FAIL;
}

int femto_host_open(femto_host_t *h, FILE *log, const uint32_t *extra, unsigned nextra)
{
    memset(h, 0, sizeof *h);
    if (nextra > FEMTO_HOST_EXTRA_MAX)
        return FC_ERR_INVAL;
    for (unsigned i = 0; i < nextra; i++)
        h->extra_items[i] = (fc_helper_t){ extra[i], 0, absent_helper, "firmware" };
    h->extra.items = h->extra_items;
    h->extra.count = nextra;
    h->store = calloc(HOST_GLOBAL_CAP + HOST_POOL_CAP + HOST_LOCAL_CAP, sizeof *h->store);
    if (h->store == NULL)
        return FC_ERR_NOMEM;
    int err = fc_port_posix_init(&h->pst, &h->port, log, NULL, 0);
    if (err != FC_OK)
        return err;
    h->have_port = 1;
    err = fc_rt_init(&h->rt, &h->port, h->store, HOST_GLOBAL_CAP, h->store + HOST_GLOBAL_CAP,
                     HOST_POOL_CAP, nextra ? &h->extra : NULL);
    if (err == FC_OK)
        err = fc_tenant_add(&h->rt, &h->tenant, 1, "default", UINT32_MAX, HOST_POOL_CAP);
    return err;
}

/* Fresh zeroed DATA and stack memory for the next load (replacing the last). */
static int alloc_memory(femto_host_t *h, size_t ram_len, size_t stack_len)
{
    free(h->ram);
    free(h->stack);
    h->ram = calloc(1, ram_len ? ram_len : 1);
    h->stack = calloc(1, stack_len);
    return h->ram != NULL && h->stack != NULL ? FC_OK : FC_ERR_NOMEM;
}

/* Most RAM (.data + .bss + stack) an image gets here, checked before anything is allocated. */
#define HOST_RAM_LIMIT (64u << 20)

int femto_host_load(femto_host_t *h, const fc_image_t *img, fc_verify_info_t *info)
{
    fc_ram_needs_t need;
    int err = fc_container_ram_needs(img, HOST_RAM_LIMIT, FEMTO_HOST_STACK_MIN, &need);
    if (err != FC_OK) {
        if (info != NULL)
            *info = (fc_verify_info_t){ .err = err,
                                        .reason = "the image needs more RAM (.data + .bss + stack) than the 64 MiB limit" };
        return err;
    }
    /* room for the specialised copy after DATA, the fallback when no JIT code memory is given:
       femto run runs the engine a device would (the JIT on x86-64) */
    size_t stack_len = need.stack, ram_len = (size_t)need.ram + need.fast;
    err = alloc_memory(h, ram_len, stack_len);
    if (err != FC_OK)
        return err;
    return fc_container_load(&h->c, &h->tenant, img, h->ram, ram_len, h->stack, stack_len,
                             h->store + HOST_GLOBAL_CAP + HOST_POOL_CAP, HOST_LOCAL_CAP, info);
}

int femto_host_load_code(femto_host_t *h, const uint8_t *code, size_t len, fc_verify_info_t *info)
{
    int err = alloc_memory(h, 0, FEMTO_HOST_STACK_MIN);
    if (err != FC_OK)
        return err;
    return fc_container_load_code(&h->c, &h->tenant, code, len, h->ram, 0, h->stack,
                                  FEMTO_HOST_STACK_MIN, h->store + HOST_GLOBAL_CAP + HOST_POOL_CAP,
                                  HOST_LOCAL_CAP, info);
}

void femto_host_close(femto_host_t *h)
{
    if (h->have_port)
        fc_port_posix_fini(&h->pst);
    free(h->store);
    free(h->ram);
    free(h->stack);
    memset(h, 0, sizeof *h);
}

void femto_host_print_insn(FILE *out, const fc_image_t *img, uint32_t pc)
{
    char text[FC_DISASM_MAX];
    if (fc_disasm_insn(img->text, img->nslots, pc, text, sizeof text) == 0) {
        fprintf(out, "(slot %u is outside the code)", (unsigned)pc);
        return;
    }
    fprintf(out, "%u: %s   [", (unsigned)pc, text);
    const uint8_t *p = img->text + (size_t)FC_INSN_SIZE * pc;
    for (int i = 0; i < FC_INSN_SIZE; i++)
        fprintf(out, "%s%02x", i ? " " : "", p[i]);
    fputc(']', out);
    fc_insn_t insn = fc_insn_decode(p);
    if (insn.op == FC_OP_CALL && insn.src == FC_CALL_HELPER) {
        const char *name = fc_helper_name((uint32_t)insn.imm);
        fprintf(out, "  (helper %s)", name != NULL ? name : "unknown to the standard set");
    }
}

int femto_host_print_line(FILE *out, const fc_image_t *img, uint32_t pc)
{
    const char *file;
    uint32_t line;
    if (fc_image_line(img, pc, &file, &line) != FC_OK)
        return -1;
    fprintf(out, "  at %s:%u (slot %u, from the image's line table)\n", file, (unsigned)line,
            (unsigned)pc);
    return 0;
}
