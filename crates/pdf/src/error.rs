use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error(
        "PDFに使う日本語フォントが見つかりません。`sudo apt-get install fonts-ipaexfont-gothic` で入れるか、RENKEI_PDF_FONT にフォントファイル(.ttf/.ttc/.otf)を指定してください / no Japanese font for PDFs; install fonts-ipaexfont-gothic or set RENKEI_PDF_FONT (looked in: {looked})"
    )]
    NoFont { looked: String },
    #[error("フォント {path} を使えません / cannot use the font {path}: {reason}")]
    BadFont { path: String, reason: String },
    #[error("PDFを作れませんでした / the PDF could not be written: {0}")]
    Write(String),
}
