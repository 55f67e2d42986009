//! 職員: the administrator adds staff and resets their passwords; everyone changes their own.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::session::{Admin, Signed, set_account};
use renkei_office::ledger::{Role, StaffMember};

#[derive(Template)]
#[template(path = "console/staff.html")]
struct StaffPage {
    frame: Frame,
    staff: Vec<StaffMember>,
    message: Option<String>,
}

fn page_with(console: &Console, me: &StaffMember, message: Option<String>) -> PageResult {
    html(StaffPage {
        frame: Frame::new(console, me, "staff", "職員とパスワード"),
        staff: if me.role == Role::Admin {
            console.office.ledger.staff()?
        } else {
            Vec::new()
        },
        message,
    })
}

pub async fn page(State(console): State<Arc<Console>>, Signed(me): Signed) -> PageResult {
    page_with(&console, &me, None)
}

#[derive(Debug, Deserialize)]
pub struct StaffForm {
    name: String,
    password: String,
    role: String,
    #[serde(default)]
    remove: Option<String>,
}

pub async fn save(
    State(console): State<Arc<Console>>,
    Admin(me): Admin,
    Form(form): Form<StaffForm>,
) -> PageResult {
    let ledger = &console.office.ledger;
    let message = if form.remove.is_some() {
        if form.name == me.name {
            "自分のアカウントは削除できません / you cannot remove yourself".to_owned()
        } else if ledger.remove_staff(&form.name)? {
            format!("{} を削除しました / removed", form.name)
        } else {
            return Err(PageError::not_found("職員"));
        }
    } else {
        let role = if form.role == "admin" {
            Role::Admin
        } else {
            Role::Staff
        };
        match set_account(ledger, &form.name, role, &form.password).await {
            Ok(()) => {
                // An administrator's reset also lifts a lock from failed sign-ins.
                super::session::unlock(&console, form.name.trim());
                format!(
                    "{} を{}として登録しました / saved",
                    form.name.trim(),
                    role.label()
                )
            }
            Err(error) => error.to_string(),
        }
    };
    page_with(&console, &me, Some(message))
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
}

pub async fn change_password(
    State(console): State<Arc<Console>>,
    Signed(me): Signed,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let ledger = &console.office.ledger;
    let stored = ledger.staff_password(&me.name)?.map(|(hash, _)| hash);
    let matches = console
        .sign_ins
        .verify(&form.current, stored.as_deref())
        .await
        .unwrap_or(false);
    let message = if !matches {
        "今のパスワードが違います / the current password is wrong".to_owned()
    } else {
        match set_account(ledger, &me.name, me.role, &form.password).await {
            Ok(()) => {
                "パスワードを変更しました。新しいパスワードでログインし直してください / password changed; sign in again"
                    .to_owned()
            }
            Err(error) => error.to_string(),
        }
    };
    page_with(&console, &me, Some(message))
}
