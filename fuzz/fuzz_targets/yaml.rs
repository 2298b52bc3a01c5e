//! Fuzz target `yaml`: see `countersign_fuzz::yaml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::yaml(data));
