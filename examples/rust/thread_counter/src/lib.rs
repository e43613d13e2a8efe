// SPDX-License-Identifier: Apache-2.0
//! The thread counter in Rust (examples/thread_counter/thread_counter.c):
//! on each scheduler switch it counts the switches into the next thread in
//! its tenant's store (key = thread id, value = switches into it).
//!
//! Context: { u32 previous, u32 next } little-endian. Returns 0, the store's
//! error (negative) when the count could not be kept, or -1 (as u64) for a
//! short context.
#![no_std]

use femto::{store, ReadLe};

femto::entry!(thread_counter, |ctx: &mut [u8]| {
    let Some(next) = ctx.u32_at(4) else { return u64::MAX };
    // absent means never counted
    let switches = store::tenant_get(next).unwrap_or(0);
    match store::tenant_put(next, switches + 1) {
        Ok(()) => 0,
        Err(e) => e.0 as u64,
    }
});
