/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JIT firmware (Cortex-M4, mps2-an386): every bpf_conformance program
 * compiled by the Thumb-2 JIT and run against the fast interpreter (the
 * same result, error, pc, budget left, context and stack bytes), again
 * under budgets that run out half way and one unit short and with half
 * its context (accesses past the end fault), then random programs (drawn
 * from the ISA table, with helper and local calls, filtered by the
 * verifier) the same way, then the hostile
 * containers (fw_hostile.c) through the JIT, and Fletcher32 native vs JIT
 * with guest instruction counts, compile cost and code size. Prints
 * "ok ..." / "FAIL ..." lines, "jit: key value" figures and a final
 * "RESULT: PASS"; exits 0 only when every check passed.
 *
 * Instruction counts assume QEMU's -icount shift=0 (see fw_tests.c).
 */
#include <stdbool.h>
#include <string.h>

#include "fc/conformance.h"
#include "fc/isa_table.h"
#include "fc/jit.h"
#include "fc/runtime.h"
#include "fc/verify.h"
#include "fw.h"

#define FLETCHER_EXPECT 0x8a49b4c2u
#define NATIVE_RUNS     2000u
#define JIT_RUNS        50u
#define COMPILES        50u

static uint64_t insns(uint64_t ticks)
{
    return ticks * (1000000000u / fw_board_tick_hz);
}

static uint8_t code_buf[32768] __attribute__((aligned(8)));

/* Compile the VM's program into code_buf and run it from now on. */
static int jit_load(fc_vm_t *vm, size_t *used)
{
    size_t cap = fc_jit_code_bound(vm);
    if (cap == 0 || cap > sizeof code_buf)
        cap = sizeof code_buf;
    int rc = fc_jit_compile(vm, code_buf, cap, used);
    return rc == FC_OK ? fc_jit_enable(vm, code_buf) : rc;
}

/* ---- the conformance suite, JIT against the interpreter ---- */

typedef struct {
    int rc;
    uint64_t r0;
    uint32_t pc, left;
    uint8_t mem[4096];
    uint64_t stack[FC_CONFORMANCE_STACK / 8];
} outcome_t;

static outcome_t by_interp, by_jit;
static fc_region_t conf_regions[FC_REGION_CTX];
static uint32_t run_entry; /* the slot both engines start at (0 but for the random programs' second run) */

static void run_one(fc_vm_t *vm, const fw_conf_test_t *t, outcome_t *o)
{
    memset(o->stack, 0, sizeof o->stack);
    memcpy(o->mem, t->mem, t->mem_len);
    conf_regions[FC_REGION_STACK - 1] = (fc_region_t){ (uint8_t *)o->stack, sizeof o->stack, 3u };
    conf_regions[FC_REGION_CTX - 1] = (fc_region_t){ o->mem, t->mem_len, 3u };
    o->r0 = 0;
    o->rc = fc_vm_run(vm, run_entry, t->mem_len ? FC_VADDR(FC_REGION_CTX, 0) : 0, t->mem_len, &o->r0);
    o->pc = vm->pc;
    o->left = vm->left;
}

static bool same(const fw_conf_test_t *t)
{
    return by_jit.rc == by_interp.rc && by_jit.pc == by_interp.pc &&
           by_jit.left == by_interp.left && (by_jit.rc != FC_OK || by_jit.r0 == by_interp.r0) &&
           memcmp(by_jit.mem, by_interp.mem, t->mem_len) == 0 &&
           memcmp(by_jit.stack, by_interp.stack, sizeof by_jit.stack) == 0;
}

/* Both engines under @p budget; true when they agree in everything. */
static bool differ_at(fc_vm_t *vm, const fw_conf_test_t *t, uint32_t budget)
{
    vm->budget = budget;
    fc_jit_disable(vm);
    run_one(vm, t, &by_interp);
    if (jit_load(vm, NULL) != FC_OK)
        return false;
    run_one(vm, t, &by_jit);
    return same(t);
}

