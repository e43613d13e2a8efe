/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's CoAP side (libcoap 3, UDP, block-wise transfer by libcoap in
 * single-body mode: handlers see whole bodies). Resources: docs/femtod.md.
 * Every request first passes the network hook, which sees its header and
 * may refuse it (a negative result) — except /deploy, so a tenant's filter
 * can never lock the owner out.
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

#include "femtod.h"

#define CODE(n) COAP_RESPONSE_CODE(n)

static femtod_t *D; /* libcoap handlers take no user pointer of ours */

int fd_fire(femtod_t *d, fd_hook_t *h, void *ctx, uint32_t len, fc_hook_result_t *res)
{
    (void)d;
    h->fires++;
    return fc_hook_fire(&h->h, ctx, len, res);
}

static const char *container_name(femtod_t *d, const fc_container_t *c)
{
    for (unsigned i = 0; c && i < FD_SLOTS_MAX; i++)
        for (unsigned j = 0; d->slots[i].used && j < d->slots[i].ninst; j++)
            if (&d->slots[i].inst[j]->c == c)
                return d->slots[i].name;
    return "?";
}

static void release_text(coap_session_t *s, void *text)
{
    (void)s;
    free(text);
}

/* Send @p text (malloc'd, taken: libcoap frees it through release_text once
 * sent, block by block for large bodies) as the payload with @p code. */
static void reply(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                  const coap_string_t *q, coap_pdu_t *resp, int code, uint16_t fmt, char *text,
                  size_t len)
{
    coap_pdu_set_code(resp, (coap_pdu_code_t)CODE(code));
    if (!text)
        return;
    if (len == 0) {
        free(text);
        return;
    }
    (void)coap_add_data_large_response(r, s, req, resp, q, fmt, -1, 0, len, (const uint8_t *)text,
                                       release_text, text);
}

static void reply_text(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                       const coap_string_t *q, coap_pdu_t *resp, int code, const char *msg)
{
    size_t n = strlen(msg);
    char *t = malloc(n + 1);
    if (t)
        memcpy(t, msg, n + 1);
    reply(r, s, req, q, resp, code, COAP_MEDIATYPE_TEXT_PLAIN, t, n);
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

/* Run the network hooks on the request's header; 1 when one refuses it. */
static int net_filter(femtod_t *d, const coap_pdu_t *req, const char *path)
{
    d->requests++;
    femtod_net_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    size_t dlen = 0, off = 0, total = 0;
    const uint8_t *data;
    if (coap_get_data_large(req, &dlen, &data, &off, &total))
        ctx.payload_len = (uint16_t)(total > UINT16_MAX ? UINT16_MAX : total);
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
    char path[128];                                                                                \
    uri_path(req, path, sizeof path);                                                              \
    if (net_filter(D, req, path)) {                                                                \
        reply_text(r, s, req, q, resp, 403, "refused by the network hook");                       \
        return;                                                                                    \
    }

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

static void reply_json(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                       const coap_string_t *q, coap_pdu_t *resp, int code, char *text, size_t len)
{
    reply(r, s, req, q, resp, code, COAP_MEDIATYPE_APPLICATION_JSON, text, len);
}

static void h_containers(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                         const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputc('[', f);
    int first = 1;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++) {
        fd_slot_t *sl = &D->slots[i];
        if (!sl->used)
            continue;
        fprintf(f, "%s{\"name\":", first ? "" : ",");
        first = 0;
        json_str(f, sl->name);
        fprintf(f, ",\"tenant\":");
        json_str(f, sl->tenant->name);
        fprintf(f, ",\"seq\":%" PRIu64 ",\"entry\":", sl->seq);
        json_str(f, sl->entry);
        fprintf(f, ",\"image_bytes\":%zu,\"hooks\":[", sl->image_len);
        unsigned n = 0;
        for (unsigned j = 0; j < sl->ninst; j++)
            if (sl->inst[j]->hook) {
                fprintf(f, "%s", n++ ? "," : "");
                json_str(f, sl->inst[j]->hook->name);
            }
        fprintf(f, "]}");
    }
    fprintf(f, "]\n");
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, len);
}

