// SPDX-License-Identifier: Apache-2.0
//! Fletcher-32 of the context in Rust, the same sums as
//! examples/fletcher32/fletcher32.c: 16-bit little-endian words, reduced
//! modulo 65535 every 360 words (an odd length counts a zero high byte).
//!
//! Build: femto build examples/rust/fletcher32 -o f.img
//! Run:   femto run f.img --mem ../shared/bench/fletcher32-input.txt  -> r0 = 0x8a49b4c2
#![no_std]

fn fletcher32(data: &[u8]) -> u32 {
    let (mut c0, mut c1) = (0u32, 0u32);
    for block in data.chunks(360 * 2) {
        for w in block.chunks(2) {
            let hi = if w.len() == 2 { w[1] } else { 0 };
            c0 += u16::from_le_bytes([w[0], hi]) as u32;
            c1 += c0;
        }
        c0 %= 65535;
        c1 %= 65535;
    }
    c1 << 16 | c0
}

femto::entry!(checksum, |ctx: &mut [u8]| fletcher32(ctx) as u64);