static void report(const fw_conf_test_t *t, const char *what)
{
    fw_puts("FAIL conformance ");
    fw_puts(t->name);
    fw_puts(what);
    fw_puts(": jit rc ");
    fw_put_i64(by_jit.rc);
    fw_puts(" r0 ");
    fw_put_hex(by_jit.r0);
    fw_puts(" pc ");
    fw_put_u64(by_jit.pc);
    fw_puts(" left ");
    fw_put_u64(by_jit.left);
    fw_puts("; interpreter rc ");
    fw_put_i64(by_interp.rc);
    fw_puts(" r0 ");
    fw_put_hex(by_interp.r0);
    fw_puts(" pc ");
    fw_put_u64(by_interp.pc);
    fw_puts(" left ");
    fw_put_u64(by_interp.left);
    fw_puts(" want ");
    fw_put_hex(t->result);
    fw_puts("\n");
}

static void run_conformance(void)
{
    unsigned pass = 0, budget_runs = 0, faults = 0, half_runs = 0, mem_faults = 0;
    uint64_t slots = 0, bytes = 0, compile_ticks = 0, worst = 0;
    for (unsigned n = 0; n < fw_conf_ntests; n++) {
        const fw_conf_test_t *t = &fw_conf_tests[n];
        fc_vm_t vm;
        size_t used = 0;
        if (t->mem_len > sizeof by_jit.mem) {
            report(t, ": too large for the firmware's buffers");
            continue;
        }
        int rc = fc_vm_init(&vm, t->prog, t->prog_len, conf_regions, FC_REGION_CTX,
                            &fc_conformance_helpers);
        conf_regions[FC_REGION_STACK - 1] = (fc_region_t){ (uint8_t *)by_jit.stack, sizeof by_jit.stack, 3u };
        if (rc == FC_OK)
            rc = fc_vm_verify(&vm, NULL);
        if (strcmp(t->name, "callx") == 0) {
            /* the verifier refuses calls through a register by design */
            pass += rc == FC_ERR_CALL;
            continue;
        }
        if (rc != FC_OK) {
            by_jit.rc = rc;
            report(t, ": refused");
            continue;
        }
        uint64_t t0 = fw_board_ticks();
        rc = fc_jit_compile(&vm, code_buf, sizeof code_buf, &used);
        compile_ticks += fw_board_ticks() - t0;
        slots += vm.nslots;
        bytes += used;
        if (used > worst * vm.nslots)
            worst = used / vm.nslots;
        if (used > fc_jit_code_bound(&vm)) {
            report(t, ": code larger than fc_jit_code_bound()");
            continue;
        }
        vm.budget = FC_BUDGET_DEFAULT;
        bool ok = rc == FC_OK && differ_at(&vm, t, FC_BUDGET_DEFAULT);
        ok = ok && by_jit.rc == FC_OK && by_jit.r0 == t->result;
        if (!ok) {
            report(t, "");
            continue;
        }
        /* the budget: paid at the same slots, so it runs out at the same slot with the same left */
        uint32_t spent = FC_BUDGET_DEFAULT - by_interp.left;
        uint32_t cut[2] = { spent / 2, spent - 1 };
        for (unsigned k = 0; k < 2 && ok && spent > 0; k++) {
            ok = differ_at(&vm, t, cut[k]);
            budget_runs++;
            faults += by_jit.rc == FC_ERR_BUDGET;
        }
        if (!ok) {
            report(t, " under a short budget");
            continue;
        }
        /* half the context: accesses past its end fault, at the same slot with the same cause */
        fw_conf_test_t half = *t;
        half.mem_len /= 2;
        if (t->mem_len > 0) {
            ok = differ_at(&vm, &half, FC_BUDGET_DEFAULT);
            half_runs++;
            mem_faults += by_jit.rc == FC_ERR_MEM;
        }
        if (!ok) {
            report(t, " with half its context");
            continue;
        }
        pass++;
    }
    fw_puts("conformance: ");
    fw_put_u64(pass);
    fw_puts("/");
    fw_put_u64(fw_conf_ntests);
    fw_puts(" passed\n");
    fw_check(pass == fw_conf_ntests, "conformance suite through the JIT, same as the interpreter");
    fw_kv("jit: short-budget runs, same fault, pc and budget left as the interpreter:", budget_runs);
    fw_kv("jit: of which out of budget:", faults);
    fw_kv("jit: half-context runs, same result or fault as the interpreter:", half_runs);
    fw_kv("jit: of which out of bounds:", mem_faults);
    fw_kv("jit: conformance slots compiled:", slots);
    fw_kv("jit: conformance code bytes:", bytes);
    fw_kv("jit: conformance code bytes per slot x100:", slots ? bytes * 100u / slots : 0);
    fw_kv("jit: conformance worst code bytes per slot:", worst);
    fw_kv("jit: conformance compile instructions per slot:", slots ? insns(compile_ticks) / slots : 0);
}

