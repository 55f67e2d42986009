//! The file-name parser never panics, and what it accepts it writes back parseable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use renkei_spec::FileName;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(name) = FileName::parse(text)
    {
        let again = FileName::parse(&name.to_string()).expect("canonical names parse");
        assert_eq!(again.kind, name.kind);
        assert_eq!(again.serial, name.serial);
    }
});
