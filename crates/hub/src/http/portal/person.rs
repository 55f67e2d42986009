//! The person's own pages: their records, who looked at them, their consent and the offices
//! registered for them, and the draft plans waiting for their answer.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::view::{AccessView, KindView, RecordView, every_kind};
use super::{Signed, not_for_you, who};
use crate::base::{Consent, PersonKey, RecordKind, Viewer};
use crate::http::page::{PageResult, html};
use crate::relay::Relay;
use crate::store::{Registration, Store};
use renkei_spec::jst::jst;

struct OfficeRow {
    office: String,
    registered: String,
    confirmed_by: &'static str,
    ended: Option<String>,
}

impl OfficeRow {
    fn of(r: &Registration) -> Self {
        Self {
            office: r.office.clone(),
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

#[derive(Template)]
#[template(path = "portal/person.html")]
struct HomePage {
    who: String,
    consent: Consent,
    offices: Vec<OfficeRow>,
    drafts: Vec<RecordView>,
    kinds: Vec<KindView>,
    log: Vec<AccessView>,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
pub(super) struct HomeQuery {
    done: Option<String>,
}

fn me(signed: &Signed) -> Result<PersonKey, crate::http::page::PageError> {
    match &signed.0.viewer {
        Viewer::Person(me) => Ok(me.clone()),
        _ => Err(not_for_you()),
    }
}

/// Whether a draft's newest version still waits for the person's answer.
fn undecided(record: &crate::store::RecordVersion) -> bool {
    serde_json::from_str::<serde_json::Value>(&record.body)
        .map(|b| b.get("decision").is_none())
        .unwrap_or(true)
}

pub(super) async fn home<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    signed: Signed,
    Query(query): Query<HomeQuery>,
) -> PageResult {
    let person = me(&signed)?;
    let viewer = &signed.0.viewer;
    let now = renkei_seal::unix_now();
    let mut kinds = Vec::new();
    let mut drafts = Vec::new();
    for (kind, records) in every_kind(&relay, viewer, &person, now).await? {
        if kind == RecordKind::DraftPlan {
            let mut seen = std::collections::BTreeSet::new();
            for record in records.iter().rev() {
                if seen.insert(record.key.clone()) && undecided(record) {
                    drafts.push(RecordView::of(record));
                }
            }
        }
        kinds.push(KindView::of(kind, &records));
    }
    let log = AccessView::grouped(&relay.access_log(viewer, &person, now).await?);
    let notice = match query.done.as_deref() {
        Some("withdraw") => Some("同意を撤回しました。事業所は今後あなたの記録を見られません。"),
        Some("register") => Some("担当事業所を登録しました。"),
        Some("end_registration") => Some("担当事業所の登録を終了しました。"),
        Some("approve") => Some("ケアプランに同意しました。"),
        Some("reject") => Some("ケアプランに同意しないと回答しました。"),
        _ => None,
    };
    html(HomePage {
        who: who(&signed.0),
        consent: relay.store().consent(&person).await?,
        offices: relay
            .store()
            .registrations(&person)
            .await?
            .iter()
            .map(OfficeRow::of)
            .collect(),
        drafts,
        kinds,
        log,
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

pub(super) async fn act<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
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
        "register" => {
            relay
                .register_office(viewer, &person, form.office.trim(), now)
                .await?
        }
        "end_registration" => {
            relay
                .end_registration(viewer, &person, form.office.trim(), now)
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
