/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's own checks on RIOT (native64, called by tests/riot/sched):
 * ports/common/fw_tests.c (conformance, Fletcher32, thread counter, two
 * tenants, hostile containers) over the RIOT port, then the SAUL part of the
 * port with registered test sensors: the SDK's sensor_alarm example and an
 * original-package container reading it. Prints "riot checks: N passed,
 * M failed" after fw_tests' own "checks:" line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fc/image.h"
#include "riot_check.h"
#include "fc_riot.h"
#include "phydat.h"
#include "saul.h"
#include "saul_reg.h"

int fw_tests_main(void);
unsigned fc_riot_fw_checks(void);

extern const uint8_t riot_img_sensor_alarm[], riot_img_saul_temp[];
extern const size_t riot_img_sensor_alarm_len, riot_img_saul_temp_len;

static fc_rt_t rt;
static fc_store_entry_t global[8], pool[16];
static fc_tenant_t tenant;
static fc_container_t c;
static uint8_t ram[64] __attribute__((aligned(8)));
static uint8_t stack[512] __attribute__((aligned(8)));

/* ---- a SAUL temperature sensor reading 23.45 degrees, and a sensor of an unmapped class ---- */

static int read_temp(const void *dev, phydat_t *res)
{
    (void)dev;
    memset(res, 0, sizeof *res);
    res->val[0] = 2345;
    res->scale = -2;
    res->unit = UNIT_TEMP_C;
    return 1;
}

static int read_gyro(const void *dev, phydat_t *res)
{
    (void)dev;
    memset(res, 0, sizeof *res);
    res->val[0] = 7;
    res->unit = UNIT_DPS;
    return 1;
}

static const saul_driver_t temp_driver = { read_temp, saul_write_notsup, SAUL_SENSE_TEMP };
static const saul_driver_t gyro_driver = { read_gyro, saul_write_notsup, SAUL_SENSE_GYRO };
static saul_reg_t gyro_reg = { NULL, NULL, "test-gyro", &gyro_driver };
static saul_reg_t temp_reg = { NULL, NULL, "test-temp", &temp_driver };

static int load(const uint8_t *buf, size_t len, const char *name, uint32_t *entry)
{
    fc_image_t img;
    int rc = fc_image_parse(&img, buf, len);
    if (rc == FC_OK)
        rc = fc_image_entry(&img, name, entry);
    if (rc == FC_OK)
        rc = fc_container_load(&c, &tenant, &img, ram, sizeof ram, stack, sizeof stack, NULL, 0,
                               NULL);
    return rc;
}

static void run_saul(void)
{
    fc_sensor_value_t v;
    uint32_t base = fc_riot_port.sensor_count(NULL);
    saul_reg_add(&gyro_reg);
    saul_reg_add(&temp_reg);
    uint32_t n = fc_riot_port.sensor_count(NULL);
    uint32_t gyro = n, temp = n;
    for (uint32_t i = 0; i < n; i++) {
        saul_reg_t *d = saul_reg_find_nth((int)i);
        if (d == &gyro_reg)
            gyro = i;
        if (d == &temp_reg)
            temp = i;
    }
    check(n == base + 2 && gyro < n && temp < n, "SAUL devices appear as the port's sensors");
    check(fc_riot_port.sensor_type(NULL, temp) == FC_SENSOR_TEMP &&
              fc_riot_port.sensor_type(NULL, gyro) == 0 &&
              fc_riot_port.sensor_type(NULL, n) == 0,
          "SAUL classes map to SDK sensor types (temperature; gyro has none)");
    check(fc_riot_port.sensor_read(NULL, temp, &v) == FC_OK && v.value == 2345 &&
              v.scale == -2 && v.unit == FC_UNIT_CELSIUS && v.type == FC_SENSOR_TEMP &&
              fc_riot_port.sensor_read(NULL, n, &v) == FC_ERR_NOENT,
          "SAUL read: phydat value, scale and unit mapped (23.45 C), no such sensor refused");

    check(fc_rt_init(&rt, &fc_riot_port, global, 8, pool, 16, NULL) == FC_OK &&
              fc_tenant_add(&rt, &tenant, 1, "t", FC_CAP_STANDARD, 8) == FC_OK,
          "runtime for the sensor checks");
    uint32_t entry;
    uint64_t r0 = 0, alarms = 0;
    int32_t threshold = 200;
    bool ok = load(riot_img_sensor_alarm, riot_img_sensor_alarm_len, "sensor_alarm", &entry) ==
                  FC_OK &&
              fc_container_run(&c, entry, &threshold, sizeof threshold, FC_MEM_READ, &r0) ==
                  FC_OK && r0 == 1;
    threshold = 300;
    ok = ok && fc_container_run(&c, entry, &threshold, sizeof threshold, FC_MEM_READ, &r0) ==
                   FC_OK && r0 == 0 &&
         fc_tenant_get(&tenant, 0xa1a3u, &alarms) == FC_OK && alarms == 1;
    fc_container_remove(&c);
    check(ok, "example sensor_alarm on SAUL: 23.45 C is above 20.0, not above 30.0");

    struct {
        int32_t unit, scale;
        char text[24];
    } sctx;
    memset(&sctx, 0, sizeof sctx);
    ok = load(riot_img_saul_temp, riot_img_saul_temp_len, "saul_temp", &entry) == FC_OK &&
         fc_container_run(&c, entry, &sctx, sizeof sctx, FC_MEM_READ | FC_MEM_WRITE, &r0) ==
             FC_OK;
    fc_container_remove(&c);
    printf("saul_temp: r0 %d, text \"%s\", unit %d, scale %d\n", (int)r0, sctx.text,
           (int)sctx.unit, (int)sctx.scale);
    check(ok && r0 == 2345 && strcmp(sctx.text, "23.45") == 0 && sctx.unit == UNIT_TEMP_C &&
              sctx.scale == -2,
          "original package: bpf_saul_reg_find_type/read and bpf_fmt_s16_dfp give 23.45 C");
}

unsigned fc_riot_fw_checks(void)
{
    int fw = fw_tests_main();
    check(fw == 0, "the firmwares' on-target checks (ports/common/fw_tests.c) on RIOT");
    run_saul();
    printf("riot checks: %u passed, %u failed\n", passes, failures);
    return failures;
}
