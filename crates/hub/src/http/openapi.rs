//! The OpenAPI document, gathered from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::{base, offices, operator, parcels};
use crate::wire;

#[derive(OpenApi)]
#[openapi(
    info(title = "renkei relay API", description = "ケアプランデータ連携の中継サーバー API. Offices authenticate with their TLS client certificate; the operator with a bearer token from /api/v1/operator/login."),
    paths(
        offices::authority, offices::enrol, offices::directory, offices::me,
        parcels::send, parcels::inbox, parcels::outbox, parcels::parcel, parcels::payload,
        parcels::acknowledge, parcels::reject, parcels::receipts, parcels::checkpoint,
        operator::login, operator::issue_code, operator::offices, operator::revoke,
        operator::set_active, operator::volumes,
        base::records, base::consent, base::submit, base::register, base::upload,
        base::opinions,
    ),
    components(schemas(wire::Problem, wire::EnrolRequest, wire::EnrolResponse, wire::OfficeView,
        wire::ParcelView, wire::InboxItem, wire::LoginRequest, wire::LoginResponse,
        wire::CodeRequest, wire::CodeResponse, wire::RevokeRequest, wire::RevokedView,
        wire::VolumeView, wire::RecordView, wire::RecordRequest, wire::RegistrationRequested, wire::LoadedView, wire::OpinionRequestView,
        crate::base::RecordKind)),
    modifiers(&OperatorToken),
)]
struct Document;

struct OperatorToken;

impl utoipa::Modify for OperatorToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "operator",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    Document::openapi()
}

pub(super) async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
