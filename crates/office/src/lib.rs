//! The office side of the relay.
//!
//! - [`profile`]: the office's own key, certificate and authority;
//! - [`client`]: the relay's API over mutual TLS, with [`retry`] for faults;
//! - [`parcel`]: files in, sealed parcel out, and back, checking every signature;
//! - [`sending`] and [`receiving`]: the export and import folders of the care software,
//!   through the [`ledger`] so that a run after any stop neither repeats nor loses a file;
//! - [`versions`]: which document each record is a version of;
//! - [`software`]: which versions of the standard the office's care software reads and writes;
//! - [`api_key`]: the keys of the care software's programs on the local API.
//!
//! No HTTP server here: the office's web console is `renkei-office-console`, so a program
//! that only syncs links none of it.

pub mod api_key;
mod at_work;
pub mod client;
mod error;
pub mod ledger;
pub mod log_check;
mod many_files;
pub mod parcel;
pub mod platform;
pub mod profile;
pub mod receiver_turn;
pub mod receiving;
pub mod retry;
pub mod returned;
pub mod sending;
pub mod software;
pub mod versions;

pub use at_work::{Limits, Office};
pub use error::{Error, Result};
