/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto device: an operator's view of a device (femtod, docs/femtod.md):
 *
 *   femto device list URI                      installed containers, one a line
 *   femto device info URI NAME                 one container's entry (state, runs, faults, last fault)
 *   femto device logs URI NAME                 the last lines it printed
 *   femto device remove URI NAME -k KEY -t TENANT -s SEQ   a signed removal, pushed
 *
 * URI is coap://HOST:PORT or coaps://HOST:PORT (--psk FILE, or FEMTO_PSK).
 * GETs go through libcoap's block mode (the device answers large lists
 * block-wise); the JSON is read by a small scanner, enough for femtod's.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_device.h"
#include "cmds.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto device list URI [--psk FILE]\n"
            "       femto device info URI NAME [--psk FILE]\n"
            "       femto device logs URI NAME [--psk FILE]\n"
            "       femto device remove URI NAME -k KEY -t TENANT -s SEQ [--psk FILE]\n\n"
            "An operator's view of a device over CoAP (URI coap://HOST:PORT or coaps://...;\n"
            "coaps needs --psk FILE, one line 'IDENTITY HEXKEY', or FEMTO_PSK=FILE).\n"
            "list: name, tenant, sequence, state, hooks, runs, faults of each container;\n"
            "info: one container's entry as the device gives it (JSON); logs: the last\n"
            "lines it printed; remove: signs a removal with the tenant's key and pushes it.\n\n"
            "exit codes: 0 ok, 1 refused or not found, 2 usage, 3 network error\n");
}

static struct {
    int done, nack;
    unsigned code;
    char *body;
    size_t len;
} rq;

static coap_response_t on_resp(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *recv,
                               const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    rq.code = (unsigned)coap_pdu_get_code(recv);
    if (coap_get_data_large(recv, &len, &data, &off, &total) && len) {
        free(rq.body);
        rq.body = malloc(len + 1);
        if (rq.body) {
            memcpy(rq.body, data, len);
            rq.body[len] = '\0';
            rq.len = len;
        }
    }
    rq.done = 1;
    return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    rq.nack = (int)reason + 1;
}

/* GET BASE/PATH; 0 with rq.code and rq.body set, or an exit code. */
static int get(const char *base, const char *path, const char *psk)
{
    char url[512];
    snprintf(url, sizeof url, "%s/%s", base, path);
    coap_uri_t uri;
    if (coap_split_uri((const uint8_t *)url, strlen(url), &uri) != 0 ||
        (uri.scheme != COAP_URI_SCHEME_COAP && uri.scheme != COAP_URI_SCHEME_COAPS)) {
        fprintf(stderr, "femto device: '%s' is not a coap:// or coaps:// URI\n", base);
        return FEMTO_EXIT_USAGE;
    }
    coap_dtls_cpsk_t cp;
    int secure = uri.scheme == COAP_URI_SCHEME_COAPS;
    if (secure && (!psk || femto_psk_load(psk, &cp) != 0)) {
        fprintf(stderr, "femto device: coaps:// needs --psk FILE with one line 'IDENTITY HEXKEY'\n");
        return FEMTO_EXIT_USAGE;
    }
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)uri.host.length, uri.host.s);
    coap_address_t dst;
    coap_address_init(&dst);
    dst.addr.sin.sin_family = AF_INET;
    dst.addr.sin.sin_port = htons(uri.port);
    dst.size = sizeof dst.addr.sin;
    if (inet_pton(AF_INET, !strcmp(host, "localhost") ? "127.0.0.1" : host,
                  &dst.addr.sin.sin_addr) != 1) {
        fprintf(stderr, "femto device: %s: an IPv4 address, please\n", host);
        return FEMTO_EXIT_USAGE;
    }
    coap_startup();
    coap_set_log_level(LOG_EMERG);
    coap_context_t *ctx = coap_new_context(NULL);
    int rc = FEMTO_EXIT_IO;
    if (!ctx)
        return rc;
    coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    coap_session_t *s = secure ? coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &cp)
                               : coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    if (s) {
        coap_register_response_handler(ctx, on_resp);
        coap_register_nack_handler(ctx, on_nack);
        coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
        uint8_t tok[8];
        size_t toklen;
        coap_session_new_token(s, &toklen, tok);
        coap_add_token(pdu, toklen, tok);
        uint8_t pbuf[256];
        size_t plen = sizeof pbuf;
        int n = coap_split_path(uri.path.s, uri.path.length, pbuf, &plen);
        for (uint8_t *p = pbuf; n-- > 0; p += coap_opt_size(p))
            coap_add_option(pdu, COAP_OPTION_URI_PATH, coap_opt_length(p), coap_opt_value(p));
        coap_send(s, pdu);
        time_t start = time(NULL);
        while (!rq.done && !rq.nack && time(NULL) - start < 20)
            coap_io_process(ctx, 100);
        if (rq.done)
            rc = 0;
        else
            fprintf(stderr, "femto device: no answer from %s (%s)\n", base,
                    rq.nack == (int)COAP_NACK_TLS_FAILED + 1 ? "DTLS handshake failed" : "timeout");
        coap_session_release(s);
    }
    coap_free_context(ctx);
    coap_cleanup();
    return rc;
}

