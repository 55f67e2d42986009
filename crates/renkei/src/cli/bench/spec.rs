//! `renkei bench spec`: the generator's speed, then read + full validation on one core.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config, GeneratedFile};
use renkei_spec::ids::YearMonth;
use renkei_spec::progress::Silent;
use renkei_spec::validate::{self, Input, Options};

/// A region's files laid out one after another in one buffer, as reading a folder (or
/// `renkei check` reading a send unit) leaves them in memory.
struct Region {
    names: Vec<String>,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Region {
    fn new() -> Self {
        Self {
            names: Vec::new(),
            bytes: Vec::new(),
            ends: Vec::new(),
        }
    }

    fn push(&mut self, name: String, bytes: &[u8]) {
        self.names.push(name);
        self.bytes.extend_from_slice(bytes);
        self.ends.push(self.bytes.len());
    }

    fn inputs(&self) -> Vec<Input<'_>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.names
            .iter()
            .zip(starts.zip(&self.ends))
            .map(|(name, (start, &end))| Input {
                name,
                bytes: &self.bytes[start..end],
            })
            .collect()
    }

    fn megabytes(&self) -> f64 {
        self.bytes.len() as f64 / 1e6
    }
}

pub(super) fn config(seed: u64, users: usize) -> Config {
    // A region: one planner per 60 people, one provider per 25, as offices are in Japan.
    Config {
        seed,
        planners: (users / 60).max(1),
        providers: (users / 25).max(3),
        users,
        month: YearMonth::parse("202512").expect("literal month"),
        generation: Generation::V4,
        per_person: false,
    }
}

pub(super) fn generate_all(config: Config) -> Result<(Vec<GeneratedFile>, u64)> {
    let mut files = Vec::new();
    let summary = generate::generate::<anyhow::Error>(config, &Silent, |f| {
        files.push(f);
        Ok(())
    })?;
    Ok((files, summary.bytes))
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
pub(super) fn run(size_mb: u64, seed: u64, rounds: u32, from: Option<PathBuf>) -> Result<ExitCode> {
    let mut region = Region::new();
    let mut generated = Vec::new();
    match from {
        Some(dir) => {
            for path in crate::cli::files::collect(&[dir])? {
                region.push(crate::cli::files::name_of(&path), &std::fs::read(&path)?);
            }
            println!(
                "load: {} files, {:.1} MB",
                region.names.len(),
                region.megabytes()
            );
        }
        None => {
            let (_, pilot_bytes) = generate_all(config(seed, 300))?;
            // A little over the size asked for: the per-person size varies with the mix of services.
            let users = ((size_mb as f64 * 1.05e6) / (pilot_bytes as f64 / 300.0)).ceil() as usize;
            let started = Instant::now();
            let (files, bytes) = generate_all(config(seed, users))?;
            let gen_seconds = started.elapsed().as_secs_f64();
            let mb = bytes as f64 / 1e6;
            println!(
                "generate: {users} people, {} files, {mb:.1} MB in {gen_seconds:.2} s = {:.1} MB/s",
                files.len(),
                mb / gen_seconds
            );
            for file in &files {
                region.push(file.name.to_string(), &file.bytes);
            }
            generated = files;
        }
    }
    let errors = check(
        &region.inputs(),
        region.megabytes(),
        rounds,
        "files one after another, as read from a folder",
    );
    if !generated.is_empty() {
        let names: Vec<String> = generated.iter().map(|f| f.name.to_string()).collect();
        let inputs: Vec<Input<'_>> = names
            .iter()
            .zip(&generated)
            .map(|(name, file)| Input {
                name,
                bytes: &file.bytes,
            })
            .collect();
        check(
            &inputs,
            region.megabytes(),
            rounds,
            "files where the generator left them, scattered in memory",
        );
    }
    if let Some(peak) = super::peak_memory_mb() {
        println!("peak memory (VmHWM): {peak:.0} MB (the region is held in memory)");
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Check every file `rounds` times as `renkei check` does (grouping into send units
/// included) and print the best round; the number of errors found.
#[allow(clippy::print_stdout)]
fn check(inputs: &[Input<'_>], mb: f64, rounds: u32, layout: &str) -> usize {
    let mut best = f64::MAX;
    let mut totals = (0, 0, 0, 0);
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        let report = validate::check(inputs, Options::default());
        best = best.min(started.elapsed().as_secs_f64());
        let records = report
            .units
            .iter()
            .flat_map(|u| &u.files)
            .map(|f| f.records)
            .sum::<usize>();
        totals = (
            report.units.len(),
            report.errors(),
            report.warnings(),
            records,
        );
    }
    let (units, errors, warnings, records) = totals;
    println!(
        "check (one core, best of {rounds}; {layout}): {units} units, {} files, {records} records, {mb:.1} MB in {best:.2} s = {:.1} MB/s ({:.0} records/s), {errors} errors, {warnings} warnings",
        inputs.len(),
        mb / best,
        records as f64 / best
    );
    errors
}
