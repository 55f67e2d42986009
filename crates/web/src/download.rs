//! `Content-Disposition` for a download, built per RFC 6266 / RFC 8187: an ASCII fallback
//! in `filename=` with anything unsafe replaced, and the real name percent-encoded in
//! `filename*=`. No quote, backslash, control character or path reaches the header.

use axum::http::HeaderValue;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 8187 `attr-char`: what may stand unencoded in `filename*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `attachment` with `name`, whatever it holds (only its last path part is used).
pub fn attachment(name: &str) -> HeaderValue {
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    let name = if name.is_empty() {
        "download".to_owned()
    } else {
        name
    };
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | ';') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let value = format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(&name, ATTR_CHAR)
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded_and_cannot_break_out() {
        assert_eq!(
            attachment("送受信記録_202612.pdf"),
            "attachment; filename=\"______202612.pdf\"; filename*=UTF-8''%E9%80%81%E5%8F%97%E4%BF%A1%E8%A8%98%E9%8C%B2_202612.pdf"
        );
        let hostile = attachment("a\"; filename=evil.exe\r\nX-Injected: 1");
        let text = hostile.to_str().unwrap();
        assert!(!text.contains('\r') && !text.contains('\n'), "{text}");
        assert_eq!(text.matches('"').count(), 2, "{text}");
        assert!(
            attachment("../../etc/passwd")
                .to_str()
                .unwrap()
                .contains("filename=\"passwd\"")
        );
        assert!(attachment("").to_str().unwrap().contains("download"));
    }
}
