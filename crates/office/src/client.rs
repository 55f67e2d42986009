//! The relay's API over HTTPS. An enrolled office authenticates with its certificate
//! (mutual TLS); before enrolment, and for the operator, the client trusts the authority's
//! certificate only.

use std::sync::Arc;
use std::time::Duration;

use renkei_proto::{
    CodeRequest, CodeResponse, CsvVersions, EnrolRequest, EnrolResponse, InboxItem, LoginRequest,
    LoginResponse, MANIFEST_HEADER, MANIFEST_SIGNATURE_HEADER, OfficeView, PARCEL_CONTENT_TYPE,
    ParcelView, Problem, RevokeRequest, RevokedView,
};
use renkei_seal::Certificate;
use renkei_seal::manifest::SignedManifest;
use renkei_seal::receipt::{Signed, SignedReceipt};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::profile::Profile;
use crate::{Error, Result};

/// Longer than the longest inbox wait the relay allows.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone, Debug)]
pub struct HubClient {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
}

/// What sending gave back.
#[derive(Debug)]
pub struct SendOutcome {
    pub receipt: SignedReceipt,
    /// False when the relay had this parcel already (a resend after a lost answer).
    pub new: bool,
}

fn tls_error(e: impl std::fmt::Display) -> Error {
    Error::Tls(e.to_string())
}

fn pem_to_der(certificate: &Certificate) -> Result<CertificateDer<'static>> {
    CertificateDer::from_pem_slice(&certificate.to_pem()?).map_err(tls_error)
}

impl HubClient {
    /// A client that trusts `authority` and shows no certificate (enrolment, operator).
    pub fn anonymous(base: &str, authority: &Certificate) -> Result<Self> {
        Self::build(base, authority, None)
    }

    /// A client that speaks for the enrolled office of `profile`.
    pub fn for_office(profile: &Profile) -> Result<Self> {
        let authority = profile.authority.as_ref().ok_or(Error::NotEnrolled)?;
        let certificate = pem_to_der(profile.certificate()?)?;
        let key = PrivateKeyDer::from_pem_slice(&profile.key.to_pem()?).map_err(tls_error)?;
        Self::build(profile.hub()?, authority, Some((vec![certificate], key)))
    }

