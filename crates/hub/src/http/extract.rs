//! Who is calling: an office by its TLS client certificate, or the operator by the token
//! from their login.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::tls::PeerCertificate;
use crate::Error;
use crate::relay::{Caller, Relay};

/// The office that holds the connection's client certificate, in good standing.
#[derive(Debug)]
pub struct Sender(pub Caller);

impl FromRequestParts<Arc<Relay>> for Sender {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        relay: &Arc<Relay>,
    ) -> Result<Self, Self::Rejection> {
        let der = parts
            .extensions
            .get::<PeerCertificate>()
            .and_then(|peer| peer.0.clone());
        let caller = relay
            .authenticate(der.as_deref().map(Vec::as_slice), renkei_seal::unix_now())
            .await?;
        Ok(Sender(caller))
    }
}

/// The operator signed in with `Authorization: Bearer <token>`.
#[derive(Debug)]
pub struct Operator(pub String);

impl FromRequestParts<Arc<Relay>> for Operator {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        relay: &Arc<Relay>,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let name = relay.operator(token, renkei_seal::unix_now()).await?;
        Ok(Operator(name))
    }
}
