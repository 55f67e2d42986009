use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in the PKI or with an envelope, in Japanese with English beside it.
#[derive(Debug, Error)]
pub enum Error {
    #[error("パスワードを処理できません / cannot hash the password: {0}")]
    Password(String),
    #[error("暗号処理に失敗しました / cryptographic operation failed: {0}")]
    Crypto(#[from] openssl::error::ErrorStack),
    #[error("{what}を読めません / cannot read the {what_en}: {reason}")]
    Decode {
        what: &'static str,
        what_en: &'static str,
        reason: String,
    },
    #[error("証明書に事業所番号がありません / the certificate names no office")]
    NoOfficeIdentity,
    #[error(
        "番号「{0}」は10桁の事業所番号(医療機関コード)でも6桁の保険者番号でもありません / '{0}' is neither a 10-digit office number nor a 6-digit insurer number"
    )]
    BadOfficeNumber(String),
    #[error(
        "サービス種類コード「{0}」は英数字2文字ではありません / service kind '{0}' is not 2 characters"
    )]
    BadServiceKind(String),
    #[error(
        "証明書の有効期限が切れています({not_after}まで)。運用者に再発行を依頼してください / the certificate expired ({not_after}); ask the operator for a new one"
    )]
    Expired { not_after: String },
    #[error(
        "証明書はまだ有効になっていません({not_before}から) / the certificate is not valid before {not_before}"
    )]
    NotYetValid { not_before: String },
    #[error(
        "証明書がこの認証局の発行したものではありません / the certificate was not issued by this authority: {0}"
    )]
    Untrusted(String),
    #[error("署名が正しくありません / the signature does not verify: {0}")]
    BadSignature(&'static str),
    #[error("小包の中身を開けません / cannot open the parcel: {0}")]
    Parcel(String),
    #[error("受領証を確かめられません / the receipt does not verify: {0}")]
    Receipt(String),
    #[error("JSONが正しくありません / invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("読み書きに失敗しました / I/O failed: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub(crate) fn decode(what: &'static str, what_en: &'static str, reason: impl ToString) -> Self {
        Self::Decode {
            what,
            what_en,
            reason: reason.to_string(),
        }
    }
}
