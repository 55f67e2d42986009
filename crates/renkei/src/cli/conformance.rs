//! `renkei conformance DIR`: each case folder of a conformance kit checked against its
//! `expect.txt`, pass or fail per case; exit 0 when every case passes, 1 otherwise.
//! `renkei conformance --write-kit DIR` writes the kit itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_spec::conformance::{self, Case};

use super::{check, files};

const EXPECT: &str = "expect.txt";

#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// The kit's folder: one folder per case, each with its files and expect.txt / 適合性確認の例のフォルダ
    dir: PathBuf,
    /// Write the kit into DIR instead of checking it / 例一式をDIRに書き出す
    #[arg(long)]
    write_kit: bool,
}

pub fn run(args: ConformanceArgs) -> Result<ExitCode> {
    if args.write_kit {
        write_kit(&args.dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    check_kit(&args.dir)
}

fn write_kit(dir: &Path) -> Result<()> {
    let cases = conformance::cases();
    let cannot = |path: &Path| format!("{} を書けません / cannot write", path.display());
    for case in &cases {
        let folder = dir.join(&case.id);
        std::fs::create_dir_all(&folder).with_context(|| cannot(&folder))?;
        for (name, bytes) in &case.files {
            let path = folder.join(name);
            std::fs::write(&path, bytes).with_context(|| cannot(&path))?;
        }
        let path = folder.join(EXPECT);
        std::fs::write(&path, conformance::expectation_text(case))
            .with_context(|| cannot(&path))?;
    }
    let path = dir.join("README-ja.txt");
    std::fs::write(&path, readme(&cases)).with_context(|| cannot(&path))?;
    writeln!(
        std::io::stdout().lock(),
        "{}件の例を {} に書きました / {} cases written",
        cases.len(),
        dir.display(),
        cases.len()
    )?;
    Ok(())
}

/// How to use the kit, and every case in it.
fn readme(cases: &[Case]) -> String {
    let mut text = String::from(
        "renkei 適合性確認キット / conformance kit\r\n\
         \r\n\
         ケアプランデータ連携標準仕様(V4.1・V3)の例です。フォルダ1つが1つの例で、標準仕様の名前のファイルと、\r\n\
         検査で見つかるべき規則を書いた expect.txt があります。\r\n\
         \r\n\
         使い方:\r\n\
         1. 正しい例(valid-…)と同じ内容を介護ソフトに入力して出力し、その例のフォルダのファイルを出力したものに置き換えます。\r\n\
         2. 誤りの例(規則番号-…)は、介護ソフトの取込がそのファイルを拒むことを確かめるために使います。\r\n\
         3. renkei conformance このフォルダ を実行すると、例ごとに 合格/不合格 を表示します。\r\n\
         規則の一覧と読み方は renkei の docs/conformance.md にあります(renkei check も規則番号と直し方を表示します)。\r\n\
         \r\n\
         Each folder is one case: files named by the standard and expect.txt with the rules a check must find.\r\n\
         Replace a valid case's files with your software's export of the same data, then run\r\n\
         `renkei conformance THIS-FOLDER`; it prints pass or fail per case.\r\n\
         \r\n",
    );
    for case in cases {
        let shows = case.rule.map_or("正しいファイル / valid".to_owned(), |r| {
            format!("{} {}", r.id, r.title_ja)
        });
        text.push_str(&format!("{}\t{shows}\t{}\r\n", case.id, case.description));
    }
    text
}

fn check_kit(dir: &Path) -> Result<ExitCode> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| {
            format!(
                "フォルダ {} を読めません / cannot read the folder",
                dir.display()
            )
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed) = (0, 0);
    for folder in &folders {
        let label = files::name_of(folder);
        let expect_path = folder.join(EXPECT);
        let Ok(expect) = std::fs::read_to_string(&expect_path) else {
            writeln!(
                out,
                "飛ばしました / skipped  {label}: {EXPECT} がありません / no {EXPECT}"
            )?;
            continue;
        };
        let Some(expected) = conformance::parse_expectation(&expect) else {
            bail!(
                "{} に expect: の行がありません / has no expect: line",
                expect_path.display()
            );
        };
        let paths: Vec<PathBuf> = files::collect(std::slice::from_ref(folder))?
            .into_iter()
            .filter(|p| files::name_of(p) != EXPECT)
            .collect();
        let contents = files::read_all(&paths)?;
        let inputs = files::inputs(&contents);
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        let verdict = conformance::judge(&expected, &inputs);
        if verdict.passed() {
            passed += 1;
            writeln!(out, "合格 / pass  {label}")?;
        } else {
            failed += 1;
            writeln!(
                out,
                "不合格 / FAIL  {label}: 期待 / expected [{}]、見つかったもの / found [{}]",
                verdict.expected.join(" "),
                verdict.found.join(" ")
            )?;
            for unit in &verdict.report.units {
                check::print_unit(&mut out, unit, false)?;
            }
        }
    }
    writeln!(
        out,
        "\n{}件中 合格{passed}件、不合格{failed}件 / {passed} passed, {failed} failed",
        passed + failed
    )?;
    if passed + failed == 0 {
        bail!(
            "{} に例のフォルダ(expect.txt のあるフォルダ)がありません。renkei conformance --write-kit {} で書き出せます / no case folders",
            dir.display(),
            dir.display()
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
