/* SPDX-License-Identifier: Apache-2.0 */
/*
 * femto run: load an image as a container of a default tenant holding every
 * capability, over the POSIX port, run one entry once and print r0. A
 * debugger's view of the run: simulated sensors, the stores loaded from and
 * written back to a file, the context written back, the budget the run used
 * (fc_vm_t::left), the engine that ran it (the device's: the JIT where the
 * build has one), with --count the exact instruction count instead
 * (run_count.c) and, for an image built with -g, the source line of a fault.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "fc/helpers.h"
#include "fc/image.h"
#include "fc/isa.h"
#include "fc/jit.h"
#include "fc/port_posix.h"
#include "fc/runtime.h"
#include "host.h"
#include "io.h"
#include "run_count.h"

#define SENSORS_MAX 16u
#define STORE_MAX   1024u
#define STORE_FAILED 1 /* host_start(): a store file value did not fit (said on stderr) */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: femto run X.img [--entry NAME] [--mem FILE] [--mem-out FILE] [--budget N]\n"
            "                 [--sensor TYPE=VALUE]... [--store FILE] [--count]\n\n"
            "Run an image once on the host as a container of a default tenant holding every\n"
            "capability, with the standard helpers over the POSIX port (clock, log to stdout,\n"
            "random, the sensors given), on the engine a device runs (the JIT where this build has\n"
            "one). The container's log lines come first, then the engine and the budget the run\n"
            "used; the last line of stdout is the result: r0 = 0x<hex> (<signed decimal>).\n\n"
            "options:\n"
            "  --entry NAME        entry point to run (default: the first in the image's table)\n"
            "  --mem FILE          map FILE's bytes as the writable context: r1 = its address\n"
            "                      (region 4, offset 0), r2 = its length (default: none, r2 = 0)\n"
            "  --mem-out FILE      write the context back to FILE after the run (also after a fault)\n"
            "  --budget N          budget of the run (default %u, a device hook's default)\n"
            "  --sensor TYPE=VAL   a simulated sensor, in order (index 0, 1...): TYPE one of temp\n"
            "                      humidity light accel pressure voltage button, VAL a decimal\n"
            "                      (21.5 reads as value 215, scale -1)\n"
            "  --store FILE        load the stores from FILE (when it exists) and write them back\n"
            "                      after the run: lines 'global|tenant|local KEY VALUE'\n"
            "  --count             run on a counting copy of the raw interpreter instead and also\n"
            "                      print the exact number of instructions executed\n\n"
            "A fault prints the pc, the instruction, the cause and, when the image was built\n"
            "with 'femto build -g', the source file and line.\n\n"
            "exit codes: 0 ran, 1 rejected by the verifier or faulted (pc, instruction and\n"
            "cause on stderr), 2 usage error, 3 file not readable or not an image\n",
            FC_HOOK_BUDGET_DEFAULT);
}

static const struct {
    const char *name;
    uint16_t type;
    uint8_t unit;
} sensor_kinds[] = {
    { "temp", FC_SENSOR_TEMP, FC_UNIT_CELSIUS },     { "humidity", FC_SENSOR_HUMIDITY, FC_UNIT_PERCENT },
    { "light", FC_SENSOR_LIGHT, FC_UNIT_LUX },       { "accel", FC_SENSOR_ACCEL, FC_UNIT_G },
    { "pressure", FC_SENSOR_PRESSURE, FC_UNIT_PA },  { "voltage", FC_SENSOR_VOLTAGE, FC_UNIT_VOLT },
    { "button", FC_SENSOR_BUTTON, FC_UNIT_BOOL },
};

