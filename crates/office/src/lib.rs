//! The office side of the relay.
//!
//! - [`profile`]: the office's own key, certificate and authority;
//! - [`client`]: the relay's API over mutual TLS, with [`retry`] for faults;
//! - [`parcel`]: files in, sealed parcel out, and back, checking every signature;
//! - [`sending`] and [`receiving`]: the export and import folders of the care software,
//!   through the [`ledger`] so that a run after any stop neither repeats nor loses a file;
//! - [`versions`]: which document each record is a version of;
//! - [`console`]: the office's web pages in Japanese, on localhost.

pub mod client;
pub mod console;
mod error;
pub mod ledger;
pub mod office;
pub mod parcel;
pub mod profile;
pub mod receiving;
pub mod retry;
pub mod sending;
pub mod versions;

pub use error::{Error, Result};
pub use office::Office;
