//! The OpenAPI document, gathered from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::{infobase, offices, operator, parcels};
use renkei_proto;

#[derive(OpenApi)]
#[openapi(
    info(title = "renkei relay API", description = "ケアプランデータ連携の中継サーバー API. Offices authenticate with their TLS client certificate; the operator with a bearer token from /api/v1/operator/login."),
    paths(
        offices::authority, offices::enrol, offices::directory, offices::me, offices::set_csv_versions,
        parcels::send, parcels::inbox, parcels::outbox, parcels::parcel, parcels::payload,
        parcels::acknowledge, parcels::reject, parcels::receipts, parcels::checkpoint,
        parcels::consistency,
        operator::login, operator::issue_code, operator::offices, operator::revoke,
        operator::set_active, operator::volumes,
        infobase::records, infobase::consent, infobase::submit, infobase::register, infobase::upload,
        infobase::opinions, infobase::overview,
    ),
    components(schemas(renkei_proto::Problem, renkei_proto::EnrolRequest, renkei_proto::EnrolResponse, renkei_proto::OfficeView,
        renkei_proto::ParcelView, renkei_proto::InboxItem, renkei_proto::LoginRequest, renkei_proto::LoginResponse,
        renkei_proto::CodeRequest, renkei_proto::CodeResponse, renkei_proto::RevokeRequest, renkei_proto::RevokedView,
        renkei_proto::VolumeView, renkei_proto::RecordView, renkei_proto::RecordRequest, renkei_proto::RegistrationRequested, renkei_proto::LoadedView, renkei_proto::OpinionRequestView,
        renkei_proto::OverviewRequest, renkei_proto::PersonRef, renkei_proto::PersonOverview, renkei_proto::KindAnswer,
        renkei_proto::SignedView, renkei_proto::SignedReceiptView, renkei_proto::ConsistencyView, renkei_proto::SignedManifestView,
        renkei_proto::CsvVersions, renkei_proto::CsvVersionValue,
        renkei_infobase::RecordKind)),
    modifiers(&OperatorToken, &EveryRefusal, &Prefectures),
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

/// What any operation may answer besides its own results, added where an operation does
/// not say it already: a request that does not parse (400, for any operation that takes
/// parameters or a body), a caller the relay refuses (401: no certificate, unknown,
/// expired or revoked; 403: a stopped office), something named that is not there (404).
struct EveryRefusal;

/// Operations open to anyone: no certificate or token is asked for.
const OPEN: [&str; 6] = [
    "/api/v1/authority",
    "/api/v1/enrol",
    "/api/v1/checkpoint",
    "/api/v1/log/consistency",
    "/api/v1/operator/login",
    "/openapi.json",
];

impl utoipa::Modify for EveryRefusal {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                let takes_input = operation.parameters.as_ref().is_some_and(|p| !p.is_empty())
                    || operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(description).into());
                };
                if takes_input {
                    add(
                        "400",
                        "the request does not parse, or a value is out of its bounds",
                    );
                }
                if !OPEN.contains(&path.as_str()) {
                    add(
                        "401",
                        "no certificate (or token), or one the relay does not accept",
                    );
                    add("403", "the caller may not do this");
                }
                if path.contains('{') {
                    add("404", "no such thing");
                }
            }
        }
    }
}

/// The prefectures a directory query may name: codes `01`–`47` and the names.
struct Prefectures;

impl utoipa::Modify for Prefectures {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        // Empty is no prefecture, as a form sends it.
        let mut values: Vec<String> = vec![String::new()];
        values.extend((1..=47).map(|code| format!("{code:02}")));
        values.extend(
            renkei_spec::prefecture::NAMES
                .iter()
                .map(|n| (*n).to_owned()),
        );
        for item in openapi.paths.paths.values_mut() {
            let Some(operation) = item.get.as_mut() else {
                continue;
            };
            for parameter in operation.parameters.iter_mut().flatten() {
                let utoipa::openapi::RefOr::T(parameter) = parameter else {
                    continue;
                };
                if parameter.name == "prefecture" {
                    parameter.schema = Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(values.clone()))
                            .into(),
                    );
                }
            }
        }
    }
}

/// The API's OpenAPI document.
pub fn document() -> utoipa::openapi::OpenApi {
    Document::openapi()
}

pub(super) async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
