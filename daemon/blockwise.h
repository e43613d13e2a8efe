/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femtod's own RFC 7959 Block1 reassembly, bounded (docs/femtod.md,
 * "Block-wise uploads"). Knows nothing of libcoap: the transport hands it
 * the decoded Block1/Size1 options and the payload of each request and
 * sends what it answers. Depends only on log.h.
 *
 * Bounds: Size1 is checked against the body limit before anything is
 * allocated; the limit is enforced again as bytes arrive (an upload
 * without Size1 is accounted at the limit); at most FD_BW_PER_CLIENT
 * partial uploads per client, FD_BW_UPLOADS in all and FD_BW_RESERVE_MAX
 * bytes reserved in all; each is dropped after expiry_ms (default
 * FD_BW_EXPIRY_MS) without a block. A full table refuses new uploads (5.03 with Max-Age) and never
 * evicts one in progress. Only received bytes are ever handed over.
 */
#ifndef FD_BLOCKWISE_H
#define FD_BLOCKWISE_H

#include <stddef.h>
#include <stdint.h>

#define FD_BW_UPLOADS      16               /* partial uploads in all */
#define FD_BW_PER_CLIENT   2                /* per client (address and port, or DTLS identity) */
#define FD_BW_RESERVE_MAX  (1024u * 1024u)  /* bytes reserved by partial uploads in all */
#define FD_BW_EXPIRY_MS    15000u           /* default: a partial upload idle this long goes */
#define FD_BW_CLIENT_MAX   64               /* bytes of a client key */
#define FD_BW_PATH_MAX     64
#define FD_BW_RTAG_MAX     8                /* Request-Tag (RFC 9175) */

/* The decoded Block1 option. */
typedef struct {
    uint32_t num;
    int more;
    unsigned szx; /* block size 16 << szx; 7 (BERT) is refused on UDP */
} fd_block_t;

/* Who sends and where: uploads are told apart by all three. */
typedef struct {
    uint8_t client[FD_BW_CLIENT_MAX];
    size_t client_len;
    char path[FD_BW_PATH_MAX];
    uint8_t rtag[FD_BW_RTAG_MAX];
    size_t rtag_len;
} fd_bw_key_t;

typedef struct {
    int used;
    fd_bw_key_t key;
    uint8_t *buf;
    size_t len, cap;     /* bytes received, bytes allocated */
    uint64_t size1;      /* announced total, 0: not announced */
    size_t reserved;     /* counted against FD_BW_RESERVE_MAX */
    uint32_t next_num;   /* the block expected next */
    size_t last_len;     /* bytes of the last block taken (a retransmission repeats it) */
    uint64_t last_ms;    /* when the last block came */
} fd_bw_upload_t;

typedef struct {
    fd_bw_upload_t up[FD_BW_UPLOADS];
    size_t reserved;  /* sum of up[].reserved */
    size_t body_max;  /* largest body taken (4.13 above) */
    uint32_t expiry_ms; /* partial uploads idle this long are dropped */
    uint64_t started, completed, refused, expired; /* counters for /stats */
} fd_bw_t;

enum fd_bw_status {
    FD_BW_DONE,     /* body complete: out->body/len (malloc'd, the caller frees it) */
    FD_BW_CONTINUE, /* answer 2.31 with Block1 echoed (num, M=1, szx) */
    FD_BW_REFUSE,   /* answer out->code with out->msg (and Size1/Max-Age when set) */
};

typedef struct {
    int code;            /* CoAP code as class*100+detail when refused */
    char msg[128];
    uint8_t *body;       /* FD_BW_DONE */
    size_t len;
    uint32_t max_age;    /* 5.03: seconds until a slot frees; 0 none */
    uint32_t size1;      /* 4.13: the largest body accepted; 0 none */
} fd_bw_result_t;

void fd_bw_init(fd_bw_t *bw, size_t body_max);
/* Free every partial upload (at stop). */
void fd_bw_fini(fd_bw_t *bw);
/* Drop uploads idle for expiry_ms at @p now_ms. */
void fd_bw_expire(fd_bw_t *bw, uint64_t now_ms);
/* Partial uploads held now. */
unsigned fd_bw_pending(const fd_bw_t *bw);

/*
 * Take one request of an upload: @p b1 is its Block1 option (NULL when it
 * has none: the payload is the whole body), @p size1 its Size1 (has_size1
 * 0 when absent), @p data/len its payload.
 */
enum fd_bw_status fd_bw_receive(fd_bw_t *bw, const fd_bw_key_t *key, const fd_block_t *b1,
                                int has_size1, uint64_t size1, const uint8_t *data, size_t len,
                                uint64_t now_ms, fd_bw_result_t *out);

#endif /* FD_BLOCKWISE_H */
