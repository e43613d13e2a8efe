/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark harness: each kernel natively (clang -O2) and in the VM, raw
 * (code executed in place) and specialised (fc_vm_specialise()).
 *
 *   fc_bench check IMGDIR            results of VM == native for every kernel (a test)
 *   fc_bench measure IMGDIR K MODE N  run MODE N times (for callgrind's --toggle-collect):
 *                                     native | vm | fast | startup | startup_fast
 *   fc_bench time IMGDIR             wall time per run, ns, for every kernel and mode
 *   fc_bench list                    kernel names
 *
 * bench/run.sh counts instructions with callgrind, collecting only inside
 * the kernel (native_<k>), the interpreter (fc_vm_run) or start-up (startup).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fc/code_posix.h"
#include "fc/fc.h"
#include "fc/image.h"

#define NOINLINE __attribute__((noinline))
#define MAX_INPUT 4096
#define MAX_IMAGE 65536

typedef uint64_t (*native_fn)(void *ctx, uint64_t len);

#define KERNELS(X) X(fletcher32) X(crc32) X(bitswap) X(bubblesort) X(fib) X(incr) \
                   X(memcpy) X(square) X(sock_buffer) X(crc16) X(sha256) X(json) X(packet) \
                   X(heapsort) X(statemachine)
#define DECL(k) uint64_t native_##k(void *ctx, uint64_t len);
KERNELS(DECL)

static uint32_t lcg_state;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

/* Inputs: fixed and deterministic, so runs and machines compare. */
static size_t make_input(const char *k, uint8_t *buf, const char *shared)
{
    lcg_state = 12345;
    if (!strcmp(k, "fletcher32") || !strcmp(k, "crc32")) {
        char path[4096];
        snprintf(path, sizeof path, "%s/bench/fletcher32-input.txt", shared);
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            perror(path);
            exit(2);
        }
        size_t n = fread(buf, 1, 360, f);
        fclose(f);
        return n;
    }
    if (!strcmp(k, "fib")) {
        buf[0] = 60;
        return 1;
    }
    if (!strcmp(k, "incr")) {
        memset(buf, 0, 4);
        buf[0] = 41;
        return 4;
    }
    if (!strcmp(k, "bubblesort")) {
        for (size_t i = 0; i < 64 * 4; i++)
            buf[i] = (uint8_t)lcg();
        return 64 * 4;
    }
    if (!strcmp(k, "sock_buffer")) {
        /* IPv6 + UDP, 200-byte payload */
        size_t plen = 8 + 200;
        memset(buf, 0, 40 + plen);
        buf[0] = 0x60;
        buf[4] = (uint8_t)(plen >> 8);
        buf[5] = (uint8_t)plen;
        buf[6] = 17;
        buf[7] = 64;
        for (size_t i = 8; i < 40; i++)
            buf[i] = (uint8_t)lcg();
        buf[40 + 2] = 0x16;
        buf[40 + 3] = 0x33; /* port 5683 */
        buf[40 + 4] = (uint8_t)(plen >> 8);
        buf[40 + 5] = (uint8_t)plen;
        for (size_t i = 48; i < 40 + plen; i++)
            buf[i] = (uint8_t)lcg();
        return 40 + plen;
    }
    /* bitswap, memcpy, square: 512 pseudo-random bytes */
    for (size_t i = 0; i < 512; i++)
        buf[i] = (uint8_t)lcg();
    return 512;
}

typedef struct {
    const char *name;
    native_fn native;
    uint8_t input[MAX_INPUT], work[MAX_INPUT];
    size_t len;
    uint8_t image[MAX_IMAGE];
    size_t image_len;
    fc_image_t img;
    fc_vm_t vm;
    fc_region_t regions[FC_REGION_CTX];
    uint8_t ram[4096];
    uint64_t stack[512 / 8];
    uint8_t fast[MAX_IMAGE];
    uint32_t entry;
} bench_t;

static bench_t b;

static int load_image(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.img", dir, b.name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    b.image_len = fread(b.image, 1, sizeof b.image, f);
    fclose(f);
    return 0;
}

