//! The directory (事業所検索): who is enrolled, and the certificate to seal a parcel to.

use super::Relay;
use crate::Result;
use crate::store::{CertificateRecord, Office, OfficeQuery, OfficeStore};

impl Relay {
    /// Offices matching `query`, by number, each with its certificate usable at `time`.
    pub async fn directory(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
        self.store.offices(query, time).await
    }

    /// The enrolled office with this number, if there is one.
    pub async fn enrolled_office(&self, number: &str) -> Result<Option<Office>> {
        self.store.office(number).await
    }
}
