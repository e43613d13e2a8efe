/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Deployment over gcoap: femtod's signed envelope (COSE_Sign1, EdDSA) PUT
 * block-wise into a bounded buffer, verified with libcose + HACL, judged by
 * the shared rules (src/deploy/fc_deploy_rules.h), installed into a static
 * slot and kept through the VFS so it comes back at boot.
 *
 * Order of the checks (nothing is stored or changed before all passed):
 * size and blocks (4.13 / 4.08), envelope structure and payload fields
 * (4.00), tenant (4.01), signature (4.01), request shape (4.00), hooks
 * (4.04), sequence (4.09), image and verifier (4.22), free slot (5.03),
 * then the container is swapped in and the state written (5.00 on failure,
 * the new container then removed again).
 *
 * gcoap runs every handler in its one thread, so the upload buffer and the
 * slots need no lock of their own; the runtime's lock covers the hooks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cose.h"
#include "fc/image.h"
#include "fc_deploy_rules.h"
#include "fc_riot.h"
#include "net/gcoap.h"
#include "nanocbor/nanocbor.h"
#include "vfs.h"

#ifndef CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX
#define CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX 4096 /**< largest envelope accepted, bytes */
#endif
#ifndef CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS
#define CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS 4 /**< containers installed at once */
#endif
#ifndef CONFIG_FEMTO_CONTAINERS_DEPLOY_RAM
#define CONFIG_FEMTO_CONTAINERS_DEPLOY_RAM 256 /**< .data + .bss of each container, bytes */
#endif
#define SEQ_MAX 16 /* names whose sequence numbers are remembered */

typedef struct {
    fc_container_t c;
    fc_riot_tenant_t *owner; /* NULL: free */
    char name[FC_DEPLOY_NAME_MAX + 1];
    uint64_t seq;
    uint32_t entry; /* the entry point the hooks run */
    fc_hook_t *hooks[FC_DEPLOY_HOOKS_MAX];
    unsigned nhooks;
    size_t image_len;
    uint8_t image[CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX] __attribute__((aligned(8)));
    uint8_t ram[CONFIG_FEMTO_CONTAINERS_DEPLOY_RAM] __attribute__((aligned(8)));
    uint8_t stack[CONFIG_FEMTO_CONTAINERS_STACK] __attribute__((aligned(8)));
} slot_t;

/* an envelope's payload, decoded; the strings point into the envelope */
typedef struct {
    const uint8_t *tenant, *name, *entry, *image;
    size_t tenant_len, name_len, entry_len, image_len;
    const uint8_t *hook[FC_DEPLOY_HOOKS_MAX];
    size_t hook_len[FC_DEPLOY_HOOKS_MAX];
    unsigned nhooks;
    uint64_t seq;
    uint32_t op;
} request_t;

static fc_rt_t *rt;
static fc_riot_tenant_t *tenants;
static unsigned ntenants;
static const char *state_dir;
static slot_t slots[CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS];
static fc_deploy_seq_t seqs[SEQ_MAX];
static uint32_t nseqs;
static uint8_t rx[CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX]; /* the upload being received */
static size_t rx_len;
static uint32_t rx_size1; /* the total block 0 announced (Size1), 0: none */
static uint8_t scratch[CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX + 128]; /* libcose's Sig_structure */
static char diag[160];

/* ---- decoding ---- */

static int get_name(nanocbor_value_t *v, const uint8_t **s, size_t *len, size_t max)
{
    if (nanocbor_get_tstr(v, s, len) != NANOCBOR_OK ||
        !fc_deploy_name_valid((const char *)*s, *len, max))
        return FC_ERR_FORMAT;
    return FC_OK;
}

