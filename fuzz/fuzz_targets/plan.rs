//! Fuzz target `plan`: see `countersign_fuzz::plan`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::plan(data));
