//! The relay's wire: what offices, care software and the relay say to each other over
//! HTTPS. Both sides use these types, so a field renamed on one side is renamed on the
//! other. Signed objects from `seal` travel as they are (opaque objects in the OpenAPI
//! document). No server and no storage here: an office client links this crate alone.
//!
//! - [`headers`]: the headers and limits a parcel travels with, and how long connections idle;
//! - [`problem`]: every refusal, with its stable [`ProblemCode`];
//! - [`parcels`]: enrolment, the directory, parcels and inboxes;
//! - [`operator`]: the operator's sign-in, codes, revocation and volumes;
//! - [`infobase`]: the information base's records, registrations and uploads.
//!
//! The OpenAPI derivations are behind the `openapi` feature, which only the relay turns on.

pub mod headers;
pub mod infobase;
pub mod operator;
pub mod parcels;
pub mod problem;

pub use headers::{
    CLIENT_POOL_IDLE, MANIFEST_HEADER, MANIFEST_SIGNATURE_HEADER, MAX_REASON_CHARS,
    MAX_RETURNED_FINDINGS, PARCEL_CONTENT_TYPE, RELAY_IDLE,
};
pub use infobase::{
    KindAnswer, LoadedView, OVERVIEW_MAX_PEOPLE, OpinionRequestView, OverviewRequest,
    PersonOverview, PersonRef, RecordRequest, RecordView, RegistrationRequested,
};
pub use operator::{
    CodeRequest, CodeResponse, LoginRequest, LoginResponse, RevokeRequest, RevokedView, VolumeView,
};
pub use parcels::{
    ConsistencyView, CsvVersionValue, CsvVersions, EnrolRequest, EnrolResponse, InboxItem,
    OfficeView, ParcelView, SignedManifestView, SignedReceiptView, SignedView,
};
pub use problem::{Problem, ProblemCode};
