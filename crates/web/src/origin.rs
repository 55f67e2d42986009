//! The one same-site check for forms and the host allow-list.
//!
//! Session cookies are `SameSite=Strict` already; the check also covers a browser that
//! sends them anyway. A form counts as from this site only when its `Origin` names exactly
//! the host the request was sent to; `Origin: null` (a sandboxed frame, a `data:` page, a
//! redirect across sites) is another site. A request without `Origin` comes from a program,
//! not a browser page, unless `Sec-Fetch-Site` says another site sent it.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request that changes something came from a page of another site.
pub fn is_cross_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        Some(Ok(origin)) => {
            let named = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            !matches!((named, host), (Some(named), Some(host)) if named.eq_ignore_ascii_case(host))
        }
        Some(Err(_)) => true,
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|site| !matches!(site, "same-origin" | "none")),
    }
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Middleware: refuse a form or request that changes something when another site sent it.
pub async fn same_site(request: Request, next: Next) -> Response {
    if changes_something(request.method()) && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            "別のサイトから送られたフォームは受け付けません。この画面から操作してください / a form from another site was refused",
        )
            .into_response();
    }
    next.run(request).await
}

/// The hosts a console answers to, against DNS rebinding: a page of another site whose
/// name was made to point at 127.0.0.1 sends its own name as `Host`, and is refused before
/// any page or cookie is involved. An address typed as digits cannot be rebound, so the
/// bound address is allowed (any address of the machine, when bound to all of them), and
/// `localhost`; other names only when given.
#[derive(Clone, Debug)]
pub struct AllowedHosts {
    bound: std::net::SocketAddr,
    names: Vec<String>,
}

impl AllowedHosts {
    /// The hosts a console bound to `address` answers to, with `names` (a PC's own name on
    /// an office's network) besides.
    pub fn for_address(address: std::net::SocketAddr, names: &[String]) -> Self {
        let mut names: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        if address.ip().is_loopback() || address.ip().is_unspecified() {
            names.push("localhost".into());
        }
        Self {
            bound: address,
            names,
        }
    }

    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return false };
        let port = self.bound.port();
        if let Ok(address) = host.parse::<std::net::SocketAddr>() {
            return address.port() == port
                && (address.ip() == self.bound.ip() || self.bound.ip().is_unspecified());
        }
        host.rsplit_once(':').is_some_and(|(name, given)| {
            given.parse() == Ok(port) && self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
        })
    }
}

/// Middleware: answer only requests addressed to one of the allowed hosts.
pub async fn allowed_host(
    axum::extract::State(hosts): axum::extract::State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !hosts.allows(host) {
        tracing::warn!(host, "request for another host refused");
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "この画面は、この端末のアドレス(http://127.0.0.1:…)で開いてください / open the console by its own address",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_this_host_as_origin_is_this_site() {
        let host = ("host", "127.0.0.1:8930");
        assert!(!is_cross_site(&headers(&[
            host,
            ("origin", "http://127.0.0.1:8930")
        ])));
        assert!(
            !is_cross_site(&headers(&[host])),
            "a program without Origin"
        );
        for origin in [
            "null",
            "http://127.0.0.1:8931",
            "http://evil.example",
            "http://127.0.0.1:8930.evil.example",
            "file://",
        ] {
            assert!(
                is_cross_site(&headers(&[host, ("origin", origin)])),
                "{origin}"
            );
        }
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
        assert!(!is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(
            is_cross_site(&headers(&[("origin", "http://127.0.0.1:8930")])),
            "no Host"
        );
    }

    #[test]
    fn a_loopback_console_answers_to_its_address_and_localhost_only() {
        let hosts = AllowedHosts::for_address("127.0.0.1:8930".parse().unwrap(), &[]);
        assert!(hosts.allows(Some("127.0.0.1:8930")));
        assert!(hosts.allows(Some("LOCALHOST:8930")));
        for host in [
            "evil.example:8930",
            "127.0.0.1:8931",
            "localhost",
            "127.0.0.1",
        ] {
            assert!(!hosts.allows(Some(host)), "{host}");
        }
        assert!(!hosts.allows(None));
        let lan = AllowedHosts::for_address("0.0.0.0:8930".parse().unwrap(), &["office-pc".into()]);
        for host in [
            "192.168.1.20:8930",
            "[::1]:8930",
            "office-pc:8930",
            "localhost:8930",
        ] {
            assert!(lan.allows(Some(host)), "{host}");
        }
        assert!(!lan.allows(Some("evil.example:8930")));
    }
}
