/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fc_deploy: sign -> parse -> check round trips for every operation, and
 * every way an attacker-supplied envelope can be wrong: each flipped byte,
 * each truncation, a wrong key, another algorithm, garbage, deep nesting.
 * Nothing may crash (run under ASan/UBSan too) and nothing wrong may pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "fc_deploy.h"

static uint8_t pk[FC_DEPLOY_PK_LEN], sk[FC_DEPLOY_SK_LEN];
static uint8_t pk2[FC_DEPLOY_PK_LEN], sk2[FC_DEPLOY_SK_LEN];
static uint8_t image[300];

static void make_msg(fc_deploy_msg_t *m, unsigned op)
{
    memset(m, 0, sizeof *m);
    strcpy(m->tenant, "alice");
    strcpy(m->name, "counter");
    m->seq = 0x1234567890ull;
    m->op = op;
    if (op == FC_DEPLOY_OP_INSTALL) {
        m->image = image;
        m->image_len = sizeof image;
        strcpy(m->entry, "thread_counter");
    }
    if (op != FC_DEPLOY_OP_REMOVE) {
        strcpy(m->hooks[0], "sched");
        strcpy(m->hooks[1], "timer");
        m->nhooks = 2;
    }
}

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof image; i++)
        image[i] = (uint8_t)(i * 7 + 3);
    if (fc_deploy_keygen(pk, sk) != FC_OK || fc_deploy_keygen(pk2, sk2) != FC_OK)
        return -1;
    return 0;
}

