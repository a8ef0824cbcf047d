#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let target = lotse_fuzz::target("statement").expect("a target of lotse-fuzz");
    (target.run)(data);
});
