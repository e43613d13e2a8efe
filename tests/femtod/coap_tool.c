/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test client for femtod (libcoap, block-wise by libcoap like the daemon):
 *
 *   coap_tool req METHOD coap://H:P/PATH [FILE]   one request; prints "C.DD payload"
 *   coap_tool load H P N PATH [WINDOW]            N confirmable GETs, WINDOW in flight;
 *                                                 prints counts, exit 0 when none lost
 *   coap_tool raw H P HEX                         one raw UDP datagram; prints the
 *                                                 answer's code ("none" without one)
 *   coap_tool flood H P N                         N datagrams, garbage and NON GETs, no waiting
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <coap3/coap.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int addr_of(const char *host, const char *port, coap_address_t *a)
{
    coap_address_init(a);
    a->addr.sin.sin_family = AF_INET;
    a->addr.sin.sin_port = htons((uint16_t)atoi(port));
    a->size = sizeof a->addr.sin;
    return inet_pton(AF_INET, host, &a->addr.sin.sin_addr) == 1 ? 0 : -1;
}

/* ---- req ---------------------------------------------------------------- */

static int req_done;
static unsigned req_code;
static uint8_t *req_body;
static size_t req_len;

static coap_response_t on_req(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *recv,
                              const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    size_t len = 0, off = 0, total = 0;
    const uint8_t *data = NULL;
    req_code = (unsigned)coap_pdu_get_code(recv);
    if (coap_get_data_large(recv, &len, &data, &off, &total) && len) {
        req_body = malloc(len);
        memcpy(req_body, data, len);
        req_len = len;
    }
    req_done = 1;
    return COAP_RESPONSE_OK;
}

static int req_nack;

static void on_req_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                        const coap_mid_t mid)
{
    (void)s, (void)sent, (void)reason, (void)mid;
    req_nack = 1; /* e.g. ICMP port unreachable: the daemon is not up (yet) */
}

static int cmd_req(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    static const struct {
        const char *name;
        coap_pdu_code_t code;
    } methods[] = { { "get", COAP_REQUEST_CODE_GET },
                    { "post", COAP_REQUEST_CODE_POST },
                    { "put", COAP_REQUEST_CODE_PUT },
                    { "delete", COAP_REQUEST_CODE_DELETE } };
    coap_pdu_code_t code = 0;
    for (size_t i = 0; i < 4; i++)
        if (!strcasecmp(argv[2], methods[i].name))
            code = methods[i].code;
    coap_uri_t uri;
    if (!code || coap_split_uri((const uint8_t *)argv[3], strlen(argv[3]), &uri) != 0)
        return 2;
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)uri.host.length, uri.host.s);
    char port[8];
    snprintf(port, sizeof port, "%u", uri.port);
    uint8_t *body = NULL;
    size_t blen = 0;
    if (argc > 4) {
        FILE *f = fopen(argv[4], "rb");
        if (!f)
            return 3;
        body = malloc(1 << 20);
        blen = fread(body, 1, 1 << 20, f);
        fclose(f);
    }
    coap_startup();
    coap_set_log_level(LOG_EMERG);
    coap_context_t *ctx = coap_new_context(NULL);
    coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    coap_address_t dst;
    if (addr_of(host, port, &dst) != 0)
        return 2;
    coap_session_t *s = coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    coap_register_response_handler(ctx, on_req);
    coap_register_nack_handler(ctx, on_req_nack);
    coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, code, s);
    uint8_t tok[8];
    size_t toklen;
    coap_session_new_token(s, &toklen, tok);
    coap_add_token(pdu, toklen, tok);
    uint8_t pbuf[256];
    size_t plen = sizeof pbuf;
    int n = coap_split_path(uri.path.s, uri.path.length, pbuf, &plen);
    for (uint8_t *p = pbuf; n-- > 0; p += coap_opt_size(p))
        coap_add_option(pdu, COAP_OPTION_URI_PATH, coap_opt_length(p), coap_opt_value(p));
    if (body)
        coap_add_data_large_request(s, pdu, blen, body, NULL, NULL);
    coap_send(s, pdu);
    double start = now_s();
    while (!req_done && !req_nack && now_s() - start < 20)
        coap_io_process(ctx, 100);
    int rc = 3;
    if (req_done) {
        printf("%u.%02u %.*s\n", req_code >> 5, req_code & 31, (int)req_len,
               req_body ? (char *)req_body : "");
        rc = 0;
    } else {
        printf("%s\n", req_nack ? "unreachable" : "timeout");
    }
    coap_session_release(s);
    coap_free_context(ctx);
    coap_cleanup();
    free(body);
    free(req_body);
    return rc;
}

/* ---- load --------------------------------------------------------------- */

static unsigned long answered, good;
static unsigned long nacked;

