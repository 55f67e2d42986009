//! The relay: authenticated store-and-forward of parcels between offices, with signed
//! receipts and a tamper-evident audit log (DESIGN §4).
//!
//! - [`store`]: storage behind a trait, on SQLite, with the audit log's Merkle tree;
//! - [`relay`]: the rules — enrolment, authentication, routing, delivery, receipts;
//! - [`http`]: the HTTPS API with mutual TLS that offices and the operator call, and the
//!   operator's console;
//! - [`registry`]: the register of an area's offices, the denominator of adoption;
//! - [`base`]: the information base (介護情報基盤): people's records, consent and who sees what.

mod error;
pub mod http;
pub mod registry;
pub mod relay;
pub mod setup;
pub mod store;

pub use error::{Error, Result};
