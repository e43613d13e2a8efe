/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's CoAP side (libcoap 3, UDP). Block-wise transfer is ours, not
 * libcoap's: Block1 uploads are reassembled by blockwise.c (bounded, see
 * there), Block2 answers are cut here from the whole answer. Resources:
 * docs/femtod.md. Every request first passes the network hook, which sees
 * its header and may refuse it (a negative result) — except /deploy, so a
 * tenant's filter can never lock the owner out. The daemon's state reaches
 * the handlers through libcoap's context user-data pointer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <coap3/coap.h>

#include "config.h"
#include "slots.h"
#include "health.h"
#include "server.h"

#define CODE(n) COAP_RESPONSE_CODE(n)

static femtod_t *app_of(const coap_session_t *s)
{
    return coap_get_app_data(coap_session_get_context(s));
}

int fd_fire(femtod_t *d, fd_hook_t *h, void *ctx, uint32_t len, fc_hook_result_t *res)
{
    h->fires++;
    /* one container attached: its output is its own; several: the hook's */
    d->log_inst = NULL;
    d->log_hook = h;
    for (unsigned i = 0; h->h.count == 1 && i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++)
            if (d->slots[i].inst[j]->hook == h && d->slots[i].inst[j]->attached)
                d->log_inst = d->slots[i].inst[j];
    int ran = fc_hook_fire(&h->h, ctx, len, res);
    d->log_inst = NULL;
    d->log_hook = NULL;
    fd_health_ran(d, h, res);
    return ran;
}

static const char *container_name(femtod_t *d, const fc_container_t *c)
{
    for (unsigned i = 0; c && i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++)
            if (&d->slots[i].inst[j]->c == c)
                return d->slots[i].name;
    return "?";
}

/* Who asks: an operator, a tenant's client, or anonymous (no DTLS identity). */
typedef struct {
    fd_client_t *client; /* NULL: anonymous */
    fd_tenant_t *tenant; /* a tenant's client: the tenant */
} principal_t;

static principal_t principal_of(femtod_t *d, const coap_session_t *s)
{
    principal_t p = { NULL, NULL };
    if (coap_session_get_proto(s) != COAP_PROTO_DTLS)
        return p;
    const coap_bin_const_t *id = coap_session_get_psk_identity(s);
    if (id && id->length)
        p.client = fd_client_find(d, (const char *)id->s, id->length);
    if (p.client && !p.client->operator)
        p.tenant = fd_tenant_find(d, p.client->tenant);
    return p;
}

/*
 * May @p p do @p right on @p object (a tenant for store, a hook for fire,
 * a container for app; NULL otherwise)? Operators may do everything;
 * anonymous clients what 'anonymous rights=' grants; a tenant's client
 * discovers and lists, deploys (its own envelopes: checked by
 * fd_apply_envelope), fires the hooks its tenant may use, reads its own
 * store and runs its own containers. 0: allowed, else the CoAP code.
 */
static int authorise(femtod_t *d, const principal_t *p, uint32_t right, const char *object)
{
    if (!p->client)
        return d->anon_rights & right ? 0 : 401;
    if (p->client->operator)
        return 0;
    if (!p->tenant)
        return 403;
    switch (right) {
    case FD_RIGHT_DISCOVER:
    case FD_RIGHT_LIST:
    case FD_RIGHT_DEPLOY:
        return 0;
    case FD_RIGHT_FIRE:
        return object && fd_tenant_may_hook(p->tenant, object) ? 0 : 403;
    case FD_RIGHT_STORE:
        return object && !strcmp(object, p->tenant->name) ? 0 : 403;
    case FD_RIGHT_LOGS:
    case FD_RIGHT_APP: {
        fd_slot_t *sl = object ? fd_slot_find(d, object) : NULL;
        return sl && sl->tenant == p->tenant ? 0 : 403;
    }
    default:
        return 403;
    }
}

/* Add an unsigned option value in its shortest form. */
static void add_uint_opt(coap_pdu_t *pdu, coap_option_num_t num, uint32_t v)
{
    uint8_t buf[4];
    coap_add_option(pdu, num, coap_encode_var_safe(buf, sizeof buf, v), buf);
}

/* Who sends: the DTLS identity, else the address and port. */
static void client_key(const coap_session_t *s, uint8_t *key, size_t *len)
{
    const coap_address_t *ra = coap_session_get_addr_remote(s);
    const coap_bin_const_t *id = coap_session_get_psk_identity(s);
    *len = 0;
    if (coap_session_get_proto(s) == COAP_PROTO_DTLS && id && id->length &&
        id->length < FD_BW_CLIENT_MAX) {
        key[0] = 'i';
        memcpy(key + 1, id->s, id->length);
        *len = id->length + 1;
    } else if (ra && ra->size <= FD_BW_CLIENT_MAX) {
        memcpy(key, &ra->addr, ra->size);
        *len = ra->size;
    }
}

static int is_con_change(const coap_pdu_t *req)
{
    coap_pdu_code_t c = coap_pdu_get_code(req);
    return coap_pdu_get_type(req) == COAP_MESSAGE_CON &&
           (c == COAP_REQUEST_CODE_POST || c == COAP_REQUEST_CODE_PUT);
}

/* The answer already given to this confirmable POST/PUT (same client and message id), or NULL. */
static const fd_reply_t *reply_find(femtod_t *d, const coap_session_t *s, const coap_pdu_t *req)
{
    if (!is_con_change(req))
        return NULL;
    uint8_t key[FD_BW_CLIENT_MAX];
    size_t klen;
    client_key(s, key, &klen);
    uint64_t now = fd_now_ms(d);
    for (unsigned i = 0; i < FD_REPLIES; i++) {
        const fd_reply_t *p = &d->replies[i];
        if (p->used && p->mid == (uint16_t)coap_pdu_get_mid(req) && p->client_len == klen &&
            !memcmp(p->client, key, klen) && now - p->at_ms < FD_REPLY_MS)
            return p;
    }
    return NULL;
}