static coap_response_t on_load(coap_session_t *s, const coap_pdu_t *sent, const coap_pdu_t *recv,
                               const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    answered++;
    if (coap_pdu_get_code(recv) == COAP_RESPONSE_CODE(205))
        good++;
    return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
    (void)s, (void)sent, (void)reason, (void)mid;
    nacked++;
}

static int cmd_load(int argc, char **argv)
{
    if (argc < 6)
        return 2;
    unsigned long n = strtoul(argv[4], NULL, 10);
    const char *path = argv[5];
    unsigned long window = argc > 6 ? strtoul(argv[6], NULL, 10) : 16;
    coap_startup();
    coap_set_log_level(LOG_EMERG);
    coap_context_t *ctx = coap_new_context(NULL);
    coap_address_t dst;
    if (addr_of(argv[2], argv[3], &dst) != 0)
        return 2;
    coap_session_t *s = coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    /* several in flight at once (libcoap's default NSTART is 1) */
    coap_session_set_nstart(s, (uint16_t)window);
    coap_register_response_handler(ctx, on_load);
    coap_register_nack_handler(ctx, on_nack);
    unsigned long sent = 0;
    double start = now_s(), last = start;
    while ((answered + nacked < n) && now_s() - last < 30) {
        while (sent < n && sent - answered - nacked < window) {
            coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, s);
            uint8_t tok[8];
            size_t toklen;
            coap_session_new_token(s, &toklen, tok);
            coap_add_token(pdu, toklen, tok);
            for (const char *seg = path; *seg;) {
                size_t sl = strcspn(seg, "/");
                coap_add_option(pdu, COAP_OPTION_URI_PATH, sl, (const uint8_t *)seg);
                seg += sl + (seg[sl] == '/');
            }
            if (coap_send(s, pdu) == COAP_INVALID_MID)
                break;
            sent++;
        }
        unsigned long before = answered;
        coap_io_process(ctx, 50);
        if (answered != before)
            last = now_s();
    }
    double el = now_s() - start;
    printf("sent %lu answered %lu ok %lu lost %lu seconds %.3f rate %.0f\n", sent, answered, good,
           n - answered, el, el > 0 ? (double)answered / el : 0.0);
    coap_session_release(s);
    coap_free_context(ctx);
    coap_cleanup();
    return answered == n && good == n ? 0 : 1;
}

/* ---- raw ---------------------------------------------------------------- */

static int cmd_raw(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    uint8_t buf[2048];
    size_t n = 0;
    const char *h = argv[4];
    for (; h[0] && h[1] && n < sizeof buf; h += 2) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1)
            break;
        buf[n++] = (uint8_t)v;
    }
    if (*h) {
        printf("bad hex at '%s'\n", h);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(argv[3]));
    inet_pton(AF_INET, argv[2], &a.sin_addr);
    if (sendto(fd, buf, n, 0, (struct sockaddr *)&a, sizeof a) < 0)
        return 3;
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, 1000) == 1) {
        uint8_t r[2048];
        ssize_t got = recv(fd, r, sizeof r, 0);
        if (got >= 4) {
            unsigned type = (r[0] >> 4) & 3;
            printf("%s %u.%02u\n", type == 3 ? "RST" : type == 2 ? "ACK" : type == 1 ? "NON" : "CON",
                   r[1] >> 5, r[1] & 31);
            close(fd);
            return 0;
        }
    }
    printf("none\n");
    close(fd);
    return 0;
}

/* ---- flood -------------------------------------------------------------- */

/* N datagrams as fast as possible from one socket, without waiting: every
 * third a valid NON GET /stats, the others random bytes. */
static int cmd_flood(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    unsigned long n = strtoul(argv[4], NULL, 10);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(argv[3]));
    inet_pton(AF_INET, argv[2], &a.sin_addr);
    uint32_t x = 0x9e3779b9u;
    unsigned long sent = 0;
    for (unsigned long i = 0; i < n; i++) {
        uint8_t buf[64];
        size_t len;
        if (i % 3 == 0) {
            /* NON GET, token length 0, Uri-Path "stats" */
            const uint8_t get[] = { 0x50, 0x01, (uint8_t)(i >> 8), (uint8_t)i, 0xb5, 's', 't', 'a', 't', 's' };
            memcpy(buf, get, sizeof get);
            len = sizeof get;
        } else {
            len = 1 + i % sizeof buf;
            for (size_t j = 0; j < len; j++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                buf[j] = (uint8_t)x;
            }
        }
        if (sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)len)
            sent++;
    }
    close(fd);
    printf("flooded %lu datagrams\n", sent);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: coap_tool req|load|raw ...\n");
        return 2;
    }
    if (!strcmp(argv[1], "req"))
        return cmd_req(argc, argv);
    if (!strcmp(argv[1], "load"))
        return cmd_load(argc, argv);
    if (!strcmp(argv[1], "raw"))
        return cmd_raw(argc, argv);
    if (!strcmp(argv[1], "flood"))
        return cmd_flood(argc, argv);
    return 2;
}
