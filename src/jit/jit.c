/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JIT's front end: the compile driver (two passes over the slots with
 * per-slot offsets, so every jump's target is known in the second), the
 * run wrapper, and the C functions compiled code calls for what is rare
 * and long: helper calls, atomics and region-cache misses. Written against
 * the interpreters' own pieces (vm_internal.h), so the rules are the same
 * code: fc_run_begin, fc_call_helper, fc_atomic_rmw, fc_mem_cause.
 * Freestanding: no allocation, no recursion; all memory is the caller's.
 */
#include "jit_internal.h"

#include "fc/verify.h"

#if FC_JIT

/* bytes of a bitmap of n slots, a multiple of 4 */
static size_t map_len(uint32_t n)
{
    return (((size_t)n + 31u) / 32u) * 4u;
}

/*
 * Mark every slot control can arrive at other than from the slot before:
 * jump and local-call targets, and the slot a local call returns to.
 */
static void mark_targets(const fc_jit_state_t *s)
{
    for (uint32_t pc = 0; pc < s->nslots; pc++) {
        const fc_insn_t i = fc_jit_insn(s, pc);
        const unsigned cls = i.op & 7u;
        if (i.op == FC_OP_LDDW) {
            pc++;
            continue;
        }
        if ((cls != FC_CLS_JMP && cls != FC_CLS_JMP32) || i.op == FC_OP_EXIT)
            continue;
        if (i.op == FC_OP_CALL) {
            if (i.src != FC_CALL_LOCAL)
                continue;
            if (pc + 1 < s->nslots)
                s->tmap[(pc + 1) / 8] |= (uint8_t)(1u << ((pc + 1) % 8));
        }
        const uint32_t t = fc_jit_target(pc, i);
        if (t < s->nslots)
            s->tmap[t / 8] |= (uint8_t)(1u << (t % 8));
    }
}

/*
 * The region caches compiled code reads (bit k): those of the accesses it
 * checks inline (atomics go through C, fc_jit_c_atomic, which uses none).
 * *hot: the one the run fills from the context up front (x86-64 also keeps
 * it in a register): the size whose loads and stores are most (both
 * directions share the window), then its busier direction.
 */
static uint32_t cache_mask(const fc_jit_state_t *s, uint32_t *hot)
{
    uint32_t n[FC_JIT_NCACHE] = { 0 }, m = 0, best = 0;
    for (uint32_t pc = 0; pc < s->nslots; pc++) {
        const fc_insn_t i = fc_jit_insn(s, pc);
        const unsigned cls = i.op & 7u;
        if (i.op == FC_OP_LDDW)
            pc++;
        else if ((cls == FC_CLS_LDX || cls == FC_CLS_ST || cls == FC_CLS_STX) &&
                 (i.op & 0xe0u) != FC_MODE_ATOMIC && !fc_jit_proven(i))
            n[FC_JIT_CACHE(fc_jit_size_lg(i.op), cls != FC_CLS_LDX)]++;
    }
    for (uint32_t k = 0; k < FC_JIT_NCACHE; k++)
        m |= n[k] != 0 ? 1u << k : 0u;
    for (uint32_t k = 1; k < 4; k++)
        if (n[k] + n[k + 4] > n[best] + n[best + 4])
            best = k;
    *hot = n[best + 4] > n[best] ? best + 4 : best;
    return m;
}

/*
 * Whether the code or the C it calls reads ctx.stack, fp or vdelta: r10
 * named by a slot (as a register: an LDDW's src is its kind, never 10), or
 * a call or an atomic (their C side syncs r10; a local call moves it).
 */
static uint32_t uses_stack(const fc_jit_state_t *s)
{
    for (uint32_t pc = 0; pc < s->nslots; pc++) {
        const fc_insn_t i = fc_jit_insn(s, pc);
        if (i.dst == 10 || i.src == 10 || i.op == FC_OP_CALL ||
            ((i.op & 7u) == FC_CLS_STX && (i.op & 0xe0u) == FC_MODE_ATOMIC))
            return 1;
        if (i.op == FC_OP_LDDW)
            pc++;
    }
    return 0;
}