static int list_attached(fc_container_t *c, void *arg)
{
    FILE *f = arg;
    fprintf(f, "\"%s\",", container_name(D, c));
    return 0;
}

static void h_hooks(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputc('[', f);
    for (unsigned i = 0; i < D->nhooks; i++) {
        fd_hook_t *h = &D->hooks[i];
        fprintf(f, "%s{\"name\":", i ? "," : "");
        json_str(f, h->name);
        fprintf(f, ",\"kind\":\"%s\",\"policy\":\"%s\",\"caps\":%" PRIu32 ",\"budget\":%" PRIu32
                   ",\"fires\":%" PRIu64, fd_hook_kind_name(h->kind), fd_policy_name(h->policy),
                h->caps, h->budget, h->fires);
        if (h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR)
            fprintf(f, ",\"period_ms\":%" PRIu32, h->period_ms);
        fprintf(f, ",\"attached\":[");
        fflush(f);
        size_t before = len;
        fc_hook_foreach(&h->h, list_attached, f);
        fflush(f);
        if (len > before)
            fseek(f, -1, SEEK_CUR); /* drop the last comma */
        fprintf(f, "]}");
    }
    fprintf(f, "]\n");
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, len);
}

static void h_stats(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                    const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    unsigned n = 0;
    for (unsigned i = 0; i < FD_SLOTS_MAX; i++)
        n += D->slots[i].used ? 1u : 0u;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\"requests\":%" PRIu64 ",\"containers\":%u,\"uptime_ms\":%" PRIu64 "}\n",
            D->requests, n, fd_now_ms(D));
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, len);
}

static void h_deploy(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                     const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    if (!coap_get_data_large(req, &len, &data, &off, &total) || len == 0) {
        fd_log("deploy: empty request -> 4.00");
        reply_text(r, s, req, q, resp, 400, "empty body: expected a signed envelope");
        return;
    }
    /* libcoap 4.3.1 reassembles Block1 uploads that announce their Size1,
     * but hands over block 0 of one that does not: never take a part for
     * the whole */
    coap_opt_iterator_t it;
    coap_opt_t *b1 = coap_check_option(req, COAP_OPTION_BLOCK1, &it);
    if (off != 0 || len != total || (b1 && COAP_OPT_BLOCK_MORE(b1))) {
        fd_log("deploy: incomplete body (%zu of %zu at %zu) -> 4.08", len, total, off);
        reply_text(r, s, req, q, resp, 408,
                   "incomplete body (a block-wise upload must give Size1 with block 0)");
        return;
    }
    fd_result_t res;
    fd_apply_envelope(D, data, len, &res);
    reply_text(r, s, req, q, resp, res.code, res.msg);
}

static void h_sensors(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp)
{
    FILTER();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fputc('[', f);
    D->port.lock(D->port.ctx);
    for (unsigned i = 0; i < D->nsensors; i++)
        fprintf(f, "%s{\"name\":\"%s\",\"type\":%u,\"value\":%" PRId32 ",\"scale\":%d}", i ? "," : "",
                D->sensor_names[i], D->sensors[i].value.type, D->sensors[i].value.value,
                D->sensors[i].value.scale);
    D->port.unlock(D->port.ctx);
    fprintf(f, "]\n");
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, len);
}

