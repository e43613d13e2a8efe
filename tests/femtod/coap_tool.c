/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test client for femtod (libcoap, block-wise by libcoap like the daemon):
 *
 *   coap_tool req METHOD coap[s]://H:P/PATH [FILE] one request; prints "C.DD payload"
 *                                                 (coaps: COAP_TOOL_PSK="IDENTITY:HEXKEY")
 *   coap_tool load H P N PATH [WINDOW]            N confirmable GETs, WINDOW in flight;
 *                                                 prints counts, exit 0 when none lost
 *   coap_tool raw H P HEX...                      raw UDP datagrams from one socket; prints
 *                                                 each answer's code and payload ("none")
 *   coap_tool blocks H P PATH FILE SZX [opts]     a hand-made Block1 upload (cmd_blocks)
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
    coap_session_t *s;
    static uint8_t key[64];
    static char ident[65];
    if (uri.scheme == COAP_URI_SCHEME_COAPS) {
        /* COAP_TOOL_PSK="IDENTITY:HEXKEY" */
        const char *psk = getenv("COAP_TOOL_PSK");
        const char *colon = psk ? strchr(psk, ':') : NULL;
        size_t klen = 0;
        if (!colon || (size_t)(colon - psk) >= sizeof ident)
            return 2;
        memcpy(ident, psk, (size_t)(colon - psk));
        for (const char *h = colon + 1; h[0] && h[1] && klen < sizeof key; h += 2) {
            unsigned v;
            if (sscanf(h, "%2x", &v) != 1)
                return 2;
            key[klen++] = (uint8_t)v;
        }
        coap_dtls_cpsk_t cp;
        memset(&cp, 0, sizeof cp);
        cp.version = COAP_DTLS_CPSK_SETUP_VERSION;
        cp.psk_info.identity.s = (const uint8_t *)ident;
        cp.psk_info.identity.length = strlen(ident);
        cp.psk_info.key.s = key;
        cp.psk_info.key.length = klen;
        s = coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &cp);
    } else {
        s = coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP);
    }
    if (!s)
        return 3;
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

static int udp_to(const char *host, const char *port, struct sockaddr_in *a)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)atoi(port));
    inet_pton(AF_INET, host, &a->sin_addr);
    return socket(AF_INET, SOCK_DGRAM, 0);
}

/* Wait up to @p ms for an answer on @p fd; print "TYPE C.DD payload" or
 * "none" (@p print 1: always, 2: unless 2.31 Continue). */
static unsigned answer(int fd, int ms, int print)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, ms) == 1) {
        uint8_t r[2048];
        ssize_t got = recv(fd, r, sizeof r, 0);
        if (got >= 4) {
            unsigned type = (r[0] >> 4) & 3, code = r[1];
            if (print == 1 || (print == 2 && code != 0x5f)) {
                ssize_t pl = 4 + (r[0] & 15);
                while (pl < got && r[pl] != 0xff)
                    pl++;
                pl = pl < got ? pl + 1 : got;
                printf("%s %u.%02u %.*s\n",
                       type == 3 ? "RST" : type == 2 ? "ACK" : type == 1 ? "NON" : "CON",
                       code >> 5, code & 31, (int)(got - pl), (const char *)r + pl);
            }
            return code;
        }
    }
    if (print)
        printf("none\n");
    return 0;
}

/* raw H P HEX...: each HEX one datagram, all from one socket, each answer printed */
static int cmd_raw(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    struct sockaddr_in a;
    int fd = udp_to(argv[2], argv[3], &a);
    for (int k = 4; k < argc; k++) {
        uint8_t buf[2048];
        size_t n = 0;
        const char *h = argv[k];
        for (; h[0] && h[1] && n < sizeof buf; h += 2) {
            unsigned v;
            if (sscanf(h, "%2x", &v) != 1)
                break;
            buf[n++] = (uint8_t)v;
        }
        if (*h) {
            printf("bad hex at '%s'\n", h);
            close(fd);
            return 2;
        }
        if (sendto(fd, buf, n, 0, (struct sockaddr *)&a, sizeof a) < 0) {
            close(fd);
            return 3;
        }
        (void)answer(fd, 1000, 1);
    }
    close(fd);
    return 0;
}

/* ---- blocks ------------------------------------------------------------- */

