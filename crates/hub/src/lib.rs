//! The relay: authenticated store-and-forward of parcels between offices, with signed
//! receipts and a tamper-evident audit log (DESIGN §4).
//!
//! Built in steps by the relay issue. Here so far: the storage behind [`store::Store`] and
//! its SQLite implementation, with the audit log's Merkle tree.

mod error;
pub mod store;

pub use error::{Error, Result};