static int decode_payload(request_t *r, const uint8_t *p, size_t len)
{
    nanocbor_value_t top, map, arr;
    uint32_t seen = 0, key;
    memset(r, 0, sizeof *r);
    nanocbor_decoder_init(&top, p, len);
    if (nanocbor_enter_map(&top, &map) != NANOCBOR_OK)
        return FC_ERR_FORMAT;
    while (!nanocbor_at_end(&map)) {
        int err = FC_OK;
        if (nanocbor_get_uint32(&map, &key) < 0 || key < FC_DEPLOY_K_TENANT ||
            key > FC_DEPLOY_K_ENTRY || (seen & (1u << key)))
            return FC_ERR_FORMAT; /* unknown or repeated key */
        seen |= 1u << key;
        switch (key) {
        case FC_DEPLOY_K_TENANT:
            err = get_name(&map, &r->tenant, &r->tenant_len, FC_DEPLOY_NAME_MAX);
            break;
        case FC_DEPLOY_K_NAME:
            err = get_name(&map, &r->name, &r->name_len, FC_DEPLOY_NAME_MAX);
            break;
        case FC_DEPLOY_K_ENTRY:
            err = get_name(&map, &r->entry, &r->entry_len, FC_DEPLOY_NAME_MAX);
            break;
        case FC_DEPLOY_K_SEQ:
            err = nanocbor_get_uint64(&map, &r->seq) < 0 ? FC_ERR_FORMAT : FC_OK;
            break;
        case FC_DEPLOY_K_OP:
            err = nanocbor_get_uint32(&map, &r->op) < 0 ? FC_ERR_FORMAT : FC_OK;
            break;
        case FC_DEPLOY_K_IMAGE:
            err = nanocbor_get_bstr(&map, &r->image, &r->image_len) != NANOCBOR_OK ? FC_ERR_FORMAT
                                                                                   : FC_OK;
            break;
        default: /* FC_DEPLOY_K_HOOKS */
            if (nanocbor_enter_array(&map, &arr) != NANOCBOR_OK)
                return FC_ERR_FORMAT;
            while (!nanocbor_at_end(&arr) && err == FC_OK) {
                if (r->nhooks == FC_DEPLOY_HOOKS_MAX)
                    return FC_ERR_FORMAT;
                err = get_name(&arr, &r->hook[r->nhooks], &r->hook_len[r->nhooks],
                               FC_DEPLOY_HOOK_MAX);
                r->nhooks++;
            }
            nanocbor_leave_container(&map, &arr);
            break;
        }
        if (err != FC_OK)
            return err;
    }
    nanocbor_leave_container(&top, &map);
    /* tenant, name, seq and op are required */
    if ((seen & 0x1eu) != 0x1eu || !nanocbor_at_end(&top))
        return FC_ERR_FORMAT;
    return fc_deploy_request_check(r->op, r->image != NULL, r->nhooks);
}

static bool same(const uint8_t *s, size_t len, const char *z)
{
    return strlen(z) == len && memcmp(s, z, len) == 0;
}

static fc_hook_t *find_hook(const uint8_t *s, size_t len)
{
    for (fc_hook_t *h = rt->hooks; h != NULL; h = h->next)
        if (same(s, len, h->name))
            return h;
    return NULL;
}

static slot_t *find_slot(const char *name)
{
    for (unsigned i = 0; i < CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS; i++)
        if (slots[i].owner != NULL && strcmp(slots[i].name, name) == 0)
            return &slots[i];
    return NULL;
}

static slot_t *free_slot(void)
{
    for (unsigned i = 0; i < CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS; i++)
        if (slots[i].owner == NULL)
            return &slots[i];
    return NULL;
}

#define DIAG(...) snprintf(diag, sizeof diag, __VA_ARGS__)

/* ---- persistence: write to NAME.tmp, then rename ---- */

static int write_file(const char *name, const void *a, size_t alen)
{
    char tmp[64], path[64];
    snprintf(path, sizeof path, "%s/%s", state_dir, name);
    snprintf(tmp, sizeof tmp, "%s/%s.tmp", state_dir, name);
    int fd = vfs_open(tmp, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0)
        return FC_ERR_IO;
    ssize_t w = vfs_write(fd, a, alen);
    vfs_close(fd);
    if (w != (ssize_t)alen || vfs_rename(tmp, path) < 0) {
        vfs_unlink(tmp);
        return FC_ERR_IO;
    }
    return FC_OK;
}

static int save_seqs(void)
{
    return write_file("seq", seqs, nseqs * sizeof seqs[0]);
}

static void load_seqs(void)
{
    char path[64];
    snprintf(path, sizeof path, "%s/seq", state_dir);
    int fd = vfs_open(path, O_RDONLY, 0);
    nseqs = 0;
    if (fd < 0)
        return;
    ssize_t r = vfs_read(fd, seqs, sizeof seqs);
    vfs_close(fd);
    nseqs = r > 0 ? (uint32_t)((size_t)r / sizeof seqs[0]) : 0;
    for (uint32_t i = 0; i < nseqs; i++)
        seqs[i].name[FC_DEPLOY_NAME_MAX] = '\0';
}