static void reply_remember(femtod_t *d, const coap_session_t *s, const coap_pdu_t *req, int code,
                           uint16_t fmt, const char *text, size_t len)
{
    if (!is_con_change(req) || code == 231 || len > sizeof d->replies[0].text)
        return;
    fd_reply_t *p = &d->replies[d->reply_next++ % FD_REPLIES];
    p->used = 1;
    client_key(s, p->client, &p->client_len);
    p->mid = (uint16_t)coap_pdu_get_mid(req);
    p->code = code;
    p->fmt = fmt;
    p->len = len;
    if (len)
        memcpy(p->text, text, len);
    p->at_ms = fd_now_ms(d);
}

/*
 * Send @p text (malloc'd, taken and freed here) as the payload with @p code.
 * A body larger than one block (1024 bytes, or the size the client asks
 * for in Block2) goes block-wise: each request for block n is answered
 * with that slice of the whole answer, Block2 and Size2 set (RFC 7959).
 */
static void reply(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                  const coap_string_t *q, coap_pdu_t *resp, int code, uint16_t fmt, char *text,
                  size_t len)
{
    (void)r, (void)q;
    coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(code));
    reply_remember(app_of(s), s, req, code, fmt, text, text ? len : 0);
    if (!text)
        return;
    if (len == 0) {
        free(text);
        return;
    }
    unsigned szx = 6;
    uint32_t num = 0;
    coap_opt_iterator_t it;
    coap_opt_t *b2 = coap_check_option(req, COAP_OPTION_BLOCK2, &it);
    if (b2 && coap_opt_length(b2) <= 3) {
        unsigned v = coap_decode_var_bytes(coap_opt_value(b2), coap_opt_length(b2));
        num = v >> 4;
        szx = (v & 7u) < 6u ? (v & 7u) : 6u;
    }
    size_t bsize = (size_t)16 << szx, off = (size_t)num * bsize;
    if (!b2 && len <= bsize) {
        add_uint_opt(resp, COAP_OPTION_CONTENT_FORMAT, fmt);
        coap_add_data(resp, len, (const uint8_t *)text);
    } else if (off >= len) {
        coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(402));
    } else {
        size_t n = len - off < bsize ? len - off : bsize;
        add_uint_opt(resp, COAP_OPTION_CONTENT_FORMAT, fmt);
        add_uint_opt(resp, COAP_OPTION_BLOCK2,
                     (uint32_t)(num << 4) | (off + n < len ? 8u : 0u) | szx);
        if (num == 0)
            add_uint_opt(resp, COAP_OPTION_SIZE2, (uint32_t)len);
        coap_add_data(resp, n, (const uint8_t *)text + off);
    }
    free(text);
}

static void reply_text(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                       const coap_string_t *q, coap_pdu_t *resp, int code, const char *msg)
{
    size_t n = strlen(msg);
    char *t = malloc(n + 1);
    if (!t) {
        /* no copy for replay or block-wise: the message goes in as it is (one block, copied by libcoap) */
        coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(code));
        add_uint_opt(resp, COAP_OPTION_CONTENT_FORMAT, COAP_MEDIATYPE_TEXT_PLAIN);
        coap_add_data(resp, n < 1024 ? n : 1024, (const uint8_t *)msg);
        return;
    }
    memcpy(t, msg, n + 1);
    reply(r, s, req, q, resp, code, COAP_MEDIATYPE_TEXT_PLAIN, t, n);
}

/*
 * A reply built in memory with open_memstream(). Opening it and every write
 * into it allocate, so each can fail: text_open() is called before the
 * handler changes anything (a failure then answers 5.03 with nothing done),
 * and text_reply() checks every write at the end (ferror, fclose) and
 * answers 5.03 saying what was lost instead of an empty or cut body.
 */
typedef struct {
    FILE *f;
    char *text;
    size_t len;
} text_t;

#define NOMEM_REPLY "out of memory: the reply could not be built (nothing was changed)"

static FILE *text_open(text_t *t)
{
    t->text = NULL;
    t->len = 0;
    t->f = open_memstream(&t->text, &t->len);
    if (!t->f)
        fd_log("reply: open_memstream failed: %s", strerror(errno));
    return t->f;
}

static void text_reply(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                       const coap_string_t *q, coap_pdu_t *resp, int code, uint16_t fmt,
                       text_t *t, const char *lost)
{
    int bad = ferror(t->f);
    if (fclose(t->f) != 0 || bad) {
        free(t->text);
        fd_log("reply: out of memory writing a %d.%02d reply: %s", code / 100, code % 100, lost);
        reply_text(r, s, req, q, resp, 503, lost);
        return;
    }
    reply(r, s, req, q, resp, code, fmt, t->text, t->len);
}

/* The request's Uri-Path joined with '/'. */
static void uri_path(const coap_pdu_t *req, char *buf, size_t n)
{
    coap_string_t *p = coap_get_uri_path(req);
    buf[0] = '\0';
    if (p) {
        size_t l = p->length < n - 1 ? p->length : n - 1;
        memcpy(buf, p->s, l);
        buf[l] = '\0';
        coap_delete_string(p);
    }
}

/* A retransmitted POST/PUT whose answer was lost: the same answer again, nothing redone. */
static int replay(femtod_t *d, coap_session_t *s, const coap_pdu_t *req, coap_pdu_t *resp)
{
    const fd_reply_t *p = reply_find(d, s, req);
    if (!p)
        return 0;
    coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(p->code));
    if (p->len) {
        add_uint_opt(resp, COAP_OPTION_CONTENT_FORMAT, p->fmt);
        coap_add_data(resp, p->len, (const uint8_t *)p->text);
    }
    return 1;
}

