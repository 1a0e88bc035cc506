//! See `fuzz_harness::webhook` (fuzz/src/webhook.rs) for the input format and what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::webhook::run(data));
