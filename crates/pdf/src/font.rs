//! The Japanese font for PDFs: found on this machine (Debian's IPAex or Noto CJK, or the
//! fonts every Japanese Windows has), or named by `RENKEI_PDF_FONT`; embedded as a subset.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::{Error, Result};

/// Where a Japanese font usually is, best first. IPAex Gothic is the default of forms: its
/// kanji cover the 人名 of the JIS levels 1–4 and its licence lets PDFs embed it freely.
const KNOWN_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:\\Windows\\Fonts\\YuGothM.ttc",
    "C:\\Windows\\Fonts\\msgothic.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
];

/// A font loaded once and shared by every PDF the process makes.
#[derive(Clone)]
pub struct JapaneseFont {
    data: Arc<Vec<u8>>,
    font: krilla::text::Font,
    units_per_em: f32,
}

impl std::fmt::Debug for JapaneseFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JapaneseFont")
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl JapaneseFont {
    /// The font named by `RENKEI_PDF_FONT`, else the first of the usual places.
    pub fn find() -> Result<Self> {
        let chosen: Vec<PathBuf> = match std::env::var_os("RENKEI_PDF_FONT") {
            Some(path) => vec![PathBuf::from(path)],
            None => KNOWN_FONTS.iter().map(PathBuf::from).collect(),
        };
        let path = chosen
            .iter()
            .find(|p| p.is_file())
            .ok_or_else(|| Error::NoFont {
                looked: chosen
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        Self::load(path)
    }

    /// The first face of the font file at `path` (a collection's first is its Regular).
    pub fn load(path: &Path) -> Result<Self> {
        let bad = |reason: String| Error::BadFont {
            path: path.display().to_string(),
            reason,
        };
        let data = Arc::new(std::fs::read(path).map_err(|e| bad(e.to_string()))?);
        let units_per_em = FontRef::from_index(&data, 0)
            .map_err(|e| bad(e.to_string()))?
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        let font = krilla::text::Font::new(krilla::Data::from(Arc::clone(&data)), 0)
            .ok_or_else(|| bad("krilla cannot read it".into()))?;
        Ok(Self {
            data,
            font,
            units_per_em,
        })
    }

    pub(crate) fn krilla(&self) -> krilla::text::Font {
        self.font.clone()
    }

    /// The width of `text` set at `size` points, from the font's advances (what krilla's
    /// simple shaping uses for these scripts).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::from_index(&self.data, 0) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|ch| {
                charmap
                    .map(ch)
                    .and_then(|glyph| metrics.advance_width(glyph))
                    .unwrap_or(self.units_per_em / 2.0)
            })
            .sum();
        units * size / self.units_per_em
    }
}
