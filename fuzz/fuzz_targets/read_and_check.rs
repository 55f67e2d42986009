//! The reader and the whole validator never panic on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use renkei_spec::codec::{self, ReadOptions, SourceEncoding};
use renkei_spec::validate::{self, Input, Options};

const NAMES: [&str; 4] = [
    "UPPLAN_202512_1300000001_43_1300000002_11_20251126090000.CSV",
    "UPSIKYU_202512_1300000001_43_1300000002_11_20251126090000.CSV",
    "UPHOSOKU_000000_1300000001_43_1300000002_11_20251126090000.CSV",
    "UPKIHON_1300000001_46_1300000002_A2_20251126090000.CSV",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let encoding = if selector & 0x80 == 0 { SourceEncoding::Ms932 } else { SourceEncoding::Utf8 };
    let table = codec::read(bytes, ReadOptions { encoding });
    for row in table.rows() {
        let _ = row.fields().count();
    }
    let name = NAMES[selector as usize % NAMES.len()];
    let _ = validate::check(&[Input { name, bytes }], Options { encoding });
});
