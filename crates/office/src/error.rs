use renkei_proto::ProblemCode;
use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    /// The relay refused, with its code and message.
    #[error("中継サーバーが受け付けませんでした [{code}] {message}")]
    Refused {
        status: u16,
        code: ProblemCode,
        message: String,
    },
    #[error(
        "中継サーバー {url} に接続できません。URLとネットワークを確かめてください / cannot reach the relay at {url}: {reason}"
    )]
    Unreachable { url: String, reason: String },
    #[error(
        "この事業所はまだ登録されていません。`renkei office enroll` を実行してください / this office has not enrolled yet"
    )]
    NotEnrolled,
    #[error(
        "{path} に事業所の設定がありません。`renkei office init` を実行してください / no office profile in {path}"
    )]
    NoProfile { path: String },
    #[error(
        "認証局の指紋が一致しません(期待 {expected}、実際 {actual})。運用者に確かめてください / the authority fingerprint does not match"
    )]
    AuthorityMismatch { expected: String, actual: String },
    #[error(
        "送信先「{0}」が事業所検索で見つからないか、証明書がありません / recipient '{0}' not found in the directory or has no certificate"
    )]
    NoRecipient(String),
    #[error("小包の中身が送付状と違います / the parcel does not match its manifest: {0}")]
    Mismatch(String),
    /// A parcel whose signatures hold but whose content this office refuses to take in.
    #[error("この小包は取り込めません / this parcel cannot be taken in: {0}")]
    Unacceptable(String),
    /// Received files of the standard that fail this office's check (取込エラー): not
    /// placed for the care software, and the sender is given the findings, signed.
    #[error(
        "受け取ったファイルに標準仕様の検査エラーが{errors}件あり、取り込みませんでした / the files received fail the standard's check ({errors} errors) and were not imported"
    )]
    ImportCheck {
        errors: usize,
        findings: Vec<crate::ledger::RefusedFinding>,
    },
    /// A setting the office gave that cannot be kept as given.
    #[error("{0}")]
    Setting(String),
    #[error("応答を読めません / unreadable answer: {0}")]
    Answer(String),
    #[error(transparent)]
    Seal(#[from] renkei_seal::Error),
    #[error(
        "ファイル {path} は別のプログラム(介護ソフトなど)が開いているため使えません。そのプログラムで閉じてから、もう一度実行してください / {path} is open in another program (the care software?): close it there and try again"
    )]
    Held { path: String },
    #[error("ファイル {path} を読み書きできません / cannot read or write {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("事業所の記録(ledger.db)を読み書きできません / the office ledger failed: {0}")]
    Ledger(String),
    #[error("TLSの設定に失敗しました / TLS setup failed: {0}")]
    Tls(String),
    /// A console request that cannot be done as asked; the message says what to change.
    #[error("{0}")]
    Console(String),
}

impl Error {
    /// A file that could not be read or written, with its path.
    pub fn file(path: &std::path::Path, source: std::io::Error) -> Self {
        if crate::platform::held::is_held(&source) {
            return Self::Held {
                path: path.display().to_string(),
            };
        }
        Self::File {
            path: path.display().to_string(),
            source,
        }
    }

    /// The parcel itself is at fault (it cannot be opened, or what it holds is refused):
    /// opening it again would fail the same way, so it is rejected (取込不可), not retried.
    pub fn is_unopenable(&self) -> bool {
        matches!(
            self,
            Error::Mismatch(_)
                | Error::Unacceptable(_)
                | Error::Seal(_)
                | Error::ImportCheck { .. }
        )
    }

    /// The relay's refusal code, when the relay refused.
    pub fn code(&self) -> Option<&ProblemCode> {
        match self {
            Error::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}
