//! 連携先ごとの進み具合: for a service month, each partner with what was exchanged — 予定
//! sent, reached and taken in; 実績 expected and received — those still missing first, with
//! the date of the last exchange; and a reminder to copy into a phone call or a FAX for the
//! partners behind and for those the 利用票 names that are not on renkei at all.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use super::parcels::{chosen_month, received_of_month, relay_states, sent_of_month};
use super::session::Signed;
use super::time::{Month, jst};
use super::words::Partners;

/// One partner's month.
#[derive(Debug, Default)]
struct PartnerRow {
    label: String,
    /// Sendings of the month to the partner: all, reached its PC, taken in.
    sent: usize,
    reached: usize,
    taken_in: usize,
    received: usize,
    /// People whose 予定 names the partner, and those it reported 実績 for.
    expected: Vec<String>,
    reported: usize,
    last: Option<i64>,
    /// On renkei: it has an exchange with this office or is in the directory.
    connected: bool,
}

impl PartnerRow {
    /// How much is still missing: 実績 not yet in, sendings not yet taken in.
    fn missing(&self) -> usize {
        self.expected.len().saturating_sub(self.reported) + self.sent.saturating_sub(self.taken_in)
    }

    fn last_label(&self) -> String {
        self.last.map(jst).unwrap_or_else(|| "なし".to_owned())
    }
}

#[derive(Template)]
#[template(path = "console/board.html")]
struct BoardPage {
    frame: Frame,
    month: Month,
    rows: Vec<PartnerRow>,
    reminder: String,
}

#[derive(Debug, Deserialize)]
pub struct BoardQuery {
    month: Option<String>,
}

pub async fn page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<BoardQuery>,
) -> PageResult {
    let month = chosen_month(&console, query.month.as_deref())?;
    let partners = Partners::of(&console)?;
    let me = console.office.profile.number.clone();
    let relay = relay_states(&console).await;
    let mut rows: BTreeMap<String, PartnerRow> = BTreeMap::new();
    for parcel in sent_of_month(&console, month)? {
        let entry = rows.entry(parcel.recipient.clone()).or_default();
        entry.connected = true;
        entry.sent += 1;
        let state = relay
            .by_id
            .get(parcel.id())
            .map(|v| v.state.as_str())
            .unwrap_or("");
        if matches!(state, "downloaded" | "acknowledged") {
            entry.reached += 1;
        }
        if state == "acknowledged" {
            entry.taken_in += 1;
        }
        entry.last = entry.last.max(Some(parcel.time()));
    }
    for parcel in received_of_month(&console, month)? {
        let entry = rows.entry(parcel.sender.clone()).or_default();
        entry.connected = true;
        entry.received += 1;
        entry.last = entry.last.max(Some(parcel.received));
    }
    let people = super::reconcile::gather(&console, month)?;
    for person in people.values() {
        for provider in &person.planned_by {
            rows.entry(provider.clone())
                .or_default()
                .expected
                .push(person.name.clone());
        }
        for provider in &person.reported_by {
            rows.entry(provider.clone()).or_default().reported += 1;
        }
    }
    // A care manager's 利用票 names every provider of the person; those this office has
    // never exchanged with are not on renkei, and get their papers by FAX or post.
    let mut unconnected: BTreeMap<String, String> = BTreeMap::new();
    if super::words::reader(&console) == renkei_spec::glossary::Reader::Planner {
        for person in people.values() {
            for (provider, name) in &person.named {
                if *provider != me && !rows.contains_key(provider) {
                    unconnected
                        .entry(provider.clone())
                        .or_insert_with(|| name.clone());
                }
            }
        }
    }
    for provider in unconnected.keys() {
        rows.entry(provider.clone()).or_default();
    }
    let mut rows: Vec<PartnerRow> = rows
        .into_iter()
        .filter(|(number, _)| *number != me)
        .map(|(number, mut row)| {
            let in_directory = partners.knows(&number);
            row.connected |= in_directory;
            // One the directory does not name is named as the 利用票 wrote it.
            row.label = match unconnected.get(&number) {
                Some(name) if !in_directory && !name.is_empty() => format!("{name}（{number}）"),
                _ => partners.label(&number),
            };
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.connected, std::cmp::Reverse(a.missing()), &a.label).cmp(&(
            b.connected,
            std::cmp::Reverse(b.missing()),
            &b.label,
        ))
    });
    let reminder = reminder(&rows, month);
    html(BoardPage {
        frame: Frame::new(
            &console,
            &staff,
            "board",
            format!("連携先ごとの進み具合 {}", month.service_label()),
        ),
        month,
        rows,
        reminder,
    })
}

/// What to say to each partner behind, one paragraph each, for a phone call or a FAX.
fn reminder(rows: &[PartnerRow], month: Month) -> String {
    let mut text = String::new();
    for row in rows {
        let waiting = row.expected.len().saturating_sub(row.reported);
        let paragraph = if !row.connected {
            format!(
                "{} 様\n{}の提供票は、renkei（ケアプランデータ連携）ではお送りできません。FAXか郵送でお送りします。実績も同じ方法でお送りください。\n",
                row.label,
                month.service_label()
            )
        } else if waiting > 0 {
            format!(
                "{} 様\n{}の実績が、{}名分まだ届いていません。ご確認のうえ、お送りください。\n",
                row.label,
                month.service_label(),
                waiting
            )
        } else if row.sent > row.taken_in {
            format!(
                "{} 様\n{}にお送りした提供票のうち{}件が、まだ取り込まれていません。受信箱をご確認ください。\n",
                row.label,
                month.service_label(),
                row.sent - row.taken_in
            )
        } else {
            continue;
        };
        text.push_str(&paragraph);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reminder_speaks_to_each_partner_behind_and_skips_the_others() {
        let month = Month::parse("202601").unwrap();
        let rows = [
            PartnerRow {
                label: "架空訪問介護（1313366167）".into(),
                connected: true,
                expected: vec!["架空 花子".into(), "架空 太郎".into()],
                reported: 1,
                ..PartnerRow::default()
            },
            PartnerRow {
                label: "架空デイサービス（1338231868）".into(),
                connected: false,
                ..PartnerRow::default()
            },
            PartnerRow {
                label: "架空福祉用具（1331112697）".into(),
                connected: true,
                expected: vec!["架空 花子".into()],
                reported: 1,
                sent: 1,
                taken_in: 1,
                ..PartnerRow::default()
            },
        ];
        let text = reminder(&rows, month);
        assert!(
            text.contains(
                "架空訪問介護（1313366167） 様\n令和8年1月分の実績が、1名分まだ届いていません"
            ),
            "{text}"
        );
        assert!(text.contains("架空デイサービス（1338231868） 様\n令和8年1月分の提供票は、renkei（ケアプランデータ連携）ではお送りできません"), "{text}");
        assert!(!text.contains("架空福祉用具"), "{text}");
        assert_eq!(rows[0].missing(), 1);
    }
}
