//! Where a sign-in may send the browser next, and text for a query string.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Only a path on this site may follow a sign-in: it starts with one `/`, and holds no
/// backslash (browsers read `/\evil.example` as `//evil.example`), no control character
/// and no scheme. Anything else goes to `/`.
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(char::is_control)
            && !n.contains("://")
    })
    .unwrap_or("/")
}

/// What stays as it is in a query value: letters, digits and `-_.~/`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// `text` as the value of a query parameter.
pub fn encode_query_value(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_follow_a_sign_in() {
        for ok in [
            "/",
            "/outbox?month=202612",
            "/base/people/131045/0000012345",
        ] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "evil.example",
            "/x?u=https://evil.example",
            "/\tevil",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query_value("/outbox?month=1&x=あ"),
            "/outbox%3Fmonth%3D1%26x%3D%E3%81%82"
        );
    }
}