size_t fc_jit_code_bound(const fc_vm_t *vm)
{
    if (vm == NULL || !(vm->verified & FC_VERIFIED))
        return 0;
    /* the code, its stubs, the per-slot table (4 bytes a slot) and two bitmaps, aligned */
    return sizeof(fc_jit_hdr_t) + FC_JIT_FIXED + 16u + 2u * map_len(vm->nslots) +
           (size_t)vm->nslots * (FC_JIT_SLOT_MAX + sizeof(uint32_t));
}

int fc_jit_compile(fc_vm_t *vm, uint8_t *buf, size_t cap, size_t *used)
{
    if (used != NULL)
        *used = 0;
    if (vm == NULL || buf == NULL || (uintptr_t)buf % 8u != 0)
        return FC_ERR_INVAL;
    if (!(vm->verified & FC_VERIFIED) || vm->nslots == 0)
        return FC_ERR_NOT_VERIFIED;
    const size_t table_len = (size_t)vm->nslots * sizeof(uint32_t);
    if (cap > UINT32_MAX)
        cap = UINT32_MAX & ~(size_t)7; /* offsets are 32-bit */
    const size_t mlen = map_len(vm->nslots);
    if (cap < sizeof(fc_jit_hdr_t) + FC_JIT_FIXED + table_len + 2u * mlen + 8u)
        return FC_ERR_NOMEM;
    /*
     * At the buffer's end, below the code's reach: the unsafe-entry map, the
     * target map (compile time only), then the table pass 0 fills.
     */
    uint32_t *table = (uint32_t *)(void *)(buf + ((cap - table_len) & ~(size_t)3));
    uint8_t *tmap = (uint8_t *)table - mlen, *umap = tmap - mlen;
    fc_jit_state_t s;
    FC_MEMSET(&s, 0, sizeof s);
    s.vm = vm;
    s.code = vm->code;
    s.nslots = vm->nslots;
    s.buf = buf;
    s.end = umap;
    s.off = table;
    s.tmap = tmap;
    s.umap = umap;
    FC_MEMSET(umap, 0, table_len + 2u * mlen); /* forward targets read in pass 0 are then defined */
    mark_targets(&s);
    const uint32_t cmask = cache_mask(&s, &s.hot);

    for (s.pass = 0; s.pass < 2; s.pass++) {
        s.p = buf + sizeof(fc_jit_hdr_t);
        s.nstubs = 0;
        s.stub_p = buf + s.stub_base;
        fc_jit_arch_begin(&s);
        for (s.pc = 0; s.pc < s.nslots && !s.overflow; s.pc++) {
            const fc_insn_t i = fc_jit_insn(&s, s.pc);
            const uint32_t here = fc_jit_here(&s);
            if (s.pass == 0)
                table[s.pc] = here;
            else if (table[s.pc] != here)
                return FC_ERR_NOTSUP; /* a backend whose passes disagree: never run its code */
            fc_jit_arch_slot(&s, i);
            if (i.op == FC_OP_LDDW && s.pc + 1 < s.nslots) {
                s.pc++; /* its second slot is never a target (verified) */
                table[s.pc] = here;
            }
        }
        fc_jit_arch_end(&s);
        if (s.overflow)
            return FC_ERR_NOMEM;
        if (s.pass == 0)
            s.stub_base = fc_jit_here(&s);
    }
    /* the code ends after the stubs; the table and the unsafe-entry map move down behind it */
    size_t code_end = (size_t)(s.stub_p - buf);
    size_t at = (code_end + 3u) & ~(size_t)3; /* at most the maps' place: the code stopped before them */
    memmove(buf + at, table, table_len);
    memmove(buf + at + table_len, umap, mlen);
    const uint32_t hot = s.hot;
    fc_jit_hdr_t hdr = { FC_JIT_MAGIC, vm->nslots, (uint32_t)at, s.lbl[0],
                         (uint64_t)(uintptr_t)vm->code, (uint32_t)(at + table_len), (uint8_t)hot, (uint8_t)(hot ^ 4u),
                         (uint8_t)((1u << (hot & 3u)) - 1u), (hot & 4u) ? FC_MEM_WRITE : FC_MEM_READ,
                         cmask & ~((1u << hot) | (1u << (hot ^ 4u))), uses_stack(&s) };
    FC_MEMCPY(buf, &hdr, sizeof hdr);
    if (used != NULL)
        *used = at + table_len + mlen;
    return FC_OK;
}