/* Append option @p num (after @p *last) with value @p v/n to @p b at @p *len. */
static void put_opt(uint8_t *b, size_t *len, unsigned *last, unsigned num, const uint8_t *v,
                    size_t n)
{
    unsigned delta = num - *last;
    *last = num;
    uint8_t *h = b + (*len)++;
    unsigned dn = delta < 13 ? delta : delta < 269 ? 13u : 14u;
    unsigned ln = n < 13 ? (unsigned)n : 13u;
    *h = (uint8_t)(dn << 4 | ln);
    if (dn == 13)
        b[(*len)++] = (uint8_t)(delta - 13);
    else if (dn == 14) {
        b[(*len)++] = (uint8_t)((delta - 269) >> 8);
        b[(*len)++] = (uint8_t)(delta - 269);
    }
    if (ln == 13)
        b[(*len)++] = (uint8_t)(n - 13);
    memcpy(b + *len, v, n);
    *len += n;
}

static size_t uint_bytes(uint8_t *v, uint64_t x)
{
    size_t n = 0;
    for (uint64_t t = x; t; t >>= 8)
        n++;
    for (size_t i = 0; i < n; i++)
        v[i] = (uint8_t)(x >> (8 * (n - 1 - i)));
    return n;
}

/* One CON PUT/POST block of an upload to PATH. */
static size_t block_pdu(uint8_t *b, uint8_t code, uint16_t mid, const char *path,
                        const uint8_t *rtag, size_t rtag_len, uint32_t num, int more,
                        unsigned szx, int has_size1, uint64_t size1, const uint8_t *data,
                        size_t n)
{
    uint8_t v[8];
    size_t len = 0;
    unsigned last = 0;
    b[len++] = 0x42; /* CON, token length 2 */
    b[len++] = code;
    b[len++] = (uint8_t)(mid >> 8);
    b[len++] = (uint8_t)mid;
    b[len++] = (uint8_t)(mid >> 8) ^ 0x5a;
    b[len++] = (uint8_t)mid;
    for (const char *seg = path; *seg;) { /* Uri-Path, one option per segment */
        size_t sl = strcspn(seg, "/");
        put_opt(b, &len, &last, 11, (const uint8_t *)seg, sl);
        seg += sl + (seg[sl] == '/');
    }
    put_opt(b, &len, &last, 27, v, uint_bytes(v, (uint64_t)num << 4 | (more ? 8u : 0u) | szx));
    if (has_size1)
        put_opt(b, &len, &last, 60, v, uint_bytes(v, size1));
    if (rtag_len)
        put_opt(b, &len, &last, 292, rtag, rtag_len);
    if (n) {
        b[len++] = 0xff;
        memcpy(b + len, data, n);
        len += n;
    }
    return len;
}

/*
 * blocks H P PATH FILE SZX [size1=N|none] [flood=N,SIZE1] [rtags=N]
 * Uploads FILE to PATH block-wise from one socket (CON PUT, answers awaited).
 * After block 0: flood=N sends N other uploads' block 0 (each from a new
 * socket, all N open until the flood ends: N distinct source ports, Size1
 * SIZE1), rtags=N sends N block 0s with distinct
 * Request-Tags from the uploading socket; the answers are counted.
 * "post" uses POST, "dup" sends every block after the first twice (a
 * retransmission), printing the last one's second answer too. Then the upload goes on.
 * Prints the counts and the final answer ("ACK C.DD payload").
 */
