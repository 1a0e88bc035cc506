//! See `fuzz_harness::server` (fuzz/src/server.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::server::run(data));
