//! The one cookie parser, and the session cookie as it is set and cleared.

use axum::http::{HeaderMap, HeaderValue, header};

/// The value of cookie `name` on the request, from every `Cookie` header it sent.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// Where a session cookie is sent: its path, and whether only over HTTPS.
#[derive(Clone, Copy, Debug)]
pub struct Scope {
    pub name: &'static str,
    pub path: &'static str,
    /// `Secure`: the relay's pages are HTTPS; the office console is plain HTTP on loopback.
    pub secure: bool,
}

impl Scope {
    /// The cookie that carries `token` for `max_age` seconds: `HttpOnly` and
    /// `SameSite=Strict`, so no script reads it and no other site's page sends it.
    pub fn set(&self, token: &str, max_age: i64) -> HeaderValue {
        self.value(token, max_age.max(0))
    }

    /// The cookie that ends the session in the browser.
    pub fn clear(&self) -> HeaderValue {
        self.value("", 0)
    }

    fn value(&self, token: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let text = format!(
            "{}={token}; HttpOnly{secure}; SameSite=Strict; Path={}; Max-Age={max_age}",
            self.name, self.path
        );
        // Tokens are hex, names and paths ours: always a valid header value.
        HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

/// A new session token and the digest that is kept of it (the token itself never is).
pub fn new_token() -> Result<(String, String), renkei_seal::Error> {
    let token = renkei_seal::sha256_hex(&renkei_seal::random_bytes::<32>()?);
    let digest = digest(&token);
    Ok((token, digest))
}

/// What the session store keeps of a token.
pub fn digest(token: &str) -> String {
    renkei_seal::sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_others_and_in_every_header() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "a=1; renkei=abc".parse().unwrap());
        headers.append(header::COOKIE, "b=2;c=3".parse().unwrap());
        assert_eq!(get(&headers, "renkei").as_deref(), Some("abc"));
        assert_eq!(get(&headers, "c").as_deref(), Some("3"));
        assert_eq!(get(&headers, "renke"), None, "a prefix is not the name");
        assert_eq!(get(&headers, "renkei=abc"), None);
    }

    #[test]
    fn session_cookies_are_http_only_and_strict() {
        let scope = Scope {
            name: "s",
            path: "/base",
            secure: true,
        };
        assert_eq!(
            scope.set("t", 60),
            "s=t; HttpOnly; Secure; SameSite=Strict; Path=/base; Max-Age=60"
        );
        assert_eq!(
            scope.clear(),
            "s=; HttpOnly; Secure; SameSite=Strict; Path=/base; Max-Age=0"
        );
    }
}