static int cmd_blocks(int argc, char **argv)
{
    if (argc < 7)
        return 2;
    FILE *f = fopen(argv[5], "rb");
    if (!f)
        return 3;
    static uint8_t body[1 << 20];
    size_t blen = fread(body, 1, sizeof body, f);
    fclose(f);
    unsigned szx = (unsigned)atoi(argv[6]);
    int has_size1 = 1;
    uint64_t size1 = blen;
    unsigned long flood = 0, rtags = 0;
    uint64_t flood_size1 = 0;
    uint8_t method = 3; /* PUT */
    int dup = 0;
    for (int k = 7; k < argc; k++) {
        if (!strcmp(argv[k], "size1=none"))
            has_size1 = 0;
        else if (!strncmp(argv[k], "size1=", 6))
            size1 = strtoull(argv[k] + 6, NULL, 0);
        else if (!strncmp(argv[k], "flood=", 6)) {
            char *end;
            flood = strtoul(argv[k] + 6, &end, 10);
            flood_size1 = *end == ',' ? strtoull(end + 1, NULL, 0) : 1024;
        } else if (!strncmp(argv[k], "rtags=", 6))
            rtags = strtoul(argv[k] + 6, NULL, 10);
        else if (!strcmp(argv[k], "post"))
            method = 2;
        else if (!strcmp(argv[k], "dup"))
            dup = 1;
        else
            return 2;
    }
    struct sockaddr_in a;
    int fd = udp_to(argv[2], argv[3], &a);
    size_t bsize = (size_t)16 << szx;
    uint16_t mid = (uint16_t)(getpid() * 7);
    uint8_t pdu[2048];
    unsigned code = 0;
    for (uint32_t num = 0; (size_t)num * bsize < blen || (num == 0 && blen == 0); num++) {
        size_t off = (size_t)num * bsize, n = blen - off < bsize ? blen - off : bsize;
        int more = off + n < blen;
        size_t len = block_pdu(pdu, method, mid++, argv[4], NULL, 0, num, more, szx,
                               has_size1 && num == 0, size1, body + off, n);
        code = 0;
        if (dup && more && num > 0) { /* as if the answer had been lost: the same block again */
            sendto(fd, pdu, len, 0, (struct sockaddr *)&a, sizeof a);
            if (answer(fd, 500, 0) != 0x5f) {
                printf("retransmitted block %u not answered 2.31\n", num);
                return 1;
            }
        }
        if (dup && more && num > 0) { /* as if the answer had been lost: the same block again */
            sendto(fd, pdu, len, 0, (struct sockaddr *)&a, sizeof a);
            if (answer(fd, 500, 0) != 0x5f) {
                printf("retransmitted block %u not answered 2.31\n", num);
                return 1;
            }
        }
        for (int tries = 0; tries < 4 && !code; tries++) { /* CON: retransmit */
            sendto(fd, pdu, len, 0, (struct sockaddr *)&a, sizeof a);
            code = answer(fd, 500, more ? 2 : 1);
        }
        if (!code) {
            printf("no answer to block %u\n", num);
            return 1;
        }
        if (dup && !more) { /* the last block again, same message id: its answer is replayed */
            sendto(fd, pdu, len, 0, (struct sockaddr *)&a, sizeof a);
            (void)answer(fd, 500, 1);
        }
        if (more && code != 0x5f /* 2.31 */) {
            printf("block %u answered %u.%02u\n", num, code >> 5, code & 31);
            return 1;
        }
        if (num == 0 && (flood || rtags)) {
            unsigned long c231 = 0, c503 = 0, other = 0;
            uint8_t zeros[1024];
            memset(zeros, 0, sizeof zeros);
            /* in batches of 32, sent first then the answers collected: the
             * flood takes milliseconds, not a round trip each, and stays
             * within the daemon's socket buffer. Every flood socket stays
             * open until the flood is over: the daemon tells clients apart
             * by address and port, and a socket closed after its batch frees
             * its port for the kernel to hand to a later one, whose block 0
             * is then that client starting over (its upload replaced, a
             * second 2.31 for the same reservation), not a new upload */
            unsigned long total = flood + rtags;
            int *fds = malloc((total ? total : 1) * sizeof *fds);
            if (!fds) {
                printf("out of memory\n");
                return 1;
            }
            for (unsigned long i0 = 0; i0 < total; i0 += 32) {
                unsigned long nb = total - i0 < 32 ? total - i0 : 32;
                for (unsigned long k = 0; k < nb; k++) {
                    unsigned long i = i0 + k;
                    struct sockaddr_in b;
                    fds[i] = i < flood ? udp_to(argv[2], argv[3], &b) : fd;
                    if (fds[i] < 0) {
                        printf("socket %lu of the flood: %s\n", i, strerror(errno));
                        return 1;
                    }
                    uint8_t tag[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8),
                                       (uint8_t)i };
                    size_t fl = block_pdu(pdu, method, mid++, argv[4], tag, i < flood ? 0 : 4, 0, 1,
                                          6, 1, i < flood ? flood_size1 : size1, zeros, 1024);
                    sendto(fds[i], pdu, fl, 0, (struct sockaddr *)&a, sizeof a);
                }
                for (unsigned long k = 0; k < nb; k++) {
                    unsigned c = answer(fds[i0 + k], 1000, 0);
                    c231 += c == 0x5f, c503 += c == 0xa3, other += c != 0x5f && c != 0xa3;
                }
            }
            for (unsigned long i = 0; i < total; i++)
                if (fds[i] != fd)
                    close(fds[i]);
            free(fds);
            printf("flood: %lu 2.31, %lu 5.03, %lu other\n", c231, c503, other);
        }
    }
    close(fd);
    return code >> 5 == 2 ? 0 : 1;
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
    if (!strcmp(argv[1], "blocks"))
        return cmd_blocks(argc, argv);
    return 2;
}