static void result_json(FILE *f, fd_hook_t *h, int ran, const fc_hook_result_t *res)
{
    fprintf(f, "{\"hook\":");
    json_str(f, h->name);
    fprintf(f, ",\"ran\":%d,\"faults\":%u,\"r0\":%" PRId32 ",\"by\":", ran, res->faults,
            (int32_t)res->r0);
    if (res->by)
        json_str(f, container_name(D, res->by));
    else
        fprintf(f, "null");
    if (res->fault.container) {
        fprintf(f, ",\"fault\":{\"container\":");
        json_str(f, container_name(D, res->fault.container));
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
                    const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    fd_hook_t *h = fd_hook_find(D, name);
    if (!h) {
        reply_text(r, s, req, q, resp, 404, "no such hook");
        return;
    }
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    fc_hook_result_t res;
    int ran;
    if (!coap_get_data_large(req, &len, &data, &off, &total))
        len = 0;
    if (len == 0 && (h->kind == FD_HOOK_TIMER || h->kind == FD_HOOK_SENSOR)) {
        ran = fire_kind(D, h, &res);
    } else {
        uint8_t ctx[1024];
        if (len > sizeof ctx) {
            reply_text(r, s, req, q, resp, 413, "context larger than 1024 bytes");
            return;
        }
        memcpy(ctx, data, len);
        ran = fd_fire(D, h, len ? ctx : NULL, (uint32_t)len, &res);
    }
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    result_json(f, h, ran, &res);
    fputc('\n', f);
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, tlen);
}

static int store_visit(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    (void)ns;
    FILE *f = arg;
    fprintf(f, "\"%" PRIu32 "\":%" PRIu64 ",", key, value);
    return 0;
}

static void do_store(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                     const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    fd_tenant_t *t = fd_tenant_find(D, name);
    if (!t) {
        reply_text(r, s, req, q, resp, 404, "no such tenant");
        return;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\"tenant\":");
    json_str(f, t->name);
    fprintf(f, ",\"id\":%" PRIu32 ",\"values\":{", t->id);
    fflush(f);
    size_t before = len;
    fc_tenant_foreach(&t->t, store_visit, f);
    fflush(f);
    if (len > before)
        fseek(f, -1, SEEK_CUR);
    fprintf(f, "}}\n");
    fclose(f);
    reply_json(r, s, req, q, resp, 205, text, len);
}

/* GET|POST /app/NAME: the CoAP-request hook's container NAME computes the response. */
static void do_app(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                   const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    fd_slot_t *sl = fd_slot_find(D, name);
    fd_inst_t *in = NULL;
    for (unsigned i = 0; sl && i < sl->ninst; i++)
        if (sl->inst[i]->hook && sl->inst[i]->hook->kind == FD_HOOK_COAP)
            in = sl->inst[i];
    if (!in) {
        reply_text(r, s, req, q, resp, 404, "no container of that name on a CoAP-request hook");
        return;
    }
    femtod_coap_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.code = (uint32_t)coap_pdu_get_code(req);
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    if (coap_get_data_large(req, &len, &data, &off, &total)) {
        ctx.in_len = (uint32_t)(len < FEMTOD_COAP_IN_MAX ? len : FEMTOD_COAP_IN_MAX);
        memcpy(ctx.in, data, ctx.in_len);
    }
    in->hook->fires++;
    in->c.vm.budget = in->hook->budget;
    uint64_t r0 = 0;
    int err = fc_container_run(&in->c, sl->entry_pc, &ctx, sizeof ctx, FC_MEM_READ | FC_MEM_WRITE, &r0);
    char msg[160];
    if (err != FC_OK) {
        snprintf(msg, sizeof msg, "container %s faulted at pc %" PRIu32 ": %s", name, in->c.vm.pc,
                 fc_strerror(err));
        fd_log("app: %s", msg);
        reply_text(r, s, req, q, resp, 500, msg);
        return;
    }
    if ((int32_t)r0 < 0) {
        snprintf(msg, sizeof msg, "container %s returned %" PRId32, name, (int32_t)r0);
        reply_text(r, s, req, q, resp, 500, msg);
        return;
    }
    size_t n = ctx.out_len < FEMTOD_COAP_OUT_MAX ? ctx.out_len : FEMTOD_COAP_OUT_MAX;
    char *t = malloc(n + 1);
    if (!t) {
        reply_text(r, s, req, q, resp, 503, "out of memory");
        return;
    }
    memcpy(t, ctx.out, n);
    reply(r, s, req, q, resp, 205, COAP_MEDIATYPE_TEXT_PLAIN, t, n);
}

