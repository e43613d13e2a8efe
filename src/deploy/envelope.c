/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Sign1 envelopes (RFC 9052 §4.2) with EdDSA (alg -8):
 *   18([ bstr .cbor {1: -8}, {4: kid}, bstr .cbor payload, bstr signature ])
 * The signature covers Sig_structure = ["Signature1", protected, h'', payload]
 * (RFC 9052 §4.4). Everything attacker-supplied is decoded by libcbor and
 * then checked field by field; anything unexpected is a format error.
 */
#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <sodium.h>

#include "fc_deploy.h"

int fc_deploy_name_ok(const char *s, size_t max)
{
    size_t n = 0;
    if (!s || s[0] == '\0' || s[0] == '.')
        return 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= max)
            return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

/* Smallest encoding of an unsigned integer, so equal messages sign equal bytes. */
static cbor_item_t *build_uint(uint64_t v)
{
    if (v <= UINT8_MAX)
        return cbor_build_uint8((uint8_t)v);
    if (v <= UINT16_MAX)
        return cbor_build_uint16((uint16_t)v);
    if (v <= UINT32_MAX)
        return cbor_build_uint32((uint32_t)v);
    return cbor_build_uint64(v);
}

static int map_put(cbor_item_t *map, uint8_t key, cbor_item_t *value)
{
    if (!value)
        return -1;
    cbor_item_t *k = cbor_build_uint8(key);
    if (!k) {
        cbor_decref(&value);
        return -1;
    }
    bool ok = cbor_map_add(map, (struct cbor_pair){ .key = cbor_move(k), .value = cbor_move(value) });
    return ok ? 0 : -1;
}

/* Serialise and drop the item; NULL on failure. */
static uint8_t *serialise(cbor_item_t *item, size_t *len)
{
    uint8_t *buf = NULL;
    size_t cap = 0;
    if (!item)
        return NULL;
    *len = cbor_serialize_alloc(item, &buf, &cap);
    cbor_decref(&item);
    if (*len == 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static uint8_t *encode_protected(size_t *len)
{
    cbor_item_t *map = cbor_new_definite_map(1);
    if (!map)
        return NULL;
    if (map_put(map, 1, cbor_build_negint8((uint8_t)(-1 - FC_DEPLOY_ALG_EDDSA))) != 0) {
        cbor_decref(&map);
        return NULL;
    }
    return serialise(map, len);
}

static uint8_t *encode_payload(const fc_deploy_msg_t *m, size_t *len)
{
    size_t n = 4 + (m->image ? 1u : 0u) + (m->nhooks ? 1u : 0u) + (m->entry[0] ? 1u : 0u);
    cbor_item_t *map = cbor_new_definite_map(n);
    if (!map)
        return NULL;
    int bad = 0;
    bad |= map_put(map, FC_DEPLOY_K_TENANT, cbor_build_string(m->tenant));
    bad |= map_put(map, FC_DEPLOY_K_NAME, cbor_build_string(m->name));
    bad |= map_put(map, FC_DEPLOY_K_SEQ, build_uint(m->seq));
    bad |= map_put(map, FC_DEPLOY_K_OP, build_uint(m->op));
    if (!bad && m->image)
        bad |= map_put(map, FC_DEPLOY_K_IMAGE, cbor_build_bytestring(m->image, m->image_len));
    if (!bad && m->nhooks) {
        cbor_item_t *arr = cbor_new_definite_array(m->nhooks);
        for (unsigned i = 0; arr && i < m->nhooks; i++) {
            cbor_item_t *s = cbor_build_string(m->hooks[i]);
            if (!s || !cbor_array_push(arr, cbor_move(s)))
                bad = -1;
        }
        bad |= map_put(map, FC_DEPLOY_K_HOOKS, arr);
    }
    if (!bad && m->entry[0])
        bad |= map_put(map, FC_DEPLOY_K_ENTRY, cbor_build_string(m->entry));
    if (bad) {
        cbor_decref(&map);
        return NULL;
    }
    return serialise(map, len);
}

/*
 * Push n freshly built items into arr and drop our references to them:
 * 0, or -1 when one of them could not be built or pushed.
 */
static int push_all(cbor_item_t *arr, cbor_item_t **items, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i] || bad || !cbor_array_push(arr, items[i]))
            bad = 1;
        if (items[i])
            cbor_decref(&items[i]);
    }
    return bad ? -1 : 0;
}