/* ---- applying an envelope ---- */

static void release(slot_t *s)
{
    fc_container_remove(&s->c);
    s->owner = NULL;
}

static int install(const request_t *r, fc_riot_tenant_t *t, fc_hook_t **hooks, const char *name)
{
    fc_image_t img;
    fc_verify_info_t info;
    uint32_t entry = 0;
    slot_t *old = find_slot(name), *s = free_slot();
    if (s == NULL) {
        DIAG("no free container slot");
        return FC_ERR_FULL;
    }
    if (r->image_len > sizeof s->image) {
        DIAG("image of %u bytes exceeds %u", (unsigned)r->image_len, (unsigned)sizeof s->image);
        return FC_ERR_NOMEM;
    }
    memcpy(s->image, r->image, r->image_len);
    int err = fc_image_parse(&img, s->image, r->image_len);
    if (err == FC_OK && r->entry != NULL) {
        char e[FC_DEPLOY_NAME_MAX + 1];
        memcpy(e, r->entry, r->entry_len);
        e[r->entry_len] = '\0';
        err = fc_image_entry(&img, e, &entry);
    } else if (err == FC_OK) {
        const char *first;
        err = fc_image_entry_at(&img, 0, &first, &entry);
    }
    if (err == FC_OK)
        err = fc_container_load(&s->c, &t->tenant, &img, s->ram, sizeof s->ram, s->stack,
                                sizeof s->stack, NULL, 0, &info);
    if (err != FC_OK) {
        DIAG("image refused: %s", fc_strerror(err));
        return err;
    }
    s->owner = t;
    for (unsigned i = 0; i < r->nhooks && err == FC_OK; i++) {
        err = fc_hook_attach(hooks[i], &s->c, entry, 0, NULL);
        if (err != FC_OK)
            DIAG("image refused for hook %s: %s", hooks[i]->name, fc_strerror(err));
    }
    if (err != FC_OK) {
        release(s);
        return err;
    }
    memcpy(s->name, name, strlen(name) + 1);
    s->seq = r->seq;
    s->entry = entry;
    s->image_len = r->image_len;
    s->nhooks = r->nhooks;
    memcpy(s->hooks, hooks, sizeof s->hooks);
    if (old != NULL)
        release(old);
    return FC_OK;
}

/*
 * Judge and apply one envelope. @p restoring: from the state directory at
 * boot (the sequence number may be at most the remembered one, nothing is
 * written; the container comes back on the hooks of its install envelope).
 */