/* ---- random programs, JIT against the interpreter ---- */

#ifndef FUZZ_PROGRAMS
#define FUZZ_PROGRAMS 6000u
#endif
#ifndef FUZZ_SLOTS
#define FUZZ_SLOTS 24u
#endif
#define FUZZ_BUDGET   200u

#define OPV(name, value, ...) value,
static const uint8_t fuzz_ops[] = { FC_ISA_TABLE(OPV) };
#undef OPV

#ifndef FUZZ_SEED
#define FUZZ_SEED 0x2545f491u
#endif
static uint32_t fuzz_state = FUZZ_SEED;

static uint32_t rnd(uint32_t n)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 17;
    fuzz_state ^= fuzz_state << 5;
    return n ? fuzz_state % n : fuzz_state;
}

static int32_t rnd_imm(void)
{
    static const int32_t edge[] = { 0, 1, -1, 2, 7, 8, 16, 31, 32, 33, 63, 64, 255, 0xffff,
                                    0x7fffffff, INT32_MIN, -8, 0x10000 };
    return rnd(3) ? edge[rnd(sizeof edge / sizeof edge[0])] : (int32_t)rnd(0);
}

/* One random slot at pc of n, with the fields the verifier asks for (mostly). */
static fc_insn_t rnd_insn(uint32_t pc, uint32_t n)
{
    static const int16_t movsx[4] = { 0, 8, 16, 32 };
    static const int32_t atomic[] = { 0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1 };
    static const int32_t swap[3] = { 16, 32, 64 };
    fc_insn_t i = { fuzz_ops[rnd(sizeof fuzz_ops)], (uint8_t)rnd(10), (uint8_t)rnd(11), 0, 0 };
    unsigned cls = i.op & 7u, op = i.op & 0xf0u;
    int x = (i.op & FC_SRC_X) != 0;
    switch (cls) {
    case FC_CLS_ALU:
    case FC_CLS_ALU64:
        if (op == FC_ALU_END)
            return (fc_insn_t){ i.op, i.dst, 0, 0, swap[rnd(3)] };
        if (op == FC_ALU_NEG)
            return (fc_insn_t){ i.op, i.dst, 0, 0, 0 };
        if (op == FC_ALU_MOV && x)
            i.off = movsx[rnd(cls == FC_CLS_ALU64 ? 4 : 3)];
        if (op == FC_ALU_DIV || op == FC_ALU_MOD)
            i.off = (int16_t)rnd(2);
        break;
    case FC_CLS_LD: /* LDDW: region ids 1..5 in the upper word mostly */
        return (fc_insn_t){ i.op, i.dst, 0, 0, (int32_t)rnd(80) - 8 };
    case FC_CLS_LDX:
    case FC_CLS_ST:
    case FC_CLS_STX: {
        unsigned base = rnd(10) < 5 ? 1u : rnd(10) < 6 ? 10u : rnd(11);
        int16_t off = base == 10 ? (int16_t)(-1 - (int32_t)rnd(64)) : (int16_t)((int32_t)rnd(80) - 8);
        if (cls == FC_CLS_LDX)
            return (fc_insn_t){ i.op, i.dst, (uint8_t)base, off, 0 };
        i.dst = (uint8_t)base;
        i.off = off;
        if (cls == FC_CLS_ST)
            return (fc_insn_t){ i.op, i.dst, 0, off, rnd_imm() };
        i.imm = (i.op & 0xe0u) == FC_MODE_ATOMIC ? atomic[rnd(sizeof atomic / sizeof atomic[0])] : 0;
        return i;
    }
    default: /* jumps: a target inside the program; calls: the suite's helpers or a local target */
        if (op == FC_JMP_EXIT)
            return (fc_insn_t){ FC_OP_EXIT, 0, 0, 0, 0 };
        if (op == FC_JMP_CALL)
            return rnd(2) ? (fc_insn_t){ FC_OP_CALL, 0, FC_CALL_HELPER, 0, (int32_t)rnd(6) }
                          : (fc_insn_t){ FC_OP_CALL, 0, FC_CALL_LOCAL, 0,
                                         (int32_t)rnd(n) - (int32_t)pc - 1 };
        i.off = (int16_t)((int32_t)rnd(n) - (int32_t)pc - 1);
        if (i.op == FC_OP_JA32)
            return (fc_insn_t){ i.op, 0, 0, 0, i.off };
        if (op == FC_JMP_JA)
            return (fc_insn_t){ i.op, 0, 0, i.off, 0 };
        break;
    }
    if (x)
        i.imm = 0;
    else
        i.src = 0, i.imm = rnd_imm();
    if ((op == FC_ALU_DIV || op == FC_ALU_MOD) && !x && i.imm == 0 && cls != FC_CLS_JMP &&
        cls != FC_CLS_JMP32)
        i.imm = 3;
    return i;
}

