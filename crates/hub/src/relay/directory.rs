//! The directory (事業所検索): who is enrolled, and the certificate to seal a parcel to.

use super::Relay;
use crate::Result;
use crate::store::{CertificateRecord, Office, OfficeQuery, OfficeStore};
use renkei_proto::{CsvVersionValue, CsvVersions};

impl Relay {
    /// Offices matching `query`, by number, each with its certificate usable at `time`.
    pub async fn directory(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
        self.store.offices(query, time).await
    }

    /// Keep what office `number` says its care software reads and writes, and answer with
    /// the office as the directory now shows it.
    pub async fn set_csv_versions(&self, number: &str, versions: &CsvVersions) -> Result<Office> {
        let joined = |values: &[CsvVersionValue]| {
            values
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        let versions = versions.normalised();
        self.store
            .set_csv_versions(number, joined(&versions.reads), joined(&versions.writes))
            .await?;
        // A caller is cached with its office: the next call sees the new versions.
        self.callers.forget();
        tracing::info!(office = number, ?versions, "CSV versions declared");
        self.store
            .office(number)
            .await?
            .ok_or_else(|| crate::Error::NoOffice(number.to_owned()))
    }

    /// The enrolled office with this number, if there is one.
    pub async fn enrolled_office(&self, number: &str) -> Result<Option<Office>> {
        self.store.office(number).await
    }
}