static int apply(const uint8_t *env, size_t len, bool restoring, unsigned *code_ok)
{
    cose_sign_dec_t dec;
    cose_key_t key;
    request_t r;
    const uint8_t *payload;
    size_t plen;
    char name[FC_DEPLOY_NAME_MAX + 1];
    fc_hook_t *hooks[FC_DEPLOY_HOOKS_MAX] = { NULL };

    if (cose_sign_decode(&dec, env, len) != 0) {
        DIAG("malformed envelope");
        return FC_ERR_FORMAT;
    }
    cose_sign_decode_payload(&dec, &payload, &plen);
    int err = decode_payload(&r, payload, plen);
    if (err != FC_OK) {
        DIAG("malformed envelope");
        return err;
    }
    fc_riot_tenant_t *t = NULL;
    for (unsigned i = 0; i < ntenants; i++)
        if (same(r.tenant, r.tenant_len, tenants[i].name))
            t = &tenants[i];
    if (t == NULL) {
        DIAG("unknown tenant '%.*s'", (int)r.tenant_len, (const char *)r.tenant);
        return FC_ERR_TENANT;
    }
    cose_key_init(&key);
    cose_key_set_keys(&key, COSE_EC_CURVE_ED25519, COSE_ALGO_EDDSA, t->pk, NULL, NULL);
    if (cose_sign_verify_first(&dec, &key, scratch, sizeof scratch) != 0) {
        DIAG("signature does not verify with tenant %s's key", t->name);
        return FC_ERR_SIGNATURE;
    }
    memcpy(name, r.name, r.name_len);
    name[r.name_len] = '\0';
    slot_t *cur = find_slot(name);
    if (cur != NULL && cur->owner != t) {
        DIAG("tenant %s may not use the container name '%s'", t->name, name);
        return FC_ERR_PERM;
    }
    for (unsigned i = 0; i < r.nhooks; i++) {
        hooks[i] = find_hook(r.hook[i], r.hook_len[i]);
        if (hooks[i] == NULL) {
            DIAG("no hook '%.*s'", (int)r.hook_len[i], (const char *)r.hook[i]);
            return FC_ERR_NOENT;
        }
    }
    fc_deploy_seq_t *known = fc_deploy_seq_find(seqs, nseqs, name);
    /* at boot the kept install envelope may be older than a later attach/detach of the name */
    if (restoring ? (known == NULL || r.seq > known->seq)
                  : fc_deploy_seq_admit(seqs, nseqs, name, r.seq) != FC_OK) {
        DIAG("sequence %lu is not above %lu (replay or rollback)", (unsigned long)r.seq,
             known ? (unsigned long)known->seq : 0ul);
        return FC_ERR_REPLAY;
    }
    if (r.op != FC_DEPLOY_OP_INSTALL && cur == NULL) {
        DIAG("no container '%s' installed", name);
        return FC_ERR_NOENT;
    }
    switch (r.op) {
    case FC_DEPLOY_OP_INSTALL:
        err = install(&r, t, hooks, name);
        *code_ok = cur ? COAP_CODE_CHANGED : COAP_CODE_CREATED;
        break;
    case FC_DEPLOY_OP_REMOVE:
        release(cur);
        *code_ok = COAP_CODE_DELETED;
        break;
    default:
        /* attach/detach act on the running container and are not replayed at boot */
        for (unsigned i = 0; i < r.nhooks && err == FC_OK; i++)
            err = r.op == FC_DEPLOY_OP_ATTACH
                      ? fc_hook_attach(hooks[i], &cur->c, cur->entry, 0, NULL)
                      : fc_hook_detach(hooks[i], &cur->c);
        *code_ok = COAP_CODE_CHANGED;
        if (err != FC_OK)
            DIAG("%s: %s", r.op == FC_DEPLOY_OP_ATTACH ? "attach" : "detach", fc_strerror(err));
        break;
    }
    if (err != FC_OK || restoring)
        return err;
    char file[FC_DEPLOY_NAME_MAX + 8];
    snprintf(file, sizeof file, "%s.cose", name);
    err = fc_deploy_seq_record(seqs, SEQ_MAX, &nseqs, name, r.seq);
    if (err == FC_OK)
        err = r.op == FC_DEPLOY_OP_INSTALL ? write_file(file, env, len) : FC_OK;
    if (err == FC_OK && r.op == FC_DEPLOY_OP_REMOVE) {
        char path[96];
        snprintf(path, sizeof path, "%s/%s", state_dir, file);
        vfs_unlink(path);
    }
    if (err == FC_OK)
        err = save_seqs();
    if (err != FC_OK) {
        DIAG("cannot write the state directory: %s", fc_strerror(err));
        return err == FC_ERR_FULL ? FC_ERR_FULL : FC_ERR_IO;
    }
    DIAG("%s %s/%s seq %lu", r.op == FC_DEPLOY_OP_INSTALL ? (cur ? "replaced" : "installed")
                             : r.op == FC_DEPLOY_OP_REMOVE ? "removed"
                             : r.op == FC_DEPLOY_OP_ATTACH ? "attached" : "detached",
         t->name, name, (unsigned long)r.seq);
    return FC_OK;
}

/* ---- CoAP resources ---- */

static ssize_t reply(coap_pkt_t *pdu, uint8_t *buf, size_t len, unsigned code,
                     coap_block1_t *block1, const char *text)
{
    size_t n = strlen(text);
    gcoap_resp_init(pdu, buf, len, code);
    if (n > 0)
        coap_opt_add_format(pdu, COAP_FORMAT_TEXT); /* option 12 before Block1 (27) */
    if (block1 != NULL && block1->more >= 0)
        coap_opt_add_block1_control(pdu, block1);
    /* no payload marker without a payload: an empty one is a format error (RFC 7252 3.) */
    ssize_t hdr = coap_opt_finish(pdu, n > 0 ? COAP_OPT_FINISH_PAYLOAD : COAP_OPT_FINISH_NONE);
    if (hdr < 0 || n == 0)
        return hdr;
    if (n > pdu->payload_len)
        n = pdu->payload_len;
    memcpy(pdu->payload, text, n);
    return hdr + (ssize_t)n;
}

