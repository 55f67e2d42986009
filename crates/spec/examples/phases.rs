use renkei_spec::FileName;
use renkei_spec::codec::{self, ReadOptions, Table};
use renkei_spec::validate::{self, Input, Options};
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut names = Vec::new();
    let mut contents = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        names.push(p.file_name().unwrap().to_str().unwrap().to_owned());
        contents.push(std::fs::read(&p).unwrap());
    }
    let mb = contents.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let inputs: Vec<Input<'_>> = names
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let nonascii: usize = contents
        .iter()
        .map(|c| c.iter().filter(|&&b| b >= 0x80).count())
        .sum();
    println!(
        "{} files {mb:.1} MB, non-ascii bytes {:.1}%",
        names.len(),
        nonascii as f64 / 1e4 / mb
    );
    if std::env::args().nth(2).as_deref() == Some("best") {
        let mut best = f64::MAX;
        for _ in 0..10 {
            let t = Instant::now();
            let r = validate::check(&inputs, Options::default());
            best = best.min(t.elapsed().as_secs_f64());
            assert_eq!(r.errors(), 0);
        }
        println!("best check {best:.3}s = {:.0} MB/s", mb / best);
        return;
    }
    if std::env::args().nth(2).as_deref() == Some("once") {
        let r = validate::check(&inputs, Options::default());
        assert_eq!(r.errors(), 0);
        return;
    }
    if std::env::args().nth(2).is_some() {
        for _ in 0..8 {
            let r = validate::check(&inputs, Options::default());
            assert_eq!(r.errors(), 0);
        }
        return;
    }
    for _ in 0..3 {
        let t = Instant::now();
        let mut n = 0;
        for name in &names {
            n += FileName::parse(name).is_ok() as usize;
        }
        let names_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let g = renkei_spec::unit::group(inputs.iter().copied(), |i| i.name);
        let group_s = t.elapsed().as_secs_f64();
        drop(g);
        let t = Instant::now();
        let mut table = Table::default();
        let mut recs = 0;
        for c in &contents {
            codec::read_into(&mut table, c, ReadOptions::default());
            recs += table.len();
        }
        let read_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut s = String::new();
        let mut dec = 0;
        for c in &contents {
            s.clear();
            let (cow, _) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(c);
            dec += cow.len();
            s.push_str(&cow);
        }
        let dec_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let r = validate::check(&inputs, Options::default());
        let check_s = t.elapsed().as_secs_f64();
        println!(
            "names {names_s:.3}s ({n}) group {group_s:.3}s read {read_s:.3}s ({recs}) decode-only {dec_s:.3}s ({dec}) check {check_s:.3}s = {:.0} MB/s errors {}",
            mb / check_s,
            r.errors()
        );
    }
}
#[allow(dead_code)]
fn unused() {}
