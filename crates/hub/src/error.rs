use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error("データベースの処理に失敗しました / database operation failed: {0}")]
    Database(String),
    #[error(
        "同じ小包ID「{client_parcel_id}」で中身の違う小包がすでに受け付けられています / parcel id '{client_parcel_id}' was already accepted with another digest"
    )]
    ParcelIdReused { client_parcel_id: String },
    #[error("小包「{0}」はありません / no parcel '{0}'")]
    NoParcel(String),
    #[error(
        "小包「{id}」は{state}のため、この操作はできません / parcel '{id}' is {state_en}: this step does not apply"
    )]
    WrongState {
        id: String,
        state: &'static str,
        state_en: &'static str,
    },
    #[error("データの保存先が停止しています / the store has shut down")]
    Closed,
    #[error(transparent)]
    Seal(#[from] renkei_seal::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error.to_string())
    }
}