    fn build(
        base: &str,
        authority: &Certificate,
        identity: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
    ) -> Result<Self> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(pem_to_der(authority)?).map_err(tls_error)?;
        let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_root_certificates(roots);
        let config = match identity {
            Some((chain, key)) => builder
                .with_client_auth_cert(chain, key)
                .map_err(tls_error)?,
            None => builder.with_no_client_auth(),
        };
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(config)
            .timeout(REQUEST_TIMEOUT)
            .pool_idle_timeout(renkei_proto::CLIENT_POOL_IDLE)
            .build()
            .map_err(tls_error)?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            token: None,
        })
    }

    /// Use an operator session for the operator's endpoints.
    pub fn with_token(mut self, token: String) -> Self {
        self.token = Some(token);
        self
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn call(&self, request: RequestBuilder) -> Result<Response> {
        let response = request.send().await.map_err(|e| Error::Unreachable {
            url: self.base.clone(),
            reason: error_chain(&e),
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        Err(match serde_json::from_str::<Problem>(&text) {
            Ok(problem) => Error::Refused {
                status,
                code: problem.code,
                message: problem.message,
            },
            Err(_) => Error::Refused {
                status,
                // Not the relay's own answer (a proxy's page, say): no code to match on.
                code: renkei_proto::ProblemCode::Unrecognised("http".into()),
                message: format!("HTTP {status}: {text}"),
            },
        })
    }

    async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        self.call(request)
            .await?
            .json()
            .await
            .map_err(|e| Error::Answer(e.to_string()))
    }

    async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.json(self.request(Method::POST, path).json(body)).await
    }

    pub async fn enrol(&self, code: &str, request_pem: &str) -> Result<EnrolResponse> {
        let body = EnrolRequest {
            code: code.to_owned(),
            request: request_pem.to_owned(),
        };
        self.post_json("/api/v1/enrol", &body).await
    }

    /// Search the directory; `query` pairs are `number`, `name`, `kind`, `prefecture`.
    pub async fn directory(&self, query: &[(&str, &str)]) -> Result<Vec<OfficeView>> {
        self.json(self.request(Method::GET, "/api/v1/directory").query(query))
            .await
    }

    /// The office with exactly this number, if enrolled.
    pub async fn office(&self, number: &str) -> Result<Option<OfficeView>> {
        let found = self.directory(&[("number", number)]).await?;
        Ok(found.into_iter().find(|o| o.number == number))
    }

    /// A person's records of `kind` from the information base, as the rules let this office
    /// see them (a refusal comes back with its code: `consent_required` …).
    pub async fn base_records(
        &self,
        insurer: &str,
        insured: &str,
        kind: &str,
    ) -> Result<Vec<renkei_proto::RecordView>> {
        let path = format!("/api/v1/base/people/{insurer}/{insured}/records");
        self.json(self.request(Method::GET, &path).query(&[("kind", kind)]))
            .await
    }

    /// Record the person's 包括同意 on the municipality's behalf.
    pub async fn base_consent(&self, insurer: &str, insured: &str) -> Result<()> {
        let path = format!("/api/v1/base/people/{insurer}/{insured}/consent");
        self.call(self.request(Method::POST, &path))
            .await
            .map(|_| ())
    }

    /// A municipality's file for the information base: kept whole, or refused with every
    /// problem (`Error::Refused` with code `upload_invalid`).
    pub async fn base_upload(&self, csv: Vec<u8>) -> Result<renkei_proto::LoadedView> {
        self.json(
            self.request(Method::POST, "/api/v1/base/upload")
                .header(reqwest::header::CONTENT_TYPE, "text/csv")
                .body(csv),
        )
        .await
    }

    /// The opinions asked of this clinic, newest first.
    pub async fn base_opinions(&self) -> Result<Vec<renkei_proto::OpinionRequestView>> {
        self.json(self.request(Method::GET, "/api/v1/base/opinions"))
            .await
    }

    /// Many people's records of a few kinds in one request, each decided and logged as if
    /// asked alone (the month's people on the console's 介護情報基盤 page).
    pub async fn base_overview(
        &self,
        request: &renkei_proto::OverviewRequest,
    ) -> Result<Vec<renkei_proto::PersonOverview>> {
        self.post_json("/api/v1/base/overview", request).await
    }

    /// Ask to be the person's 担当事業所: the person answers on their own page.
    pub async fn base_request_registration(&self, insurer: &str, insured: &str) -> Result<()> {
        let path = format!("/api/v1/base/people/{insurer}/{insured}/registration");
        self.call(self.request(Method::POST, &path))
            .await
            .map(|_| ())
    }

    /// Register a plan (or a draft for the person to approve) in the information base.
    pub async fn base_submit(
        &self,
        insurer: &str,
        insured: &str,
        record: &renkei_proto::RecordRequest,
    ) -> Result<renkei_proto::RecordView> {
        let path = format!("/api/v1/base/people/{insurer}/{insured}/records");
        self.post_json(&path, record).await
    }

    pub async fn me(&self) -> Result<OfficeView> {
        self.json(self.request(Method::GET, "/api/v1/me")).await
    }

    /// Tell the directory which CSVバージョン values this office's care software reads and
    /// writes.
    pub async fn set_csv_versions(&self, versions: &CsvVersions) -> Result<OfficeView> {
        self.json(
            self.request(Method::PUT, "/api/v1/me/csv-versions")
                .json(versions),
        )
        .await
    }

    pub async fn send(&self, manifest: &SignedManifest, payload: Vec<u8>) -> Result<SendOutcome> {
        let request = self
            .request(Method::POST, "/api/v1/parcels")
            .header(MANIFEST_HEADER, &manifest.manifest)
            .header(MANIFEST_SIGNATURE_HEADER, &manifest.signature)
            .header(reqwest::header::CONTENT_TYPE, PARCEL_CONTENT_TYPE)
            .body(payload);
        let response = self.call(request).await?;
        let new = response.status() == StatusCode::CREATED;
        let receipt = response
            .json()
            .await
            .map_err(|e| Error::Answer(e.to_string()))?;
        Ok(SendOutcome { receipt, new })
    }

    /// Parcels waiting after log position `after`; waits up to `wait` for one.
    pub async fn inbox(&self, after: Option<u64>, wait: Duration) -> Result<Vec<InboxItem>> {
        let mut query = vec![("wait", wait.as_secs().to_string())];
        if let Some(after) = after {
            query.push(("after", after.to_string()));
        }
        self.json(self.request(Method::GET, "/api/v1/inbox").query(&query))
            .await
    }

    pub async fn payload(&self, id: &str) -> Result<Vec<u8>> {
        let response = self
            .call(self.request(Method::GET, &format!("/api/v1/parcels/{id}/payload")))
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Answer(e.to_string()))?;
        Ok(bytes.to_vec())
    }

    pub async fn acknowledge(&self, id: &str, acknowledgement: &Signed) -> Result<SignedReceipt> {
        self.post_json(&format!("/api/v1/parcels/{id}/ack"), acknowledgement)
            .await
    }

    /// Tell the relay this office cannot take the parcel in (取込不可), signed, with why.
    pub async fn reject(&self, id: &str, rejection: &Signed) -> Result<SignedReceipt> {
        self.post_json(&format!("/api/v1/parcels/{id}/rejection"), rejection)
            .await
    }

    pub async fn parcel(&self, id: &str) -> Result<ParcelView> {
        self.json(self.request(Method::GET, &format!("/api/v1/parcels/{id}")))
            .await
    }

    pub async fn outbox(&self, limit: usize) -> Result<Vec<ParcelView>> {
        self.json(
            self.request(Method::GET, "/api/v1/outbox")
                .query(&[("limit", limit)]),
        )
        .await
    }

    pub async fn receipts(&self, id: &str) -> Result<Vec<SignedReceipt>> {
        self.json(self.request(Method::GET, &format!("/api/v1/parcels/{id}/receipts")))
            .await
    }

    pub async fn checkpoint(&self) -> Result<Signed> {
        self.json(self.request(Method::GET, "/api/v1/checkpoint"))
            .await
    }

    /// The relay's proof that its log of `first` entries is a prefix of its log of `second`.
    pub async fn consistency(
        &self,
        first: u64,
        second: u64,
    ) -> Result<renkei_proto::ConsistencyView> {
        self.json(
            self.request(Method::GET, "/api/v1/log/consistency")
                .query(&[("first", first), ("second", second)]),
        )
        .await
    }

    /// The relay's OpenAPI document.
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        self.json(self.request(Method::GET, "/openapi.json")).await
    }

    /// Sign in as an operator with the password and the authenticator's current code.
    pub async fn login(&self, name: &str, password: &str, code: &str) -> Result<LoginResponse> {
        let body = LoginRequest {
            name: name.to_owned(),
            password: password.to_owned(),
            code: code.to_owned(),
        };
        self.post_json("/api/v1/operator/login", &body).await
    }

    pub async fn issue_code(
        &self,
        number: &str,
        name: &str,
        kinds: &[&str],
    ) -> Result<CodeResponse> {
        let body = CodeRequest {
            number: number.to_owned(),
            name: name.to_owned(),
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        };
        self.post_json("/api/v1/operator/codes", &body).await
    }

    pub async fn revoke(&self, number: &str, reason: &str) -> Result<Vec<RevokedView>> {
        let body = RevokeRequest {
            serial: None,
            reason: reason.to_owned(),
        };
        self.post_json(&format!("/api/v1/operator/offices/{number}/revoke"), &body)
            .await
    }

    /// Parcels and bytes accepted per day over the last `days`.
    pub async fn volumes(&self, days: u32) -> Result<Vec<renkei_proto::VolumeView>> {
        self.json(
            self.request(Method::GET, "/api/v1/operator/volumes")
                .query(&[("days", days)]),
        )
        .await
    }

    /// Every enrolled office, stopped ones too (operator).
    pub async fn offices(&self) -> Result<Vec<OfficeView>> {
        self.json(self.request(Method::GET, "/api/v1/operator/offices"))
            .await
    }

    /// Stop an office or start it again.
    pub async fn set_active(&self, number: &str, active: bool) -> Result<()> {
        let request = self
            .request(
                Method::POST,
                &format!("/api/v1/operator/offices/{number}/active"),
            )
            .json(&serde_json::json!({ "active": active }));
        self.call(request).await.map(|_| ())
    }
}

/// The causes of a connection error, joined: reqwest's own message alone says little.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
