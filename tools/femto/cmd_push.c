/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto push: upload a signed envelope to a device's /deploy over CoAP
 * with libcoap. The body goes block-wise (RFC 7959, Block1): this command
 * sends the blocks itself, one confirmable PUT per block, so it can show a
 * progress bar; the device reassembles them itself (daemon/blockwise.c).
 * coaps:// goes over DTLS with a pre-shared key (--psk FILE: one line
 * "IDENTITY HEXKEY", the identity femtod's configuration maps to a role).
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <coap3/coap.h>

#include "cmd_device.h"
#include "cmds.h"
#include "fc_deploy.h"

#define PUSH_MAX (1u << 20)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto push ENVELOPE coap[s]://HOST[:PORT][/PATH] [options]\n\n"
            "Uploads a signed envelope (femto sign) to a device's deploy resource\n"
            "(PATH, default /deploy) with CoAP PUT, block-wise. A progress bar is shown\n"
            "when stderr is a terminal. The device's answer is printed on stdout.\n\n"
            "  --block N      block size: 16, 32, 64, 128, 256, 512 or 1024 (default 1024)\n"
            "  --timeout S    seconds to wait for each block's answer (default 30;\n"
            "                 CoAP retransmits meanwhile)\n"
            "  --psk FILE     for coaps://: DTLS with the pre-shared key in FILE, one line\n"
            "                 'IDENTITY HEXKEY' (also FEMTO_PSK=FILE)\n"
            "  --quiet        no progress bar\n\n"
            "exit codes: 0 accepted (2.xx), 1 refused by the device (4.xx/5.xx: the\n"
            "code and its diagnostic on stderr), 2 usage, 3 file or network error\n");
}

static struct {
    int done, nack;
    unsigned code;
    char msg[512];
    uint8_t token[8];
} st;

static coap_response_t on_response(coap_session_t *s, const coap_pdu_t *sent,
                                   const coap_pdu_t *recv, const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    coap_bin_const_t tok = coap_pdu_get_token(recv);
    if (tok.length != sizeof st.token || memcmp(tok.s, st.token, sizeof st.token))
        return COAP_RESPONSE_OK; /* not ours (a late duplicate) */
    size_t len = 0;
    const uint8_t *data = NULL;
    st.code = (unsigned)coap_pdu_get_code(recv);
    st.msg[0] = '\0';
    if (coap_get_data(recv, &len, &data)) {
        if (len >= sizeof st.msg)
            len = sizeof st.msg - 1;
        memcpy(st.msg, data, len);
        st.msg[len] = '\0';
    }
    st.done = 1;
    return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
    (void)s, (void)sent, (void)mid;
    st.nack = (int)reason + 1;
}

static void progress(size_t done, size_t total)
{
    const int width = 40;
    int fill = total ? (int)((done * (size_t)width) / total) : width;
    fprintf(stderr, "\rpush: [");
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %3u%% %zu/%zu bytes", total ? (unsigned)(done * 100 / total) : 100u, done,
            total);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int resolve(const char *host, uint16_t port, coap_address_t *dst)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return -1;
    /* femtod listens on IPv4: prefer an IPv4 address ("localhost" often lists ::1 first) */
    struct addrinfo *ai = res;
    for (struct addrinfo *p = res; p; p = p->ai_next)
        if (p->ai_family == AF_INET) {
            ai = p;
            break;
        }
    coap_address_init(dst);
    dst->size = ai->ai_addrlen;
    memcpy(&dst->addr, ai->ai_addr, ai->ai_addrlen);
    if (ai->ai_family == AF_INET)
        dst->addr.sin.sin_port = htons(port);
    else
        dst->addr.sin6.sin6_port = htons(port);
    freeaddrinfo(res);
    return 0;
}