static void sign_msg(const fc_deploy_msg_t *m, uint8_t **env, size_t *len)
{
    assert_int_equal(fc_deploy_sign(m, sk, env, len), FC_OK);
    assert_non_null(*env);
    assert_true(*len > 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (unsigned op = FC_DEPLOY_OP_INSTALL; op <= FC_DEPLOY_OP_REMOVE; op++) {
        fc_deploy_msg_t m;
        make_msg(&m, op);
        uint8_t *env;
        size_t len;
        sign_msg(&m, &env, &len);
        /* tagged COSE_Sign1: tag 18 then an array of 4 */
        assert_int_equal(env[0], 0xd2);
        assert_int_equal(env[1], 0x84);
        fc_deploy_env_t e;
        assert_int_equal(fc_deploy_parse(&e, env, len), FC_OK);
        assert_int_equal(fc_deploy_check(&e, pk), FC_OK);
        assert_string_equal(e.msg.tenant, "alice");
        assert_string_equal(e.msg.name, "counter");
        assert_true(e.msg.seq == 0x1234567890ull);
        assert_int_equal(e.msg.op, op);
        assert_int_equal(e.msg.nhooks, m.nhooks);
        for (unsigned i = 0; i < m.nhooks; i++)
            assert_string_equal(e.msg.hooks[i], m.hooks[i]);
        assert_string_equal(e.msg.entry, m.entry);
        if (op == FC_DEPLOY_OP_INSTALL) {
            assert_int_equal(e.msg.image_len, sizeof image);
            assert_memory_equal(e.msg.image, image, sizeof image);
        } else {
            assert_null(e.msg.image);
        }
        /* the other tenant's key does not verify it */
        assert_int_equal(fc_deploy_check(&e, pk2), FC_ERR_SIGNATURE);
        fc_deploy_env_free(&e);
        assert_null(e.tbs);
        free(env);
    }
}

/* Signing is deterministic (Ed25519, minimal CBOR): same message, same bytes. */
static void test_deterministic(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    make_msg(&m, FC_DEPLOY_OP_INSTALL);
    uint8_t *a, *b;
    size_t la, lb;
    sign_msg(&m, &a, &la);
    sign_msg(&m, &b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

/* Every single flipped byte is refused: by the parser or by the signature. */
static void test_every_byte_tampered(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    make_msg(&m, FC_DEPLOY_OP_INSTALL);
    uint8_t *env;
    size_t len;
    sign_msg(&m, &env, &len);
    unsigned esig = 0, eformat = 0;
    for (size_t i = 0; i < len; i++) {
        for (unsigned bit = 0; bit < 8; bit += 7) {
            env[i] ^= (uint8_t)(1u << bit);
            fc_deploy_env_t e;
            int rc = fc_deploy_parse(&e, env, len);
            if (rc == FC_OK) {
                rc = fc_deploy_check(&e, pk);
                /* the unprotected kid is not signed: flipping it alone is harmless,
                 * and whatever verifies is exactly what was signed */
                if (rc == FC_OK) {
                    assert_string_equal(e.msg.tenant, "alice");
                    assert_int_equal(e.msg.image_len, sizeof image);
                    assert_memory_equal(e.msg.image, image, sizeof image);
                } else {
                    esig++;
                }
                fc_deploy_env_free(&e);
            } else {
                assert_true(rc == FC_ERR_FORMAT || rc == FC_ERR_NOTSUP);
                assert_null(e.tbs);
                assert_null(e.msg.image);
                eformat++;
            }
            env[i] ^= (uint8_t)(1u << bit);
        }
    }
    /* a flipped image byte parses and must fail the signature */
    assert_true(esig >= sizeof image);
    assert_true(eformat > 0);
    free(env);
}

static void test_image_byte_tampered(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    make_msg(&m, FC_DEPLOY_OP_INSTALL);
    uint8_t *env;
    size_t len;
    sign_msg(&m, &env, &len);
    /* the image is the payload's bstr: find it and change its last byte */
    uint8_t *p = NULL;
    for (size_t i = 0; i + sizeof image <= len; i++)
        if (!memcmp(env + i, image, sizeof image))
            p = env + i;
    assert_non_null(p);
    p[sizeof image - 1] ^= 0x55;
    fc_deploy_env_t e;
    assert_int_equal(fc_deploy_parse(&e, env, len), FC_OK);
    assert_int_equal(fc_deploy_check(&e, pk), FC_ERR_SIGNATURE);
    fc_deploy_env_free(&e);
    free(env);
}

static void test_truncated(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    make_msg(&m, FC_DEPLOY_OP_INSTALL);
    uint8_t *env;
    size_t len;
    sign_msg(&m, &env, &len);
    for (size_t n = 0; n < len; n++) {
        /* a copy of exactly n bytes, so ASan sees any read past the end */
        uint8_t *cut = malloc(n ? n : 1);
        assert_non_null(cut);
        memcpy(cut, env, n);
        fc_deploy_env_t e;
        assert_int_equal(fc_deploy_parse(&e, cut, n), FC_ERR_FORMAT);
        free(cut);
    }
    /* trailing bytes after a valid envelope are refused too */
    uint8_t *longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, env, len);
    longer[len] = 0;
    fc_deploy_env_t e;
    assert_int_equal(fc_deploy_parse(&e, longer, len + 1), FC_ERR_FORMAT);
    free(longer);
    free(env);
}

static void test_garbage(void **state)
{
    (void)state;
    static const uint8_t samples[][12] = {
        { 0xff },                               /* break outside indefinite */
        { 0xd2, 0x80 },                         /* tag 18, empty array */
        { 0xd3, 0x84, 0x40, 0xa0, 0x40, 0x40 }, /* tag 19 */
        { 0x84, 0x40, 0xa0, 0x40, 0x40 },       /* untagged, empty fields */
        { 0x9f, 0x40, 0xa0, 0x40, 0x40, 0xff }, /* indefinite array */
        { 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, /* huge bstr length */
        { 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, /* huge array length */
        { 0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 }, /* 4G-pair map */
        { 0x61, 0x41 },                         /* a text string */
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        fc_deploy_env_t e;
        int rc = fc_deploy_parse(&e, samples[i], 9);
        assert_true(rc == FC_ERR_FORMAT || rc == FC_ERR_NOMEM);
        assert_null(e.tbs);
    }
    /* pseudo-random bytes, starting like an envelope half of the time */
    uint32_t x = 0x12345678;
    uint8_t buf[256];
    for (int round = 0; round < 20000; round++) {
        size_t n = 1 + (size_t)(round % 255);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            buf[i] = (uint8_t)x;
        }
        if (round & 1) {
            buf[0] = 0xd2;
            if (n > 1)
                buf[1] = 0x84;
        }
        fc_deploy_env_t e;
        int rc = fc_deploy_parse(&e, buf, n);
        if (rc == FC_OK) {
            assert_int_equal(fc_deploy_check(&e, pk), FC_ERR_SIGNATURE);
            fc_deploy_env_free(&e);
        }
    }
    fc_deploy_env_t e;
    assert_int_equal(fc_deploy_parse(&e, NULL, 0), FC_ERR_FORMAT);
    assert_int_equal(fc_deploy_parse(NULL, buf, 1), FC_ERR_INVAL);
}

/* Deeply nested arrays must not exhaust the stack of a daemon fed by the network. */
static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 20000;
    uint8_t *buf = malloc(depth + 1);
    assert_non_null(buf);
    memset(buf, 0x81, depth);
    buf[depth] = 0x00;
    fc_deploy_env_t e;
    assert_int_equal(fc_deploy_parse(&e, buf, depth + 1), FC_ERR_FORMAT);
    free(buf);
}

/* Another algorithm in the protected header: EALG, whatever the signature. */
static void test_other_alg(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    make_msg(&m, FC_DEPLOY_OP_REMOVE);
    uint8_t *env;
    size_t len;
    sign_msg(&m, &env, &len);
    /* d2 84 43 a1 01 27: protected = {1: -8}; make it {1: -7} (ES256) */
    assert_int_equal(env[5], 0x27);
    env[5] = 0x26;
    fc_deploy_env_t e;
    assert_int_equal(fc_deploy_parse(&e, env, len), FC_ERR_NOTSUP);
    free(env);
}

static void test_sign_refuses_bad_messages(void **state)
{
    (void)state;
    fc_deploy_msg_t m;
    uint8_t *env = NULL;
    size_t len = 0;
    make_msg(&m, FC_DEPLOY_OP_INSTALL);
    m.image = NULL; /* install without image */
    assert_int_equal(fc_deploy_sign(&m, sk, &env, &len), FC_ERR_INVAL);
    make_msg(&m, FC_DEPLOY_OP_ATTACH);
    m.nhooks = 0; /* attach without hooks */
    assert_int_equal(fc_deploy_sign(&m, sk, &env, &len), FC_ERR_INVAL);
    make_msg(&m, FC_DEPLOY_OP_REMOVE);
    strcpy(m.tenant, "../etc"); /* path characters */
    assert_int_equal(fc_deploy_sign(&m, sk, &env, &len), FC_ERR_INVAL);
    make_msg(&m, FC_DEPLOY_OP_REMOVE);
    m.op = 9;
    assert_int_equal(fc_deploy_sign(&m, sk, &env, &len), FC_ERR_INVAL);
    assert_null(env);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(fc_deploy_name_ok("a", 31));
    assert_true(fc_deploy_name_ok("Alice_2.v-1", 31));
    assert_false(fc_deploy_name_ok("", 31));
    assert_false(fc_deploy_name_ok(".hidden", 31));
    assert_false(fc_deploy_name_ok("a/b", 31));
    assert_false(fc_deploy_name_ok("a b", 31));
    assert_true(fc_deploy_name_ok("0123456789abcdef", 16));
    assert_false(fc_deploy_name_ok("0123456789abcdefg", 16));
}

static void test_key_files(void **state)
{
    (void)state;
    const char *dir = getenv("FC_TEST_TMP");
    char path[512], file[600];
    snprintf(path, sizeof path, "%s/test_deploy_key", dir ? dir : ".");
    assert_int_equal(fc_deploy_key_save(path, sk), FC_OK);
    snprintf(file, sizeof file, "%s.key", path);
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    uint8_t sk_back[FC_DEPLOY_SK_LEN], pk_back[FC_DEPLOY_PK_LEN];
    assert_int_equal(fc_deploy_key_load_secret(file, sk_back), FC_OK);
    assert_memory_equal(sk_back, sk, sizeof sk);
    snprintf(file, sizeof file, "%s.pub", path);
    assert_int_equal(fc_deploy_key_load_public(file, pk_back), FC_OK);
    assert_memory_equal(pk_back, pk, sizeof pk);
    /* hex text works as well as a file */
    char hex[2 * FC_DEPLOY_PK_LEN + 1];
    for (size_t i = 0; i < FC_DEPLOY_PK_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", pk[i]);
    memset(pk_back, 0, sizeof pk_back);
    assert_int_equal(fc_deploy_key_load_public(hex, pk_back), FC_OK);
    assert_memory_equal(pk_back, pk, sizeof pk);
    hex[10] = 'g';
    assert_int_equal(fc_deploy_key_load_public(hex, pk_back), FC_ERR_IO);
    assert_int_equal(fc_deploy_key_load_secret("/nonexistent/x.key", sk_back), FC_ERR_IO);
    /* a public key file is 32 bytes of hex: as a secret it is a seed, so test a short one */
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("abcd\n", f);
    fclose(f);
    assert_int_equal(fc_deploy_key_load_public(file, pk_back), FC_ERR_FORMAT);
    assert_int_equal(fc_deploy_key_load_secret(file, sk_back), FC_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_every_byte_tampered),
        cmocka_unit_test(test_image_byte_tampered),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_other_alg),
        cmocka_unit_test(test_sign_refuses_bad_messages),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_key_files),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