static uint8_t fuzz_prog[FUZZ_SLOTS * FC_INSN_SIZE];
static uint8_t fuzz_ctx[64], fuzz_ro[16];

/*
 * After "wd = ws" (32-bit), often "wd op= wt or K" (add, sub, or, and,
 * xor): the pair the Thumb-2 backend compiles as one instruction
 * (fuse_mov), whose second slot is then no safe entry.
 */
static fc_insn_t rnd_after(fc_insn_t prev, fc_insn_t i)
{
    static const uint8_t ops[5] = { FC_ALU_ADD, FC_ALU_SUB, FC_ALU_OR, FC_ALU_AND, FC_ALU_XOR };
    if (prev.op != (FC_CLS_ALU | FC_ALU_MOV | FC_SRC_X) || prev.off != 0 || rnd(2) == 0)
        return i;
    if (rnd(2))
        return (fc_insn_t){ (uint8_t)(FC_CLS_ALU | ops[rnd(5)] | FC_SRC_X), prev.dst, (uint8_t)rnd(10), 0, 0 };
    return (fc_insn_t){ (uint8_t)(FC_CLS_ALU | ops[rnd(5)]), prev.dst, 0, 0, rnd_imm() };
}

/* Whether a, b is such a pair. */
static bool rnd_after_pair(fc_insn_t a, fc_insn_t b)
{
    unsigned op = b.op & 0xf0u;
    return a.op == (FC_CLS_ALU | FC_ALU_MOV | FC_SRC_X) && a.off == 0 && (b.op & 7u) == FC_CLS_ALU &&
           b.dst == a.dst &&
           (op == FC_ALU_ADD || op == FC_ALU_SUB || op == FC_ALU_OR || op == FC_ALU_AND || op == FC_ALU_XOR);
}

