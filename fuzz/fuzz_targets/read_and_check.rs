//! The readers and the whole validator never panic on arbitrary bytes, the checker's
//! reading (the file's own bytes) sees what the decoding reading sees, and a stray quote is
//! reported at a row and item that exist.
#![no_main]

use libfuzzer_sys::fuzz_target;
use renkei_spec::codec::{self, RawTable, ReadOptions, SourceEncoding};
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
    let options = ReadOptions { encoding };
    let table = codec::read(bytes, options);
    let raw = RawTable::read(bytes, options);
    assert_eq!(raw.problems, table.problems);
    assert_eq!(raw.len(), table.len());
    for (decoded, raw) in table.rows().zip(raw.rows()) {
        assert_eq!((raw.line(), raw.len()), (decoded.line(), decoded.len()));
        for index in 0..decoded.len() {
            assert_eq!(raw.text(index), decoded.get(index));
        }
    }
    for problem in &table.problems {
        if let codec::ReadProblem::StrayQuote { row, item, column, .. } = problem {
            assert!((*row as usize) < table.len() && *column >= 1);
            assert!((*item as usize) <= table.row(*row as usize).len());
        }
    }
    let name = NAMES[selector as usize % NAMES.len()];
    let _ = validate::check(&[Input { name, bytes }], Options { encoding });
});