/* "temp=21.5": type temp, value 215, scale -1. Returns 0 or -1 (bad text). */
static int parse_sensor(const char *arg, fc_port_sensor_t *s)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL)
        return -1;
    size_t k, n = (size_t)(eq - arg);
    for (k = 0; k < sizeof sensor_kinds / sizeof sensor_kinds[0]; k++)
        if (strlen(sensor_kinds[k].name) == n && !strncmp(arg, sensor_kinds[k].name, n))
            break;
    if (k == sizeof sensor_kinds / sizeof sensor_kinds[0])
        return -1;
    const char *p = eq + 1;
    int neg = *p == '-';
    p += neg || *p == '+';
    int64_t v = 0;
    int scale = 0, digits = 0, frac = 0;
    for (; *p; p++) {
        if (*p == '.' && !frac) {
            frac = 1;
            continue;
        }
        if (*p < '0' || *p > '9' || ++digits > 9)
            return -1;
        v = v * 10 + (*p - '0');
        scale -= frac;
    }
    if (digits == 0)
        return -1;
    s->name = sensor_kinds[k].name;
    s->value = (fc_sensor_value_t){ (int32_t)(neg ? -v : v), (int8_t)scale, sensor_kinds[k].unit,
                                    sensor_kinds[k].type };
    return 0;
}

/* One value of a store file. */
typedef struct {
    uint8_t scope; /* 0 global, 1 tenant, 2 local */
    uint32_t key;
    uint64_t value;
} kv_t;

static const char *const scopes[] = { "global", "tenant", "local" };

typedef struct {
    kv_t *kv;
    size_t n;
    uint8_t scope;
} kvs_t;

/* Reads FILE's lines; a missing file is an empty store. Returns 0, or -1 after saying why. */
static int store_read(const char *path, kvs_t *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "femto run: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[256];
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        char scope[16], ks[32], vs[32], extra[2];
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        int got = sscanf(line, "%15s %31s %31s %1s", scope, ks, vs, extra);
        char *ke, *ve;
        errno = 0;
        unsigned long long key = strtoull(ks, &ke, 0), val = strtoull(vs, &ve, 0);
        size_t s;
        for (s = 0; s < 3 && strcmp(scope, scopes[s]); s++)
            ;
        if (got != 3 || s == 3 || *ke || *ve || errno || key > UINT32_MAX || ks[0] == '-' ||
            vs[0] == '-' || out->n == STORE_MAX) {
            fprintf(stderr, "femto run: %s:%u: expected 'global|tenant|local KEY VALUE' "
                            "(unsigned numbers, at most %u lines)\n", path, lineno, STORE_MAX);
            rc = -1;
            break;
        }
        out->kv[out->n++] = (kv_t){ (uint8_t)s, (uint32_t)key, val };
    }
    fclose(f);
    return rc;
}

static int store_load(femto_host_t *h, const kvs_t *kvs)
{
    for (size_t i = 0; i < kvs->n; i++) {
        const kv_t *e = &kvs->kv[i];
        int err = e->scope == 0   ? fc_rt_global_put(&h->rt, e->key, e->value)
                  : e->scope == 1 ? fc_tenant_put(&h->tenant, e->key, e->value)
                                  : fc_container_put(&h->c, e->key, e->value);
        if (err != FC_OK) {
            fprintf(stderr, "femto run: store %s key %" PRIu32 ": %s\n", scopes[e->scope], e->key,
                    fc_strerror(err));
            return -1;
        }
    }
    return 0;
}

static int collect(uint32_t ns, uint32_t key, uint64_t value, void *arg)
{
    kvs_t *k = arg;
    (void)ns;
    if (k->n == STORE_MAX)
        return 1;
    k->kv[k->n++] = (kv_t){ k->scope, key, value };
    return 0;
}