static void run_fuzz(void)
{
    unsigned accepted = 0, agree = 0, faulted = 0, entries = 0, pair_entries = 0;
    fw_conf_test_t t = { "fuzz", fuzz_prog, sizeof fuzz_prog, fuzz_ctx, sizeof fuzz_ctx, 0 };
    for (uint32_t k = 0; k < sizeof fuzz_ctx; k++)
        fuzz_ctx[k] = (uint8_t)rnd(256);
    memset(fuzz_ro, 0x5a, sizeof fuzz_ro);
    conf_regions[FC_REGION_RODATA - 1] = (fc_region_t){ fuzz_ro, sizeof fuzz_ro, FC_MEM_READ };
    for (unsigned p = 0; p < FUZZ_PROGRAMS; p++) {
        fc_insn_t prev = { 0, 0, 0, 0, 0 };
        for (uint32_t pc = 0; pc < FUZZ_SLOTS; pc++) {
            fc_insn_t i = pc + 1 == FUZZ_SLOTS ? (fc_insn_t){ FC_OP_EXIT, 0, 0, 0, 0 }
                                                : rnd_after(prev, rnd_insn(pc, FUZZ_SLOTS));
            prev = i;
            fc_insn_encode(fuzz_prog + pc * FC_INSN_SIZE, i);
            if (i.op == FC_OP_LDDW && pc + 2 < FUZZ_SLOTS) {
                pc++;
                fc_insn_encode(fuzz_prog + pc * FC_INSN_SIZE,
                               (fc_insn_t){ 0, 0, 0, 0, (int32_t)rnd(6) });
            } else if (i.op == FC_OP_LDDW) {
                fc_insn_encode(fuzz_prog + pc * FC_INSN_SIZE, (fc_insn_t){ FC_OP_EXIT, 0, 0, 0, 0 });
            }
        }
        fc_vm_t vm;
        conf_regions[FC_REGION_STACK - 1] = (fc_region_t){ (uint8_t *)by_jit.stack, sizeof by_jit.stack, 3u };
        if (fc_vm_init(&vm, fuzz_prog, sizeof fuzz_prog, conf_regions, FC_REGION_CTX,
                       &fc_conformance_helpers) != FC_OK || fc_vm_verify(&vm, NULL) != FC_OK)
            continue;
        accepted++;
        run_entry = 0;
        bool ok = differ_at(&vm, &t, FUZZ_BUDGET);
        /* and from another slot, not an LDDW's second (any slot is an entry: fc_vm_run) */
        uint32_t e = rnd(FUZZ_SLOTS);
        bool at_pair = rnd(2) != 0; /* half the time: the first pair's second slot, if any */
        for (uint32_t j = 1; at_pair && j < FUZZ_SLOTS; j++) {
            if (rnd_after_pair(fc_insn_decode(fuzz_prog + (j - 1) * FC_INSN_SIZE),
                               fc_insn_decode(fuzz_prog + j * FC_INSN_SIZE))) {
                e = j;
                break;
            }
        }
        if (e == 0 || fuzz_prog[(e - 1) * FC_INSN_SIZE] != FC_OP_LDDW) {
            run_entry = e;
            ok = ok && differ_at(&vm, &t, FUZZ_BUDGET);
            entries++;
            if (e > 0) { /* at the second slot of a pair fuse_mov may join (if no target) */
                fc_insn_t a = fc_insn_decode(fuzz_prog + (e - 1) * FC_INSN_SIZE);
                fc_insn_t b = fc_insn_decode(fuzz_prog + e * FC_INSN_SIZE);
                pair_entries += rnd_after_pair(a, b);
            }
            run_entry = 0;
        }
        agree += ok;
        faulted += by_jit.rc != FC_OK;
        if (!ok) {
            report(&t, " (a random program)");
            for (uint32_t pc = 0; pc < FUZZ_SLOTS; pc++) {
                fc_insn_t i = fc_insn_decode(fuzz_prog + pc * FC_INSN_SIZE);
                fw_puts("  op ");
                fw_put_hex(i.op);
                fw_puts(" dst ");
                fw_put_u64(i.dst);
                fw_puts(" src ");
                fw_put_u64(i.src);
                fw_puts(" off ");
                fw_put_i64(i.off);
                fw_puts(" imm ");
                fw_put_i64(i.imm);
                fw_puts("\n");
            }
        }
    }
    conf_regions[FC_REGION_RODATA - 1] = (fc_region_t){ NULL, 0, 0 };
    fw_check(accepted > 0 && agree == accepted, "random programs: the JIT agrees with the interpreter");
    fw_kv("jit: random programs verified and run:", accepted);
    fw_kv("jit: random programs the same in both engines:", agree);
    fw_kv("jit: random programs that faulted:", faulted);
    fw_kv("jit: random programs also run from another slot:", entries);
    fw_kv("jit: of which from the second slot of a mov/op pair:", pair_entries);
}

/* ---- the runtime: Fletcher32 and the hostile containers ---- */

/*
 * The port's code memory (fc_port_t::code_alloc): a few fixed blocks of
 * RAM. The M4 without an MPU executes from SRAM, so sealing is completing
 * the writes and refetching (DSB, ISB); an MPU port would drop write
 * permission here.
 */
