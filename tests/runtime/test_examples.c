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

static uint8_t tc_img[4096], sa_img[4096], pf_img[4096];
static size_t tc_len, sa_len, pf_len;

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
    assert_int_equal(info.code, 18); /* that reason's number in docs/vm.md, in every build */
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

/* An IPv4 header (20 bytes) + 4 bytes of ports: proto, source, destination port, flags. */
static size_t packet(uint8_t *p, uint8_t proto, uint32_t src, uint16_t dport, uint16_t frag)
{
    memset(p, 0, 24);
    p[0] = 0x45;
    p[3] = 24; /* total length */
    p[6] = (uint8_t)(frag >> 8);
    p[7] = (uint8_t)frag;
    p[9] = proto;
    for (int i = 0; i < 4; i++)
        p[12 + i] = (uint8_t)(src >> (24 - 8 * i));
    p[22] = (uint8_t)(dport >> 8);
    p[23] = (uint8_t)dport;
    return 24;
}

static void test_packet_filter(void **state)
{
    (void)state;
    static fc_store_entry_t local[8];
    fc_hook_t net;
    fc_image_t img;
    fc_verify_info_t info;
    uint32_t entry;
    assert_int_equal(fc_hook_init(&net, &rt, "net_rx", FC_POLICY_FIRST_NEGATIVE, FC_MEM_READ,
                                  FC_CAP_STORE_LOCAL, 5000),
                     FC_OK);
    assert_int_equal(fc_image_parse(&img, pf_img, pf_len), FC_OK);
    assert_int_equal(fc_image_entry(&img, "packet_filter", &entry), FC_OK);
    assert_int_equal(fc_container_load(&slots[0].c, &ta, &img, slots[0].ram, sizeof slots[0].ram,
                                       slots[0].stack, sizeof slots[0].stack, local, 8, &info),
                     FC_OK);
    assert_int_equal(fc_hook_attach(&net, &slots[0].c, entry, 0, &info), FC_OK);
    static const struct {
        uint8_t proto;
        uint32_t src;
        uint16_t dport, frag;
        int accept;
    } cases[] = {
        { 17, 0xc0a80102u, 5683, 0, 1 },    /* UDP CoAP from 192.168.1.2 */
        { 6, 0xc0a80102u, 443, 0, 1 },      /* TCP https */
        { 1, 0x08080808u, 0, 0, 1 },        /* ICMP */
        { 6, 0xc0a80102u, 23, 0, 0 },       /* telnet: PORT */
        { 17, 0xc0a80102u, 1900, 0, 0 },    /* SSDP: PORT */
        { 17, 0x0a420101u, 5683, 0, 0 },    /* 10.66.1.1: SOURCE */
        { 6, 0xc0000233u, 80, 0, 0 },       /* 192.0.2.51: SOURCE */
        { 17, 0xc0a80102u, 5683, 0x0010, 0 }, /* a later fragment: FRAGMENT */
        { 17, 0xc0a80102u, 5683, 0x2000, 1 }, /* first fragment (more-fragments set) */
        { 47, 0xc0a80102u, 0, 0, 0 },       /* GRE: PROTOCOL */
    };
    uint8_t p[24];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fc_hook_result_t res;
        size_t n = packet(p, cases[i].proto, cases[i].src, cases[i].dport, cases[i].frag);
        assert_int_equal(fc_hook_fire(&net, p, (uint32_t)n, &res), 1);
        assert_int_equal(res.faults, 0);
        assert_int_equal(res.r0, cases[i].accept);
    }
    /* not IPv4, and a header claiming more than the packet: BAD */
    packet(p, 17, 0xc0a80102u, 5683, 0);
    p[0] = 0x65;
    fc_hook_result_t res;
    assert_int_equal(fc_hook_fire(&net, p, 24, &res), 1);
    assert_int_equal(res.r0, 0);
    packet(p, 17, 0xc0a80102u, 5683, 0);
    assert_int_equal(fc_hook_fire(&net, p, 12, &res), 1);
    assert_int_equal(res.r0, 0);
    /* the drop reasons, counted in the container's own store */
    tally_t t = { { 0 }, 0 };
    assert_int_equal(fc_container_foreach(&slots[0].c, tally, &t), 0);
    assert_int_equal(t.n, 5);
    assert_int_equal(t.count[1], 2); /* BAD */
    assert_int_equal(t.count[2], 1); /* FRAGMENT */
    assert_int_equal(t.count[3], 2); /* SOURCE */
    assert_int_equal(t.count[4], 2); /* PORT */
    assert_int_equal(t.count[5], 1); /* PROTOCOL */
}

int main(void)
{
    tc_len = slurp(FC_EX_THREAD_COUNTER, tc_img, sizeof tc_img);
    sa_len = slurp(FC_EX_SENSOR_ALARM, sa_img, sizeof sa_img);
    pf_len = slurp(FC_EX_PACKET_FILTER, pf_img, sizeof pf_img);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_thread_counter, setup),
        cmocka_unit_test_setup(test_thread_counter_hook_without_store, setup),
        cmocka_unit_test_setup(test_sensor_alarm, setup),
        cmocka_unit_test_setup(test_packet_filter, setup),
    };
    return cmocka_run_group_tests_name("runtime.examples", tests, NULL, NULL);
}