/* Run the network hooks on the request's header; 1 when one refuses it. */
static int net_filter(femtod_t *d, const coap_pdu_t *req, const char *path)
{
    d->requests++;
    femtod_net_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    size_t dlen = 0;
    const uint8_t *data;
    if (coap_get_data(req, &dlen, &data))
        ctx.payload_len = (uint16_t)(dlen > UINT16_MAX ? UINT16_MAX : dlen);
    ctx.type = (uint8_t)coap_pdu_get_type(req);
    ctx.code = (uint8_t)coap_pdu_get_code(req);
    ctx.token_len = (uint8_t)coap_pdu_get_token(req).length;
    ctx.mid = (uint16_t)coap_pdu_get_mid(req);
    snprintf(ctx.path, sizeof ctx.path, "%s", path);
    ctx.path_len = (uint32_t)strlen(ctx.path);
    int refused = 0;
    for (unsigned i = 0; i < d->nhooks; i++) {
        fd_hook_t *h = &d->hooks[i];
        if (h->kind != FD_HOOK_NET)
            continue;
        fc_hook_result_t res;
        if (fd_fire(d, h, &ctx, sizeof ctx, &res) > 0 && res.by && (int32_t)res.r0 < 0 &&
            strcmp(path, "deploy"))
            refused = 1;
    }
    return refused;
}

#define FILTER()                                                                                   \
    femtod_t *d = app_of(s);                                                                       \
    principal_t who = principal_of(d, s);                                                          \
    (void)who;                                                                                     \
    if (replay(d, s, req, resp))                                                                   \
        return;                                                                                    \
    char path[128];                                                                                \
    uri_path(req, path, sizeof path);                                                              \
    if (net_filter(d, req, path)) {                                                                \
        reply_text(r, s, req, q, resp, 403, "refused by the network hook");                       \
        return;                                                                                    \
    }

/* Decode an unsigned option of up to 8 bytes; 0 when absent, -1 when longer. */
static int opt_uint(const coap_pdu_t *req, coap_option_num_t num, uint64_t *v)
{
    coap_opt_iterator_t it;
    coap_opt_t *o = coap_check_option(req, num, &it);
    *v = 0;
    if (!o)
        return 0;
    uint32_t n = coap_opt_length(o);
    if (n > 8)
        return -1;
    const uint8_t *p = coap_opt_value(o);
    for (uint32_t i = 0; i < n; i++)
        *v = *v << 8 | p[i];
    return 1;
}

/*
 * The body of a PUT or POST, through our Block1 reassembly: returns 1 with
 * the whole body in *body (malloc'd, the caller frees it), 0 when this
 * request has been answered already (2.31 Continue, or a refusal).
 */
static int take_body(femtod_t *d, coap_session_t *s, const coap_pdu_t *req, coap_pdu_t *resp,
                     const char *path, uint8_t **body, size_t *blen)
{
    fd_bw_key_t key;
    memset(&key, 0, sizeof key);
    client_key(s, key.client, &key.client_len); /* a DTLS client is its identity */
    snprintf(key.path, sizeof key.path, "%s", path);
    coap_opt_iterator_t it;
    coap_opt_t *rt = coap_check_option(req, COAP_OPTION_RTAG, &it);
    if (rt && coap_opt_length(rt) <= FD_BW_RTAG_MAX) {
        key.rtag_len = coap_opt_length(rt);
        memcpy(key.rtag, coap_opt_value(rt), key.rtag_len);
    }
    uint64_t b1v, size1;
    int has_b1 = opt_uint(req, COAP_OPTION_BLOCK1, &b1v);
    int has_size1 = opt_uint(req, COAP_OPTION_SIZE1, &size1);
    fd_bw_result_t out;
    enum fd_bw_status st;
    size_t len = 0;
    const uint8_t *data = NULL;
    if (!coap_get_data(req, &len, &data))
        len = 0;
    if (has_b1 < 0 || b1v > 0xffffffu || has_size1 < 0 || (rt && !key.rtag_len)) {
        memset(&out, 0, sizeof out);
        out.code = 402;
        snprintf(out.msg, sizeof out.msg, "malformed Block1, Size1 or Request-Tag option");
        st = FD_BW_REFUSE;
    } else {
        fd_block_t b1 = { (uint32_t)(b1v >> 4), (b1v & 8u) != 0, (unsigned)(b1v & 7u) };
        st = fd_bw_receive(&d->bw, &key, has_b1 ? &b1 : NULL, has_size1, size1, data, len,
                           fd_now_ms(d), &out);
    }
    if (st == FD_BW_DONE) {
        *body = out.body;
        *blen = out.len;
        return 1;
    }
    if (st == FD_BW_CONTINUE) {
        coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(231));
        add_uint_opt(resp, COAP_OPTION_BLOCK1, (uint32_t)(b1v | 8u));
        return 0;
    }
    if (out.code != 503 || d->bw.refused % 1000 == 1) /* a flood logs one line per 1000 */
        fd_log("%s: upload refused -> %d.%02d %s", path, out.code / 100, out.code % 100, out.msg);
    coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(out.code));
    add_uint_opt(resp, COAP_OPTION_CONTENT_FORMAT, COAP_MEDIATYPE_TEXT_PLAIN);
    if (out.max_age)
        add_uint_opt(resp, COAP_OPTION_MAXAGE, out.max_age);
    if (out.size1)
        add_uint_opt(resp, COAP_OPTION_SIZE1, out.size1);
    coap_add_data(resp, strlen(out.msg), (const uint8_t *)out.msg);
    return 0;
}