/* The JSON value starting at @p p (a string, object, array or scalar): just past its end. */
static const char *value_end(const char *p)
{
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
                p++;
        return *p ? p + 1 : p;
    }
    if (*p == '{' || *p == '[') {
        int depth = 0, str = 0;
        for (; *p; p++) {
            if (str) {
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '"')
                    str = 0;
            } else if (*p == '"') {
                str = 1;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if ((*p == '}' || *p == ']') && --depth == 0) {
                return p + 1;
            }
        }
        return p;
    }
    while (*p && *p != ',' && *p != '}' && *p != ']')
        p++;
    return p;
}

/* The value of "key" at the top level of object [p, end), or NULL. */
static const char *field(const char *p, const char *end, const char *key, const char **vend)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    for (p++; p && p < end;) {
        if (!strncmp(p, pat, strlen(pat))) {
            const char *v = p + strlen(pat);
            *vend = value_end(v);
            return v;
        }
        /* skip this member: its key, then its value */
        const char *colon = strchr(p, ':');
        if (!colon || colon >= end)
            return NULL;
        p = value_end(colon + 1);
        if (*p == ',')
            p++;
        else
            return NULL;
    }
    return NULL;
}

static void print_field(const char *obj, const char *end, const char *key, int width)
{
    const char *ve, *v = field(obj, end, key, &ve);
    if (v && *v == '"')
        v++, ve--;
    printf("%-*.*s ", width, v ? (int)(ve - v) : 1, v ? v : "-");
}

static int status(void)
{
    if (rq.code >> 5 == 2)
        return FEMTO_EXIT_OK;
    fprintf(stderr, "femto device: %u.%02u %s\n", rq.code >> 5, rq.code & 31, rq.body ? rq.body : "");
    return FEMTO_EXIT_FAIL;
}

/* Each {"name":...} element of the /containers array: @p fn on it. */
static const char *find_container(const char *name, const char **end)
{
    for (const char *p = rq.body ? strchr(rq.body, '{') : NULL; p; p = strchr(*end, '{')) {
        *end = value_end(p);
        const char *ve, *v = field(p, *end, "name", &ve);
        if (!name || (v && ve - v == (long)strlen(name) + 2 && !strncmp(v + 1, name, strlen(name))))
            return p;
        if (!**end)
            break;
    }
    return NULL;
}

