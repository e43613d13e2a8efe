/* SPDX-License-Identifier: Apache-2.0 */
/*
 * src/deploy/rules.c: names, request shapes, the sequence table (against a
 * reference model over random operations) and the CoAP code of each error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fc_deploy_rules.h"

#define CODE(c, d) ((unsigned)((c) << 5 | (d)))

static void test_names(void **state)
{
    (void)state;
    char max[FC_DEPLOY_NAME_MAX + 2];
    memset(max, 'a', sizeof max);
    assert_int_equal(fc_deploy_name_valid("alice", 5, FC_DEPLOY_NAME_MAX), 1);
    assert_int_equal(fc_deploy_name_valid("A-z_0.9", 7, FC_DEPLOY_NAME_MAX), 1);
    assert_int_equal(fc_deploy_name_valid(max, FC_DEPLOY_NAME_MAX, FC_DEPLOY_NAME_MAX), 1);
    assert_int_equal(fc_deploy_name_valid(max, FC_DEPLOY_NAME_MAX + 1, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid("", 0, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid(NULL, 3, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid(".hidden", 7, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid("a/b", 3, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid("a b", 3, FC_DEPLOY_NAME_MAX), 0);
    /* not NUL-terminated: only len bytes count */
    assert_int_equal(fc_deploy_name_valid("abc/", 3, FC_DEPLOY_NAME_MAX), 1);
    assert_int_equal(fc_deploy_name_valid("a\0b", 3, FC_DEPLOY_NAME_MAX), 0);
    assert_int_equal(fc_deploy_name_valid("sched_switch64", 14, FC_DEPLOY_HOOK_MAX), 1);
    assert_int_equal(fc_deploy_name_valid("sched_switch_bpf", 16, FC_DEPLOY_HOOK_MAX), 0);
}

static void test_requests(void **state)
{
    (void)state;
    assert_int_equal(fc_deploy_request_check(FC_DEPLOY_OP_INSTALL, 1, 0), FC_OK);
    assert_int_equal(fc_deploy_request_check(FC_DEPLOY_OP_INSTALL, 1, FC_DEPLOY_HOOKS_MAX), FC_OK);
    assert_int_equal(fc_deploy_request_check(FC_DEPLOY_OP_INSTALL, 0, 1), FC_ERR_FORMAT);
    assert_int_equal(fc_deploy_request_check(FC_DEPLOY_OP_INSTALL, 1, FC_DEPLOY_HOOKS_MAX + 1),
                     FC_ERR_FORMAT);
    for (unsigned op = FC_DEPLOY_OP_ATTACH; op <= FC_DEPLOY_OP_REMOVE; op++) {
        assert_int_equal(fc_deploy_request_check(op, 0, 1), FC_OK);
        assert_int_equal(fc_deploy_request_check(op, 1, 1), FC_ERR_FORMAT);
    }
    assert_int_equal(fc_deploy_request_check(FC_DEPLOY_OP_REMOVE + 1, 0, 0), FC_ERR_FORMAT);
}

static void test_seq_table(void **state)
{
    (void)state;
    fc_deploy_seq_t tab[2];
    uint32_t n = 0;
    memset(tab, 0, sizeof tab);
    assert_int_equal(fc_deploy_seq_admit(tab, n, "tc", 0), FC_OK); /* never seen: anything */
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, "tc", 5), FC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(fc_deploy_seq_admit(tab, n, "tc", 5), FC_ERR_REPLAY);
    assert_int_equal(fc_deploy_seq_admit(tab, n, "tc", 4), FC_ERR_REPLAY);
    assert_int_equal(fc_deploy_seq_admit(tab, n, "tc", 6), FC_OK);
    assert_int_equal(fc_deploy_seq_admit(tab, n, "tc2", 1), FC_OK); /* names are apart */
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, "tc2", 1), FC_OK);
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, "x", 1), FC_ERR_FULL);
    assert_int_equal(n, 2);
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, "tc", 9), FC_OK); /* overwrite: no room needed */
    assert_int_equal(fc_deploy_seq_find(tab, n, "tc")->seq, 9);
    assert_null(fc_deploy_seq_find(tab, n, "t"));
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, ".bad", 1), FC_ERR_INVAL);
    char longname[FC_DEPLOY_NAME_MAX + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(fc_deploy_seq_record(tab, 2, &n, longname, 1), FC_ERR_INVAL);
    assert_null(fc_deploy_seq_find(tab, n, longname));
}

/* the table against a model: per name the highest recorded seq, over random operations */
static void test_seq_model(void **state)
{
    (void)state;
    enum { NAMES = 6, CAP = 4 };
    fc_deploy_seq_t tab[CAP];
    uint64_t model[NAMES];
    int known[NAMES] = { 0 };
    uint32_t n = 0, x = 12345, used = 0;
    memset(tab, 0, sizeof tab);
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        unsigned k = x % NAMES;
        uint64_t seq = (x >> 8) % 50;
        char name[8];
        snprintf(name, sizeof name, "c%u", k);
        int admit = fc_deploy_seq_admit(tab, n, name, seq);
        assert_int_equal(admit, !known[k] || seq > model[k] ? FC_OK : FC_ERR_REPLAY);
        if (admit == FC_OK) {
            int rec = fc_deploy_seq_record(tab, CAP, &n, name, seq);
            if (!known[k] && used == CAP) {
                assert_int_equal(rec, FC_ERR_FULL);
                continue;
            }
            assert_int_equal(rec, FC_OK);
            used += !known[k];
            known[k] = 1;
            model[k] = seq;
        }
        assert_int_equal(n, used);
    }
}

static void test_coap_codes(void **state)
{
    (void)state;
    assert_int_equal(fc_deploy_coap_code(FC_ERR_FORMAT), CODE(4, 0));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_NOTSUP), CODE(4, 0));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_TENANT), CODE(4, 1));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_SIGNATURE), CODE(4, 1));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_PERM), CODE(4, 3));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_NOENT), CODE(4, 4));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_REPLAY), CODE(4, 9));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_BUSY), CODE(4, 9));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_NOMEM), CODE(4, 13));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_HELPER_PERM), CODE(4, 22));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_IMG_CHECKSUM), CODE(4, 22));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_FULL), CODE(5, 3));
    assert_int_equal(fc_deploy_coap_code(FC_ERR_IO), CODE(5, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),      cmocka_unit_test(test_requests),
        cmocka_unit_test(test_seq_table),  cmocka_unit_test(test_seq_model),
        cmocka_unit_test(test_coap_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
