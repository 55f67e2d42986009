//! The person's own pages: their records, who looked at them, their consent and the offices
//! registered for them, and the draft plans waiting for their answer.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::view::{AccessView, KindView, RecordView, authors, every_kind};
use super::{Signed, not_for_you, who};
use crate::http::page::{PageResult, html};
use crate::relay::{Names, Relay, holders_of_log};
use crate::store::Registration;
use renkei_infobase::{Consent, Participant, PersonKey, RecordKind};
use renkei_spec::jst::jst;

struct OfficeRow {
    office: String,
    /// 「名（事業所番号）」.
    label: String,
    registered: String,
    confirmed_by: &'static str,
    ended: Option<String>,
}

impl OfficeRow {
    fn of(r: &Registration, names: &Names) -> Self {
        Self {
            office: r.office.clone(),
            label: names.office(&r.office),
            registered: jst(r.registered),
            confirmed_by: if r.confirmed_by == "person" {
                "ご本人"
            } else {
                "市町村"
            },
            ended: r.ended.map(jst),
        }
    }
}

/// An office's request to be the person's office, with its name from the directory.
struct RequestRow {
    office: String,
    /// The office's name alone, for its button.
    name: String,
    /// 「名（事業所番号）」.
    label: String,
    requested: String,
}

/// Lines of the access log on one page (a page of the office console asks for every kind,
/// a line each); older ones are a link away.
const LOG_PAGE: usize = 1000;

#[derive(Template)]
#[template(path = "portal/person.html")]
struct HomePage {
    who: String,
    consent: Consent,
    offices: Vec<OfficeRow>,
    requests: Vec<RequestRow>,
    drafts: Vec<RecordView>,
    kinds: Vec<KindView>,
    log: Vec<AccessView>,
    /// The log's page (0 is the newest), and whether older lines follow.
    log_page: usize,
    log_older: bool,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
pub(super) struct HomeQuery {
    done: Option<String>,
    /// The access log's page, 0 for the newest lines.
    log: Option<usize>,
}

fn me(signed: &Signed) -> Result<PersonKey, crate::http::page::PageError> {
    match &signed.0.viewer {
        Participant::Person(me) => Ok(me.clone()),
        _ => Err(not_for_you()),
    }
}

/// Whether a draft's newest version still waits for the person's answer.
fn undecided(record: &crate::store::RecordVersion) -> bool {
    serde_json::from_str::<serde_json::Value>(&record.body)
        .map(|b| b.get("decision").is_none())
        .unwrap_or(true)
}

pub(super) async fn home(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Query(query): Query<HomeQuery>,
) -> PageResult {
    let person = me(&signed)?;
    let viewer = &signed.0.viewer;
    let now = renkei_seal::unix_now();
    let shown = every_kind(&relay, viewer, &person, now).await?;
    let log_page = query.log.unwrap_or(0).min(1_000_000);
    let mut lines = relay
        .access_log(viewer, &person, LOG_PAGE + 1, log_page * LOG_PAGE, now)
        .await?;
    let log_older = lines.len() > LOG_PAGE;
    lines.truncate(LOG_PAGE);
    let asked = relay.registration_requests(viewer, &person).await?;
    let (consent, registrations) = relay.standing_of(viewer, &person).await?;
    let mut holders = authors(&shown);
    holders.extend(holders_of_log(&lines));
    holders.extend(asked.iter().map(|r| format!("office:{}", r.office)));
    holders.extend(registrations.iter().map(|r| format!("office:{}", r.office)));
    let names = relay.names(holders).await?;
    let mut kinds = Vec::new();
    let mut drafts = Vec::new();
    for (kind, records) in shown {
        if kind == RecordKind::DraftPlan {
            let mut seen = std::collections::BTreeSet::new();
            for record in records.iter().rev() {
                if seen.insert(record.key.clone()) && undecided(record) {
                    drafts.push(RecordView::of(record, &names));
                }
            }
        }
        kinds.push(KindView::of(kind, &records, &names));
    }
    let log = AccessView::grouped(&lines, &names);
    let requests = asked
        .into_iter()
        .map(|request| {
            let label = names.office(&request.office);
            RequestRow {
                name: label
                    .rsplit_once('（')
                    .map_or(label.clone(), |(name, _)| name.to_owned()),
                label,
                office: request.office,
                requested: jst(request.requested),
            }
        })
        .collect();
    let notice = match query.done.as_deref() {
        Some("withdraw") => Some("同意を撤回しました。事業所は今後あなたの記録を見られません。"),
        Some("end_registration") => Some("担当事業所の登録を終了しました。"),
        Some("accept_request") => Some("事業所を担当事業所として登録しました。"),
        Some("decline_request") => Some("登録のお願いをお断りしました。"),
        Some("approve") => Some("ケアプランに同意しました。"),
        Some("reject") => Some("ケアプランに同意しないと回答しました。"),
        _ => None,
    };
    html(HomePage {
        who: who(&signed.0),
        consent,
        offices: registrations
            .iter()
            .map(|r| OfficeRow::of(r, &names))
            .collect(),
        requests,
        drafts,
        kinds,
        log,
        log_page,
        log_older,
        notice,
    })
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ActForm {
    #[serde(default)]
    office: String,
    #[serde(default)]
    key: String,
}

pub(super) async fn act(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path(act): Path<String>,
    Form(form): Form<ActForm>,
) -> PageResult {
    let person = me(&signed)?;
    let viewer = &signed.0.viewer;
    let now = renkei_seal::unix_now();
    match act.as_str() {
        "withdraw" => {
            relay
                .set_consent(viewer, &person, Consent::Withdrawn, now)
                .await?
        }
        "end_registration" => {
            relay
                .end_registration(viewer, &person, form.office.trim(), now)
                .await?
        }
        "accept_request" | "decline_request" => {
            relay
                .answer_registration(
                    viewer,
                    &person,
                    form.office.trim(),
                    act == "accept_request",
                    now,
                )
                .await?
        }
        "approve" | "reject" => {
            relay
                .decide_draft(viewer, &person, &form.key, act == "approve", now)
                .await?;
        }
        _ => return Err(not_for_you()),
    }
    Ok(Redirect::to(&format!("/base/me?done={act}")).into_response())
}