int fc_jit_enable(fc_vm_t *vm, const void *code)
{
    if (vm == NULL || code == NULL || (uintptr_t)code % 8u != 0)
        return FC_ERR_INVAL;
    if (!(vm->verified & FC_VERIFIED))
        return FC_ERR_NOT_VERIFIED;
    fc_jit_hdr_t hdr;
    FC_MEMCPY(&hdr, code, sizeof hdr);
    if (hdr.magic != FC_JIT_MAGIC || hdr.nslots != vm->nslots ||
        hdr.prog != (uint64_t)(uintptr_t)vm->code)
        return FC_ERR_INVAL;
    vm->fast = code;
    vm->verified |= FC_VERIFIED_JIT;
    return FC_OK;
}

void fc_jit_disable(fc_vm_t *vm)
{
    if (vm == NULL || !(vm->verified & FC_VERIFIED_JIT))
        return;
    vm->verified &= (uint8_t)~FC_VERIFIED_JIT;
    vm->fast = NULL;
}

/*
 * The run's up-front fill of cache k and its other direction: fill() for
 * the context region's byte 0 (the same windows without the general
 * lookups; the context is never the stack, so its window starts at 0), as
 * a first miss there would, which saves that miss (programs mostly work on
 * their context). Both caches are written whatever happens: they start
 * empty (lim 0) where fill() refuses, and the first access misses and
 * faults, as it would.
 */
static void fill_ctx(fc_jit_ctx_t *ctx, const fc_vm_t *vm, const fc_jit_hdr_t *hdr)
{
    const unsigned k = hdr->hot, o = hdr->hot_o;
    ctx->cbase[k] = ctx->cbase[o] = FC_VADDR(FC_REGION_CTX, 0);
    uint64_t lim = 0, olim = 0;
    if (vm->nregions >= FC_REGION_CTX) {
        const fc_region_t *r = &vm->regions[FC_REGION_CTX - 1];
        const uint32_t acc = hdr->hot_acc; /* one bit */
        /* whether the region holds one access (measured: signed 2 instructions fewer on x86-64, 4 more on a Cortex-M4) */
#if FC_JIT_X86_64
        const int64_t n = (int64_t)r->len - hdr->hot_m1;
        const int fits = n > 0;
#else
        const uint32_t n = r->len - hdr->hot_m1;
        const int fits = r->len > hdr->hot_m1;
#endif
        if (fits && (r->flags & acc) != 0) {
            lim = (uint64_t)n;
            olim = (r->flags & (acc ^ (FC_MEM_READ | FC_MEM_WRITE))) ? lim : 0;
            ctx->chost[k] = ctx->chost[o] = r->host;
        }
    }
    ctx->clim[k] = lim;
    ctx->clim[o] = olim;
}

/*
 * Fill cache k (and the same size's cache for the other direction) with the
 * window of a's region, as the specialised interpreter's miss does: the
 * host address of a, or NULL when a's access is refused (nothing filled).
 */
static uint8_t *fill(fc_jit_ctx_t *ctx, uint64_t a, uint32_t k)
{
    const uint32_t size = 1u << (k & 3u);
    const uint32_t acc = (k & 4u) ? FC_MEM_WRITE : FC_MEM_READ;
    const uint32_t oacc = (k & 4u) ? FC_MEM_READ : FC_MEM_WRITE;
    const unsigned o = k ^ 4u;
    const uint64_t idx = (a >> 32) - 1u;
    if (idx >= ctx->vm->nregions)
        return NULL;
    const fc_region_t *r = &ctx->vm->regions[idx];
    const uint64_t lim = r->len >= size ? (uint64_t)r->len - (size - 1u) : 0;
    const uint32_t lo = idx == FC_REGION_STACK - 1 ? ctx->stack_lo : 0;
    if ((r->flags & acc) != acc || (uint32_t)a >= lim || (uint32_t)a < lo)
        return NULL;
    /* the stack's window starts at the frame's bottom, as in the interpreter */
    ctx->cbase[k] = ctx->cbase[o] = (a & ~(uint64_t)UINT32_MAX) + lo;
    ctx->clim[k] = lim - lo;
    ctx->clim[o] = (r->flags & oacc) ? lim - lo : 0;
    ctx->chost[k] = ctx->chost[o] = r->host + lo;
    return r->host + (uint32_t)a;
}

