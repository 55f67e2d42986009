//! The office side: the office's own key and certificate ([`profile`]), the relay's API
//! over mutual TLS ([`client`]), and parcels made from and opened into files ([`parcel`]).
//!
//! Sync with the care software's folders, the ledger and versions come with the
//! office-client issue.

pub mod client;
mod error;
pub mod parcel;
pub mod profile;

pub use error::{Error, Result};
