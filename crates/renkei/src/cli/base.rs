//! `renkei base …`: the information base (介護情報基盤) from the command line — fictional
//! municipality files to try it with, and loading a municipality's files into a relay.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use renkei_hub::relay::{NewStaff, Relay, RelayConfig, clinic_holder, municipality_holder};
use renkei_hub::setup::HubFiles;
use renkei_hub::store::AccountRole;

use renkei_infobase::Participant;
use renkei_infobase::upload::UploadKind;

use super::hub::open_relay;

#[derive(Debug, Args)]
pub struct BaseArgs {
    #[command(subcommand)]
    command: BaseCommand,
}

#[derive(Debug, Subcommand)]
enum BaseCommand {
    /// 架空の被保険者のファイル(被保険者証・負担割合証・申請・結果・同意)を作る / write a municipality's files for fictional insured people
    Gen {
        /// 保険者番号 (6桁) / the municipality
        #[arg(long, default_value = "131045")]
        insurer: String,
        /// 被保険者の数 / how many insured people
        #[arg(long, default_value_t = 1000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 出力先フォルダ / output folder
        #[arg(long)]
        out: PathBuf,
    },
    /// 市町村のファイルを中継サーバーの情報基盤に読み込む(1ファイルずつ、全体を検査してから) / load a municipality's files, each checked whole first
    Load {
        /// 中継サーバーのデータフォルダ / the hub's data folder
        #[arg(long, default_value = "./renkei-data")]
        data: PathBuf,
        /// 保険者番号 (6桁): 読み込む市町村 / the municipality loading
        #[arg(long)]
        insurer: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 市町村を情報基盤に登録する(名称の変更も) / add a municipality to the information base
    Municipality {
        #[arg(long, default_value = "./renkei-data")]
        data: PathBuf,
        /// 保険者番号 (6桁)
        #[arg(long)]
        insurer: String,
        /// 名称 / name, e.g. 新宿区
        #[arg(long)]
        name: String,
    },
    /// 医療機関を情報基盤に登録する / add a clinic to the information base
    Clinic {
        #[arg(long, default_value = "./renkei-data")]
        data: PathBuf,
        /// 医療機関コード (10桁)
        #[arg(long)]
        number: String,
        #[arg(long)]
        name: String,
        /// 介護サービスも提供していれば、そのサービス種類コード(カンマ区切り) / care services it also provides
        #[arg(long, value_delimiter = ',')]
        care_kinds: Vec<String>,
    },
    /// 市町村・医療機関の職員アカウントを作る(パスワードは RENKEI_STAFF_PASSWORD、なければ作って表示) / add a staff account; prints its one-time-code key
    Staff {
        #[arg(long, default_value = "./renkei-data")]
        data: PathBuf,
        /// 市町村の保険者番号 / the municipality's insurer number
        #[arg(long, conflicts_with = "clinic", required_unless_present = "clinic")]
        municipality: Option<String>,
        /// 医療機関コード / the clinic's number
        #[arg(long)]
        clinic: Option<String>,
        /// サインイン名 (半角英数字と ._-) / sign-in name
        #[arg(long)]
        name: String,
        /// 管理者にする(職員の追加・削除ができる) / make an administrator
        #[arg(long)]
        admin: bool,
    },
    /// 市町村のファイルを、市町村の証明書でAPIから情報基盤に送る(1ファイルずつ、全体を検査) / upload a municipality's files over the API with its certificate
    Push {
        /// 市町村のデータフォルダ (renkei office init --number 保険者番号 で作ったもの) / the municipality's folder
        #[arg(long, default_value = "./renkei-office")]
        dir: PathBuf,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 認証アプリの鍵から、いまの確認コード(6桁)を表示する / print the current one-time code of an authenticator key
    Code {
        /// 認証アプリの鍵 (base32) / the authenticator key
        key: String,
    },
}

/// Where `renkei base staff` takes the password from; without it one is made and shown.
pub const STAFF_PASSWORD_VARIABLE: &str = "RENKEI_STAFF_PASSWORD";

pub fn run(args: BaseArgs) -> Result<ExitCode> {
    match args.command {
        BaseCommand::Gen {
            insurer,
            persons,
            seed,
            out,
        } => generate(&insurer, persons, seed, &out),
        BaseCommand::Load {
            data,
            insurer,
            files,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            let hub = HubFiles::new(&data);
            runtime.block_on(async {
                let relay = open_relay(&hub, None, RelayConfig::default()).await?;
                load(&relay, &insurer, &files).await
            })?;
            Ok(ExitCode::SUCCESS)
        }
        BaseCommand::Push { dir, files } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(push(&dir, &files))
        }
        BaseCommand::Code { key } => {
            let code = renkei_hub::relay::current_code(key.trim(), renkei_seal::unix_now())?;
            writeln!(std::io::stdout().lock(), "{code}")?;
            Ok(ExitCode::SUCCESS)
        }
        command @ (BaseCommand::Municipality { .. }
        | BaseCommand::Clinic { .. }
        | BaseCommand::Staff { .. }) => {
            let data = match &command {
                BaseCommand::Municipality { data, .. }
                | BaseCommand::Clinic { data, .. }
                | BaseCommand::Staff { data, .. } => data.clone(),
                _ => unreachable!("matched above"),
            };
            let runtime = tokio::runtime::Runtime::new()?;
            let hub = HubFiles::new(&data);
            runtime.block_on(async {
                let relay = open_relay(&hub, None, RelayConfig::default()).await?;
                organisation(&relay, command).await
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Send each file over the API as the municipality whose certificate is in `dir`: each
/// kept whole or refused with all its problems; a refused file does not stop the others.
async fn push(dir: &std::path::Path, files: &[PathBuf]) -> Result<ExitCode> {
    let office = renkei_office::Office::open(dir)?;
    let mut refused = 0;
    for file in files {
        let bytes = std::fs::read(file)
            .with_context(|| format!("{} を読めません / cannot read", file.display()))?;
        match office.client.base_upload(bytes).await {
            Ok(loaded) => {
                writeln!(
                    std::io::stdout().lock(),
                    "読み込みました / loaded: {} — {} {}行 (記録 {}件、同意 {}件)",
                    file.display(),
                    loaded.kind,
                    loaded.lines,
                    loaded.records,
                    loaded.consents
                )?;
                print_withdrawn(&loaded.withdrawn)?;
            }
            Err(error) => {
                refused += 1;
                writeln!(
                    std::io::stderr().lock(),
                    "読み込めません / refused: {}\n{error}",
                    file.display()
                )?;
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Add a municipality, a clinic or a staff account.
async fn organisation(relay: &Relay, command: BaseCommand) -> Result<()> {
    let now = renkei_seal::unix_now();
    match command {
        BaseCommand::Municipality { insurer, name, .. } => {
            relay.add_municipality(&insurer, &name, now).await?;
            writeln!(
                std::io::stdout().lock(),
                "市町村を登録しました / municipality added: {insurer} {name}"
            )?;
        }
        BaseCommand::Clinic {
            number,
            name,
            care_kinds,
            ..
        } => {
            relay.add_clinic(&number, &name, care_kinds, now).await?;
            writeln!(
                std::io::stdout().lock(),
                "医療機関を登録しました / clinic added: {number} {name}"
            )?;
        }
        BaseCommand::Staff {
            municipality,
            clinic,
            name,
            admin,
            ..
        } => {
            let holder = match (municipality, clinic) {
                (Some(insurer), _) => municipality_holder(&insurer),
                (None, Some(number)) => clinic_holder(&number),
                (None, None) => anyhow::bail!("--municipality か --clinic を指定してください"),
            };
            let (password, generated) = match std::env::var(STAFF_PASSWORD_VARIABLE) {
                Ok(password) => (password, false),
                Err(_) => (super::hub::hex_password()?, true),
            };
            let role = if admin {
                AccountRole::Admin
            } else {
                AccountRole::Staff
            };
            let staff = relay
                .add_staff(&holder, &name, role, &password, now)
                .await?;
            print_staff(&staff, generated.then_some(password.as_str()))?;
        }
        _ => {}
    }
    Ok(())
}

/// A new staff account as its administrator passes it on: the key for the authenticator
/// app is shown only this once.
pub(super) fn print_staff(staff: &NewStaff, password: Option<&str>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "職員アカウント / staff account: {} {}",
        staff.holder, staff.name
    )?;
    if let Some(password) = password {
        writeln!(
            out,
            "  パスワード / password: {password}  (この一度だけ表示します / shown only once)"
        )?;
    }
    writeln!(
        out,
        "  認証アプリの鍵 / authenticator key: {}  (この一度だけ表示します / shown only once)",
        staff.totp_secret
    )?;
    writeln!(out, "  {}", staff.otpauth)?;
    Ok(())
}

/// The file name of a kind's CSV.
fn file_name(kind: UploadKind) -> String {
    format!("{}.csv", kind.name_ja())
}

/// The kinds of file `renkei base gen` writes, in the order of [`lines`].
pub(super) const GENERATED: [UploadKind; 5] = [
    UploadKind::InsuranceCard,
    UploadKind::BurdenRatio,
    UploadKind::Application,
    UploadKind::Result,
    UploadKind::Consent,
];

/// A person's line in each of the [`GENERATED`] files.
pub(super) fn lines(person: &renkei_spec::generate::Insured) -> [String; 5] {
    let id = format!("{},{}", person.insurer, person.insured);
    [
        format!(
            "{id},{},{},{},{},\"{}\",{},",
            person.name,
            person.kana,
            person.birth_date,
            person.sex,
            person.address,
            person.qualified
        ),
        format!("{id},{},20250801,20260731", person.ratio),
        format!(
            "{id},{},{}",
            person.application_kind, person.application_date
        ),
        format!(
            "{id},{},{},{},{},特になし",
            person.application_date, person.care_level, person.valid_from, person.valid_to
        ),
        format!("{id},{}", person.application_date),
    ]
}

fn generate(insurer: &str, persons: usize, seed: u64, out: &std::path::Path) -> Result<ExitCode> {
    if insurer.len() != 6 || !insurer.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!("--insurer は数字6桁の保険者番号にしてください / --insurer takes six digits");
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("{} を作れません / cannot create", out.display()))?;
    let kinds = GENERATED;
    let mut writers = Vec::new();
    for kind in kinds {
        let path = out.join(file_name(kind));
        let mut writer = BufWriter::new(
            std::fs::File::create(&path)
                .with_context(|| format!("{} を書けません", path.display()))?,
        );
        writeln!(writer, "{}", kind.columns().join(","))?;
        writers.push(writer);
    }
    for person in renkei_spec::generate::insured(seed, insurer, persons) {
        for (writer, line) in writers.iter_mut().zip(lines(&person)) {
            writeln!(writer, "{line}")?;
        }
    }
    for mut writer in writers {
        writer.flush()?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{persons}人分の市町村ファイルを書きました / files written: {}",
        out.display()
    )?;
    for kind in kinds {
        writeln!(stdout, "  {}", out.join(file_name(kind)).display())?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn load(relay: &Arc<Relay>, insurer: &str, files: &[PathBuf]) -> Result<()> {
    let municipality = Participant::Municipality {
        insurer: insurer.to_owned(),
    };
    for file in files {
        let bytes = std::fs::read(file)
            .with_context(|| format!("{} を読めません / cannot read", file.display()))?;
        let loaded = relay
            .load(&municipality, &bytes, renkei_seal::unix_now())
            .await
            .with_context(|| format!("{} を読み込めません / not loaded", file.display()))?;
        writeln!(
            std::io::stdout().lock(),
            "読み込みました / loaded: {} — {} {}行 (記録 {}件、同意 {}件)",
            file.display(),
            loaded.kind.name_ja(),
            loaded.lines,
            loaded.records,
            loaded.consents
        )?;
        print_withdrawn(&loaded.withdrawn)?;
    }
    Ok(())
}

/// The people whose withdrawal a file of consents left standing.
fn print_withdrawn(withdrawn: &[String]) -> Result<()> {
    if !withdrawn.is_empty() {
        writeln!(
            std::io::stdout().lock(),
            "撤回済みのため同意を記録しなかった方 / consent withdrawn, not recorded ({}人): {}",
            withdrawn.len(),
            withdrawn.join(", ")
        )?;
    }
    Ok(())
}
