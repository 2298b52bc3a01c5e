//! Fuzz target `patch`: see `countersign_fuzz::patch`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::patch(data));
