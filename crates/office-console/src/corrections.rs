//! 再送信と取消: a parcel this office sent, sent again; and a 削除 (取消) sent for a document
//! this office sent. Both are prepared as a batch of the send page, so the clerk sees them
//! checked and routed, with the warning that the files were already sent, and confirms as
//! for any files dropped there.
//!
//! A re-send renames the files to a new ファイル連番, as care software does when it writes a
//! document again: the partner receives a new version with the same content, and the relay a
//! new parcel (the same names would find the first parcel, which is how a lost answer is
//! recovered, not how a partner's lost files are replaced).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use renkei_spec::FileName;
use renkei_spec::ids::FileSerial;

use super::Console;
use super::page::PageError;
use super::send::new_batch;
use super::session::Signed;

/// Write `files` as a new batch and show it on the send page.
fn to_review(console: &Console, files: &[(String, Vec<u8>)]) -> Result<Response, PageError> {
    let (batch, dir) = new_batch(console)?;
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| renkei_office::Error::file(&path, e))?;
    }
    Ok(Redirect::to(&format!("/send/{batch}")).into_response())
}

pub async fn resend(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let parcel = console
        .office
        .ledger
        .sent_parcel(&id)?
        .ok_or_else(|| PageError::not_found("送信"))?;
    let files = console.sent_files(&parcel);
    if files.len() < parcel.files.len() {
        return Err(PageError::bad_request(
            "送信済みフォルダにこの送信のファイルがそろっていないため、再送信できません。介護ソフトから出力し直して送信してください",
        ));
    }
    let serial = FileSerial::in_japan(renkei_seal::unix_now());
    let renamed: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| {
            let name = match FileName::parse(&f.name) {
                Ok(name) => FileName { serial, ..name }.to_string(),
                // An attachment keeps its name.
                Err(_) => f.name,
            };
            (name, f.bytes)
        })
        .collect();
    tracing::info!(staff = staff.name, parcel = id, "re-send prepared");
    to_review(&console, &renamed)
}

pub async fn withdraw(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let versions = console.office.ledger.document_versions(id)?;
    let newest = versions
        .first()
        .ok_or_else(|| PageError::not_found("文書"))?;
    if newest.direction != "sent" {
        return Err(PageError::bad_request(
            "受け取った文書は取り消せません。取消は送った事業所が送ります",
        ));
    }
    if newest.deletion {
        return Err(PageError::bad_request("この文書は取消済みです"));
    }
    let serial = FileSerial::in_japan(renkei_seal::unix_now());
    let (name, bytes) = renkei_office::versions::withdrawal(newest, serial).ok_or_else(|| {
        PageError::bad_request(
            "この文書には標準仕様の取消（削除）ファイルがありません。取り消せるのは第1表・予定・実績です",
        )
    })?;
    tracing::info!(staff = staff.name, document = id, "withdrawal prepared");
    to_review(&console, &[(name, bytes)])
}
