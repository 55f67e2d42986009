//! What every web surface of renkei shares, so that a rule of trust lives in one place:
//! the operator console and the information-base pages on the relay, and the office
//! console on an office PC.
//!
//! - [`signin`]: wrong passwords counted atomically per account and client address, a lock
//!   that looks the same for accounts that do not exist, and password hashing bounded so
//!   that failed sign-ins cannot exhaust memory or the blocking threads;
//! - [`client`]: the client's address, which sign-ins are counted by;
//! - [`cookies`]: the one cookie parser, and session cookies as they are set and cleared;
//! - [`origin`]: the one same-site check for forms (`Origin: null` is another site), and the
//!   host allow-list that keeps a console on loopback from DNS rebinding;
//! - [`headers`]: the security headers every answer carries (a Content-Security-Policy
//!   without inline script, `nosniff`, no framing, no referrer to other sites);
//! - [`redirect`]: where a sign-in may send the browser next (`next=`), and query encoding;
//! - [`download`]: `Content-Disposition` for a file name, built per RFC 6266;
//! - [`confirm`]: the script that asks before an act that cannot be undone;
//! - [`qr`]: an authenticator's address as a QR code, inline SVG.

pub mod client;
pub mod confirm;
pub mod cookies;
pub mod download;
pub mod headers;
pub mod origin;
pub mod qr;
pub mod redirect;
pub mod signin;
