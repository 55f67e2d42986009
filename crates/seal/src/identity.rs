//! Which office a certificate speaks for: its 事業所番号, its サービス種類コード and its name.
//! A municipality, which takes part in the information base (介護情報基盤) with a
//! certificate too, is named by its six-digit 保険者番号 instead.
//!
//! They travel in the certificate's subject alternative names as URIs
//! (`urn:renkei:office:0300000100`, `urn:renkei:kind:43`), which any X.509 tool shows, and
//! the office name as the subject's organisation.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub(crate) const OFFICE_URN: &str = "urn:renkei:office:";
pub(crate) const KIND_URN: &str = "urn:renkei:kind:";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeIdentity {
    /// 介護保険事業所番号, 10 digits (a clinic's 医療機関コード is of the same form); or a
    /// municipality's 保険者番号, 6 digits.
    pub number: String,
    /// サービス種類コード the office is registered for (43 for a 居宅介護支援事業所 …).
    pub kinds: Vec<String>,
    /// 事業所名.
    pub name: String,
}

impl OfficeIdentity {
    pub fn new(number: &str, kinds: &[&str], name: &str) -> Result<Self> {
        if !matches!(number.len(), 6 | 10) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::BadOfficeNumber(number.to_owned()));
        }
        for kind in kinds {
            if kind.len() != 2
                || !kind
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                return Err(Error::BadServiceKind((*kind).to_owned()));
            }
        }
        Ok(Self {
            number: number.to_owned(),
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            name: name.to_owned(),
        })
    }

    /// Whether the certificate is a municipality's (a 保険者番号, 6 digits).
    pub fn is_municipality(&self) -> bool {
        self.number.len() == 6
    }

    /// Whether the office plans care (居宅介護支援 43, 介護予防支援 46): it sends plans and
    /// 予定 and receives 実績.
    pub fn is_planner(&self) -> bool {
        self.kinds.iter().any(|k| k == "43" || k == "46")
    }

    pub(crate) fn uris(&self) -> Vec<String> {
        std::iter::once(format!("{OFFICE_URN}{}", self.number))
            .chain(self.kinds.iter().map(|k| format!("{KIND_URN}{k}")))
            .collect()
    }
}