/* Refuse with 4.01 (no identity) or 4.03 unless @p who may do @p right on @p object. */
#define AUTH(right, object)                                                                        \
    do {                                                                                           \
        int code_ = authorise(d, &who, right, object);                                             \
        if (code_) {                                                                               \
            reply_text(r, s, req, q, resp, code_,                                                  \
                       code_ == 401 ? "not authorised: this needs a DTLS identity with the right"  \
                                    : "forbidden for this client's role");                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

/* A JSON reply built with text_open(), of a handler that changed nothing. */
static void text_json(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp, int code, text_t *t)
{
    text_reply(r, s, req, q, resp, code, COAP_MEDIATYPE_APPLICATION_JSON, t, NOMEM_REPLY);
}

/* Open a reply's text or answer 5.03 and return from the handler. */
#define TEXT_OPEN(t, f)                                                                            \
    FILE *f = text_open(&(t));                                                                     \
    if (!f) {                                                                                      \
        reply_text(r, s, req, q, resp, 503, NOMEM_REPLY);                                          \
        return;                                                                                    \
    }

/* ,"last_fault":{"error","pc","file","line"}: the C line when the image has a line table. */
static void fault_json(FILE *f, const fd_slot_t *sl, int err, uint32_t pc)
{
    fprintf(f, ",\"last_fault\":{\"error\":");
    json_str(f, fc_strerror(err));
    fprintf(f, ",\"pc\":%" PRIu32, pc);
    const char *file = NULL;
    uint32_t line = 0;
    if (sl && fc_image_line(&sl->img, pc, &file, &line) == FC_OK && file) {
        fprintf(f, ",\"file\":");
        json_str(f, file);
        fprintf(f, ",\"line\":%" PRIu32, line);
    }
    fputc('}', f);
}

static void h_containers(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                         const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_LIST, NULL);
    text_t txt;
    TEXT_OPEN(txt, f);
    fputc('[', f);
    int first = 1;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++) {
        fd_slot_t *sl = &d->slots[i];
        if (!sl->used || (who.tenant && sl->tenant != who.tenant))
            continue;
        fprintf(f, "%s{\"name\":", first ? "" : ",");
        first = 0;
        json_str(f, sl->name);
        fprintf(f, ",\"tenant\":");
        json_str(f, sl->tenant->name);
        fprintf(f, ",\"seq\":%" PRIu64 ",\"state\":\"running\",\"entry\":", sl->seq);
        json_str(f, sl->entry);
        fprintf(f, ",\"image_bytes\":%zu,\"hooks\":[", sl->image_len);
        unsigned n = 0;
        for (unsigned j = 0; j < sl->ninst; j++)
            if (sl->inst[j]->hook) {
                fprintf(f, "%s", n++ ? "," : "");
                json_str(f, sl->inst[j]->hook->name);
            }
        fprintf(f, "],\"instances\":[");
        for (unsigned j = 0; j < sl->ninst; j++) {
            const fd_inst_t *in = sl->inst[j];
            fprintf(f, "%s{\"hook\":", j ? "," : "");
            if (in->hook)
                json_str(f, in->hook->name);
            else
                fprintf(f, "null");
            fprintf(f, ",\"state\":\"%s\",\"runs\":%" PRIu64 ",\"faults\":%" PRIu64
                       ",\"budget_used\":%" PRIu32 ",\"budget\":%" PRIu32,
                    fd_inst_state_name(in->state), in->runs, in->faults, in->budget_used,
                    in->hook ? in->hook->budget : 0);
            if (in->faults)
                fault_json(f, sl, in->last_err, in->last_pc);
            fputc('}', f);
        }
        fprintf(f, "]}");
    }
    for (unsigned i = 0; i < d->nsuspended; i++) {
        const fd_suspended_t *u = &d->suspended[i];
        if (who.client && !who.client->operator && strcmp(u->tenant, who.client->tenant))
            continue;
        fprintf(f, "%s{\"name\":", first ? "" : ",");
        first = 0;
        json_str(f, u->name);
        fprintf(f, ",\"tenant\":");
        json_str(f, u->tenant);
        fprintf(f, ",\"seq\":%" PRIu64 ",\"state\":\"suspended\",\"why\":", u->seq);
        json_str(f, u->why);
        fprintf(f, ",\"hooks\":");
        json_str(f, u->hooks);
        fputc('}', f);
    }
    fprintf(f, "]\n");
    text_json(r, s, req, q, resp, 205, &txt);
}

struct list_arg {
    femtod_t *d;
    FILE *f;
};

static int list_attached(fc_container_t *c, void *arg)
{
    struct list_arg *a = arg;
    json_str(a->f, container_name(a->d, c));
    fputc(',', a->f);
    return 0;
}

static void h_hooks(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_LIST, NULL);
    text_t txt;
    TEXT_OPEN(txt, f);
    fputc('[', f);
    for (unsigned i = 0; i < d->nhooks; i++) {
        fd_hook_t *h = &d->hooks[i];
        fprintf(f, "%s{\"name\":", i ? "," : "");
        json_str(f, h->name);
        char caps[128];
        fd_caps_name(h->caps, caps, sizeof caps);
        fprintf(f, ",\"kind\":\"%s\",\"policy\":\"%s\",\"caps\":\"%s\",\"privileged\":%s,"
                   "\"budget\":%" PRIu32 ",\"fires\":%" PRIu64, fd_hook_kind_name(h->kind),
                fd_policy_name(h->policy), caps, h->privileged ? "true" : "false", h->budget, h->fires);
        if (h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR)
            fprintf(f, ",\"period_ms\":%" PRIu32, h->period_ms);
        fprintf(f, ",\"attached\":[");
        fflush(f);
        size_t before = txt.len;
        struct list_arg la = { d, f };
        fc_hook_foreach(&h->h, list_attached, &la);
        fflush(f);
        if (txt.len > before)
            fseek(f, -1, SEEK_CUR); /* drop the last comma */
        fprintf(f, "]}");
    }
    fprintf(f, "]\n");
    text_json(r, s, req, q, resp, 205, &txt);
}