/* PUT /sensor/NAME with a decimal value: set a simulated sensor, fire the sensor hooks. */
static void do_sensor(coap_resource_t *r, coap_session_t *s, const coap_pdu_t *req,
                      const coap_string_t *q, coap_pdu_t *resp, const char *name)
{
    unsigned i;
    for (i = 0; i < D->nsensors; i++)
        if (!strcmp(D->sensor_names[i], name))
            break;
    if (i == D->nsensors) {
        reply_text(r, s, req, q, resp, 404, "no such sensor");
        return;
    }
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    char buf[32];
    if (!coap_get_data_large(req, &len, &data, &off, &total) || len == 0 || len >= sizeof buf) {
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
    D->port.lock(D->port.ctx);
    D->sensors[i].value.value = (int32_t)v;
    D->port.unlock(D->port.ctx);
    char *text = NULL;
    size_t tlen = 0;
    FILE *f = open_memstream(&text, &tlen);
    fprintf(f, "[");
    int first = 1;
    for (unsigned j = 0; j < D->nhooks; j++) {
        fd_hook_t *h = &D->hooks[j];
        if (h->kind != FD_HOOK_SENSOR)
            continue;
        fc_hook_result_t res;
        int ran = fire_kind(D, h, &res);
        fprintf(f, "%s", first ? "" : ",");
        first = 0;
        result_json(f, h, ran, &res);
    }
    fprintf(f, "]\n");
    fclose(f);
    reply_json(r, s, req, q, resp, 204, text, tlen);
}

/* Everything under a prefix: store/T, fire/H, app/N, sensor/S. */
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
    if (IS("store") && code == COAP_REQUEST_CODE_GET)
        do_store(r, s, req, q, resp, arg);
    else if (IS("fire") && code == COAP_REQUEST_CODE_POST)
        do_fire(r, s, req, q, resp, arg);
    else if (IS("app") && (code == COAP_REQUEST_CODE_GET || code == COAP_REQUEST_CODE_POST))
        do_app(r, s, req, q, resp, arg);
    else if (IS("sensor") && code == COAP_REQUEST_CODE_PUT)
        do_sensor(r, s, req, q, resp, arg);
    else if (IS("store") || IS("fire") || IS("app") || IS("sensor"))
        reply_text(r, s, req, q, resp, 405, "method not allowed here");
    else
        reply_text(r, s, req, q, resp, 404, "no such resource");
#undef IS
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

int fd_server_start(femtod_t *d)
{
    D = d;
    coap_startup();
    coap_set_log_level(LOG_WARNING);
    coap_context_t *ctx = coap_new_context(NULL);
    if (!ctx)
        return -1;
    coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    /* every source address is a session holding state (and partial uploads):
     * bound their number and lifetime so a flood cannot grow memory */
    coap_context_set_max_idle_sessions(ctx, FD_SESSIONS_MAX);
    coap_context_set_session_timeout(ctx, FD_SESSION_TIMEOUT_S);
    coap_address_t addr;
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons((uint16_t)d->listen_port);
    addr.size = sizeof addr.addr.sin;
    if (inet_pton(AF_INET, d->listen_host, &addr.addr.sin.sin_addr) != 1) {
        fd_log("listen: '%s' is not an IPv4 address", d->listen_host);
        coap_free_context(ctx);
        return -1;
    }
    /* libcoap binds with SO_REUSEADDR, which lets a second femtod share the
     * port silently: a plain bind first tells a busy port */
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    if (probe >= 0) {
        int busy = bind(probe, &addr.addr.sa, addr.size) != 0 && errno == EADDRINUSE;
        close(probe);
        if (busy) {
            fd_log("listen: cannot bind %s:%u: %s", d->listen_host, d->listen_port,
                   strerror(EADDRINUSE));
            coap_free_context(ctx);
            return -1;
        }
    }
    if (!coap_new_endpoint(ctx, &addr, COAP_PROTO_UDP)) {
        fd_log("listen: cannot bind %s:%u", d->listen_host, d->listen_port);
        coap_free_context(ctx);
        return -1;
    }
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

void fd_server_run(femtod_t *d, volatile int *stop)
{
    while (!*stop) {
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
    coap_cleanup();
}