#define CODE_BLOCKS      4u
#define CODE_BLOCK_BYTES 8192u
static uint8_t code_pool[CODE_BLOCKS][CODE_BLOCK_BYTES] __attribute__((aligned(8)));
static bool code_taken[CODE_BLOCKS];

static void *code_alloc(void *ctx, size_t len)
{
    (void)ctx;
    for (unsigned b = 0; b < CODE_BLOCKS; b++) {
        if (!code_taken[b] && len <= CODE_BLOCK_BYTES) {
            code_taken[b] = true;
            return code_pool[b];
        }
    }
    return NULL;
}

static const void *code_seal(void *ctx, void *mem)
{
    (void)ctx;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    return mem;
}

static void code_free(void *ctx, const void *mem)
{
    (void)ctx;
    for (unsigned b = 0; b < CODE_BLOCKS; b++)
        if (mem == code_pool[b])
            code_taken[b] = false;
}

static fc_port_t jit_port;

static fc_rt_t rt;
static fc_store_entry_t global[8], pool[32];
static fc_tenant_t alice, bob;
static fc_container_t fl;
static uint8_t fl_ram[64] __attribute__((aligned(8)));
static uint8_t fl_stack[512] __attribute__((aligned(8)));
static uint8_t input[360] __attribute__((aligned(8)));

/* native and JIT runs get the same input, restored before each */
static uint64_t (*volatile native_fn)(void *, uint64_t) = native_fletcher32;

int __real_fc_container_run(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                            uint32_t ctx_flags, uint64_t *r0);
int __wrap_fc_container_run(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                            uint32_t ctx_flags, uint64_t *r0);
static unsigned wrapped_runs;

static unsigned compiled_at_load;

/*
 * Linked with --wrap=fc_container_run: every container run of this
 * firmware (fw_hostile.c's too) must go through the JIT. The runtime
 * compiles at load when the port gives code memory (counted); a container
 * it left interpreted is compiled here into the same memory.
 */
int __wrap_fc_container_run(fc_container_t *c, uint32_t entry, void *ctx, uint32_t ctx_len,
                            uint32_t ctx_flags, uint64_t *r0)
{
    if (!(c->vm.verified & FC_VERIFIED_JIT)) {
        size_t cap = fc_jit_code_bound(&c->vm);
        uint8_t *buf = code_alloc(NULL, cap);
        int rc = buf == NULL ? FC_ERR_NOMEM : fc_jit_compile(&c->vm, buf, cap, NULL);
        if (rc == FC_OK)
            rc = fc_jit_enable(&c->vm, code_seal(NULL, buf));
        if (rc != FC_OK) {
            code_free(NULL, buf);
            return rc;
        }
    } else {
        compiled_at_load++;
    }
    wrapped_runs++;
    return __real_fc_container_run(c, entry, ctx, ctx_len, ctx_flags, r0);
}

