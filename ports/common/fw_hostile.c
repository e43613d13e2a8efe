/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile containers on the 32-bit target: the memory checks are where a
 * 64-bit virtual address meets a 32-bit host pointer, and where a helper's
 * 32-bit length can wrap one, so they are re-checked here rather than
 * trusted from the 64-bit host tests. Each program runs as a container of the given tenant with an
 * 8-byte context between canaries; it must fail with the exact error and
 * leave the canaries (and, where it matters, the context) untouched.
 */
#include <stdbool.h>
#include <string.h>

#include "fc/runtime.h"
#include "fw.h"

/* one instruction slot, little-endian */
#define INS(op, dst, src, off, imm)                                                        \
    (uint8_t)(op), (uint8_t)((dst) | ((src) << 4)), (uint8_t)((off) & 0xff),               \
        (uint8_t)(((off) >> 8) & 0xff), (uint8_t)((imm) & 0xff), (uint8_t)(((imm) >> 8) & 0xff), \
        (uint8_t)(((imm) >> 16) & 0xff), (uint8_t)(((uint32_t)(imm) >> 24) & 0xff)
#define EXIT          INS(0x95, 0, 0, 0, 0)
#define MOV64K(d, k)  INS(0xb7, d, 0, 0, k)
#define MOV64X(d, s)  INS(0xbf, d, s, 0, 0)
#define ADD64K(d, k)  INS(0x07, d, 0, 0, k)
#define LDXDW(d, s, o) INS(0x79, d, s, o, 0)
#define LDXW(d, s, o) INS(0x61, d, s, o, 0)
#define STB(d, o, k)  INS(0x72, d, 0, o, k)
#define STXDW(d, s, o) INS(0x7b, d, s, o, 0)
#define CALL(id)      INS(0x85, 0, 0, 0, id)
#define JA(o)         INS(0x05, 0, 0, o, 0)
#define LDDW(d, hi, lo) INS(0x18, d, 0, 0, lo), INS(0x00, 0, 0, 0, hi)
#define DIV64X(d, s)  INS(0x3f, d, s, 0, 0)
#define MOD64X(d, s)  INS(0x9f, d, s, 0, 0)

#define HELPER_MEMCPY 10
#define HELPER_MEMSET 11

typedef struct {
    const char *what;
    const uint8_t *code;
    uint32_t len;
    uint8_t ctx_flags;
    int expect;       /* fc_container_run's status (or the load's when it refuses) */
    int alt;          /* another acceptable status, 0 for none */
    uint64_t r0;      /* expected r0 when expect is FC_OK */
} hostile_t;

/* ctx + 4: an 8-byte load running past the context's end */
static const uint8_t p_past_end[] = { LDXDW(0, 1, 4), EXIT };
/* region 4, offset 0xfffffffc: offset + size passes 2^32 */
static const uint8_t p_wrap[] = { LDDW(1, 4, (int32_t)0xfffffffc), LDXDW(0, 1, 0), EXIT };
/* region ids whose low byte or low bits are 4: must not alias the context */
static const uint8_t p_id_hi[] = { LDDW(1, (int32_t)0x80000004, 0), LDXW(0, 1, 0), EXIT };
static const uint8_t p_id_104[] = { LDDW(1, 0x104, 0), LDXW(0, 1, 0), EXIT };
/* a write into a read-only context */
static const uint8_t p_ro[] = { STB(1, 0, 1), MOV64K(0, 0), EXIT };
/* helper lengths are u32 (helper_ids.h): lengths that wrap a 32-bit host pointer */
/* memset(ctx + 4, 0x77, 0xfffffffc) */
static const uint8_t p_memset_wrap[] = { ADD64K(1, 4), MOV64K(2, 0x77), LDDW(3, 0, (int32_t)0xfffffffc),
                                         CALL(HELPER_MEMSET), EXIT };
/* memset(ctx, 0x77, 12): four bytes past the context */
static const uint8_t p_memset_past[] = { MOV64K(2, 0x77), MOV64K(3, 12), CALL(HELPER_MEMSET), EXIT };
/* memcpy(ctx, stack, 0xffffffff) */
static const uint8_t p_memcpy_wrap[] = { MOV64X(2, 10), ADD64K(2, -64), LDDW(3, 0, -1),
                                         CALL(HELPER_MEMCPY), EXIT };
