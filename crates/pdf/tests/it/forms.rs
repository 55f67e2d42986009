//! A generated person's forms as a PDF: a valid document, the Japanese font embedded, and
//! the values readable back from it (`pdftotext`, from poppler-utils, which `.ci/run`
//! installs along with the IPAex fonts).

use std::process::Command;

use renkei_pdf::JapaneseFont;
use renkei_spec::generate::{self, Config};
use renkei_spec::ids::YearMonth;
use renkei_spec::progress::Silent;

fn generated_files() -> Vec<(String, Vec<u8>)> {
    let config = Config {
        seed: 7,
        planners: 1,
        providers: 2,
        users: 4,
        month: YearMonth::parse("202512").unwrap(),
        generation: renkei_spec::Generation::V4,
        per_person: false,
    };
    let mut files = Vec::new();
    generate::generate::<renkei_spec::Error>(config, &Silent, |file| {
        files.push((file.name.to_string(), file.bytes.clone()));
        Ok(())
    })
    .unwrap();
    files
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forms.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("yes yes"),
        "the font is embedded as a subset: {fonts}"
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_persons_forms_make_a_pdf_with_their_values() {
    let files = generated_files();
    // One provider's share: its plan, month and 補足, as it would receive them.
    let provider = files
        .iter()
        .find(|(name, _)| name.starts_with("UP1KYO"))
        .map(|(name, _)| name.split('_').nth(3).unwrap().to_owned())
        .unwrap();
    let sources: Vec<renkei_forms::SourceFile<'_>> = files
        .iter()
        .filter(|(name, _)| name.split('_').any(|t| t == provider) && !name.starts_with("UPJSK"))
        .map(|(name, bytes)| renkei_forms::SourceFile { name, bytes })
        .collect();
    let people = renkei_forms::people(&sources);
    let person = people.iter().find(|p| p.plan1.is_some()).unwrap();

    let font = JapaneseFont::find().expect("a Japanese font (fonts-ipaexfont-gothic)");
    // The provider's copy: its 第6表 is the サービス提供票.
    let reader = renkei_spec::glossary::Reader::Provider;
    let pdf = renkei_pdf::forms::person(&font, person, reader).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    let name = person.name().replace(['\u{3000}', ' '], "");
    assert!(
        text.replace(['\u{3000}', ' '], "").contains(&name),
        "{name} in:\n{text}"
    );
    for heading in [
        "居宅サービス計画書（1）",
        "居宅サービス計画書（2）",
        "週間サービス計画表",
        "サービス提供票（予定）",
    ] {
        assert!(text.contains(heading), "{heading} in:\n{text}");
    }
    let plan = person.plan1.as_ref().unwrap();
    let compact = |s: &str| s.replace(['\u{3000}', ' ', '\n'], "");
    assert!(compact(&text).contains(&compact(&plan.planner_name)));
}
