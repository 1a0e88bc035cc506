//! See `fuzz_harness::form` (fuzz/src/form.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::form::run(data));
