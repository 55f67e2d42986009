//! What the operator's API takes and gives: sign-in, enrolment codes, revocation, volumes.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
    /// The authenticator's current six-digit code; each code signs in once.
    pub code: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer …`.
    pub token: String,
    pub expires: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// 事業所番号 (10 digits).
    pub number: String,
    pub name: String,
    /// サービス種類コード, such as `43` or `11`.
    pub kinds: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeResponse {
    /// Shown once: give it to the office.
    pub code: String,
    pub office: String,
    pub expires: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeRequest {
    /// Only this certificate; all of the office's when absent.
    pub serial: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedView {
    pub serial: String,
    pub fingerprint: String,
    pub revoked: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolumeView {
    pub day: String,
    pub parcels: u64,
    pub bytes: u64,
}
