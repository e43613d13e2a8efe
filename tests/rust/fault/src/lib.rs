// SPDX-License-Identifier: Apache-2.0
//! A raw read past the context in the crate's own code: the fault is mapped
//! to this file's marked line through the image's line table (femto build -g).
//! Also uses the global and local stores, struct copies and slice copies of a
//! run-time length (memmove/memcpy, made helper calls by femto build).
#![no_std]

use femto::store;

#[derive(Clone, Copy)]
struct Big {
    words: [u64; 24],
}

#[inline(never)]
fn fill(b: &mut Big, seed: u64) {
    for (i, w) in b.words.iter_mut().enumerate() {
        *w = seed.wrapping_mul(i as u64 + 1);
    }
}

femto::entry!(peek, |ctx: &mut [u8]| {
    let p = ctx.as_ptr();
    // SAFETY: not safe: 4096 bytes past a short context is outside every region.
    // (A plain load, not read_volatile: that one's line would be core's.)
    unsafe { *p.wrapping_add(4096) as u64 } // FAULT
});

femto::entry!(stores, |ctx: &mut [u8]| {
    let mut a = Big { words: [0; 24] };
    fill(&mut a, ctx.len() as u64 + 1);
    let b = a; // a copy the compiler may make with memcpy
    let g = store::global_get(1).unwrap_or(100);
    let _ = store::global_put(1, g + b.words[23]);
    let l = store::local_get(2).unwrap_or(0);
    let _ = store::local_put(2, l + 1);
    b.words.iter().fold(0u64, |s, w| s.wrapping_add(*w))
});

femto::entry!(copy, |ctx: &mut [u8]| {
    // a run-time length: the compiler calls the SDK's memmove/memcpy (the checked helper)
    let half = ctx.len() / 2;
    ctx.copy_within(0..half, half);
    let mut tmp = [0u8; 64];
    let n = half.min(tmp.len());
    tmp[..n].copy_from_slice(&ctx[..n]);
    tmp[..n].iter().map(|b| *b as u64).sum::<u64>()
});
