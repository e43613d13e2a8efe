// SPDX-License-Identifier: Apache-2.0
//! A bounds-checked index past the context: the panic handler faults the
//! run at once (tests/rust/rust_test.sh checks it does not spin through the
//! budget). Also logs through the SDK first, so log! is exercised, and has the
//! SDK's panic-log feature on: "panic at src/lib.rs:LINE" before the fault.
#![no_std]

femto::entry!(index, |ctx: &mut [u8]| {
    femto::log!("len %d", ctx.len());
    let at = ctx.len() + 3;
    ctx[at] as u64
});
