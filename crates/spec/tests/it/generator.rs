//! The generator's output is deterministic and passes validation with no error.

use renkei_spec::generate::{Config, GeneratedFile, generate};
use renkei_spec::ids::YearMonth;
use renkei_spec::progress::Silent;
use renkei_spec::validate::{self, Input, Options, Severity};
use renkei_spec::{Error, Generation};

pub fn month_of(config: Config) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    generate::<Error>(config, &Silent, |f| {
        files.push(f);
        Ok(())
    })
    .expect("generation succeeds");
    files
}

pub fn config(
    seed: u64,
    planners: usize,
    providers: usize,
    users: usize,
    generation: Generation,
) -> Config {
    Config {
        seed,
        planners,
        providers,
        users,
        month: YearMonth::parse("202512").unwrap(),
        generation,
        per_person: false,
    }
}

fn names_and_bytes(files: &[GeneratedFile]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|f| (f.name.to_string(), f.bytes.clone()))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = month_of(config(7, 4, 8, 30, Generation::V4));
    let b = month_of(config(7, 4, 8, 30, Generation::V4));
    assert_eq!(names_and_bytes(&a), names_and_bytes(&b));
    let c = month_of(config(8, 4, 8, 30, Generation::V4));
    assert_ne!(names_and_bytes(&a), names_and_bytes(&c));
}

#[test]
fn generated_months_pass_with_no_error() {
    for (seed, planners, providers, users, generation) in [
        (1, 1, 3, 10, Generation::V4),
        (2, 4, 12, 120, Generation::V4),
        (3, 8, 30, 300, Generation::V4),
        (4, 2, 6, 40, Generation::V3),
    ] {
        let files = month_of(config(seed, planners, providers, users, generation));
        assert!(!files.is_empty());
        let inputs: Vec<(String, Vec<u8>)> = names_and_bytes(&files);
        let inputs: Vec<Input<'_>> = inputs
            .iter()
            .map(|(n, b)| Input { name: n, bytes: b })
            .collect();
        let report = validate::check(&inputs, Options::default());
        let errors: Vec<String> = report
            .units
            .iter()
            .flat_map(|u| {
                u.files
                    .iter()
                    .flat_map(|f| f.findings.iter())
                    .chain(u.findings.iter())
            })
            .filter(|f| f.severity() == Severity::Error)
            .map(|f| format!("{:?} {f}", f.file))
            .take(10)
            .collect();
        assert!(errors.is_empty(), "seed {seed}: {errors:#?}");
        assert_eq!(report.warnings(), 0, "seed {seed}");
    }
}

#[test]
fn a_month_has_every_kind_the_generator_makes() {
    let files = month_of(config(5, 4, 12, 80, Generation::V4));
    let mut prefixes: Vec<&str> = files.iter().map(|f| f.name.kind.prefix()).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    assert_eq!(
        prefixes,
        [
            "UP1KYO",
            "UP2KYO",
            "UP3KYO",
            "UPHOSOKU",
            "UPJSK",
            "UPKIHON",
            "UPKIHON_SUB1",
            "UPKIHON_SUB2",
            "UPPLAN",
            "UPSIKYU",
            "UPYOBO",
            "UPYOBO_SUB"
        ]
    );
}

#[test]
fn a_month_per_person_has_a_send_unit_per_person_and_passes() {
    let whole = month_of(config(6, 2, 8, 40, Generation::V4));
    let per_person = month_of(Config {
        per_person: true,
        ..config(6, 2, 8, 40, Generation::V4)
    });
    let inputs = names_and_bytes(&per_person);
    let inputs: Vec<Input<'_>> = inputs
        .iter()
        .map(|(n, b)| Input { name: n, bytes: b })
        .collect();
    let report = validate::check(&inputs, Options::default());
    assert_eq!(report.errors(), 0);
    assert_eq!(report.warnings(), 0);
    // At least a plan unit and a schedule unit for each of the 40 people.
    assert!(report.units.len() >= 2 * 40, "{} units", report.units.len());
    // The same records, cut differently.
    let records = |files: &[GeneratedFile]| -> usize {
        files
            .iter()
            .map(|f| {
                f.bytes
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count()
            })
            .sum()
    };
    // 第7表 repeats its total lines in every file, so per person there are more of them;
    // every other kind holds the same records.
    let without_totals = |files: &[GeneratedFile]| -> usize {
        let others: Vec<GeneratedFile> = files
            .iter()
            .filter(|f| f.name.kind.prefix() != "UPSIKYU")
            .cloned()
            .collect();
        records(&others)
    };
    assert_eq!(without_totals(&whole), without_totals(&per_person));
}
