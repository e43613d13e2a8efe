/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The examples as images, end to end: examples/thread_counter on a
 * scheduler hook fired with {previous, next} contexts, counters read back by
 * host iteration; examples/sensor_alarm against simulated sensors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fc/hook.h"
#include "fc/runtime.h"

static uint8_t tc_img[4096], sa_img[4096];
static size_t tc_len, sa_len;

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    assert_true(n > 0 && n < cap);
    return n;
}

static fc_port_null_t pst;
static fc_port_t port;
static fc_port_sensor_t sensors[2];
static fc_rt_t rt;
static fc_store_entry_t pool[64];
static fc_tenant_t ta, tb;

typedef struct {
    fc_container_t c;
    uint8_t ram[16];
    uint8_t stack[512];
} slot_t;

static slot_t slots[2];

static int setup(void **state)
{
    (void)state;
    memset(slots, 0, sizeof slots);
    sensors[0] = (fc_port_sensor_t){ "button", { 0, 0, FC_UNIT_BOOL, FC_SENSOR_BUTTON } };
    sensors[1] = (fc_port_sensor_t){ "temp", { 215, -1, FC_UNIT_CELSIUS, FC_SENSOR_TEMP } };
    fc_port_null_init(&pst, &port, NULL, 0, sensors, 2);
    assert_int_equal(fc_rt_init(&rt, &port, NULL, 0, pool, 64, NULL), FC_OK);
    assert_int_equal(fc_tenant_add(&rt, &ta, 10, "alice", FC_CAP_STANDARD, 16), FC_OK);
    assert_int_equal(fc_tenant_add(&rt, &tb, 20, "bob", FC_CAP_STORE_TENANT, 16), FC_OK);
    return 0;
}

static void load(slot_t *s, fc_tenant_t *t, const uint8_t *img_buf, size_t len, uint32_t *entry,
                 const char *name)
{
    fc_image_t img;
    fc_verify_info_t info;
    assert_int_equal(fc_image_parse(&img, img_buf, len), FC_OK);
    assert_int_equal(fc_image_entry(&img, name, entry), FC_OK);
    assert_int_equal(fc_container_load(&s->c, t, &img, s->ram, sizeof s->ram, s->stack,
                                       sizeof s->stack, NULL, 0, &info),
                     FC_OK);
}

typedef struct {
    uint64_t count[8];
    unsigned n;
} tally_t;

static int tally(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    (void)ns;
    tally_t *t = arg;
    if (key < 8)
        t->count[key] = value;
    t->n++;
    return 0;
}

static void test_thread_counter(void **state)
{
    (void)state;
    fc_hook_t sched;
    uint32_t entry;
    assert_int_equal(fc_hook_init(&sched, &rt, "sched_switch", FC_POLICY_ALL, FC_MEM_READ,
                                  FC_CAP_STORE_TENANT, 1000),
                     FC_OK);
    /* the same image for two tenants: each counts into its own namespace */
    load(&slots[0], &ta, tc_img, tc_len, &entry, "thread_counter");
    assert_int_equal(fc_hook_attach(&sched, &slots[0].c, entry, 0, NULL), FC_OK);
    load(&slots[1], &tb, tc_img, tc_len, &entry, "thread_counter");
    assert_int_equal(fc_hook_attach(&sched, &slots[1].c, entry, 1, NULL), FC_OK);

    uint64_t expect[8] = { 0 };
    uint32_t ctx[2] = { 0, 0 }, x = 7;
    for (int i = 0; i < 3000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ctx[0] = ctx[1];
        ctx[1] = x % 6;
        expect[ctx[1]]++;
        fc_hook_result_t res;
        assert_int_equal(fc_hook_fire(&sched, ctx, sizeof ctx, &res), i <= 1500 ? 2 : 1);
        assert_int_equal(res.faults, 0);
        assert_int_equal(res.r0, 0);
        /* half way, bob leaves: alice keeps counting */
        if (i == 1500)
            assert_int_equal(fc_hook_detach(&sched, &slots[1].c), FC_OK);
    }
    tally_t a = { { 0 }, 0 };
    assert_int_equal(fc_tenant_foreach(&ta, tally, &a), 0);
    assert_int_equal(a.n, 6);
    uint64_t total = 0;
    for (int k = 0; k < 6; k++) {
        assert_int_equal(a.count[k], expect[k]);
        total += a.count[k];
    }
    assert_int_equal(total, 3000);
    tally_t b = { { 0 }, 0 };
    assert_int_equal(fc_tenant_foreach(&tb, tally, &b), 0);
    total = 0;
    for (int k = 0; k < 6; k++)
        total += b.count[k];
    assert_int_equal(total, 1501);
    /* a short context is refused by the program itself */
    assert_int_equal(fc_hook_fire(&sched, ctx, 4, NULL), 1);
}