/* Sig_structure = ["Signature1", body_protected, external_aad = h'', payload] */
static const uint8_t empty[1];

static uint8_t *encode_tbs(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
                           size_t payload_len, size_t *len)
{
    cbor_item_t *arr = cbor_new_definite_array(4);
    if (!arr)
        return NULL;
    cbor_item_t *items[4] = {
        cbor_build_string("Signature1"),
        cbor_build_bytestring(prot, prot_len),
        cbor_build_bytestring(empty, 0),
        cbor_build_bytestring(payload, payload_len),
    };
    if (push_all(arr, items, 4) != 0) {
        cbor_decref(&arr);
        return NULL;
    }
    return serialise(arr, len);
}

static int msg_ok(const fc_deploy_msg_t *m)
{
    if (!fc_deploy_name_ok(m->tenant, FC_DEPLOY_NAME_MAX) ||
        !fc_deploy_name_ok(m->name, FC_DEPLOY_NAME_MAX) || m->op > FC_DEPLOY_OP_REMOVE ||
        m->nhooks > FC_DEPLOY_HOOKS_MAX)
        return 0;
    if ((m->op == FC_DEPLOY_OP_INSTALL) != (m->image != NULL && m->image_len > 0))
        return 0;
    if ((m->op == FC_DEPLOY_OP_ATTACH || m->op == FC_DEPLOY_OP_DETACH) && m->nhooks == 0)
        return 0;
    for (unsigned i = 0; i < m->nhooks; i++)
        if (!fc_deploy_name_ok(m->hooks[i], FC_DEPLOY_HOOK_MAX))
            return 0;
    if (m->entry[0] && !fc_deploy_name_ok(m->entry, FC_DEPLOY_NAME_MAX))
        return 0;
    return 1;
}

int fc_deploy_sign(const fc_deploy_msg_t *msg, const uint8_t sk[FC_DEPLOY_SK_LEN],
                   uint8_t **out, size_t *out_len)
{
    if (!msg || !sk || !out || !out_len || !msg_ok(msg))
        return FC_ERR_INVAL;
    if (sodium_init() < 0)
        return FC_ERR_NOMEM;
    int rc = FC_ERR_NOMEM;
    size_t prot_len = 0, payload_len = 0, tbs_len = 0;
    uint8_t *prot = encode_protected(&prot_len);
    uint8_t *payload = encode_payload(msg, &payload_len);
    uint8_t *tbs = (prot && payload) ? encode_tbs(prot, prot_len, payload, payload_len, &tbs_len) : NULL;
    cbor_item_t *arr = NULL, *tagged = NULL;
    uint8_t sig[FC_DEPLOY_SIG_LEN];
    if (!tbs)
        goto out;
    crypto_sign_detached(sig, NULL, tbs, tbs_len, sk);

    arr = cbor_new_definite_array(4);
    cbor_item_t *unprot = cbor_new_definite_map(1);
    if (!arr || !unprot ||
        map_put(unprot, 4, cbor_build_bytestring((const uint8_t *)msg->tenant, strlen(msg->tenant))) != 0) {
        if (unprot)
            cbor_decref(&unprot);
        goto out;
    }
    cbor_item_t *items[4] = {
        cbor_build_bytestring(prot, prot_len),
        unprot,
        cbor_build_bytestring(payload, payload_len),
        cbor_build_bytestring(sig, sizeof sig),
    };
    if (push_all(arr, items, 4) != 0)
        goto out;
    tagged = cbor_build_tag(FC_DEPLOY_TAG_SIGN1, arr);
    if (!tagged)
        goto out;
    *out = serialise(tagged, out_len);
    tagged = NULL;
    rc = *out ? FC_OK : FC_ERR_NOMEM;
out:
    if (arr)
        cbor_decref(&arr);
    if (tagged)
        cbor_decref(&tagged);
    free(prot);
    free(payload);
    free(tbs);
    return rc;
}

static int copy_text(const cbor_item_t *it, char *dst, size_t max)
{
    if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
        return -1;
    size_t n = cbor_string_length(it);
    if (n > max)
        return -1;
    memcpy(dst, cbor_string_handle(it), n);
    dst[n] = '\0';
    if (strlen(dst) != n)
        return -1; /* embedded NUL */
    return 0;
}

static int get_uint(const cbor_item_t *it, uint64_t *v)
{
    if (!cbor_isa_uint(it))
        return -1;
    *v = cbor_get_int(it);
    return 0;
}

