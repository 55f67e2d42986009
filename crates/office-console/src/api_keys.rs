//! 介護ソフトの API キー: the administrator makes a key for a care system's program (shown
//! once), sees each key's scopes and last use and the latest calls, and revokes a key.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use renkei_office::api_key::{self, ApiKey, Scope};
use renkei_office::ledger::{ApiCall, StaffMember};
use renkei_office::receiving::{self, Delivery};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use super::session::Admin;
use super::time::jst;

/// A key as the page lists it.
struct KeyRow {
    name: String,
    scopes: String,
    created: String,
    created_by: String,
    last_used: String,
    revoked: Option<String>,
}

impl KeyRow {
    fn of(key: &ApiKey) -> Self {
        Self {
            name: key.name.clone(),
            scopes: key
                .scopes
                .iter()
                .map(Scope::label_ja)
                .collect::<Vec<_>>()
                .join("・"),
            created: jst(key.created),
            created_by: key.created_by.clone(),
            last_used: key
                .last_used
                .map_or_else(|| "まだ使われていません".into(), jst),
            revoked: key.revoked.map(jst),
        }
    }
}

struct CallRow {
    when: String,
    key_name: String,
    call: String,
    status: u16,
}

impl CallRow {
    fn of(call: &ApiCall) -> Self {
        Self {
            when: jst(call.time),
            key_name: call.key_name.clone(),
            call: format!("{} {}", call.method, call.path),
            status: call.status,
        }
    }
}

#[derive(Template)]
#[template(path = "console/api_keys.html")]
struct KeysPage {
    frame: Frame,
    keys: Vec<KeyRow>,
    calls: Vec<CallRow>,
    scopes: Vec<(&'static str, &'static str)>,
    /// Received files wait for the API (else they go to the import folder).
    api_delivery: bool,
    /// A key just made, shown this once.
    made: Option<(String, String)>,
    message: Option<String>,
}

/// How many of the latest calls the page shows.
const CALLS_SHOWN: usize = 50;

fn page_with(
    console: &Console,
    me: &StaffMember,
    made: Option<(String, String)>,
    message: Option<String>,
) -> PageResult {
    let ledger = &console.office.ledger;
    html(KeysPage {
        frame: Frame::new(console, me, "api-keys", "介護ソフトの API キー"),
        keys: api_key::list(ledger)?.iter().map(KeyRow::of).collect(),
        calls: ledger
            .api_calls(CALLS_SHOWN)?
            .iter()
            .map(CallRow::of)
            .collect(),
        scopes: Scope::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_ja()))
            .collect(),
        api_delivery: receiving::delivery(&console.office)? == Delivery::Api,
        made,
        message,
    })
}

pub async fn page(State(console): State<Arc<Console>>, Admin(me): Admin) -> PageResult {
    page_with(&console, &me, None, None)
}

/// The form's fields: a name and the scopes ticked (`scope=send&scope=receive`).
#[derive(Debug, Deserialize)]
pub struct AddForm {
    name: String,
    #[serde(default)]
    send: Option<String>,
    #[serde(default)]
    receive: Option<String>,
    #[serde(default)]
    infobase: Option<String>,
}

pub async fn add(
    State(console): State<Arc<Console>>,
    Admin(me): Admin,
    Form(form): Form<AddForm>,
) -> PageResult {
    let scopes: Vec<Scope> = [
        (form.send.is_some(), Scope::Send),
        (form.receive.is_some(), Scope::Receive),
        (form.infobase.is_some(), Scope::Infobase),
    ]
    .into_iter()
    .filter_map(|(ticked, scope)| ticked.then_some(scope))
    .collect();
    match api_key::make(&console.office.ledger, &form.name, &scopes, &me.name) {
        Ok(made) => page_with(&console, &me, Some((made.key.name, made.token)), None),
        Err(error) => page_with(&console, &me, None, Some(error.to_string())),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    name: String,
}

pub async fn revoke(
    State(console): State<Arc<Console>>,
    Admin(me): Admin,
    Form(form): Form<RevokeForm>,
) -> PageResult {
    let message = if api_key::revoke(&console.office.ledger, &form.name)? {
        format!(
            "API キー「{}」を取り消しました。この鍵での呼び出しは、これから受け付けません",
            form.name.trim()
        )
    } else {
        format!("使用中の API キー「{}」はありません", form.name.trim())
    };
    page_with(&console, &me, None, Some(message))
}

#[derive(Debug, Deserialize)]
pub struct DeliveryForm {
    delivery: String,
}

pub async fn set_delivery(
    State(console): State<Arc<Console>>,
    Admin(me): Admin,
    Form(form): Form<DeliveryForm>,
) -> PageResult {
    let (chosen, said) = match form.delivery.as_str() {
        "api" => (
            Delivery::Api,
            "これから届くファイルは、介護ソフトが API で取り込みます。取り込んだと介護ソフトが伝えたときに、送信元へ受信確認を送ります",
        ),
        _ => (
            Delivery::Folder,
            "これから届くファイルは取込フォルダに置きます(API の取込待ちのものは、そのまま API で取り込んでください)",
        ),
    };
    receiving::set_delivery(&console.office, chosen)?;
    page_with(&console, &me, None, Some(said.to_owned()))
}