int fc_cmd_device(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return FEMTO_EXIT_OK;
    }
    const char *psk = getenv("FEMTO_PSK");
    char *pos[4];
    int npos = 0, rest = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--psk") && i + 1 < argc)
            psk = argv[++i];
        else if (argv[i][0] == '-') {
            rest = i; /* remove's signing options */
            break;
        } else if (npos < 4)
            pos[npos++] = argv[i];
    }
    if (npos < 2) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    const char *cmd = pos[0], *base = pos[1], *name = npos > 2 ? pos[2] : NULL;
    int rc;
    if (!strcmp(cmd, "list") && npos == 2) {
        if ((rc = get(base, "containers", psk)) != 0 || (rc = status()) != 0)
            return rc;
        printf("%-16s %-10s %-6s %-11s %-16s %-8s %s\n", "NAME", "TENANT", "SEQ", "STATE", "HOOKS",
               "RUNS", "FAULTS");
        const char *end;
        for (const char *p = find_container(NULL, &end); p; p = find_container(NULL, &end)) {
            print_field(p, end, "name", 16);
            print_field(p, end, "tenant", 10);
            print_field(p, end, "seq", 6);
            const char *ie, *inst = field(p, end, "instances", &ie);
            const char *ee, *one = inst ? strchr(inst, '{') : NULL;
            if (one && one < ie) {
                ee = value_end(one);
                print_field(one, ee, "state", 11);
            } else {
                print_field(p, end, "state", 11);
            }
            print_field(p, end, "hooks", 16);
            uint64_t runs = 0, faults = 0;
            for (const char *q = inst; q && (q = strchr(q, '{')) && q < ie; q = value_end(q)) {
                const char *fe, *f = field(q, value_end(q), "runs", &fe);
                runs += f ? strtoull(f, NULL, 10) : 0;
                f = field(q, value_end(q), "faults", &fe);
                faults += f ? strtoull(f, NULL, 10) : 0;
            }
            printf("%-8llu %llu\n", (unsigned long long)runs, (unsigned long long)faults);
            if (!*end)
                break;
            memmove(rq.body, end, strlen(end) + 1); /* scan on after this element */
        }
        return FEMTO_EXIT_OK;
    }
    if (!strcmp(cmd, "info") && name) {
        if ((rc = get(base, "containers", psk)) != 0 || (rc = status()) != 0)
            return rc;
        const char *end, *p = find_container(name, &end);
        if (!p) {
            fprintf(stderr, "femto device: no container '%s' on %s\n", name, base);
            return FEMTO_EXIT_FAIL;
        }
        printf("%.*s\n", (int)(end - p), p);
        return FEMTO_EXIT_OK;
    }
    if (!strcmp(cmd, "logs") && name) {
        char path[128];
        snprintf(path, sizeof path, "logs/%s", name);
        if ((rc = get(base, path, psk)) != 0 || (rc = status()) != 0)
            return rc;
        /* every string inside "lines":[...], one a line, tagged with its hook */
        for (const char *p = strstr(rq.body, "\"lines\":["); p; p = strstr(p, "\"lines\":[")) {
            const char *e = value_end(p + 8);
            for (const char *q = p + 9; q < e && *q == '"';) {
                const char *qe = value_end(q);
                printf("%.*s\n", (int)(qe - q - 2), q + 1);
                q = *qe == ',' ? qe + 1 : qe;
            }
            p = e;
        }
        return FEMTO_EXIT_OK;
    }
    if (!strcmp(cmd, "remove") && name && rest) {
        /* femto sign --op remove ... then femto push: the same code as the commands */
        char tmp[] = "/tmp/femto-remove.XXXXXX";
        int fd = mkstemp(tmp);
        if (fd < 0)
            return FEMTO_EXIT_IO;
        close(fd);
        char *sargv[32];
        int sn = 0;
        sargv[sn++] = (char *)"sign";
        for (int i = rest; i < argc && sn < 26; i++)
            if (strcmp(argv[i], "--psk") || (i++, 0))
                sargv[sn++] = argv[i];
        sargv[sn++] = (char *)"-n";
        sargv[sn++] = (char *)name;
        sargv[sn++] = (char *)"--op";
        sargv[sn++] = (char *)"remove";
        sargv[sn++] = (char *)"-o";
        sargv[sn++] = tmp;
        sargv[sn] = NULL;
        rc = fc_cmd_sign(sn, sargv);
        if (rc == FEMTO_EXIT_OK) {
            char *pargv[8] = { (char *)"push", tmp, (char *)base, (char *)"--quiet", NULL };
            int pn = 4;
            if (psk) {
                pargv[pn++] = (char *)"--psk";
                pargv[pn++] = (char *)psk;
            }
            pargv[pn] = NULL;
            rc = fc_cmd_push(pn, pargv);
        }
        unlink(tmp);
        return rc;
    }
    usage(stderr);
    return FEMTO_EXIT_USAGE;
}