/*
 * Well-formedness pre-scan with libcbor's streaming decoder, before any
 * cbor_load(): libcbor's builder allocates a definite array, map or string
 * of the size its header claims before reading it (a 9-byte input could
 * ask for gigabytes), and frees nested items recursively. So every
 * definite collection must fit in the bytes left, nesting is bounded, and
 * the input must be exactly one item. Also returns the top-level tag:
 * libcbor 0.8's cbor_load() refuses tagged items, so the caller strips it
 * and loads what follows.
 */
#define SCAN_DEPTH 8
#define SCAN_INDEF UINT64_MAX

enum scan_kind { SCAN_LEAF, SCAN_COLL, SCAN_INDEF_START, SCAN_BREAK, SCAN_TAG };

typedef struct {
    enum scan_kind kind;
    uint64_t n; /* items in a definite collection, or the tag's value */
} scan_event_t;

static void ev_leaf8(void *c, uint8_t v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_leaf16(void *c, uint16_t v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_leaf32(void *c, uint32_t v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_leaf64(void *c, uint64_t v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_leaf(void *c) { ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_str(void *c, cbor_data d, size_t n) { (void)d, (void)n; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_f(void *c, float v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_d(void *c, double v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_b(void *c, bool v) { (void)v; ((scan_event_t *)c)->kind = SCAN_LEAF; }
static void ev_indef(void *c) { ((scan_event_t *)c)->kind = SCAN_INDEF_START; }
static void ev_break(void *c) { ((scan_event_t *)c)->kind = SCAN_BREAK; }

static void ev_array(void *c, size_t n)
{
    ((scan_event_t *)c)->kind = SCAN_COLL;
    ((scan_event_t *)c)->n = n;
}

static void ev_map(void *c, size_t n)
{
    ((scan_event_t *)c)->kind = SCAN_COLL;
    /* a map of n pairs holds 2n items; n <= SIZE_MAX / 2 or it cannot fit anyway */
    ((scan_event_t *)c)->n = n > SIZE_MAX / 2 ? UINT64_MAX - 1 : 2u * (uint64_t)n;
}

static void ev_tag(void *c, uint64_t v)
{
    ((scan_event_t *)c)->kind = SCAN_TAG;
    ((scan_event_t *)c)->n = v;
}

static const struct cbor_callbacks scan_callbacks = {
    .uint8 = ev_leaf8, .uint16 = ev_leaf16, .uint32 = ev_leaf32, .uint64 = ev_leaf64,
    .negint8 = ev_leaf8, .negint16 = ev_leaf16, .negint32 = ev_leaf32, .negint64 = ev_leaf64,
    .byte_string_start = ev_indef, .byte_string = ev_str,
    .string_start = ev_indef, .string = ev_str,
    .indef_array_start = ev_indef, .array_start = ev_array,
    .indef_map_start = ev_indef, .map_start = ev_map,
    .tag = ev_tag,
    .float2 = ev_f, .float4 = ev_f, .float8 = ev_d,
    .undefined = ev_leaf, .null = ev_leaf, .boolean = ev_b,
    .indef_break = ev_break,
};

/*
 * 0 when @p buf is exactly one well-formed, bounded item. *tag_len is the
 * length of a top-level tag's header (0 without one), *tag its value.
 */
static int prescan(const uint8_t *buf, size_t len, size_t *tag_len, uint64_t *tag)
{
    uint64_t left[SCAN_DEPTH]; /* items left in each open collection */
    unsigned depth = 0;
    int done = 0;
    size_t pos = 0;
    *tag_len = 0;
    *tag = 0;
    while (pos < len) {
        if (done)
            return -1; /* trailing bytes */
        scan_event_t ev = { SCAN_LEAF, 0 };
        struct cbor_decoder_result r = cbor_stream_decode(buf + pos, len - pos, &scan_callbacks, &ev);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0)
            return -1;
        if (ev.kind == SCAN_TAG && pos == 0) {
            *tag_len = r.read;
            *tag = ev.n;
        }
        pos += r.read;
        int consumed = 0;
        switch (ev.kind) {
        case SCAN_LEAF:
            consumed = 1;
            break;
        case SCAN_COLL:
            if (ev.n > len - pos)
                return -1; /* claims more items than bytes left */
            if (ev.n == 0) {
                consumed = 1;
                break;
            }
            /* fall through */
        case SCAN_INDEF_START:
        case SCAN_TAG:
            if (depth == SCAN_DEPTH)
                return -1;
            left[depth++] = ev.kind == SCAN_INDEF_START ? SCAN_INDEF : ev.kind == SCAN_TAG ? 1 : ev.n;
            break;
        case SCAN_BREAK:
            if (depth == 0 || left[depth - 1] != SCAN_INDEF)
                return -1;
            depth--;
            consumed = 1;
            break;
        }
        /* a finished item completes the collections it was the last item of */
        while (consumed) {
            if (depth == 0) {
                done = 1;
                break;
            }
            if (left[depth - 1] == SCAN_INDEF)
                break;
            if (--left[depth - 1] > 0)
                break;
            depth--;
        }
    }
    return done ? 0 : -1;
}

/* cbor_load() of a pre-scanned, untagged item; NULL on any failure. */
static cbor_item_t *load(const uint8_t *buf, size_t len, int *rc)
{
    struct cbor_load_result res;
    size_t tag_len;
    uint64_t tag;
    *rc = FC_ERR_FORMAT;
    if (prescan(buf, len, &tag_len, &tag) != 0 || tag_len != 0)
        return NULL;
    cbor_item_t *it = cbor_load(buf, len, &res);
    if (!it) {
        if (res.error.code == CBOR_ERR_MEMERROR)
            *rc = FC_ERR_NOMEM;
        return NULL;
    }
    if (res.read != len) {
        cbor_decref(&it);
        return NULL;
    }
    *rc = FC_OK;
    return it;
}

/* Decode and check the signed payload map into @p m. */
static int decode_payload(const uint8_t *buf, size_t len, fc_deploy_msg_t *m)
{
    int rc;
    unsigned seen = 0;
    cbor_item_t *map = load(buf, len, &rc);
    if (!map)
        return rc;
    rc = FC_ERR_FORMAT;
    if (!cbor_isa_map(map) || !cbor_map_is_definite(map))
        goto out;
    struct cbor_pair *pairs = cbor_map_handle(map);
    for (size_t i = 0; i < cbor_map_size(map); i++) {
        uint64_t key, v;
        if (get_uint(pairs[i].key, &key) != 0 || key < 1 || key > 7 || (seen & (1u << key)))
            goto out; /* unknown or repeated key */
        seen |= 1u << key;
        const cbor_item_t *val = pairs[i].value;
        switch (key) {
        case FC_DEPLOY_K_TENANT:
            if (copy_text(val, m->tenant, FC_DEPLOY_NAME_MAX) != 0)
                goto out;
            break;
        case FC_DEPLOY_K_NAME:
            if (copy_text(val, m->name, FC_DEPLOY_NAME_MAX) != 0)
                goto out;
            break;
        case FC_DEPLOY_K_ENTRY:
            if (copy_text(val, m->entry, FC_DEPLOY_NAME_MAX) != 0)
                goto out;
            break;
        case FC_DEPLOY_K_SEQ:
            if (get_uint(val, &m->seq) != 0)
                goto out;
            break;
        case FC_DEPLOY_K_OP:
            if (get_uint(val, &v) != 0 || v > FC_DEPLOY_OP_REMOVE)
                goto out;
            m->op = (unsigned)v;
            break;
        case FC_DEPLOY_K_IMAGE: {
            if (!cbor_isa_bytestring(val) || !cbor_bytestring_is_definite(val))
                goto out;
            size_t n = cbor_bytestring_length(val);
            if (n == 0)
                goto out;
            m->image = malloc(n);
            if (!m->image) {
                rc = FC_ERR_NOMEM;
                goto out;
            }
            memcpy(m->image, cbor_bytestring_handle(val), n);
            m->image_len = n;
            break;
        }
        case FC_DEPLOY_K_HOOKS: {
            if (!cbor_isa_array(val) || !cbor_array_is_definite(val) ||
                cbor_array_size(val) > FC_DEPLOY_HOOKS_MAX)
                goto out;
            cbor_item_t **hs = cbor_array_handle(val);
            for (size_t j = 0; j < cbor_array_size(val); j++)
                if (copy_text(hs[j], m->hooks[j], FC_DEPLOY_HOOK_MAX) != 0)
                    goto out;
            m->nhooks = (unsigned)cbor_array_size(val);
            break;
        }
        default:
            goto out;
        }
    }
    /* tenant, name, seq and op are mandatory */
    if ((seen & 0x1e) != 0x1e || !msg_ok(m))
        goto out;
    rc = FC_OK;
out:
    cbor_decref(&map);
    return rc;
}

static int check_protected(const uint8_t *buf, size_t len)
{
    int rc;
    cbor_item_t *map = load(buf, len, &rc);
    if (!map)
        return FC_ERR_FORMAT;
    rc = FC_ERR_FORMAT;
    if (cbor_isa_map(map) && cbor_map_is_definite(map) && cbor_map_size(map) == 1) {
        struct cbor_pair *p = cbor_map_handle(map);
        if (cbor_isa_uint(p[0].key) && cbor_get_int(p[0].key) == 1) {
            if (cbor_isa_negint(p[0].value) && cbor_get_int(p[0].value) == (uint64_t)(-1 - FC_DEPLOY_ALG_EDDSA))
                rc = FC_OK;
            else
                rc = FC_ERR_NOTSUP;
        }
    }
    cbor_decref(&map);
    return rc;
}

static const cbor_item_t *definite_bstr(const cbor_item_t *it)
{
    return (cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it)) ? it : NULL;
}

int fc_deploy_parse(fc_deploy_env_t *env, const uint8_t *buf, size_t len)
{
    if (!env)
        return FC_ERR_INVAL;
    memset(env, 0, sizeof *env);
    if (!buf || len == 0)
        return FC_ERR_FORMAT;
    /* the COSE_Sign1 tag is optional (RFC 9052 §2), any other tag is not */
    /* libcbor 0.8 takes the one-byte tag heads 0xc6..0xd4 for unassigned and
     * refuses them, and 0xd2 is how tag 18 is written: that byte is read here,
     * the rest (including the two-byte form 0xd8 0x12) by libcbor. */
    size_t skip = buf[0] == 0xc0u + FC_DEPLOY_TAG_SIGN1 ? 1u : 0u;
    size_t tag_len;
    uint64_t tag;
    if (len == skip || prescan(buf + skip, len - skip, &tag_len, &tag) != 0 ||
        (tag_len && (skip || tag != FC_DEPLOY_TAG_SIGN1)))
        return FC_ERR_FORMAT;
    skip += tag_len;
    int rc;
    cbor_item_t *arr = load(buf + skip, len - skip, &rc);
    if (!arr)
        return rc;
    rc = FC_ERR_FORMAT;
    if (!cbor_isa_array(arr) || !cbor_array_is_definite(arr) || cbor_array_size(arr) != 4)
        goto out;
    cbor_item_t **it = cbor_array_handle(arr);
    const cbor_item_t *prot = definite_bstr(it[0]);
    const cbor_item_t *payload = definite_bstr(it[2]);
    const cbor_item_t *sig = definite_bstr(it[3]);
    if (!prot || !payload || !sig || !cbor_isa_map(it[1]) ||
        cbor_bytestring_length(sig) != FC_DEPLOY_SIG_LEN)
        goto out;
    rc = check_protected(cbor_bytestring_handle(prot), cbor_bytestring_length(prot));
    if (rc != FC_OK)
        goto out;
    rc = decode_payload(cbor_bytestring_handle(payload), cbor_bytestring_length(payload), &env->msg);
    if (rc != FC_OK)
        goto out;
    env->tbs = encode_tbs(cbor_bytestring_handle(prot), cbor_bytestring_length(prot),
                          cbor_bytestring_handle(payload), cbor_bytestring_length(payload),
                          &env->tbs_len);
    if (!env->tbs) {
        rc = FC_ERR_NOMEM;
        goto out;
    }
    memcpy(env->sig, cbor_bytestring_handle(sig), FC_DEPLOY_SIG_LEN);
    rc = FC_OK;
out:
    cbor_decref(&arr);
    if (rc != FC_OK)
        fc_deploy_env_free(env);
    return rc;
}

int fc_deploy_check(const fc_deploy_env_t *env, const uint8_t pk[FC_DEPLOY_PK_LEN])
{
    if (!env || !env->tbs || !pk || sodium_init() < 0)
        return FC_ERR_SIGNATURE;
    return crypto_sign_verify_detached(env->sig, env->tbs, env->tbs_len, pk) == 0
               ? FC_OK : FC_ERR_SIGNATURE;
}

void fc_deploy_env_free(fc_deploy_env_t *env)
{
    if (!env)
        return;
    free(env->msg.image);
    free(env->tbs);
    memset(env, 0, sizeof *env);
}
