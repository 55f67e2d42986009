//! The cases the tests read: the conformance kit's (see `renkei_spec::conformance`), and
//! the fuzzer's former crashes.

use std::path::{Path, PathBuf};

use renkei_spec::conformance::{self, Case};

pub fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The kit's case with this id (`I003-v4.1`, `valid-schedule-v4.1` …).
pub fn case(id: &str) -> Case {
    conformance::cases()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no conformance case {id}"))
}