int fc_jit_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    fc_jit_ctx_t ctx;
    if (vm == NULL)
        return FC_ERR_INVAL;
    ctx.err = FC_OK;
    vm->pc = entry;
    int err = fc_run_begin(vm, entry, ctx.reg, r1, r2);
    if (err != FC_OK)
        return err;
    const uint8_t *code = vm->fast;
    const fc_jit_hdr_t *hdr = (const fc_jit_hdr_t *)(const void *)code; /* 8-aligned (fc_jit_enable) */
    /* slot 0 is never inside fused code: nothing comes before it */
    if (entry != 0 && (code[hdr->umap + entry / 8] & (1u << (entry % 8)))) {
        /*
         * Entered in the middle of code the backend compiled as one piece
         * (a fused pair, a jump that reuses the flags before it): the
         * interpreter runs this one, with the same results.
         */
        vm->verified &= (uint8_t)~FC_VERIFIED_JIT;
        vm->fast = NULL;
        err = fc_vm_run(vm, entry, r1, r2, r0);
        vm->fast = code;
        vm->verified |= FC_VERIFIED_JIT;
        return err;
    }
    /*
     * What compiled code reads before writing, and only that (the compiler
     * recorded it in the header): the registers it can observe (Thumb-2;
     * x86-64 code zeroes its own), the region caches its checked accesses
     * use (the hot pair is always written by fill_ctx), the counters.
     * Plain stores, not memset calls: on a Cortex-M4 the calls were a third
     * of an empty run (218 of 640 instructions); x86-64 inlines its memsets.
     * chost is read only on a hit, after its clim was filled.
     */
#if !FC_JIT_X86_64
    /* eight stores of a register pair each: cheaper than testing which ones it can observe */
    ctx.reg[0] = 0;
    ctx.reg[3] = 0;
    ctx.reg[4] = 0;
    ctx.reg[5] = 0;
    ctx.reg[6] = 0;
    ctx.reg[7] = 0;
    ctx.reg[8] = 0;
    ctx.reg[9] = 0;
#endif
    if (hdr->cold != 0) {
#if FC_JIT_X86_64
        FC_MEMSET(ctx.cbase, 0, sizeof ctx.cbase);
        FC_MEMSET(ctx.clim, 0, sizeof ctx.clim);
#else
        for (unsigned k = 0; k < FC_JIT_NCACHE; k++) {
            ctx.cbase[k] = 0;
            ctx.clim[k] = 0;
        }
#endif
    }
    fill_ctx(&ctx, vm, hdr);
    const uint32_t target = ((const uint32_t *)(const void *)(code + hdr->table))[entry];
    const fc_region_t *sr = &vm->regions[FC_REGION_STACK - 1];
    ctx.budget = vm->budget > INT32_MAX ? INT32_MAX : (int64_t)vm->budget;
    ctx.vm = vm;
    /* without a call the program has no local call either (FC_VERIFIED_CALLS clear): stack_lo 0, depth unread */
    ctx.stack_lo = 0;
    if (hdr->stack != 0) {
        ctx.stack = (uintptr_t)sr->host;
        ctx.fp = ctx.stack + sr->len;
        ctx.vdelta = FC_VADDR(FC_REGION_STACK, 0) - (uint64_t)ctx.stack;
        ctx.depth = 0;
        if (vm->verified & FC_VERIFIED_CALLS)
            ctx.stack_lo = sr->len - vm->frame;
    }
    ctx.pc = entry;
    fc_jit_arch_enter(code, hdr->enter, &ctx, code + target);
    vm->pc = ctx.pc;
    if (ctx.err != FC_OK) {
        vm->left = ctx.budget > 0 ? (uint32_t)ctx.budget : 0;
        return ctx.err;
    }
    vm->left = (uint32_t)ctx.budget;
    if (r0 != NULL)
        *r0 = ctx.reg[0];
    return FC_OK;
}

