//! See `fuzz_harness::engine` (fuzz/src/engine.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::engine::run(data));