static void run_fletcher(void)
{
    fc_image_t img;
    fc_verify_info_t info;
    uint32_t entry;
    uint64_t r0 = 0;
    size_t used = 0;

    memcpy(input, fw_fletcher_input, sizeof input);
    uint64_t native = native_fn(input, sizeof input);
    fw_check(native == FLETCHER_EXPECT, "fletcher32 native");
    int rc = fc_image_parse(&img, fw_img_fletcher32, fw_img_fletcher32_len);
    if (rc == FC_OK)
        rc = fc_image_entry(&img, "bench", &entry);
    if (rc == FC_OK)
        rc = fc_container_load(&fl, &alice, &img, fl_ram, sizeof fl_ram, fl_stack, sizeof fl_stack,
                               NULL, 0, &info);
    fw_check(rc == FC_OK, "fletcher32 container loaded");
    if (rc != FC_OK)
        return;

    /* compile cost: the same program compiled COMPILES times (into a scratch buffer) */
    uint64_t t = fw_board_ticks();
    for (uint32_t i = 0; i < COMPILES && rc == FC_OK; i++)
        rc = fc_jit_compile(&fl.vm, code_buf, sizeof code_buf, &used);
    uint64_t c_ins = insns(fw_board_ticks() - t) / COMPILES;
    fw_check(rc == FC_OK, "fletcher32 compiled");
    rc = fc_container_run(&fl, entry, input, sizeof input, FC_MEM_READ, &r0);
    fw_check(rc == FC_OK && r0 == FLETCHER_EXPECT, "fletcher32 through the JIT (fc_container_run)");

    t = fw_board_ticks();
    for (uint32_t i = 0; i < NATIVE_RUNS; i++)
        native ^= native_fn(input, sizeof input);
    uint64_t n_ins = insns(fw_board_ticks() - t) / NATIVE_RUNS;
    /*
     * Timed through the runtime's own fc_container_run (__real_): the
     * wrapper above is this firmware's check, not part of a run (about 35
     * instructions); the run before went through it, so the code is compiled.
     */
    t = fw_board_ticks();
    for (uint32_t i = 0; i < JIT_RUNS; i++)
        rc |= __real_fc_container_run(&fl, entry, input, sizeof input, FC_MEM_READ, &r0);
    uint64_t j_ins = insns(fw_board_ticks() - t) / JIT_RUNS;
    fw_check(rc == FC_OK && r0 == FLETCHER_EXPECT, "fletcher32 repeated runs through the JIT");
    fw_kv("jit: fletcher32 native instructions per run:", n_ins);
    fw_kv("jit: fletcher32 jit instructions per run:", j_ins);
    fw_kv("jit: fletcher32 jit/native x100:", n_ins ? j_ins * 100u / n_ins : 0);
    fw_kv("jit: fletcher32 slots:", fl.vm.nslots);

    /* what a run costs around the program: "r0 = 0; exit" through fc_container_run */
    static const uint8_t empty[16] = { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 };
    static fc_container_t ec;
    static uint8_t ec_stack[64] __attribute__((aligned(8)));
    if (fc_container_load_code(&ec, &alice, empty, sizeof empty, NULL, 0, ec_stack, sizeof ec_stack,
                               NULL, 0, &info) == FC_OK) {
        rc |= fc_container_run(&ec, 0, input, sizeof input, FC_MEM_READ, &r0); /* compiled, checked */
        fw_check(rc == FC_OK && r0 == 0 && (ec.vm.verified & FC_VERIFIED_JIT), "empty program through the JIT");
        t = fw_board_ticks();
        for (uint32_t i = 0; i < JIT_RUNS; i++)
            rc |= __real_fc_container_run(&ec, 0, input, sizeof input, FC_MEM_READ, &r0);
        fw_check(rc == FC_OK && r0 == 0, "empty program repeated runs");
        fw_kv("jit: empty program instructions per run (fc_container_run):",
              insns(fw_board_ticks() - t) / JIT_RUNS);
        fc_container_remove(&ec);
    }
    fw_kv("jit: fletcher32 code bytes:", used);
    fw_kv("jit: fletcher32 code bound bytes:", fc_jit_code_bound(&fl.vm));
    fw_kv("jit: fletcher32 compile instructions:", c_ins);
    fw_kv("jit: fletcher32 compile instructions per slot:", c_ins / fl.vm.nslots);
}

int main(void)
{
    fw_board_init();
    fw_puts("\nfemto-containers JIT firmware on ");
    fw_puts(fw_board_name);
    fw_puts(", Thumb-2 JIT\n");
    run_conformance();
    run_fuzz();
    jit_port = fw_port;
    jit_port.code_alloc = code_alloc;
    jit_port.code_seal = code_seal;
    jit_port.code_free = code_free;
    fw_check(fc_rt_init(&rt, &jit_port, global, 8, pool, 32, NULL) == FC_OK &&
                 fc_tenant_add(&rt, &alice, 10, "alice", FC_CAP_STANDARD, 16) == FC_OK &&
                 fc_tenant_add(&rt, &bob, 20, "bob", FC_CAP_STORE_TENANT, 16) == FC_OK,
             "runtime and two tenants");
    run_fletcher();
    unsigned before = wrapped_runs;
    fw_check(fw_hostile_run(&bob) == 0 && wrapped_runs > before,
             "hostile containers through the JIT fault with the right error, memory intact");
    fw_kv("jit: hostile runs through the JIT:", wrapped_runs - before);
    fw_kv("jit: container runs whose code the runtime compiled at load:", compiled_at_load);
    return fw_result();
}
