//! The fixture format: hand-written files in one UTF-8 text per case.
//!
//! `=== NAME [utf8] [eof]` starts a file; each following line is one line of it, written
//! with CRLF. `\r\n` inside a line is a line break within a quoted item; `\x{HH}` is a raw
//! byte. Text is encoded in MS932 unless `utf8` is given; `eof` appends the DOS EOF mark.

use std::path::{Path, PathBuf};

use encoding_rs::SHIFT_JIS;

pub struct Fixture {
    pub description: String,
    pub files: Vec<(String, Vec<u8>)>,
}

pub fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn encode_line(line: &str, utf8: bool, out: &mut Vec<u8>) {
    let line = line.replace("\\r\\n", "\r\n");
    let mut rest = line.as_str();
    while let Some(at) = rest.find("\\x{") {
        encode_text(&rest[..at], utf8, out);
        let end = rest[at..].find('}').expect("closed escape") + at;
        out.push(u8::from_str_radix(&rest[at + 3..end], 16).expect("hex byte"));
        rest = &rest[end + 1..];
    }
    encode_text(rest, utf8, out);
    out.extend_from_slice(b"\r\n");
}

fn encode_text(text: &str, utf8: bool, out: &mut Vec<u8>) {
    if utf8 {
        out.extend_from_slice(text.as_bytes());
    } else {
        let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
        assert!(!unmappable, "fixture text must be MS932: {text}");
        out.extend_from_slice(&bytes);
    }
}

pub fn load(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let mut description = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut utf8 = false;
    let mut eof_mark = false;
    let finish = |files: &mut Vec<(String, Vec<u8>)>, eof_mark: bool| {
        if eof_mark && let Some(last) = files.last_mut() {
            last.1.push(0x1A);
        }
    };
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            description = header.to_owned();
        } else if let Some(spec) = line.strip_prefix("=== ") {
            finish(&mut files, eof_mark);
            let mut words = spec.split_whitespace();
            let name = words.next().expect("file name").to_owned();
            let flags: Vec<&str> = words.collect();
            utf8 = flags.contains(&"utf8");
            eof_mark = flags.contains(&"eof");
            files.push((name, Vec::new()));
        } else if let Some(file) = files.last_mut() {
            encode_line(line, utf8, &mut file.1);
        }
    }
    finish(&mut files, eof_mark);
    Fixture { description, files }
}
