//! See `fuzz_harness::params` (fuzz/src/params.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::params::run(data));
