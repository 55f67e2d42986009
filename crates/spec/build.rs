//! Embeds the conformance cases (`conformance/{rules,valid}/*.txt`), so that the kit a vendor
//! gets and the cases the tests check are the same files.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut list = String::from("&[\n");
    for group in ["rules", "valid"] {
        let dir = root.join(group);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("conformance folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let stem = name.trim_end_matches(".txt");
            writeln!(
                list,
                "    ({group:?}, {stem:?}, include_str!({:?})),",
                path.display().to_string()
            )
            .expect("write to a string");
        }
    }
    list.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("cases.rs");
    std::fs::write(out, list).expect("write cases.rs");
}
