//! An authenticator's `otpauth://` address as the QR code every authenticator app scans,
//! drawn as inline SVG (no script, no image request; the page's Content-Security-Policy is
//! untouched). The address stays on the page as text beside it for a phone without a camera.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `address` as an `<svg>` element with `label` as its accessible name, or
/// `None` when the address is too long for a QR code (it is not: a key address is ~120
/// characters, and a code holds 2,000).
pub fn svg(address: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(address.as_bytes(), EcLevel::M).ok()?;
    let drawn = code
        .render()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer writes a whole document; the page wants the element alone.
    let element = drawn.split_once("<svg")?.1;
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&' | '"'))
        .collect();
    Some(format!(
        r#"<svg role="img" aria-label="{label}" class="qr"{element}"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_becomes_an_svg_element_with_its_name() {
        let address = "otpauth://totp/renkei:admin?secret=JBSWY3DPEHPK3PXP&issuer=renkei";
        let drawn = svg(address, "認証アプリ用のQRコード").unwrap();
        assert!(drawn.starts_with(
            r#"<svg role="img" aria-label="認証アプリ用のQRコード" class="qr" xmlns="#
        ));
        assert!(drawn.ends_with("</svg>"));
        assert!(!drawn.contains("<?xml"));
        assert!(drawn.contains("<path"));
        // A label cannot break out of its attribute.
        assert!(
            svg(address, r#""><script>"#)
                .unwrap()
                .contains(r#"aria-label="script""#)
        );
    }
}
