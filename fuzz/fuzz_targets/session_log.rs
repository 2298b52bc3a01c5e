//! Fuzz target `session_log`: see `countersign_fuzz::session_log`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| countersign_fuzz::session_log(data));
