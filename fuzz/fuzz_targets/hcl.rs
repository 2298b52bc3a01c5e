//! Fuzz target `hcl`: see `countersign_fuzz::hcl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::hcl(data));