static void h_stats(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_LIST, NULL);
    unsigned n = 0;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        n += d->slots[i].used ? 1u : 0u;
    text_t txt;
    TEXT_OPEN(txt, f);
    fprintf(f, "{\"requests\":%" PRIu64 ",\"containers\":%u,\"uptime_ms\":%" PRIu64
               ",\"uploads\":{\"pending\":%u,\"started\":%" PRIu64 ",\"completed\":%" PRIu64
               ",\"refused\":%" PRIu64 ",\"expired\":%" PRIu64 "}}\n",
            d->requests, n, fd_now_ms(d), fd_bw_pending(&d->bw), d->bw.started, d->bw.completed,
            d->bw.refused, d->bw.expired);
    text_json(r, s, req, q, resp, 205, &txt);
}

static void h_deploy(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                     const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_DEPLOY, NULL);
    uint8_t *body = NULL;
    size_t len = 0;
    if (!take_body(d, s, req, resp, path, &body, &len))
        return;
    if (len == 0) {
        free(body);
        fd_log("deploy: empty request -> 4.00");
        reply_text(r, s, req, q, resp, 400, "empty body: expected a signed envelope");
        return;
    }
    fd_result_t res;
    fd_apply_envelope(d, body, len, who.client && !who.client->operator ? who.client->tenant : NULL,
                      &res);
    free(body);
    reply_text(r, s, req, q, resp, res.code, res.msg);
}

static void h_sensors(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_LIST, NULL);
    text_t txt;
    TEXT_OPEN(txt, f);
    fputc('[', f);
    d->port.lock(d->port.ctx);
    for (unsigned i = 0; i < d->nsensors; i++)
        fprintf(f, "%s{\"name\":\"%s\",\"type\":%u,\"value\":%" PRId32 ",\"scale\":%d}", i ? "," : "",
                d->sensor_names[i], d->sensors[i].value.type, d->sensors[i].value.value,
                d->sensors[i].value.scale);
    d->port.unlock(d->port.ctx);
    fprintf(f, "]\n");
    text_json(r, s, req, q, resp, 205, &txt);
}

static void result_json(femtod_t *d, FILE *f, fd_hook_t *h, int ran, const fc_hook_result_t *res)
{
    fprintf(f, "{\"hook\":");
    json_str(f, h->name);
    fprintf(f, ",\"ran\":%d,\"faults\":%u,\"r0\":%" PRId64 ",\"by\":", ran, res->faults,
            (int64_t)res->r0);
    if (res->by)
        json_str(f, container_name(d, res->by));
    else
        fprintf(f, "null");
    if (res->fault.container) {
        fprintf(f, ",\"fault\":{\"container\":");
        json_str(f, container_name(d, res->fault.container));
        fprintf(f, ",\"error\":");
        json_str(f, fc_strerror(res->fault.err));
        fprintf(f, ",\"pc\":%" PRIu32 "}", res->fault.pc);
    }
    fprintf(f, "}");
}

/* Fire a timer or sensor hook with its own context. */
static int fire_kind(femtod_t *d, fd_hook_t *h, fc_hook_result_t *res)
{
    if (h->kind == FD_HOOK_TIMER) {
        femtod_timer_ctx_t ctx = { fd_now_ms(d), (uint32_t)(h->fires + 1), h->period_ms };
        return fd_fire(d, h, &ctx, sizeof ctx, res);
    }
    if (h->kind == FD_HOOK_SENSOR && h->has_threshold) {
        int32_t t = h->threshold;
        return fd_fire(d, h, &t, sizeof t, res);
    }
    return fd_fire(d, h, NULL, 0, res);
}

void fd_fire_due(femtod_t *d);
void fd_fire_due(femtod_t *d)
{
    uint64_t now = fd_now_ms(d);
    for (unsigned i = 0; i < d->nhooks; i++) {
        fd_hook_t *h = &d->hooks[i];
        if ((h->kind != FD_HOOK_TIMER && h->kind != FD_HOOK_SENSOR) || now < h->next_ms)
            continue;
        h->next_ms = now + h->period_ms;
        fc_hook_result_t res;
        (void)fire_kind(d, h, &res);
    }
}

/* POST /fire/HOOK: the payload is the context (timer and sensor hooks make their own). */
static void do_fire(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp, const char *name,
                    const uint8_t *data, size_t len)
{
    femtod_t *d = app_of(s);
    fd_hook_t *h = fd_hook_find(d, name);
    if (!h) {
        reply_text(r, s, req, q, resp, 404, "no such hook");
        return;
    }
    fc_hook_result_t res;
    int ran;
    if (len > 1024 && !(h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR)) {
        reply_text(r, s, req, q, resp, 413, "context larger than 1024 bytes");
        return;
    }
    text_t txt; /* before the hook fires: a reply that cannot be built fires nothing */
    TEXT_OPEN(txt, f);
    if (len == 0 && (h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR)) {
        ran = fire_kind(d, h, &res);
    } else {
        uint8_t ctx[1024];
        if (len) /* an empty body is no context (memcpy from NULL is undefined) */
            memcpy(ctx, data, len);
        ran = fd_fire(d, h, len ? ctx : NULL, (uint32_t)len, &res);
    }
    result_json(d, f, h, ran, &res);
    fputc('\n', f);
    text_reply(r, s, req, q, resp, 205, COAP_MEDIATYPE_APPLICATION_JSON, &txt,
               "out of memory: the hook fired but its result could not be built");
}

static int store_visit(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    (void)ns;
    FILE *f = arg;
    fprintf(f, "\"0x%08" PRIx32 "\":%" PRIu64 ",", key, value);
    return 0;
}

