//! The seal against the stock `openssl` command: parcels and certificates are standard.

mod pki;
