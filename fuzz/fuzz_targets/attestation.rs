//! Fuzz target `attestation`: see `countersign_fuzz::attestation`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::attestation(data));