static void do_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                     const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    femtod_t *d = app_of(s);
    fd_tenant_t *t = fd_tenant_find(d, name);
    if (!t && strcmp(name, "global")) {
        reply_text(r, s, req, q, resp, 404, "no such tenant");
        return;
    }
    text_t txt;
    TEXT_OPEN(txt, f);
    if (t) {
        fprintf(f, "{\"tenant\":");
        json_str(f, t->name);
        fprintf(f, ",\"id\":%" PRIu32 ",\"values\":{", t->id);
    } else { /* GET /store/global */
        fprintf(f, "{\"store\":\"global\",\"values\":{");
    }
    fflush(f);
    size_t before = txt.len;
    if (t)
        fc_tenant_foreach(&t->t, store_visit, f);
    else
        fc_rt_global_foreach(&d->rt, store_visit, f);
    fflush(f);
    if (txt.len > before)
        fseek(f, -1, SEEK_CUR);
    fprintf(f, "}}\n");
    text_json(r, s, req, q, resp, 205, &txt);
}

/* GET|POST /app/NAME: the CoAP-request hook's container NAME computes the response. */
static void do_app(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                   const coap_string_t *q, coap_pdu_t *resp, const char *name,
                   const uint8_t *data, size_t len)
{
    femtod_t *d = app_of(s);
    fd_slot_t *sl = fd_slot_find(d, name);
    fd_inst_t *in = NULL;
    for (unsigned i = 0; sl && i < sl->ninst; i++)
        if (sl->inst[i]->hook && sl->inst[i]->hook->kind == FD_HOOK_COAP)
            in = sl->inst[i];
    if (!in) {
        reply_text(r, s, req, q, resp, 404, "no container of that name on a CoAP-request hook");
        return;
    }
    if (in->state != FD_INST_RUNNING) {
        char m[160];
        snprintf(m, sizeof m, "container %s is %s after %" PRIu64 " faults (last: %s at pc %" PRIu32
                 ")", name, fd_inst_state_name(in->state), in->faults, fc_strerror(in->last_err),
                 in->last_pc);
        if (in->state == FD_INST_BACKOFF) {
            uint64_t now = fd_now_ms(d);
            add_uint_opt(resp, COAP_OPTION_MAXAGE,
                         (uint32_t)((in->until_ms > now ? in->until_ms - now : 0) / 1000u + 1u));
        }
        reply_text(r, s, req, q, resp, 503, m);
        return;
    }
    femtod_coap_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.code = (uint32_t)coap_pdu_get_code(req);
    ctx.in_len = (uint32_t)(len < FEMTOD_COAP_IN_MAX ? len : FEMTOD_COAP_IN_MAX);
    if (ctx.in_len)
        memcpy(ctx.in, data, ctx.in_len);
    in->hook->fires++;
    in->c.vm.budget = in->hook->budget;
    uint64_t r0 = 0;
    d->log_inst = in;
    int err = fc_container_run(&in->c, sl->entry_pc, &ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE, &r0);
    d->log_inst = NULL;
    int first = in->consecutive == 0;
    fd_health_app(d, in, err);
    char msg[160 + FEMTOD_COAP_OUT_MAX];
    if (err != FC_OK) {
        snprintf(msg, sizeof msg, "container %s faulted at pc %" PRIu32 ": %s", name, in->c.vm.pc,
                 fc_strerror(err));
        if (first) /* one line per run of faults: health.c logs what follows */
            fd_log("app: %s", msg);
        reply_text(r, s, req, q, resp, 500, msg);
        return;
    }
    size_t n = ctx.out_len < FEMTOD_COAP_OUT_MAX ? ctx.out_len : FEMTOD_COAP_OUT_MAX;
    if ((int32_t)r0 < 0) {
        /* what the container wrote, when it wrote something, says why */
        snprintf(msg, sizeof msg, "container %s returned %" PRId32 "%s%.*s", name, (int32_t)r0,
                 n ? ": " : "", (int)n, ctx.out);
        reply_text(r, s, req, q, resp, 500, msg);
        return;
    }
    char *t = malloc(n + 1);
    if (!t) {
        reply_text(r, s, req, q, resp, 503,
                   "out of memory: the container ran but its response could not be sent");
        return;
    }
    memcpy(t, ctx.out, n);
    reply(r, s, req, q, resp, 205, COAP_MEDIATYPE_TEXT_PLAIN, t, n);
}

/* PUT /sensor/NAME with a decimal value: set a simulated sensor, fire the sensor hooks. */
static void do_sensor(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp, const char *name,
                      const uint8_t *data, size_t len)
{
    femtod_t *d = app_of(s);
    unsigned i;
    for (i = 0; i < d->nsensors; i++)
        if (!strcmp(d->sensor_names[i], name))
            break;
    if (i == d->nsensors) {
        reply_text(r, s, req, q, resp, 404, "no such sensor");
        return;
    }
    char buf[32];
    if (len == 0 || len >= sizeof buf) {
        reply_text(r, s, req, q, resp, 400, "expected a decimal value");
        return;
    }
    memcpy(buf, data, len);
    buf[len] = '\0';
    char *end;
    long v = strtol(buf, &end, 10);
    if (end == buf || (*end && *end != '\n') || v < INT32_MIN || v > INT32_MAX) {
        reply_text(r, s, req, q, resp, 400, "expected a decimal value");
        return;
    }
    text_t txt; /* before the value changes: a reply that cannot be built changes nothing */
    TEXT_OPEN(txt, f);
    d->port.lock(d->port.ctx);
    d->sensors[i].value.value = (int32_t)v;
    d->port.unlock(d->port.ctx);
    fprintf(f, "[");
    int first = 1;
    for (unsigned j = 0; j < d->nhooks; j++) {
        fd_hook_t *h = &d->hooks[j];
        if (h->kind != FD_HOOK_SENSOR)
            continue;
        fc_hook_result_t res;
        int ran = fire_kind(d, h, &res);
        fprintf(f, "%s", first ? "" : ",");
        first = 0;
        result_json(d, f, h, ran, &res);
    }
    fprintf(f, "]\n");
    text_reply(r, s, req, q, resp, 204, COAP_MEDIATYPE_APPLICATION_JSON, &txt,
               "out of memory: the sensor was set and its hooks fired, but their results could "
               "not be built");
}

