//! The long-term-care information base (介護情報基盤): records per insured person, the
//! person's consent and registered offices, and who may see what, as the national working
//! groups settled it. Pure rules: no storage, no network, so that the relay and the office
//! read them the same way.
//!
//! - [`participant`]: who takes part (municipality, care office, clinic, person);
//! - [`record`]: the person's key and the kinds of records kept about them;
//! - [`access`]: the rules — who sees which kind, under which consent and registration —
//!   as one pure decision, so that every request is checked the same way;
//! - [`certification`]: an application's progress, 受付 to 結果通知;
//! - [`allowance`]: 住宅改修 and 福祉用具購入 against their caps;
//! - [`upload`]: the municipality's bulk CSV, checked whole with a report before anything is kept.

pub mod access;
pub mod allowance;
pub mod certification;
pub mod participant;
pub mod plan;
pub mod record;
pub mod upload;

pub use access::{Consent, Refusal, Standing, decide};
pub use participant::{CLINIC_MARK, Participant};
pub use record::{NewRecord, PersonKey, RecordKind};