static int cmp_kv(const void *a, const void *b)
{
    const kv_t *x = a, *y = b;
    if (x->scope != y->scope)
        return x->scope < y->scope ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Every value of the three scopes, sorted, written to path. */
static int store_write(femto_host_t *h, const char *path)
{
    kvs_t k = { calloc(STORE_MAX, sizeof(kv_t)), 0, 0 };
    if (k.kv == NULL)
        return -1;
    fc_rt_global_foreach(&h->rt, collect, &k);
    k.scope = 1;
    fc_tenant_foreach(&h->tenant, collect, &k);
    k.scope = 2;
    fc_container_foreach(&h->c, collect, &k);
    qsort(k.kv, k.n, sizeof *k.kv, cmp_kv);
    FILE *f = fopen(path, "w");
    int rc = f == NULL ? -1 : 0;
    for (size_t i = 0; f != NULL && i < k.n; i++)
        fprintf(f, "%s %" PRIu32 " %" PRIu64 "\n", scopes[k.kv[i].scope], k.kv[i].key, k.kv[i].value);
    if (f != NULL && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "femto run: cannot write %s: %s\n", path, strerror(errno));
    free(k.kv);
    return rc;
}

/* What the run starts from. */
typedef struct {
    const fc_image_t *img;
    uint32_t pc;
    fc_port_sensor_t sensors[SENSORS_MAX];
    uint32_t nsensors;
    kvs_t store;
    size_t mem_len;
} start_t;

/*
 * Sets up a host for st: the port with its sensors (log to log), the
 * image loaded and verified, the stores preloaded. Returns FC_OK,
 * STORE_FAILED, or the fc_err_t with *info saying where a rejection is.
 */
static int host_start(femto_host_t *h, start_t *st, FILE *log, fc_verify_info_t *info)
{
    int err = femto_host_open(h, log, NULL, 0);
    if (err != FC_OK)
        return err;
    h->pst.sensors = st->nsensors ? st->sensors : NULL;
    h->pst.nsensors = st->nsensors;
    err = femto_host_load(h, st->img, info);
    if (err == FC_OK && store_load(h, &st->store) != 0)
        return STORE_FAILED;
    return err;
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "femto run: cannot write %s: %s\n", path, strerror(errno));
        if (f != NULL)
            fclose(f);
        return -1;
    }
    return 0;
}

