//! The relay's records as the API shows them: the store's types never travel, so the
//! wire (`renkei_proto`) and the store can change apart.

use renkei_proto::{CsvVersionValue, CsvVersions, OfficeView, ParcelView, RecordView, VolumeView};

use crate::store::{CertificateRecord, DailyVolume, Office, ParcelRecord, RecordVersion};

pub(super) fn office_view(office: Office, certificate: Option<CertificateRecord>) -> OfficeView {
    OfficeView {
        csv: csv_versions(&office),
        number: office.number,
        name: office.name,
        kinds: office.kinds,
        prefecture: office.prefecture,
        active: office.active,
        certificate_not_after: certificate.as_ref().map(|c| c.not_after),
        certificate: certificate.map(|c| c.pem),
    }
}

/// What the office said its care software reads and writes, as the wire names it.
pub(super) fn csv_versions(office: &Office) -> CsvVersions {
    CsvVersions {
        reads: csv_values(&office.csv_reads),
        writes: csv_values(&office.csv_writes),
    }
}

/// The CSVバージョン values the store keeps (values no longer declarable are dropped).
fn csv_values(stored: &[String]) -> Vec<CsvVersionValue> {
    stored
        .iter()
        .filter_map(|v| CsvVersionValue::parse(v))
        .collect()
}

pub(super) fn parcel_view(parcel: &ParcelRecord) -> ParcelView {
    ParcelView {
        id: parcel.id.clone(),
        sender: parcel.sender.clone(),
        recipient: parcel.recipient.clone(),
        client_parcel_id: parcel.client_parcel_id.clone(),
        payload_sha256: parcel.payload_sha256.clone(),
        size: parcel.size,
        state: parcel.state.as_str().to_owned(),
        state_ja: parcel.state.name_ja().to_owned(),
        accepted: parcel.accepted,
        log_index: parcel.accepted_index,
        downloaded: parcel.downloaded,
        acknowledged: parcel.acknowledged,
        rejected_reason: rejected_reason(parcel),
    }
}

/// The reason in a stored rejection: the recipient's signed statement, checked when kept.
fn rejected_reason(parcel: &ParcelRecord) -> Option<String> {
    let (signed, _pem): (renkei_seal::receipt::Signed, String) =
        serde_json::from_str(parcel.rejection.as_deref()?).ok()?;
    let rejection: renkei_seal::receipt::Rejection = serde_json::from_str(&signed.body).ok()?;
    Some(rejection.reason)
}

pub(super) fn volume_view(volume: DailyVolume) -> VolumeView {
    VolumeView {
        day: volume.day,
        parcels: volume.parcels,
        bytes: volume.bytes,
    }
}

pub(super) fn record_view(version: RecordVersion) -> RecordView {
    RecordView {
        kind: version.kind,
        key: version.key,
        version: version.version,
        body: serde_json::from_str(&version.body).unwrap_or(serde_json::Value::Null),
        author: version.author,
        created: version.created,
    }
}