/* compiled code of the last start-up with the JIT (freed by the next), and its size */
static const void *jit_code;
static size_t jit_bytes;

/*
 * Image bytes to ready-to-run: parse, map, init, verify, find the entry;
 * fast 1: then the specialised copy, 2: then the JIT (as fc_container_load does).
 */
NOINLINE int startup(int fast);
NOINLINE int startup(int fast)
{
    int rc = fc_image_parse(&b.img, b.image, b.image_len);
    if (rc == FC_OK)
        rc = fc_image_map(&b.img, b.regions, b.ram, sizeof b.ram, (uint8_t *)b.stack, sizeof b.stack);
    if (rc == FC_OK)
        rc = fc_vm_init(&b.vm, b.img.text, b.img.text_len, b.regions, FC_REGION_CTX, NULL);
    if (rc == FC_OK)
        rc = fc_vm_verify(&b.vm, NULL);
    if (rc == FC_OK && fast == 1)
        rc = fc_vm_specialise(&b.vm, b.fast, sizeof b.fast);
    if (rc == FC_OK && fast == 2) {
        fc_code_posix_free(NULL, jit_code);
        rc = fc_code_posix_jit(&b.vm, &jit_code, &jit_bytes);
    }
    if (rc == FC_OK)
        rc = fc_image_entry(&b.img, "bench", &b.entry);
    return rc;
}

static uint64_t run_vm(void)
{
    uint64_t r0 = 0;
    b.regions[FC_REGION_CTX - 1] = (fc_region_t){ b.work, (uint32_t)b.len, FC_MEM_READ | FC_MEM_WRITE };
    b.vm.budget = UINT32_MAX;
    int rc = fc_vm_run(&b.vm, b.entry, FC_VADDR(FC_REGION_CTX, 0), b.len, &r0);
    if (rc != FC_OK) {
        fprintf(stderr, "%s: fault %s at %" PRIu32 "\n", b.name, fc_strerror(rc), b.vm.pc);
        exit(1);
    }
    return r0;
}

/* The measured functions: callgrind toggles on their names. */
NOINLINE uint64_t measure_native(int n);
NOINLINE uint64_t measure_vm(int n);
NOINLINE uint64_t measure_fast(int n);
NOINLINE uint64_t measure_jit(int n);
NOINLINE int measure_startup(int n);
NOINLINE int measure_startup_fast(int n);
NOINLINE int measure_startup_jit(int n);

static NOINLINE void reset_input(void) { memcpy(b.work, b.input, b.len); }

NOINLINE uint64_t measure_native(int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++) {
        reset_input();
        acc ^= b.native(b.work, b.len);
    }
    return acc;
}
NOINLINE uint64_t measure_vm(int n)
{
    uint64_t acc = 0;
    for (int i = 0; i < n; i++) {
        reset_input();
        acc ^= run_vm();
    }
    return acc;
}
NOINLINE uint64_t measure_fast(int n) { return measure_vm(n); }
NOINLINE uint64_t measure_jit(int n) { return measure_vm(n); }
NOINLINE int measure_startup(int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        rc |= startup(0);
    return rc;
}
NOINLINE int measure_startup_jit(int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        rc |= startup(2);
    return rc;
}
NOINLINE int measure_startup_fast(int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        rc |= startup(1);
    return rc;
}