static ssize_t deploy_handler(coap_pkt_t *pdu, uint8_t *buf, size_t len, coap_request_ctx_t *ctx)
{
    (void)ctx;
    coap_block1_t block1;
    uint32_t size1 = 0;
    unsigned ok = COAP_CODE_CREATED;
    bool blockwise = coap_get_block1(pdu, &block1) > 0;
    if (!blockwise) {
        block1.offset = 0;
        block1.more = -1;
    }
    bool has_size1 = coap_opt_get_uint(pdu, COAP_OPT_SIZE1, &size1) == 0;
    if (block1.offset == 0) {
        rx_len = 0;
        rx_size1 = has_size1 ? size1 : 0;
    }
    if (has_size1 && size1 > CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX) {
        rx_len = 0;
        DIAG("envelope of %lu bytes exceeds %u", (unsigned long)size1,
             CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX);
        return reply(pdu, buf, len, COAP_CODE_REQUEST_ENTITY_TOO_LARGE, NULL, diag);
    }
    if (block1.offset != rx_len) {
        rx_len = 0;
        return reply(pdu, buf, len, COAP_CODE_REQUEST_ENTITY_INCOMPLETE, NULL,
                     "block out of order (a block-wise upload starts at block 0)");
    }
    if (pdu->payload_len > sizeof rx - rx_len) {
        rx_len = 0;
        DIAG("envelope exceeds %u bytes", CONFIG_FEMTO_CONTAINERS_DEPLOY_MAX);
        return reply(pdu, buf, len, COAP_CODE_REQUEST_ENTITY_TOO_LARGE, NULL, diag);
    }
    memcpy(rx + rx_len, pdu->payload, pdu->payload_len);
    rx_len += pdu->payload_len;
    if (block1.more == 1)
        return reply(pdu, buf, len, COAP_CODE_CONTINUE, &block1, "");
    size_t n = rx_len;
    rx_len = 0;
    if (rx_size1 != 0 && n != rx_size1) {
        /* a lying upload: not what block 0 announced */
        DIAG("received %u bytes, Size1 announced %lu", (unsigned)n, (unsigned long)rx_size1);
        return reply(pdu, buf, len, COAP_CODE_REQUEST_ENTITY_INCOMPLETE, NULL, diag);
    }
    int err = apply(rx, n, false, &ok);
    return reply(pdu, buf, len, err == FC_OK ? ok : fc_deploy_coap_code(err), &block1, diag);
}

typedef struct {
    char *out;
    size_t cap, len;
    unsigned n;
} json_t;

static int json_value(uint32_t ns, uint32_t k, uint64_t v, void *arg)
{
    json_t *j = arg;
    (void)ns;
    int w = snprintf(j->out + j->len, j->cap - j->len, "%s\"%lu\":%lu", j->n++ ? "," : "",
                     (unsigned long)k, (unsigned long)v);
    if (w < 0 || (size_t)w >= j->cap - j->len)
        return 1; /* full: stop */
    j->len += (size_t)w;
    return 0;
}

static ssize_t json_reply(coap_pkt_t *pdu, uint8_t *buf, size_t len, const char *text, size_t n)
{
    gcoap_resp_init(pdu, buf, len, COAP_CODE_CONTENT);
    coap_opt_add_format(pdu, COAP_FORMAT_JSON);
    ssize_t hdr = coap_opt_finish(pdu, COAP_OPT_FINISH_PAYLOAD);
    if (hdr < 0 || n > pdu->payload_len)
        return gcoap_response(pdu, buf, len, COAP_CODE_INTERNAL_SERVER_ERROR);
    memcpy(pdu->payload, text, n);
    return hdr + (ssize_t)n;
}

static char out[512];

