#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| pharmarec_fuzz::patient(data));
