/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The part of cmocka's API the core's tests use (assert_int_equal,
 * assert_non_null, assert_true/false, cmocka_unit_test,
 * cmocka_run_group_tests), for scripts/bigendian.sh: Debian ships no cmocka
 * for the big-endian cross target. A failed assertion prints where and ends
 * the test; the group returns the number of failed tests, as cmocka does.
 */
#ifndef FC_BE_CMOCKA_H
#define FC_BE_CMOCKA_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

struct CMUnitTest {
    const char *name;
    void (*fn)(void **state);
};

static jmp_buf be_cmocka_jump;

static void be_cmocka_fail(const char *file, int line, const char *what,
                           long long a, long long b)
{
    printf("FAIL %s:%d: %s (%lld vs %lld)\n", file, line, what, a, b);
    longjmp(be_cmocka_jump, 1);
}

#define cmocka_unit_test(f) { #f, f }
#define assert_int_equal(a, b)                                                         \
    do {                                                                               \
        long long be_a_ = (long long)(a), be_b_ = (long long)(b);                      \
        if (be_a_ != be_b_)                                                            \
            be_cmocka_fail(__FILE__, __LINE__, #a " == " #b, be_a_, be_b_);            \
    } while (0)
#define assert_int_not_equal(a, b)                                                     \
    do {                                                                               \
        long long be_a_ = (long long)(a), be_b_ = (long long)(b);                      \
        if (be_a_ == be_b_)                                                            \
            be_cmocka_fail(__FILE__, __LINE__, #a " != " #b, be_a_, be_b_);            \
    } while (0)
#define assert_true(c)                                                                 \
    do {                                                                               \
        if (!(c))                                                                      \
            be_cmocka_fail(__FILE__, __LINE__, #c, 0, 1);                              \
    } while (0)
#define assert_false(c) assert_true(!(c))
#define assert_non_null(p) assert_true((p) != NULL)
#define assert_null(p) assert_true((p) == NULL)

/* setjmp in a function of its own: nothing live across it can be clobbered */
static int be_cmocka_one(const struct CMUnitTest *t)
{
    void *state = NULL;
    if (setjmp(be_cmocka_jump) != 0)
        return 1;
    t->fn(&state);
    return 0;
}

static int be_cmocka_run(const struct CMUnitTest *t, size_t n, const char *group)
{
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        int f = be_cmocka_one(&t[i]);
        printf("[ %s ] %s\n", f ? " FAILED " : "      OK", t[i].name);
        failed += f;
    }
    printf("%s: %zu tests, %d failed\n", group, n, failed);
    return failed;
}

#define cmocka_run_group_tests(tests, setup, teardown)                                 \
    ((void)(setup), (void)(teardown),                                                  \
     be_cmocka_run(tests, sizeof(tests) / sizeof((tests)[0]), #tests))

#endif /* FC_BE_CMOCKA_H */