static void test_thread_counter_hook_without_store(void **state)
{
    (void)state;
    fc_hook_t h;
    uint32_t entry;
    fc_verify_info_t info;
    assert_int_equal(fc_hook_init(&h, &rt, "sched_switch", FC_POLICY_ALL, FC_MEM_READ, FC_CAP_TIME,
                                  1000),
                     FC_OK);
    load(&slots[0], &ta, tc_img, tc_len, &entry, "thread_counter");
    assert_int_equal(fc_hook_attach(&h, &slots[0].c, entry, 0, &info), FC_ERR_HELPER_PERM);
    assert_string_equal(info.reason, "call of a helper not granted to this container");
}

static void test_sensor_alarm(void **state)
{
    (void)state;
    uint32_t entry;
    uint64_t r0, alarms;
    load(&slots[0], &ta, sa_img, sa_len, &entry, "sensor_alarm");
    /* 21.5 C against the default 30.0 C */
    assert_int_equal(fc_container_run(&slots[0].c, entry, NULL, 0, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal(r0, 0);
    /* threshold 20.0 C from the context */
    int32_t th = 200;
    assert_int_equal(fc_container_run(&slots[0].c, entry, &th, sizeof th, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal(r0, 1);
    /* the driver reports whole degrees now: 35 C */
    sensors[1].value = (fc_sensor_value_t){ 35, 0, FC_UNIT_CELSIUS, FC_SENSOR_TEMP };
    assert_int_equal(fc_container_run(&slots[0].c, entry, NULL, 0, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal(r0, 1);
    th = 351;
    assert_int_equal(fc_container_run(&slots[0].c, entry, &th, sizeof th, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal(r0, 0);
    /* hundredths: 30.01 C is above 30.0 */
    sensors[1].value = (fc_sensor_value_t){ 3001, -2, FC_UNIT_CELSIUS, FC_SENSOR_TEMP };
    assert_int_equal(fc_container_run(&slots[0].c, entry, NULL, 0, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal(r0, 1);
    assert_int_equal(fc_tenant_get(&ta, 0xa1a3u, &alarms), FC_OK);
    assert_int_equal(alarms, 3);
    /* no temperature sensor */
    pst.nsensors = 1;
    assert_int_equal(fc_container_run(&slots[0].c, entry, NULL, 0, FC_MEM_READ, &r0), FC_OK);
    assert_int_equal((int32_t)r0, -1);
    /* bob may not read sensors */
    fc_image_t img;
    fc_verify_info_t info;
    assert_int_equal(fc_image_parse(&img, sa_img, sa_len), FC_OK);
    assert_int_equal(fc_container_load(&slots[1].c, &tb, &img, slots[1].ram, sizeof slots[1].ram,
                                       slots[1].stack, sizeof slots[1].stack, NULL, 0, &info),
                     FC_ERR_HELPER_PERM);
}

int main(void)
{
    tc_len = slurp(FC_EX_THREAD_COUNTER, tc_img, sizeof tc_img);
    sa_len = slurp(FC_EX_SENSOR_ALARM, sa_img, sizeof sa_img);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_thread_counter, setup),
        cmocka_unit_test_setup(test_thread_counter_hook_without_store, setup),
        cmocka_unit_test_setup(test_sensor_alarm, setup),
    };
    return cmocka_run_group_tests_name("runtime.examples", tests, NULL, NULL);
}