int fc_cmd_push(int argc, char **argv)
{
    const char *file = NULL, *url = NULL, *psk = getenv("FEMTO_PSK");
    unsigned block = 1024, timeout_s = 30;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return FEMTO_EXIT_OK;
        } else if (!strcmp(a, "--block") && v) {
            block = (unsigned)strtoul(v, NULL, 10), i++;
            if (block < 16 || block > 1024 || (block & (block - 1))) {
                fprintf(stderr, "femto push: --block takes a power of two from 16 to 1024\n");
                return FEMTO_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--timeout") && v) {
            timeout_s = (unsigned)strtoul(v, NULL, 10), i++;
        } else if (!strcmp(a, "--psk") && v) {
            psk = v, i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] != '-' && !file) {
            file = a;
        } else if (a[0] != '-' && !url) {
            url = a;
        } else {
            fprintf(stderr, "femto push: unexpected argument '%s'\n", a);
            usage(stderr);
            return FEMTO_EXIT_USAGE;
        }
    }
    if (!file || !url || timeout_s == 0) {
        usage(stderr);
        return FEMTO_EXIT_USAGE;
    }
    coap_uri_t uri;
    if (coap_split_uri((const uint8_t *)url, strlen(url), &uri) != 0 ||
        (uri.scheme != COAP_URI_SCHEME_COAP && uri.scheme != COAP_URI_SCHEME_COAPS)) {
        fprintf(stderr, "femto push: '%s' is not a coap:// or coaps:// URI\n", url);
        return FEMTO_EXIT_USAGE;
    }
    coap_dtls_cpsk_t cpsk;
    int secure = uri.scheme == COAP_URI_SCHEME_COAPS;
    if (secure && (!psk || femto_psk_load(psk, &cpsk) != 0)) {
        fprintf(stderr, "femto push: coaps:// needs --psk FILE with one line 'IDENTITY HEXKEY'%s%s\n",
                psk ? ": cannot read " : "", psk ? psk : "");
        return FEMTO_EXIT_USAGE;
    }
    char host[256], path[256];
    if (uri.host.length >= sizeof host || uri.path.length >= sizeof path) {
        fprintf(stderr, "femto push: URI too long\n");
        return FEMTO_EXIT_USAGE;
    }
    memcpy(host, uri.host.s, uri.host.length);
    host[uri.host.length] = '\0';
    if (uri.path.length)
        memcpy(path, uri.path.s, uri.path.length);
    path[uri.path.length] = '\0';
    if (!path[0])
        strcpy(path, "deploy");

    char *segs[16];
    unsigned nsegs = 0;
    for (char *save = NULL, *seg = strtok_r(path, "/", &save); seg && nsegs < 16;
         seg = strtok_r(NULL, "/", &save))
        segs[nsegs++] = seg;

    uint8_t *data = NULL;
    size_t len = 0;
    int rc = fc_deploy_read_file(file, &data, &len, PUSH_MAX);
    if (rc != FC_OK || len == 0) {
        fprintf(stderr, "femto push: cannot read %s: %s\n", file,
                rc == FC_OK ? "empty" : fc_strerror(rc));
        free(data);
        return FEMTO_EXIT_IO;
    }

    coap_startup();
    coap_set_log_level(LOG_EMERG);
    int exit_code = FEMTO_EXIT_IO;
    coap_context_t *ctx = coap_new_context(NULL);
    coap_session_t *session = NULL;
    coap_address_t dst;
    if (!ctx || resolve(host, uri.port, &dst) != 0 ||
        !(session = secure ? coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &cpsk)
                           : coap_new_client_session(ctx, NULL, &dst, COAP_PROTO_UDP))) {
        fprintf(stderr, "femto push: cannot reach %s\n", url);
        goto out;
    }
    coap_register_response_handler(ctx, on_response);
    coap_register_nack_handler(ctx, on_nack);
    coap_prng(st.token, sizeof st.token);
    int bar = !quiet && isatty(2);
    unsigned szx = 0;
    while ((16u << szx) < block)
        szx++;
    size_t nblocks = (len + block - 1) / block;
    for (size_t num = 0; num < nblocks; num++) {
        size_t off = num * block, n = len - off < block ? len - off : block;
        int more = off + n < len;
        coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_PUT,
                                        coap_new_message_id(session),
                                        coap_session_max_pdu_size(session));
        uint8_t opt[8];
        if (!pdu || !coap_add_token(pdu, sizeof st.token, st.token)) {
            fprintf(stderr, "femto push: out of memory\n");
            goto out;
        }
        /* options in ascending number: Uri-Path (11), Block1 (27), Size1 (60) */
        for (unsigned i = 0; i < nsegs; i++)
            coap_add_option(pdu, COAP_OPTION_URI_PATH, strlen(segs[i]), (const uint8_t *)segs[i]);
        unsigned bval = (unsigned)(num << 4) | (more ? 8u : 0u) | szx;
        coap_add_option(pdu, COAP_OPTION_BLOCK1, coap_encode_var_safe(opt, sizeof opt, bval), opt);
        if (num == 0 && nblocks > 1)
            coap_add_option(pdu, COAP_OPTION_SIZE1,
                            coap_encode_var_safe(opt, sizeof opt, (unsigned)len), opt);
        coap_add_data(pdu, n, data + off);
        st.done = st.nack = 0;
        if (coap_send(session, pdu) == COAP_INVALID_MID) {
            fprintf(stderr, "femto push: cannot send to %s\n", url);
            goto out;
        }
        time_t start = time(NULL);
        while (!st.done && !st.nack && time(NULL) - start < (time_t)timeout_s)
            coap_io_process(ctx, 100);
        if (!st.done) {
            if (bar)
                fputc('\n', stderr);
            fprintf(stderr, "femto push: no answer from %s (%s)\n", url,
                    st.nack == (int)COAP_NACK_TLS_FAILED + 1
                        ? "DTLS handshake failed: unknown identity or wrong key"
                    : st.nack ? "gave up after retransmissions" : "timeout");
            goto out;
        }
        unsigned cls = st.code >> 5, det = st.code & 31;
        if (more && st.code == COAP_RESPONSE_CODE(231)) {
            if (bar)
                progress(off + n, len);
            continue;
        }
        if (bar)
            progress(cls == 2 ? len : off + n, len);
        if (cls == 2 && !more) {
            printf("%u.%02u %s\n", cls, det, st.msg);
            exit_code = FEMTO_EXIT_OK;
        } else {
            fprintf(stderr, "femto push: refused: %u.%02u %s\n", cls, det, st.msg);
            exit_code = FEMTO_EXIT_FAIL;
        }
        break;
    }
out:
    if (session)
        coap_session_release(session);
    if (ctx)
        coap_free_context(ctx);
    coap_cleanup();
    free(data);
    return exit_code;
}