/* GET /logs/NAME: the last lines each instance of container NAME printed. */
static void do_logs(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    femtod_t *d = app_of(s);
    fd_slot_t *sl = fd_slot_find(d, name);
    if (!sl) {
        reply_text(r, s, req, q, resp, 404, "no such container");
        return;
    }
    text_t txt;
    TEXT_OPEN(txt, f);
    fprintf(f, "{\"container\":");
    json_str(f, sl->name);
    fprintf(f, ",\"tenant\":");
    json_str(f, sl->tenant->name);
    fprintf(f, ",\"instances\":[");
    for (unsigned i = 0; i < sl->ninst; i++) {
        const fd_ring_t *rg = &sl->inst[i]->out;
        fprintf(f, "%s{\"hook\":", i ? "," : "");
        if (sl->inst[i]->hook)
            json_str(f, sl->inst[i]->hook->name);
        else
            fprintf(f, "null");
        fprintf(f, ",\"lines_total\":%" PRIu64 ",\"lines\":[", rg->total);
        uint64_t first = rg->total > FD_RING_LINES ? rg->total - FD_RING_LINES : 0;
        for (uint64_t k = first; k < rg->total; k++) {
            fprintf(f, "%s", k > first ? "," : "");
            json_str(f, rg->line[k % FD_RING_LINES]);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "]}\n");
    text_json(r, s, req, q, resp, 205, &txt);
}

/* Everything under a prefix: store/T, fire/H, app/N, sensor/S, logs/N. */
static void h_unknown(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    coap_pdu_code_t code = coap_pdu_get_code(req);
    const char *slash = strchr(path, '/');
    const char *arg = slash ? slash + 1 : "";
    size_t plen = slash ? (size_t)(slash - path) : strlen(path);
    if (slash && strchr(arg, '/'))
        arg = ""; /* deeper paths name nothing */
#define IS(p) (plen == strlen(p) && !strncmp(path, p, plen) && arg[0])
    int takes = (IS("fire") && code == COAP_REQUEST_CODE_POST) ||
                (IS("app") && (code == COAP_REQUEST_CODE_GET || code == COAP_REQUEST_CODE_POST)) ||
                (IS("sensor") && code == COAP_REQUEST_CODE_PUT);
    uint32_t right = IS("store") ? FD_RIGHT_STORE : IS("fire") ? FD_RIGHT_FIRE
                   : IS("app") ? FD_RIGHT_APP : IS("sensor") ? FD_RIGHT_SENSOR
                   : IS("logs") ? FD_RIGHT_LOGS : 0;
    if (right)
        AUTH(right, arg);
    uint8_t *body = NULL;
    size_t blen = 0;
    if (takes && !take_body(d, s, req, resp, path, &body, &blen))
        return;
    if (IS("store") && code == COAP_REQUEST_CODE_GET)
        do_store(r, s, req, q, resp, arg);
    else if (IS("logs") && code == COAP_REQUEST_CODE_GET)
        do_logs(r, s, req, q, resp, arg);
    else if (IS("fire") && code == COAP_REQUEST_CODE_POST)
        do_fire(r, s, req, q, resp, arg, body, blen);
    else if (IS("app") && (code == COAP_REQUEST_CODE_GET || code == COAP_REQUEST_CODE_POST))
        do_app(r, s, req, q, resp, arg, body, blen);
    else if (IS("sensor") && code == COAP_REQUEST_CODE_PUT)
        do_sensor(r, s, req, q, resp, arg, body, blen);
    else if (IS("store") || IS("fire") || IS("app") || IS("sensor") || IS("logs"))
        reply_text(r, s, req, q, resp, 405, "method not allowed here");
    else
        reply_text(r, s, req, q, resp, 404, "no such resource");
    free(body);
#undef IS
}

/* GET /.well-known/core (RFC 6690): every resource this device serves now. */
static void h_wellknown(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                        const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    AUTH(FD_RIGHT_DISCOVER, NULL);
    text_t txt;
    TEXT_OPEN(txt, f);
    fprintf(f, "</containers>;rt=\"femtod.containers\";ct=50,</hooks>;rt=\"femtod.hooks\";ct=50,"
               "</stats>;rt=\"femtod.stats\";ct=50,</sensors>;rt=\"femtod.sensors\";ct=50,"
               "</deploy>;rt=\"femtod.deploy\";ct=0");
    fprintf(f, ",</store/global>;rt=\"femtod.store\";ct=50");
    for (unsigned i = 0; i < d->ntenants; i++)
        fprintf(f, ",</store/%s>;rt=\"femtod.store\";ct=50", d->tenants[i].name);
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        if (d->slots[i].used)
            fprintf(f, ",</logs/%s>;rt=\"femtod.logs\";ct=50", d->slots[i].name);
    for (unsigned i = 0; i < d->nhooks; i++)
        fprintf(f, ",</fire/%s>;rt=\"femtod.fire\";ct=50", d->hooks[i].name);
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++)
            if (d->slots[i].inst[j]->hook && d->slots[i].inst[j]->hook->kind == FD_HOOK_COAP) {
                fprintf(f, ",</app/%s>;rt=\"femtod.app\";ct=0", d->slots[i].name);
                break;
            }
    for (unsigned i = 0; i < d->nsensors; i++)
        fprintf(f, ",</sensor/%s>;rt=\"femtod.sensor\";ct=0", d->sensor_names[i]);
    text_reply(r, s, req, q, resp, 205, COAP_MEDIATYPE_APPLICATION_LINK_FORMAT, &txt, NOMEM_REPLY);
}

static void add(coap_context_t *ctx, const char *path, coap_request_t m1, coap_request_t m2,
                coap_method_handler_t fn)
{
    coap_resource_t *res = coap_resource_init(coap_make_str_const(path), 0);
    coap_register_handler(res, m1, fn);
    if (m2 != m1)
        coap_register_handler(res, m2, fn);
    coap_add_resource(ctx, res);
}

