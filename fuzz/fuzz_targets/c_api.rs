//! See `fuzz_harness::c_api` (fuzz/src/c_api.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::c_api::run(data));
