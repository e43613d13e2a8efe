/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded RFC 7959 Block1 reassembly (blockwise.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockwise.h"

#define REFUSE(o, c, ...)                                                                          \
    do {                                                                                           \
        (o)->code = (c);                                                                           \
        snprintf((o)->msg, sizeof (o)->msg, __VA_ARGS__);                                          \
    } while (0)

void fd_bw_init(fd_bw_t *bw, size_t body_max)
{
    memset(bw, 0, sizeof *bw);
    bw->body_max = body_max;
    bw->expiry_ms = FD_BW_EXPIRY_MS;
}

static void drop(fd_bw_t *bw, fd_bw_upload_t *u)
{
    bw->reserved -= u->reserved;
    free(u->buf);
    memset(u, 0, sizeof *u);
}

void fd_bw_fini(fd_bw_t *bw)
{
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++)
        if (bw->up[i].used)
            drop(bw, &bw->up[i]);
}

void fd_bw_expire(fd_bw_t *bw, uint64_t now_ms)
{
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++) {
        fd_bw_upload_t *u = &bw->up[i];
        if (u->used && now_ms - u->last_ms >= bw->expiry_ms) {
            bw->expired++;
            drop(bw, u);
        }
    }
}

unsigned fd_bw_pending(const fd_bw_t *bw)
{
    unsigned n = 0;
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++)
        n += bw->up[i].used ? 1u : 0u;
    return n;
}

static int same_client(const fd_bw_key_t *a, const fd_bw_key_t *b)
{
    return a->client_len == b->client_len && !memcmp(a->client, b->client, a->client_len);
}

static int same_key(const fd_bw_key_t *a, const fd_bw_key_t *b)
{
    return same_client(a, b) && !strcmp(a->path, b->path) && a->rtag_len == b->rtag_len &&
           !memcmp(a->rtag, b->rtag, a->rtag_len);
}

static fd_bw_upload_t *find(fd_bw_t *bw, const fd_bw_key_t *key)
{
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++)
        if (bw->up[i].used && same_key(&bw->up[i].key, key))
            return &bw->up[i];
    return NULL;
}

/* Seconds until the oldest partial upload expires: when to try again. */
static uint32_t retry_after(const fd_bw_t *bw, uint64_t now_ms)
{
    uint64_t oldest = now_ms;
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++)
        if (bw->up[i].used && bw->up[i].last_ms < oldest)
            oldest = bw->up[i].last_ms;
    uint64_t left = oldest + bw->expiry_ms > now_ms ? oldest + bw->expiry_ms - now_ms : 0;
    return (uint32_t)(left / 1000u + 1u);
}

/* Hand over a copy of a body that came in one request. */
static enum fd_bw_status whole(const uint8_t *data, size_t len, fd_bw_result_t *out)
{
    out->body = malloc(len ? len : 1);
    if (!out->body) {
        REFUSE(out, 503, "out of memory");
        return FD_BW_REFUSE;
    }
    if (len)
        memcpy(out->body, data, len);
    out->len = len;
    return FD_BW_DONE;
}

/* Block 0 of an upload with more to come: check, reserve, allocate. */
static enum fd_bw_status start(fd_bw_t *bw, const fd_bw_key_t *key, size_t bsize, int has_size1,
                               uint64_t size1, const uint8_t *data, size_t len, uint64_t now_ms,
                               fd_bw_result_t *out)
{
    if (len != bsize) {
        REFUSE(out, 400, "block 0 carries %zu bytes, its Block1 option says %zu", len, bsize);
        return FD_BW_REFUSE;
    }
    if (has_size1 && size1 > bw->body_max) {
        out->size1 = (uint32_t)bw->body_max;
        REFUSE(out, 413, "body of %llu bytes (Size1) exceeds %zu", (unsigned long long)size1,
               bw->body_max);
        return FD_BW_REFUSE;
    }
    if (has_size1 && size1 <= bsize) {
        REFUSE(out, 400, "Size1 %llu does not exceed block 0 (%zu bytes) but more blocks follow",
               (unsigned long long)size1, bsize);
        return FD_BW_REFUSE;
    }
    /* an upload without Size1 may grow to the limit: count it at the limit */
    size_t reserve = has_size1 ? (size_t)size1 : bw->body_max;
    unsigned mine = 0, used = 0;
    for (unsigned i = 0; i < FD_BW_UPLOADS; i++)
        if (bw->up[i].used) {
            used++;
            mine += same_client(&bw->up[i].key, key) ? 1u : 0u;
        }
    if (mine >= FD_BW_PER_CLIENT || used >= FD_BW_UPLOADS ||
        bw->reserved + reserve > FD_BW_RESERVE_MAX) {
        bw->refused++;
        out->max_age = retry_after(bw, now_ms);
        REFUSE(out, 503, "%s: try again in %" PRIu32 " s",
               mine >= FD_BW_PER_CLIENT ? "too many partial uploads from this client"
                                        : "too many partial uploads in progress",
               out->max_age);
        return FD_BW_REFUSE;
    }
    fd_bw_upload_t *u = NULL;
    for (unsigned i = 0; !u && i < FD_BW_UPLOADS; i++)
        if (!bw->up[i].used)
            u = &bw->up[i];
    size_t cap = has_size1 ? (size_t)size1 : 4 * bsize;
    uint8_t *buf = malloc(cap);
    if (!u || !buf) {
        free(buf);
        REFUSE(out, 503, "out of memory");
        return FD_BW_REFUSE;
    }
    memset(u, 0, sizeof *u);
    u->used = 1;
    u->key = *key;
    u->buf = buf;
    u->cap = cap;
    memcpy(u->buf, data, len);
    u->len = len;
    u->size1 = has_size1 ? size1 : 0;
    u->reserved = reserve;
    bw->reserved += reserve;
    u->next_num = 1;
    u->last_len = len;
    u->last_ms = now_ms;
    bw->started++;
    return FD_BW_CONTINUE;
}