static ssize_t store_handler(coap_pkt_t *pdu, uint8_t *buf, size_t len, coap_request_ctx_t *ctx)
{
    (void)ctx;
    char path[CONFIG_NANOCOAP_URI_MAX];
    if (coap_get_uri_path(pdu, path) <= 0 || strncmp(path, "/store/", 7) != 0)
        return gcoap_response(pdu, buf, len, COAP_CODE_BAD_REQUEST);
    for (unsigned i = 0; i < ntenants; i++) {
        if (strcmp(path + 7, tenants[i].name) != 0)
            continue;
        json_t j = { out, sizeof out - 3, 0, 0 };
        j.len = (size_t)snprintf(out, sizeof out, "{\"tenant\":\"%s\",\"id\":%lu,\"values\":{",
                                 tenants[i].name, (unsigned long)tenants[i].id);
        fc_tenant_foreach(&tenants[i].tenant, json_value, &j);
        memcpy(out + j.len, "}}", 3);
        return json_reply(pdu, buf, len, out, j.len + 2);
    }
    return gcoap_response(pdu, buf, len, COAP_CODE_PATH_NOT_FOUND);
}

static ssize_t containers_handler(coap_pkt_t *pdu, uint8_t *buf, size_t len,
                                  coap_request_ctx_t *ctx)
{
    (void)ctx;
    size_t n = 1;
    out[0] = '[';
    for (unsigned i = 0; i < CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS; i++) {
        const slot_t *s = &slots[i];
        if (s->owner == NULL)
            continue;
        int w = snprintf(out + n, sizeof out - n, "%s{\"name\":\"%s\",\"tenant\":\"%s\",\"seq\":%lu,"
                         "\"image_bytes\":%u,\"hooks\":[", n > 1 ? "," : "", s->name,
                         s->owner->name, (unsigned long)s->seq, (unsigned)s->image_len);
        for (unsigned h = 0; h < s->nhooks && w > 0 && n + (size_t)w < sizeof out; h++)
            w += snprintf(out + n + (size_t)w, sizeof out - n - (size_t)w, "%s\"%s\"", h ? "," : "",
                          s->hooks[h]->name);
        if (w < 0 || n + (size_t)w + 4 >= sizeof out)
            break;
        n += (size_t)w;
        n += (size_t)snprintf(out + n, sizeof out - n, "]}");
    }
    out[n++] = ']';
    return json_reply(pdu, buf, len, out, n);
}

static const coap_resource_t resources[] = {
    { "/containers", COAP_GET, containers_handler, NULL },
    { "/deploy", COAP_PUT | COAP_POST, deploy_handler, NULL },
    { "/store", COAP_GET | COAP_MATCH_SUBTREE, store_handler, NULL },
};

static gcoap_listener_t listener = {
    resources, ARRAY_SIZE(resources), GCOAP_SOCKET_TYPE_UNDEF, NULL, NULL, NULL
};

/* ---- boot ---- */

static void restore(void)
{
    vfs_DIR d;
    vfs_dirent_t e;
    load_seqs();
    if (vfs_opendir(&d, state_dir) < 0)
        return;
    while (vfs_readdir(&d, &e) > 0) {
        size_t n = strlen(e.d_name);
        if (n < 6 || strcmp(e.d_name + n - 5, ".cose") != 0)
            continue;
        char path[96];
        snprintf(path, sizeof path, "%s/%s", state_dir, e.d_name);
        int fd = vfs_open(path, O_RDONLY, 0);
        ssize_t r = fd < 0 ? -1 : vfs_read(fd, rx, sizeof rx);
        if (fd >= 0)
            vfs_close(fd);
        unsigned ok;
        int err = r > 0 ? apply(rx, (size_t)r, true, &ok) : FC_ERR_IO;
        printf("femto-containers: restore %s: %s\n", e.d_name,
               err == FC_OK ? "ok" : diag[0] ? diag : fc_strerror(err));
        diag[0] = '\0';
    }
    vfs_closedir(&d);
}

int fc_riot_deploy_init(fc_rt_t *r, fc_riot_tenant_t *t, unsigned n, const char *dir)
{
    rt = r;
    tenants = t;
    ntenants = n;
    state_dir = dir;
    for (unsigned i = 0; i < n; i++) {
        int err = fc_tenant_add(r, &t[i].tenant, t[i].id, t[i].name, t[i].caps, t[i].quota);
        if (err != FC_OK)
            return err;
    }
    vfs_mkdir(dir, 0700);
    restore();
    gcoap_register_listener(&listener);
    return FC_OK;
}

unsigned fc_riot_deploy_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < CONFIG_FEMTO_CONTAINERS_DEPLOY_SLOTS; i++)
        n += slots[i].owner != NULL;
    return n;
}
