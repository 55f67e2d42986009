//! Who a participant is, by name, as pages say it: an office by its directory name with its
//! 事業所番号 beside it, a municipality or clinic by the name the operator added it with.
//! Pages look up only the few holders they show.

use std::collections::HashMap;

use renkei_infobase::record::author_label;

use super::Relay;
use crate::Result;
use crate::store::{Access, AccessAction, AccountStore, OfficeStore};

/// Labels of the holders a page shows (`office:1310000043`, `municipality:131045`, …).
#[derive(Debug, Default)]
pub struct Names {
    labels: HashMap<String, String>,
}

impl Names {
    /// 「さくら居宅介護支援（1310000043）」, 「新宿区」; a holder not looked up (or a person)
    /// as the records name it.
    pub fn label(&self, holder: &str) -> String {
        self.labels
            .get(holder)
            .cloned()
            .unwrap_or_else(|| author_label(holder))
    }

    /// An office by its 事業所番号.
    pub fn office(&self, number: &str) -> String {
        self.label(&format!("office:{number}"))
    }
}

/// The holders an access log names: who looked, and the offices a change concerned.
pub fn holders_of_log(lines: &[Access]) -> impl Iterator<Item = String> + '_ {
    lines.iter().flat_map(|line| {
        let office = match &line.action {
            AccessAction::RegistrationRequested(o)
            | AccessAction::Registered(o)
            | AccessAction::RegistrationDeclined(o)
            | AccessAction::RegistrationEnded(o) => Some(format!("office:{o}")),
            AccessAction::Read | AccessAction::Consent(_) => None,
        };
        std::iter::once(line.viewer.clone()).chain(office)
    })
}

impl Relay {
    /// The names of `holders`, each looked up once.
    /// (A `Vec`, not an iterator: an iterator's closures held across the lookups would keep
    /// the pages' futures from being `Send`.)
    pub async fn names(&self, holders: Vec<String>) -> Result<Names> {
        let mut labels = HashMap::new();
        for holder in holders {
            if labels.contains_key(&holder) {
                continue;
            }
            let label = match holder.split_once(':') {
                Some(("office", number)) => {
                    let office = self.store.office(number).await?;
                    renkei_spec::glossary::office(office.as_ref().map(|o| o.name.as_str()), number)
                }
                Some(("municipality" | "clinic", _)) => {
                    match self.store.organisation(&holder).await? {
                        Some(organisation) => organisation.name,
                        None => author_label(&holder),
                    }
                }
                _ => continue,
            };
            labels.insert(holder, label);
        }
        Ok(Names { labels })
    }
}