enum fd_bw_status fd_bw_receive(fd_bw_t *bw, const fd_bw_key_t *key, const fd_block_t *b1,
                                int has_size1, uint64_t size1, const uint8_t *data, size_t len,
                                uint64_t now_ms, fd_bw_result_t *out)
{
    memset(out, 0, sizeof *out);
    fd_bw_expire(bw, now_ms);
    if (!b1) {
        if (len > bw->body_max) {
            out->size1 = (uint32_t)bw->body_max;
            REFUSE(out, 413, "body of %zu bytes exceeds %zu", len, bw->body_max);
            return FD_BW_REFUSE;
        }
        return whole(data, len, out);
    }
    if (b1->szx > 6) {
        REFUSE(out, 400, "Block1 size exponent 7 (BERT) is not for UDP");
        return FD_BW_REFUSE;
    }
    size_t bsize = (size_t)16 << b1->szx;
    if (len > bsize) {
        REFUSE(out, 400, "block of %zu bytes, its Block1 option says %zu", len, bsize);
        if (b1->num) {
            fd_bw_upload_t *u = find(bw, key);
            if (u)
                drop(bw, u);
        }
        return FD_BW_REFUSE;
    }
    fd_bw_upload_t *u = find(bw, key);
    if (b1->num == 0) {
        if (u) /* the client starts over: its own earlier upload goes */
            drop(bw, u);
        if (!b1->more) {
            if (has_size1 && size1 != len) {
                REFUSE(out, 400, "body of %zu bytes, Size1 announced %llu", len,
                       (unsigned long long)size1);
                return FD_BW_REFUSE;
            }
            return whole(data, len, out);
        }
        return start(bw, key, bsize, has_size1, size1, data, len, now_ms, out);
    }
    if (!u) {
        REFUSE(out, 408, "no upload in progress for block %" PRIu32
               " (block 0 missing, or the upload expired)", b1->num);
        return FD_BW_REFUSE;
    }
    /* a retransmission of the block taken last (its answer was lost) */
    if (b1->num + 1 == u->next_num && b1->more && len == u->last_len) {
        u->last_ms = now_ms;
        return FD_BW_CONTINUE;
    }
    uint64_t offset = (uint64_t)b1->num << (b1->szx + 4);
    if (offset != u->len) {
        REFUSE(out, 408, "block %" PRIu32 " starts at byte %llu, %zu bytes received so far",
               b1->num, (unsigned long long)offset, u->len);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    if (b1->more && len != bsize) {
        REFUSE(out, 400, "block %" PRIu32 " carries %zu bytes, its Block1 option says %zu",
               b1->num, len, bsize);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    if (has_size1 && u->size1 && size1 != u->size1) {
        REFUSE(out, 400, "Size1 changed from %llu to %llu during the upload",
               (unsigned long long)u->size1, (unsigned long long)size1);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    size_t total = u->len + len;
    if (total > bw->body_max) {
        out->size1 = (uint32_t)bw->body_max;
        REFUSE(out, 413, "body exceeds %zu bytes", bw->body_max);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    if (u->size1 && total > u->size1) {
        REFUSE(out, 400, "more bytes than Size1 announced (%llu)", (unsigned long long)u->size1);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    if (total > u->cap) { /* only without Size1: grow, within body_max */
        size_t cap = u->cap * 2 < bw->body_max ? u->cap * 2 : bw->body_max;
        if (cap < total)
            cap = total;
        uint8_t *nb = realloc(u->buf, cap);
        if (!nb) {
            REFUSE(out, 503, "out of memory");
            drop(bw, u);
            return FD_BW_REFUSE;
        }
        u->buf = nb;
        u->cap = cap;
    }
    memcpy(u->buf + u->len, data, len);
    u->len = total;
    u->next_num = b1->num + 1;
    u->last_len = len;
    u->last_ms = now_ms;
    if (b1->more)
        return FD_BW_CONTINUE;
    if (u->size1 && total != u->size1) {
        REFUSE(out, 400, "body of %zu bytes, Size1 announced %llu", total,
               (unsigned long long)u->size1);
        drop(bw, u);
        return FD_BW_REFUSE;
    }
    out->body = u->buf;
    out->len = total;
    u->buf = NULL;
    drop(bw, u);
    bw->completed++;
    return FD_BW_DONE;
}
