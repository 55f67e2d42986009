//! Every way the relay can refuse or fail, each with a stable code that clients match on,
//! the HTTP status it answers with, and a message in Japanese with English beside it that
//! says what is wrong and what to do.

use renkei_proto::ProblemCode;
use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    // --- who is calling
    #[error(
        "事業所の証明書が提示されていません。`renkei office enroll` で登録してから接続してください / no office certificate was presented; enrol first"
    )]
    CertificateRequired,
    #[error(
        "この証明書はこの中継サーバーの認証局が発行したものではありません / the certificate was not issued by this relay's authority: {0}"
    )]
    CertificateUnknown(String),
    #[error(
        "証明書の有効期限が切れています({not_after}まで)。運用者から登録コードを受け取り、登録し直してください / the certificate expired ({not_after}); enrol again with a new code"
    )]
    CertificateExpired { not_after: String },
    #[error(
        "証明書はまだ有効になっていません({not_before}から)。パソコンの時計を確かめてください / the certificate is not valid before {not_before}; check the clock"
    )]
    CertificateNotYetValid { not_before: String },
    #[error(
        "証明書(シリアル{serial})は失効しています(理由: {reason})。運用者に連絡してください / the certificate {serial} was revoked ({reason})"
    )]
    CertificateRevoked { serial: String, reason: String },
    #[error(
        "事業所「{0}」は運用者により停止されています。運用者に連絡してください / office '{0}' has been stopped by the operator"
    )]
    OfficeInactive(String),

    // --- what was sent
    #[error("送付状を読めません / the manifest cannot be read: {0}")]
    ManifestInvalid(String),
    #[error(
        "送付状の署名が送信元の証明書で確かめられません / the manifest signature does not verify with the sender's certificate"
    )]
    ManifestSignature,
    #[error(
        "送付状の送信元「{manifest}」と接続した事業所「{authenticated}」が違います / the manifest names sender '{manifest}' but the connection is office '{authenticated}'"
    )]
    SenderMismatch {
        manifest: String,
        authenticated: String,
    },
    #[error(
        "送信先の事業所「{0}」は登録されていません。事業所番号を確かめてください / recipient office '{0}' is not enrolled"
    )]
    RecipientUnknown(String),
    #[error(
        "送信先の事業所「{0}」は現在受信できません(停止中か有効な証明書がありません) / recipient office '{0}' cannot receive now (stopped or no valid certificate)"
    )]
    RecipientInactive(String),
    #[error(
        "{kind}は居宅介護支援事業所・地域包括支援センターにだけ送れます。送信先「{recipient}」は受け取れません / {kind} may only be sent to a care-planning office; '{recipient}' cannot receive it"
    )]
    KindNotReceivable { kind: String, recipient: String },
    #[error(
        "{kind}は居宅介護支援事業所・地域包括支援センターだけが送れます / only a care-planning office may send {kind}"
    )]
    KindNotSendable { kind: String },
    #[error(
        "ファイル「{file}」の名前の送信元は、接続した事業所「{authenticated}」ではありません。自事業所の番号で作ったファイルだけを送れます / file '{file}' does not name the connected office '{authenticated}' as its sender"
    )]
    FileSenderMismatch { file: String, authenticated: String },
    #[error(
        "ファイル「{file}」の名前の送信先が、この小包の宛先「{recipient}」ではありません。宛先ごとに分けて送ってください / file '{file}' does not name this parcel's recipient '{recipient}'"
    )]
    FileRecipientMismatch { file: String, recipient: String },
    #[error(
        "ファイル「{file}」の種類が送付状では「{declared}」、ファイル名では「{named}」です / file '{file}' is declared '{declared}' but its name says '{named}'"
    )]
    KindMismatch {
        file: String,
        declared: String,
        named: String,
    },
    #[error(
        "小包の中身が送付状と一致しません(送付状 {manifest}、受信 {actual})。送り直してください / the parcel does not match its manifest (manifest {manifest}, received {actual}); send it again"
    )]
    DigestMismatch { manifest: String, actual: String },
    #[error(
        "小包が大きすぎます({size}バイト、上限{limit}バイト)。ファイルを分けて送ってください / the parcel is {size} bytes, over the limit of {limit}"
    )]
    ParcelTooLarge { size: u64, limit: u64 },
    #[error(
        "同じ小包ID「{client_parcel_id}」で中身の違う小包がすでに受け付けられています。新しい小包IDで送ってください / parcel id '{client_parcel_id}' was already accepted with another digest"
    )]
    ParcelIdReused { client_parcel_id: String },
    #[error("小包「{0}」はありません / no parcel '{0}'")]
    NoParcel(String),
    #[error(
        "監査ログはまだ大きさ {asked} になっていません（今は {size}）。検査点の大きさまでを指定してください / the log has not reached size {asked} (it is {size}); ask up to a checkpoint's size"
    )]
    LogSizeUnknown { asked: u64, size: u64 },
    #[error(
        "小包「{0}」はこの事業所宛て・この事業所からのものではありません / parcel '{0}' is not to or from this office"
    )]
    NotYourParcel(String),
    #[error(
        "小包「{id}」は{state}のため、この操作はできません / parcel '{id}' is {state_en}: this step does not apply"
    )]
    WrongState {
        id: String,
        state: &'static str,
        state_en: &'static str,
    },
    #[error("受信確認を受け付けられません / the acknowledgement is not valid: {0}")]
    AcknowledgementInvalid(String),
    #[error("要求が正しくありません / bad request: {0}")]
    BadRequest(String),
    #[error(
        "小包の送信が途中で止まりました。回線を確かめて送り直してください(同じ小包IDで送り直せば二重になりません) / the parcel's body stopped arriving; send it again"
    )]
    BodyIncomplete,
    #[error(
        "小包の中身が送信先「{0}」あてのCMS暗号化データではありません。送信先の証明書で封をし直してください / the payload is not CMS enveloped for recipient '{0}'"
    )]
    PayloadNotAddressed(String),
    #[error(
        "事業所「{office}」の送信量が上限を超えました({what})。時間をおいて送るか、運用者に相談してください / office '{office}' is over its quota ({what_en})"
    )]
    QuotaExceeded {
        office: String,
        what: String,
        what_en: String,
    },
    #[error(
        "この事業所の受信箱を待っている接続が多すぎます。同時に受信するパソコンを減らしてください / too many long polls of this office's inbox at once"
    )]
    TooManyWaiting,

    // --- enrolment and operators
    #[error(
        "登録コードが見つかりません。運用者から受け取ったコードを確かめてください / unknown enrolment code"
    )]
    EnrolmentCodeUnknown,
    #[error(
        "この登録コードはすでに使われています。運用者に新しいコードを依頼してください / the enrolment code was already used"
    )]
    EnrolmentCodeUsed,
    #[error(
        "この登録コードは期限切れです。運用者に新しいコードを依頼してください / the enrolment code has expired"
    )]
    EnrolmentCodeExpired,
    #[error(
        "証明書署名要求の事業所番号「{request}」が登録コードの事業所「{code}」と違います / the request names office '{request}' but the code is for '{code}'"
    )]
    EnrolmentOfficeMismatch { request: String, code: String },
    #[error("事業所「{0}」は登録されていません / office '{0}' is not enrolled")]
    NoOffice(String),
    #[error(
        "運用者名・パスワード・確認コード(認証アプリの6桁)のどれかが違います。確認コードは一度しか使えません / wrong operator name, password or one-time code"
    )]
    LoginFailed,
    #[error(
        "運用者としてログインしてください(期限切れの場合はログインし直してください) / operator login required"
    )]
    LoginRequired,
    #[error(
        "サインインできませんでした。番号・名前・パスワード・確認コード(認証アプリの6桁)を確かめてください。確認コードは一度しか使えません / sign-in failed"
    )]
    PortalSignInFailed,
    #[error(
        "サインインの失敗が続いたため、{until}までこのアカウントではサインインできません。お急ぎのときは、職員の方は管理者に、ご本人は市町村の窓口にご連絡ください / too many failed sign-ins: locked until {until}"
    )]
    SignInLocked { until: String },
    #[error(
        "サインインが混み合っています。少し待ってからもう一度お試しください / too many sign-ins at once; try again in a moment"
    )]
    SignInBusy,
    #[error(
        "利用開始コードが違うか、期限が切れています。市町村の窓口で新しいコードを受け取ってください / the activation code is wrong or expired"
    )]
    ActivationFailed,

    // --- the information base
    #[error(transparent)]
    Disclosure(#[from] renkei_infobase::Refusal),
    #[error(
        "ファイルに{}件の問題があるため、何も読み込んでいません。直してからもう一度読み込んでください / nothing was loaded: {} problems\n{}",
        problems.len(),
        problems.len(),
        problems.iter().take(50).map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    UploadInvalid {
        problems: Vec<renkei_infobase::upload::Problem>,
    },

    // --- the relay itself
    #[error("データベースの処理に失敗しました / database operation failed: {0}")]
    Database(String),
    #[error("データの保存先が停止しています / the store has shut down")]
    Closed,
    #[error(transparent)]
    Seal(#[from] renkei_seal::Error),
    #[error("ファイルを読み書きできません / I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLSの設定に失敗しました / TLS setup failed: {0}")]
    Tls(String),
}

impl Error {
    /// The stable code a client matches on.
    pub fn code(&self) -> ProblemCode {
        match self {
            Error::CertificateRequired => ProblemCode::CertificateRequired,
            Error::CertificateUnknown(_) => ProblemCode::CertificateUnknown,
            Error::CertificateExpired { .. } => ProblemCode::CertificateExpired,
            Error::CertificateNotYetValid { .. } => ProblemCode::CertificateNotYetValid,
            Error::CertificateRevoked { .. } => ProblemCode::CertificateRevoked,
            Error::OfficeInactive(_) => ProblemCode::OfficeInactive,
            Error::ManifestInvalid(_) => ProblemCode::ManifestInvalid,
            Error::ManifestSignature => ProblemCode::ManifestSignatureInvalid,
            Error::SenderMismatch { .. } => ProblemCode::SenderMismatch,
            Error::RecipientUnknown(_) => ProblemCode::RecipientUnknown,
            Error::RecipientInactive(_) => ProblemCode::RecipientInactive,
            Error::KindNotReceivable { .. } => ProblemCode::KindNotReceivable,
            Error::KindNotSendable { .. } => ProblemCode::KindNotSendable,
            Error::FileSenderMismatch { .. } => ProblemCode::FileSenderMismatch,
            Error::FileRecipientMismatch { .. } => ProblemCode::FileRecipientMismatch,
            Error::KindMismatch { .. } => ProblemCode::KindMismatch,
            Error::DigestMismatch { .. } => ProblemCode::DigestMismatch,
            Error::ParcelTooLarge { .. } => ProblemCode::ParcelTooLarge,
            Error::ParcelIdReused { .. } => ProblemCode::ParcelIdReused,
            Error::NoParcel(_) => ProblemCode::ParcelNotFound,
            Error::NotYourParcel(_) => ProblemCode::ParcelNotYours,
            Error::WrongState { .. } => ProblemCode::ParcelWrongState,
            Error::AcknowledgementInvalid(_) => ProblemCode::AcknowledgementInvalid,
            Error::BadRequest(_) => ProblemCode::BadRequest,
            Error::BodyIncomplete => ProblemCode::BodyIncomplete,
            Error::PayloadNotAddressed(_) => ProblemCode::PayloadNotAddressed,
            Error::QuotaExceeded { .. } => ProblemCode::QuotaExceeded,
            Error::TooManyWaiting => ProblemCode::TooManyWaiting,
            Error::EnrolmentCodeUnknown => ProblemCode::EnrolmentCodeUnknown,
            Error::EnrolmentCodeUsed => ProblemCode::EnrolmentCodeUsed,
            Error::EnrolmentCodeExpired => ProblemCode::EnrolmentCodeExpired,
            Error::EnrolmentOfficeMismatch { .. } => ProblemCode::EnrolmentOfficeMismatch,
            Error::NoOffice(_) => ProblemCode::OfficeNotFound,
            Error::LogSizeUnknown { .. } => ProblemCode::LogSizeUnknown,
            Error::LoginFailed => ProblemCode::LoginFailed,
            Error::LoginRequired => ProblemCode::LoginRequired,
            Error::PortalSignInFailed => ProblemCode::SignInFailed,
            Error::SignInLocked { .. } => ProblemCode::SignInLocked,
            Error::SignInBusy => ProblemCode::SignInBusy,
            Error::ActivationFailed => ProblemCode::ActivationFailed,
            Error::Disclosure(refusal) => ProblemCode::from(*refusal),
            Error::UploadInvalid { .. } => ProblemCode::UploadInvalid,
            Error::Database(_) | Error::Closed | Error::Io(_) | Error::Tls(_) => {
                ProblemCode::Internal
            }
            Error::Seal(_) => ProblemCode::Crypto,
        }
    }

    /// The HTTP status the API answers with.
    pub fn status(&self) -> u16 {
        match self {
            Error::CertificateRequired
            | Error::CertificateUnknown(_)
            | Error::CertificateExpired { .. }
            | Error::CertificateNotYetValid { .. }
            | Error::CertificateRevoked { .. }
            | Error::LoginFailed
            | Error::LoginRequired
            | Error::PortalSignInFailed
            | Error::ActivationFailed => 401,
            Error::OfficeInactive(_)
            | Error::SenderMismatch { .. }
            | Error::ManifestSignature
            | Error::NotYourParcel(_)
            | Error::KindNotSendable { .. }
            | Error::FileSenderMismatch { .. }
            | Error::Disclosure(_) => 403,
            Error::NoParcel(_)
            | Error::NoOffice(_)
            | Error::EnrolmentCodeUnknown
            | Error::LogSizeUnknown { .. } => 404,
            Error::ParcelIdReused { .. } | Error::WrongState { .. } => 409,
            Error::EnrolmentCodeUsed | Error::EnrolmentCodeExpired => 410,
            Error::ParcelTooLarge { .. } => 413,
            Error::SignInLocked { .. } | Error::QuotaExceeded { .. } | Error::TooManyWaiting => 429,
            Error::BodyIncomplete => 408,
            Error::RecipientUnknown(_)
            | Error::RecipientInactive(_)
            | Error::KindNotReceivable { .. }
            | Error::FileRecipientMismatch { .. }
            | Error::PayloadNotAddressed(_)
            | Error::KindMismatch { .. }
            | Error::DigestMismatch { .. }
            | Error::EnrolmentOfficeMismatch { .. }
            | Error::UploadInvalid { .. } => 422,
            Error::ManifestInvalid(_) | Error::AcknowledgementInvalid(_) | Error::BadRequest(_) => {
                400
            }
            Error::Closed | Error::SignInBusy => 503,
            Error::Database(_) | Error::Io(_) | Error::Tls(_) | Error::Seal(_) => 500,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error.to_string())
    }
}
