//! An organisation's staff accounts, for its administrator: municipalities and clinics alike.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::{Signed, who};
use crate::http::page::{PageError, PageResult, html};
use crate::relay::Relay;
use crate::store::{Account, AccountRole};
use renkei_spec::jst::jst;

struct StaffRow {
    name: String,
    role: &'static str,
    created: String,
}

#[derive(Template)]
#[template(path = "portal/staff.html")]
struct StaffPage {
    who: String,
    section: &'static str,
    home: &'static str,
    rows: Vec<StaffRow>,
    added: Option<crate::relay::NewStaff>,
    /// The added member's key address as a QR code (inline SVG).
    qr: Option<String>,
    me: String,
}

async fn staff_page(
    relay: &Relay,
    signed: &Signed,
    added: Option<crate::relay::NewStaff>,
) -> PageResult {
    if !signed.is_admin() {
        return Err(PageError(
            StatusCode::FORBIDDEN,
            "職員の管理は管理者だけができます / only an administrator manages staff".into(),
        ));
    }
    let rows = relay
        .staff(&signed.0.holder)
        .await?
        .iter()
        .map(|a: &Account| StaffRow {
            name: a.name.clone(),
            role: a.role.name_ja(),
            created: jst(a.created),
        })
        .collect();
    html(StaffPage {
        who: who(&signed.0),
        section: "staff",
        home: super::home_of(&signed.0),
        rows,
        qr: added
            .as_ref()
            .and_then(|a| renkei_web::qr::svg(&a.otpauth, "認証アプリで読み取るQRコード")),
        added,
        me: signed.0.name.clone(),
    })
}

pub(super) async fn staff(State(relay): State<Arc<Relay>>, signed: Signed) -> PageResult {
    staff_page(&relay, &signed, None).await
}

#[derive(Debug, Deserialize)]
pub(super) struct StaffForm {
    name: String,
    role: String,
    password: String,
}

pub(super) async fn add_staff(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Form(form): Form<StaffForm>,
) -> PageResult {
    if !signed.is_admin() {
        return staff_page(&relay, &signed, None).await;
    }
    let role = match form.role.as_str() {
        "admin" => AccountRole::Admin,
        _ => AccountRole::Staff,
    };
    let added = relay
        .add_staff(
            &signed.0.holder,
            &form.name,
            role,
            &form.password,
            renkei_seal::unix_now(),
        )
        .await?;
    staff_page(&relay, &signed, Some(added)).await
}

pub(super) async fn remove_staff(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path(name): Path<String>,
) -> PageResult {
    if !signed.is_admin() || name == signed.0.name {
        return Err(PageError(
            StatusCode::FORBIDDEN,
            "管理者が、自分以外の職員だけを削除できます / an administrator removes other staff only".into(),
        ));
    }
    relay.remove_staff(&signed.0.holder, &name).await?;
    Ok(Redirect::to("/base/staff").into_response())
}