static int select_kernel(const char *name, const char *dir, const char *shared)
{
#define PICK(k) if (!strcmp(name, #k)) b.native = native_##k;
    b.native = NULL;
    KERNELS(PICK)
#undef PICK
    if (b.native == NULL) {
        fprintf(stderr, "unknown kernel %s\n", name);
        return -1;
    }
    b.name = name;
    b.len = make_input(name, b.input, shared);
    return dir ? load_image(dir) : 0;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static const char *names[] = {
#define NAME(k) #k,
    KERNELS(NAME)
#undef NAME
};

int main(int argc, char **argv)
{
    const char *shared = getenv("FC_SHARED_DIR") ? getenv("FC_SHARED_DIR") : FC_SHARED_DIR;
    size_t nk = sizeof names / sizeof names[0];

    if (argc >= 2 && !strcmp(argv[1], "list")) {
        for (size_t i = 0; i < nk; i++)
            printf("%s\n", names[i]);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "check")) {
        int fail = 0, pass = 0;
        for (size_t i = 0; i < nk; i++) {
            if (select_kernel(names[i], argv[2], shared) != 0) {
                fail++;
                continue;
            }
            reset_input();
            uint64_t want = b.native(b.work, b.len);
            uint64_t got[3];
            for (int fast = 0; fast < 3; fast++) {
                int rc = startup(fast);
                if (rc != FC_OK) {
                    printf("FAIL %s: load: %s\n", b.name, fc_strerror(rc));
                    got[fast] = ~want;
                    continue;
                }
                reset_input();
                got[fast] = run_vm();
            }
            int ok = got[0] == want && got[1] == want && got[2] == want;
            printf("%s %-12s native 0x%" PRIx64 " vm 0x%" PRIx64 " specialised 0x%" PRIx64
                   " jit 0x%" PRIx64 "\n",
                   ok ? "ok  " : "FAIL", b.name, want, got[0], got[1], got[2]);
            ok ? pass++ : fail++;
        }
        printf("%d passed, %d failed\n", pass, fail);
        return fail != 0;
    }
    if (argc == 6 && !strcmp(argv[1], "measure")) {
        int n = atoi(argv[5]);
        const char *mode = argv[4];
        if (select_kernel(argv[3], argv[2], shared) != 0)
            return 2;
        if (startup(!strcmp(mode, "fast") ? 1 : !strncmp(mode, "jit", 3) || !strcmp(mode, "startup_jit") ? 2 : 0) != FC_OK) {
            fprintf(stderr, "%s: image rejected\n", b.name);
            return 1;
        }
        uint64_t r;
        if (!strcmp(mode, "native")) r = measure_native(n);
        else if (!strcmp(mode, "vm")) r = measure_vm(n);
        else if (!strcmp(mode, "fast")) r = measure_fast(n);
        else if (!strcmp(mode, "jit")) r = measure_jit(n);
        else if (!strcmp(mode, "startup")) r = (uint64_t)measure_startup(n);
        else if (!strcmp(mode, "startup_fast")) r = (uint64_t)measure_startup_fast(n);
        else if (!strcmp(mode, "startup_jit")) r = (uint64_t)measure_startup_jit(n);
        else {
            fprintf(stderr, "unknown mode %s\n", mode);
            return 2;
        }
        printf("%s %s x%d: 0x%" PRIx64 " jit_bytes %zu slots %" PRIu32 "\n", b.name, mode, n, r, jit_bytes,
               b.img.nslots);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "time")) {
        printf("kernel native_ns vm_ns fast_ns startup_ns startup_fast_ns jit_ns\n");
        for (size_t i = 0; i < nk; i++) {
            if (select_kernel(names[i], argv[2], shared) != 0 || startup(0) != FC_OK)
                return 1;
            double t[6];
            int reps = 2000;
            for (int m = 0; m < 6; m++) {
                if ((m == 2 && startup(1) != FC_OK) || (m == 5 && startup(2) != FC_OK))
                    return 1;
                double t0 = now_ns();
                switch (m) {
                case 0: measure_native(reps); break;
                case 1: measure_vm(reps); break;
                case 2: measure_fast(reps); break;
                case 3: measure_startup(reps); break;
                case 4: measure_startup_fast(reps); break;
                default: measure_jit(reps); break;
                }
                t[m] = (now_ns() - t0) / reps;
            }
            printf("%s %.0f %.0f %.0f %.0f %.0f %.0f\n", b.name, t[0], t[1], t[2], t[3], t[4], t[5]);
        }
        return 0;
    }
    fprintf(stderr, "usage: fc_bench list | check IMGDIR | measure IMGDIR KERNEL MODE N | time IMGDIR\n");
    return 2;
}