/* r10's value, from the host address compiled code keeps. */
static void sync_r10(fc_jit_ctx_t *ctx)
{
    ctx->reg[10] = FC_VADDR(FC_REGION_STACK, 0) + (uint64_t)(ctx->fp - ctx->stack);
}

int fc_jit_c_call(fc_jit_ctx_t *ctx)
{
    fc_vm_t *vm = ctx->vm;
    const fc_insn_t i = fc_insn_decode(vm->code + (size_t)ctx->pc * FC_INSN_SIZE);
    if (--ctx->budget < 0) {
        ctx->err = FC_ERR_BUDGET;
        return 1;
    }
    sync_r10(ctx);
    vm->left = (uint32_t)ctx->budget; /* what the helper may charge (fc_vm_charge) */
    int err = fc_call_helper(vm, (uint32_t)i.imm, ctx->reg, ctx->pc);
    ctx->budget = (int32_t)vm->left;
    fc_jit_cache_clear(ctx); /* a helper may have changed the region table */
    if (err == FC_OK)
        return 0;
    ctx->err = err == FC_STOP ? FC_OK : err;
    return 1;
}

int fc_jit_c_atomic(fc_jit_ctx_t *ctx)
{
    const fc_insn_t i = fc_insn_decode(ctx->vm->code + (size_t)ctx->pc * FC_INSN_SIZE);
    const uint32_t sz = i.op == (FC_CLS_STX | FC_MODE_ATOMIC | FC_SIZE_DW) ? 8u : 4u;
    const uint32_t acc = FC_MEM_READ | FC_MEM_WRITE;
    sync_r10(ctx);
    const uint64_t a = ctx->reg[i.dst] + (uint64_t)(int64_t)i.off;
    uint8_t *p = fc_mem_xlate_insn(ctx->vm->regions, ctx->vm->nregions, a, sz, acc);
    if (p == NULL || a - FC_VADDR(FC_REGION_STACK, 0) < ctx->stack_lo) {
        ctx->err = fc_mem_cause(ctx->vm->regions, ctx->vm->nregions, a, sz, acc);
        return 1;
    }
    int wrote_r0;
    uint64_t old = fc_atomic_rmw(p, sz == 8, i.imm, ctx->reg[i.src], ctx->reg[0], &wrote_r0);
    if (sz == 4)
        old = (uint32_t)old;
    if (wrote_r0)
        ctx->reg[0] = old;
    else if (i.imm & FC_ATOMIC_FETCH)
        ctx->reg[i.src] = old;
    return 0;
}

uint8_t *fc_jit_c_miss(fc_jit_ctx_t *ctx, uint64_t d, uint32_t k)
{
    const uint64_t a = d + ctx->cbase[k];
    uint8_t *p = fill(ctx, a, k);
    if (p == NULL)
        ctx->err = fc_mem_cause(ctx->vm->regions, ctx->vm->nregions, a, 1u << (k & 3u),
                                (k & 4u) ? FC_MEM_WRITE : FC_MEM_READ);
    return p;
}

#else /* !FC_JIT */

size_t fc_jit_code_bound(const fc_vm_t *vm)
{
    (void)vm;
    return 0;
}

int fc_jit_compile(fc_vm_t *vm, uint8_t *buf, size_t cap, size_t *used)
{
    (void)vm;
    (void)buf;
    (void)cap;
    if (used != NULL)
        *used = 0;
    return FC_ERR_NOTSUP;
}

int fc_jit_enable(fc_vm_t *vm, const void *code)
{
    (void)vm;
    (void)code;
    return FC_ERR_NOTSUP;
}

void fc_jit_disable(fc_vm_t *vm)
{
    (void)vm;
}

int fc_jit_run(fc_vm_t *vm, uint32_t entry, uint64_t r1, uint64_t r2, uint64_t *r0)
{
    (void)vm;
    (void)entry;
    (void)r1;
    (void)r2;
    (void)r0;
    return FC_ERR_NOTSUP;
}

#endif /* FC_JIT */