/* a pointer derived from r10 pointing above the stack's top */
static const uint8_t p_above_stack[] = { MOV64X(2, 10), ADD64K(2, 8), STXDW(2, 1, 0), MOV64K(0, 0),
                                         EXIT };
/* an endless loop: stopped by the budget */
static const uint8_t p_loop[] = { JA(-1), EXIT };
/* 64-bit division and modulo by a zero register: 0 and the dividend, no trap */
static const uint8_t p_div0[] = { MOV64K(0, 7), MOV64K(2, 0), DIV64X(0, 2), MOV64K(3, 9),
                                  MOD64X(3, 2), INS(0x0f, 0, 3, 0, 0), EXIT };

#define H(p, flags, err, r) { #p, p, sizeof p, flags, err, 0, r }
static const hostile_t cases[] = {
    H(p_past_end, FC_MEM_READ, FC_ERR_MEM, 0),
    H(p_wrap, FC_MEM_READ, FC_ERR_MEM, 0),
    H(p_id_hi, FC_MEM_READ, FC_ERR_MEM, 0),
    H(p_id_104, FC_MEM_READ, FC_ERR_MEM, 0),
    H(p_ro, FC_MEM_READ, FC_ERR_MEM_PERM, 0),
    H(p_memset_wrap, FC_MEM_READ | FC_MEM_WRITE, FC_ERR_MEM, 0),
    H(p_memset_past, FC_MEM_READ | FC_MEM_WRITE, FC_ERR_MEM, 0),
    H(p_memcpy_wrap, FC_MEM_READ | FC_MEM_WRITE, FC_ERR_MEM, 0),
    /* the verifier may refuse it (frame proof) or the run fault it: both keep memory intact */
    { "p_above_stack", p_above_stack, sizeof p_above_stack, FC_MEM_READ | FC_MEM_WRITE, FC_ERR_MEM,
      FC_ERR_STACK, 0 },
    H(p_loop, FC_MEM_READ, FC_ERR_BUDGET, 0),
    H(p_div0, FC_MEM_READ, FC_OK, 9),
};

#define CANARY 0x5au

static struct {
    uint8_t pre[32];
    uint8_t ctx[8];
    uint8_t post[32];
} arena;

static fc_container_t hc;
static uint8_t hstack[512] __attribute__((aligned(8)));

static bool canaries_intact(void)
{
    for (size_t i = 0; i < sizeof arena.pre; i++)
        if (arena.pre[i] != CANARY || arena.post[i] != CANARY)
            return false;
    return true;
}

unsigned fw_hostile_run(fc_tenant_t *t)
{
    static const uint8_t ctx0[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    unsigned failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const hostile_t *h = &cases[i];
        fc_verify_info_t info;
        uint64_t r0 = 0;
        memset(&arena, CANARY, sizeof arena);
        memcpy(arena.ctx, ctx0, sizeof ctx0);
        int rc = fc_container_load_code(&hc, t, h->code, h->len, NULL, 0, hstack, sizeof hstack,
                                        NULL, 0, &info);
        if (rc == FC_OK) {
            /* a shorter budget keeps the endless loop quick under QEMU */
            hc.vm.budget = 20000;
            rc = fc_container_run(&hc, 0, arena.ctx, sizeof arena.ctx, h->ctx_flags, &r0);
        }
        bool ok = (rc == h->expect || (h->alt != 0 && rc == h->alt)) && (rc != FC_OK || r0 == h->r0) && canaries_intact() &&
                  memcmp(arena.ctx, ctx0, sizeof ctx0) == 0;
        fc_container_remove(&hc);
        fw_puts(ok ? "ok   hostile " : "FAIL hostile ");
        fw_puts(h->what);
        fw_puts(": ");
        fw_puts(rc == FC_OK ? "ran" : fc_strerror(rc));
        fw_puts("\n");
        failed += !ok;
    }
    return failed;
}