/* libcoap asks for the key of the PSK identity a DTLS client presents. */
static const coap_bin_const_t *psk_for(coap_bin_const_t *identity, coap_session_t *s, void *arg)
{
    (void)s;
    femtod_t *d = arg;
    fd_client_t *c = identity ? fd_client_find(d, (const char *)identity->s, identity->length)
                              : NULL;
    if (!c) {
        fd_log("coaps: unknown PSK identity '%.*s': handshake refused",
               identity ? (int)(identity->length > 64 ? 64 : identity->length) : 0,
               identity ? (const char *)identity->s : "");
        return NULL;
    }
    d->psk_bin.s = c->key;
    d->psk_bin.length = c->key_len;
    return (const coap_bin_const_t *)&d->psk_bin;
}

static int endpoint(femtod_t *d, coap_context_t *ctx, const char *host, unsigned port,
                    coap_proto_t proto)
{
    coap_address_t addr;
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons((uint16_t)port);
    addr.size = sizeof addr.addr.sin;
    if (inet_pton(AF_INET, host, &addr.addr.sin.sin_addr) != 1) {
        fd_log("listen: '%s' is not an IPv4 address", host);
        return -1;
    }
    /* libcoap binds with SO_REUSEADDR, which lets a second femtod share the
     * port silently: a plain bind first tells a busy port */
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    if (probe >= 0) {
        int busy = bind(probe, &addr.addr.sa, addr.size) != 0 && errno == EADDRINUSE;
        close(probe);
        if (busy) {
            fd_log("listen: cannot bind %s:%u: %s", host, port, strerror(EADDRINUSE));
            return -1;
        }
    }
    if (!coap_new_endpoint(ctx, &addr, proto)) {
        fd_log("listen: cannot bind %s:%u", host, port);
        return -1;
    }
    (void)d;
    return 0;
}

int fd_server_start(femtod_t *d)
{
    coap_startup();
    coap_set_log_level(LOG_WARNING);
    coap_context_t *ctx = coap_new_context(NULL);
    if (!ctx)
        return -1;
    coap_set_app_data(ctx, d);
    fd_bw_init(&d->bw, FD_ENVELOPE_MAX);
    if (d->upload_expiry_ms)
        d->bw.expiry_ms = d->upload_expiry_ms;
    /* every source address is a session holding state (and partial uploads):
     * bound their number and lifetime so a flood cannot grow memory */
    coap_context_set_max_idle_sessions(ctx, FD_SESSIONS_MAX);
    coap_context_set_session_timeout(ctx, FD_SESSION_TIMEOUT_S);
    if (d->secure) {
        if (!coap_dtls_is_supported()) {
            fd_log("coaps: this libcoap has no DTLS");
            coap_free_context(ctx);
            return -1;
        }
        static char hint[] = "femtod";
        coap_dtls_spsk_t sp;
        memset(&sp, 0, sizeof sp);
        sp.version = COAP_DTLS_SPSK_SETUP_VERSION;
        sp.validate_id_call_back = psk_for;
        sp.id_call_back_arg = d;
        sp.psk_info.hint.s = (const uint8_t *)hint;
        sp.psk_info.hint.length = strlen(hint);
        if (!coap_context_set_psk2(ctx, &sp) ||
            endpoint(d, ctx, d->coaps_host, d->coaps_port, COAP_PROTO_DTLS) != 0) {
            coap_free_context(ctx);
            return -1;
        }
    }
    if (d->plain && endpoint(d, ctx, d->listen_host, d->listen_port, COAP_PROTO_UDP) != 0) {
        coap_free_context(ctx);
        return -1;
    }
    add(ctx, ".well-known/core", COAP_REQUEST_GET, COAP_REQUEST_GET, h_wellknown);
    add(ctx, "containers", COAP_REQUEST_GET, COAP_REQUEST_GET, h_containers);
    add(ctx, "hooks", COAP_REQUEST_GET, COAP_REQUEST_GET, h_hooks);
    add(ctx, "stats", COAP_REQUEST_GET, COAP_REQUEST_GET, h_stats);
    add(ctx, "sensors", COAP_REQUEST_GET, COAP_REQUEST_GET, h_sensors);
    add(ctx, "deploy", COAP_REQUEST_PUT, COAP_REQUEST_POST, h_deploy);
    coap_resource_t *unknown = coap_resource_unknown_init2(h_unknown, 0);
    coap_register_handler(unknown, COAP_REQUEST_GET, h_unknown);
    coap_register_handler(unknown, COAP_REQUEST_POST, h_unknown);
    coap_add_resource(ctx, unknown);
    d->coap = ctx;
    return 0;
}

void fd_server_run(femtod_t *d, volatile sig_atomic_t *stop, volatile sig_atomic_t *hup)
{
    while (!*stop && !*hup) {
        uint64_t now = fd_now_ms(d), wait = 100;
        for (unsigned i = 0; i < d->nhooks; i++) {
            fd_hook_t *h = &d->hooks[i];
            if (h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR) {
                uint64_t left = h->next_ms > now ? h->next_ms - now : 0;
                if (left < wait)
                    wait = left;
            }
        }
        if (coap_io_process(d->coap, (uint32_t)(wait ? wait : 1)) < 0 && !*stop) {
            fd_log("coap: I/O error, going on");
            struct timespec ts = { 0, 10000000 };
            nanosleep(&ts, NULL);
        }
        fd_fire_due(d);
        fd_health_tick(d);
        fd_bw_expire(&d->bw, fd_now_ms(d));
        if (fd_now_ms(d) >= d->stores_next_ms) {
            d->stores_next_ms = fd_now_ms(d) + FD_STORES_SYNC_MS;
            (void)fd_stores_save(d);
        }
    }
}

void fd_server_stop(femtod_t *d)
{
    if (d->coap)
        coap_free_context(d->coap);
    d->coap = NULL;
    fd_bw_fini(&d->bw);
    coap_cleanup();
}
