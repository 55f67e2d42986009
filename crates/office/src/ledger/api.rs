//! The ledger's part of the local API: its keys, the record of calls, the answers kept by
//! idempotency key, and the states of sent parcels as last heard.

use rusqlite::{OptionalExtension, params};

use super::Ledger;
use crate::Result;

/// A key as the ledger keeps it: never the key itself, only its secret's digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    /// Comma-separated scope names.
    pub scopes: String,
    pub secret_sha256: String,
    pub created: i64,
    pub created_by: String,
    pub revoked: Option<i64>,
    pub last_used: Option<i64>,
}

/// One call of the API as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiCall {
    pub time: i64,
    pub key_name: String,
    pub method: String,
    pub path: String,
    pub status: u16,
}

/// An answer kept for an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptAnswer {
    pub digest: String,
    pub status: u16,
    pub body: String,
}

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApiKeyRow> {
    Ok(ApiKeyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        scopes: r.get(2)?,
        secret_sha256: r.get(3)?,
        created: r.get(4)?,
        created_by: r.get(5)?,
        revoked: r.get(6)?,
        last_used: r.get(7)?,
    })
}

const KEY_COLUMNS: &str =
    "id, name, scopes, secret_sha256, created, created_by, revoked, last_used";

impl Ledger {
    /// Keep a new key; `false` when a key of that name is in use (not revoked).
    pub fn add_api_key(&self, key: &ApiKeyRow) -> Result<bool> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO api_keys (id, name, scopes, secret_sha256, created, created_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                key.id,
                key.name,
                key.scopes,
                key.secret_sha256,
                key.created,
                key.created_by
            ])
        })
        .map(|added| added == 1)
    }

    /// Every key, in use first, then by name.
    pub fn api_keys(&self) -> Result<Vec<ApiKeyRow>> {
        self.with(|c| {
            c.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY revoked IS NOT NULL, name, created"
            ))?
            .query_map([], key_row)?
            .collect()
        })
    }

    pub fn api_key(&self, id: &str) -> Result<Option<ApiKeyRow>> {
        self.with(|c| {
            c.prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = ?1"))?
                .query_row([id], key_row)
                .optional()
        })
    }

    /// Revoke the key in use under `name`; `false` when there is none.
    pub fn revoke_api_key(&self, name: &str, time: i64) -> Result<bool> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE api_keys SET revoked = ?2 WHERE name = ?1 AND revoked IS NULL",
            )?
            .execute(params![name, time])
        })
        .map(|revoked| revoked == 1)
    }

    /// Record a call; a known key's last use moves on.
    pub fn record_api_call(&self, key_id: Option<&str>, call: &ApiCall) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO api_calls (time, key_name, method, path, status) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                call.time,
                call.key_name,
                call.method,
                call.path,
                call.status
            ])?;
            if let Some(id) = key_id {
                c.prepare_cached("UPDATE api_keys SET last_used = ?2 WHERE id = ?1")?
                    .execute(params![id, call.time])?;
            }
            Ok(())
        })
    }

    /// The latest calls, newest first.
    pub fn api_calls(&self, limit: usize) -> Result<Vec<ApiCall>> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT time, key_name, method, path, status FROM api_calls \
                 ORDER BY id DESC LIMIT ?1",
            )?
            .query_map([limit as i64], |r| {
                Ok(ApiCall {
                    time: r.get(0)?,
                    key_name: r.get(1)?,
                    method: r.get(2)?,
                    path: r.get(3)?,
                    status: r.get(4)?,
                })
            })?
            .collect()
        })
    }

    pub fn kept_answer(&self, key_id: &str, idempotency_key: &str) -> Result<Option<KeptAnswer>> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT digest, status, body FROM api_requests \
                 WHERE key_id = ?1 AND idempotency_key = ?2",
            )?
            .query_row([key_id, idempotency_key], |r| {
                Ok(KeptAnswer {
                    digest: r.get(0)?,
                    status: r.get(1)?,
                    body: r.get(2)?,
                })
            })
            .optional()
        })
    }

    pub fn keep_answer(
        &self,
        key_id: &str,
        idempotency_key: &str,
        answer: &KeptAnswer,
        time: i64,
    ) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT OR REPLACE INTO api_requests \
                 (key_id, idempotency_key, digest, status, body, time) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                key_id,
                idempotency_key,
                answer.digest,
                answer.status,
                answer.body,
                time
            ])
        })?;
        Ok(())
    }

    /// Note each parcel's state as just heard; the ones that changed (or are new) get the
    /// next numbers, in the order given. Returns the highest number given out.
    pub fn note_sent_states(&self, states: &[(String, String)]) -> Result<i64> {
        self.with(|c| {
            let transaction = c.unchecked_transaction()?;
            let mut seq: i64 = transaction
                .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM sent_states")?
                .query_row([], |r| r.get(0))?;
            for (parcel, state) in states {
                let known: Option<String> = transaction
                    .prepare_cached("SELECT state FROM sent_states WHERE parcel_id = ?1")?
                    .query_row([parcel], |r| r.get(0))
                    .optional()?;
                if known.as_deref() != Some(state.as_str()) {
                    seq += 1;
                    transaction
                        .prepare_cached(
                            "INSERT OR REPLACE INTO sent_states (parcel_id, state, seq) \
                             VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![parcel, state, seq])?;
                }
            }
            transaction.commit()?;
            Ok(seq)
        })
    }

    /// The parcels whose state changed after `cursor`, in the order they changed.
    pub fn sent_states_after(
        &self,
        cursor: i64,
        limit: usize,
    ) -> Result<Vec<(String, String, i64)>> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT parcel_id, state, seq FROM sent_states WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(params![cursor, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect()
        })
    }
}