int fc_cmd_run(int argc, char **argv)
{
    const char *path = NULL, *entry = NULL, *mem_path = NULL, *mem_out = NULL, *store_path = NULL;
    uint32_t budget = FC_HOOK_BUDGET_DEFAULT;
    int count = 0;
    start_t *st = calloc(1, sizeof *st);
    femto_host_t *h = calloc(1, sizeof *h);
    int rc = FEMTO_EXIT_USAGE;
    size_t img_len = 0;
    uint8_t *img_buf = NULL, *mem = NULL;
    if (st == NULL || h == NULL || (st->store.kv = calloc(STORE_MAX, sizeof(kv_t))) == NULL) {
        fprintf(stderr, "femto run: out of memory\n");
        rc = FEMTO_EXIT_IO;
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            rc = FEMTO_EXIT_OK;
            goto out;
        } else if (!strcmp(argv[i], "--entry") && i + 1 < argc) {
            entry = argv[++i];
        } else if (!strcmp(argv[i], "--mem") && i + 1 < argc) {
            mem_path = argv[++i];
        } else if (!strcmp(argv[i], "--mem-out") && i + 1 < argc) {
            mem_out = argv[++i];
        } else if (!strcmp(argv[i], "--store") && i + 1 < argc) {
            store_path = argv[++i];
        } else if (!strcmp(argv[i], "--sensor") && i + 1 < argc) {
            if (st->nsensors == SENSORS_MAX || parse_sensor(argv[++i], &st->sensors[st->nsensors]) != 0) {
                fprintf(stderr, "femto run: bad --sensor '%s': TYPE=DECIMAL, TYPE one of temp humidity "
                                "light accel pressure voltage button, at most %u sensors\n",
                        argv[i], SENSORS_MAX);
                goto out;
            }
            st->nsensors++;
        } else if (!strcmp(argv[i], "--count")) {
            count = 1;
        } else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long b = strtoull(argv[++i], &end, 0);
            if (errno || *end || end == argv[i] || b > UINT32_MAX || argv[i][0] == '-') {
                fprintf(stderr, "femto run: bad budget '%s'\n", argv[i]);
                goto out;
            }
            budget = (uint32_t)b;
        } else if (argv[i][0] == '-' || path != NULL) {
            fprintf(stderr, "femto run: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            goto out;
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        usage(stderr);
        goto out;
    }

    rc = FEMTO_EXIT_IO;
    img_buf = femto_read_file(path, &img_len);
    if (img_buf == NULL) {
        fprintf(stderr, "femto run: cannot read %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (mem_path != NULL) {
        mem = femto_read_file(mem_path, &st->mem_len);
        if (mem == NULL || st->mem_len > UINT32_MAX) {
            fprintf(stderr, "femto run: cannot read %s: %s\n", mem_path,
                    mem == NULL ? strerror(errno) : "larger than 4 GiB");
            goto out;
        }
    }
    if (store_path != NULL && store_read(store_path, &st->store) != 0)
        goto out;
    fc_image_t img;
    int err = fc_image_parse(&img, img_buf, img_len);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: %s: not a valid image: %s\n", path, fc_strerror(err));
        goto out;
    }
    st->img = &img;
    if (fc_image_entry(&img, entry, &st->pc) != FC_OK) {
        fprintf(stderr, "femto run: %s: no entry point '%s'\n", path, entry);
        rc = FEMTO_EXIT_USAGE;
        goto out;
    }
    rc = FEMTO_EXIT_FAIL;
    fc_verify_info_t info;
    err = host_start(h, st, stdout, &info);
    if (err != FC_OK) {
        if (err == STORE_FAILED)
            goto out;
        fprintf(stderr, "femto run: %s: rejected at pc %" PRIu32 ": %s (%s)\n  ", path, info.pc,
                info.reason ? info.reason : fc_strerror(err), fc_strerror(err));
        femto_host_print_insn(stderr, &img, info.pc);
        fprintf(stderr, "\n");
        if (femto_host_print_line(stderr, &img, info.pc) != 0)
            fprintf(stderr, "  (femto verify on the object, or femto build -g, shows the source line)\n");
        goto out;
    }
    h->c.vm.budget = budget;
    uint64_t r0 = 0;
    /* the runtime's run (lock, budget, regions): on the engine fc_container_load chose, as a
       device runs it, or with --count through the counting interpreter (run_count.c) */
    femto_insn_count = 0;
    printf("engine: %s\n", count ? "interpreter (counting, raw code)"
                           : (h->c.vm.verified & FC_VERIFIED_JIT) ? "jit"
                           : h->c.vm.fast != NULL ? "specialised interpreter" : "interpreter");
    if (count)
        err = fc_container_run_with(&h->c, st->pc, mem, (uint32_t)st->mem_len,
                                    FC_MEM_READ | FC_MEM_WRITE, &r0, femto_run_counted);
    else
        err = fc_container_run(&h->c, st->pc, mem, (uint32_t)st->mem_len, FC_MEM_READ | FC_MEM_WRITE,
                               &r0);
    fflush(stdout);
    int wrote = (mem_out == NULL || write_file(mem_out, mem ? mem : (const uint8_t *)"", st->mem_len) == 0) &&
                (store_path == NULL || store_write(h, store_path) == 0);
    /* what the engine charged: every backward transfer its distance, calls one, helpers their bytes */
    uint32_t used = budget - (h->c.vm.left <= budget ? h->c.vm.left : budget);
    if (err != FC_OK) {
        fprintf(stderr, "femto run: fault at pc %" PRIu32 ": ", h->c.vm.pc);
        femto_host_print_insn(stderr, &img, h->c.vm.pc);
        fprintf(stderr, "\n  cause: %s (%d)\n", fc_strerror(err), err);
        femto_host_print_line(stderr, &img, h->c.vm.pc);
        if (err == FC_ERR_BUDGET)
            printf("budget: all %" PRIu32 " used (exhausted)\n", budget);
        else
            printf("budget: %" PRIu32 " of %" PRIu32 " used before the fault\n", used, budget);
        if (count)
            printf("instructions: %" PRIu64 " executed before the fault (the faulting one included)\n",
                   femto_insn_count);
        goto out;
    }
    if (!wrote) {
        rc = FEMTO_EXIT_IO;
        goto out;
    }
    printf("budget: %" PRIu32 " of %" PRIu32 " used\n", used, budget);
    /* counted, not bounded: the budget only bounds it (fc_vm_run: budget used + the code's slots) */
    if (count)
        printf("instructions: %" PRIu64 " executed\n", femto_insn_count);
    printf("r0 = 0x%" PRIx64 " (%" PRId64 ")\n", r0, (int64_t)r0);
    rc = FEMTO_EXIT_OK;
out:
    if (h != NULL)
        femto_host_close(h);
    free(h);
    if (st != NULL)
        free(st->store.kv);
    free(st);
    free(mem);
    free(img_buf);
    return rc;
}
