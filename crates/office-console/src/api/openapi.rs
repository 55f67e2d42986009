//! The API's own OpenAPI document, and the JSON Schemas of the standard's JSON form that it
//! points care software to. Written here beside the handlers it describes; the contract
//! fuzzer (`e2e/contract/office-api.sh`) holds the handlers to it.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use renkei_spec::json::{FORM, schema};
use serde_json::{Value, json};

use super::{Problem, json};

pub async fn document() -> Response {
    json(StatusCode::OK, &openapi())
}

/// `/api/v1/schema/unit.json`
pub async fn unit_schema() -> Response {
    json(StatusCode::OK, &schema::unit())
}

/// `/api/v1/schema/{layout}/{file}`: `V4.1/UPPLAN.json` and the like.
pub async fn layout_schema(
    Path((layout, file)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let wanted = format!("{layout}/{file}");
    schema::at(&wanted)
        .map(|value| json(StatusCode::OK, &value))
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "schema_unknown",
                format!("スキーマ {wanted} はありません。V4.1/UPPLAN.json や V3/UP1KYO.json の形で指定してください"),
                format!("no schema {wanted}; ask for V4.1/UPPLAN.json, V3/UP1KYO.json and the like"),
            )
        })
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } },
    })
}

fn ok_json(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } },
    })
}

/// The answers every call with a key may get besides its own.
fn keyed(mut responses: serde_json::Map<String, Value>) -> Value {
    responses.insert("400".into(), problem_response("不正な要求 / bad request"));
    responses.insert(
        "401".into(),
        problem_response("API キーがない・違う・取り消し済み / no, unknown or revoked API key"),
    );
    responses.insert(
        "403".into(),
        problem_response("鍵にこの権限がない / the key lacks the scope"),
    );
    Value::Object(responses)
}

fn responses(pairs: &[(&str, Value)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

pub fn openapi() -> Value {
    let office_number = json!({ "type": "string", "pattern": "^[0-9]{10}$" });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "renkei 事業所 API / office API",
            "version": "1",
            "description": "The local API of a renkei office client for care software on the \
                office's own machine: send a send unit (as the JSON form of the standard or as \
                its CSV files), see what became of it, and take in what arrived. Every call but \
                the documents needs an API key of the office (Authorization: Bearer renkei_…), \
                made by its administrator. Errors are application/problem+json with a code, \
                Japanese and English titles and, for files, every problem with its rule, file, \
                line, column, item and fix.",
        },
        "components": {
            "securitySchemes": {
                "apiKey": { "type": "http", "scheme": "bearer", "description": "renkei_<id>_<secret>" },
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "code", "title", "title_en", "status"],
                    "properties": {
                        "type": { "type": "string" },
                        "code": { "type": "string" },
                        "title": { "type": "string" },
                        "title_en": { "type": "string" },
                        "status": { "type": "integer" },
                        "problems": { "type": "array", "items": { "$ref": "#/components/schemas/ProblemItem" } },
                        "destinations": { "type": "array", "items": { "$ref": "#/components/schemas/Destination" } },
                        "warnings": { "type": "array", "items": { "$ref": "#/components/schemas/ProblemItem" } },
                    },
                },
                "ProblemItem": {
                    "type": "object",
                    "required": ["rule", "severity", "message_ja", "message_en"],
                    "properties": {
                        "rule": { "type": "string", "description": "the checker's rule id (I003 …), or JSON" },
                        "severity": { "enum": ["error", "warning"] },
                        "file": { "type": "string" },
                        "line": { "type": "integer" },
                        "record": { "type": "integer" },
                        "column": { "type": "integer", "description": "項番: the item's CSV column" },
                        "item": { "type": "string", "description": "項目名" },
                        "field": { "type": "string", "description": "the item's field in the JSON form" },
                        "message_ja": { "type": "string" },
                        "message_en": { "type": "string" },
                        "fix_ja": { "type": "string" },
                        "fix_en": { "type": "string" },
                    },
                },
                "UnitDocument": {
                    "description": format!("A send unit in the JSON form ({FORM}); each file's records follow the schema of its layout, /api/v1/schema/<layout>/<kind>.json."),
                    "type": "object",
                    "required": ["form", "files"],
                    "additionalProperties": false,
                    "properties": {
                        "form": { "const": FORM },
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "additionalProperties": false,
                                "properties": {
                                    "name": { "type": "string", "minLength": 1 },
                                    "layout": { "enum": ["V4.1", "V3"] },
                                    "records": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "additionalProperties": { "type": ["string", "null"] },
                                        },
                                    },
                                    "base64": { "type": "string" },
                                },
                            },
                        },
                    },
                },
                "Destination": {
                    "type": "object",
                    "required": ["office", "state", "state_ja"],
                    "properties": {
                        "office": { "type": "string" },
                        "office_name": { "type": "string" },
                        "state": { "enum": ["sent", "refused"] },
                        "state_ja": { "type": "string" },
                        "parcel": { "type": "string" },
                        "files": { "type": "array", "items": { "type": "string" } },
                        "new": { "type": "boolean" },
                        "reason_ja": { "type": "string" },
                        "reason_en": { "type": "string" },
                    },
                },
                "SendAnswer": {
                    "type": "object",
                    "required": ["destinations"],
                    "properties": {
                        "destinations": { "type": "array", "items": { "$ref": "#/components/schemas/Destination" } },
                        "warnings": { "type": "array", "items": { "$ref": "#/components/schemas/ProblemItem" } },
                    },
                },
                "SentParcel": {
                    "type": "object",
                    "required": ["parcel", "to", "files", "months", "sent_at", "state", "state_ja"],
                    "properties": {
                        "parcel": { "type": "string" },
                        "to": { "type": "string" },
                        "to_name": { "type": "string" },
                        "files": { "type": "array", "items": { "type": "string" } },
                        "months": { "type": "array", "items": { "type": "string" }, "description": "サービス提供月 YYYYMM" },
                        "sent_at": { "type": "string", "format": "date-time" },
                        "state": { "enum": ["sending", "sent", "delivered", "imported", "import_error", "not_imported", "expired", "purged", "unknown"] },
                        "state_ja": { "type": "string", "description": "送信中・送信済・到達・取込済・取込エラー・取込不可・期限切れ・保存期間満了" },
                        "receipts": { "type": "object", "description": "the signed receipts kept, by step (accepted, acknowledged, rejected)" },
                    },
                },
                "SentList": {
                    "type": "object",
                    "required": ["parcels", "relay_reachable"],
                    "properties": {
                        "parcels": { "type": "array", "items": { "$ref": "#/components/schemas/SentParcel" } },
                        "relay_reachable": { "type": "boolean" },
                    },
                },
                "Arrival": {
                    "type": "object",
                    "required": ["parcel", "from", "files", "received_at", "state", "state_ja", "cursor"],
                    "properties": {
                        "parcel": { "type": "string" },
                        "from": { "type": "string" },
                        "from_name": { "type": "string" },
                        "files": { "type": "array", "items": { "type": "string" } },
                        "received_at": { "type": "string", "format": "date-time" },
                        "state": { "enum": ["receiving", "placed", "held", "imported", "not_imported"] },
                        "state_ja": { "type": "string", "description": "受信中・取込フォルダに配置・介護ソフトの取込待ち・取込済・取込不可" },
                        "cursor": { "type": "integer" },
                    },
                },
                "Arrivals": {
                    "type": "object",
                    "required": ["parcels", "cursor", "delivery"],
                    "properties": {
                        "parcels": { "type": "array", "items": { "$ref": "#/components/schemas/Arrival" } },
                        "cursor": { "type": "integer" },
                        "delivery": { "enum": ["api", "folder"] },
                    },
                },
                "ReceivedUnit": {
                    "allOf": [{ "$ref": "#/components/schemas/Arrival" }],
                    "type": "object",
                    "required": ["document"],
                    "properties": {
                        "document": { "$ref": "#/components/schemas/UnitDocument" },
                        "attachments": { "type": "array", "items": { "type": "string" } },
                    },
                },
                "Word": {
                    "type": "object",
                    "required": ["parcel", "state", "state_ja"],
                    "properties": {
                        "parcel": { "type": "string" },
                        "state": { "enum": ["imported", "not_imported"] },
                        "state_ja": { "type": "string" },
                    },
                },
                "Record": {
                    "type": "object",
                    "required": ["kind", "key", "version", "body", "author", "created"],
                    "properties": {
                        "kind": { "type": "string" },
                        "key": { "type": "string" },
                        "version": { "type": "integer" },
                        "body": {},
                        "author": { "type": "string" },
                        "created": { "type": "integer" },
                    },
                },
                "Records": {
                    "type": "object",
                    "required": ["records"],
                    "properties": { "records": { "type": "array", "items": { "$ref": "#/components/schemas/Record" } } },
                },
                "Changes": {
                    "type": "object",
                    "required": ["changes", "cursor", "relay_reachable"],
                    "properties": {
                        "changes": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["parcel", "state", "cursor"],
                                "properties": {
                                    "parcel": { "type": "string" },
                                    "state": { "type": "string" },
                                    "cursor": { "type": "integer" },
                                },
                            },
                        },
                        "cursor": { "type": "integer" },
                        "relay_reachable": { "type": "boolean" },
                    },
                },
            },
        },
        "security": [{ "apiKey": [] }],
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "この文書 / this document",
                    "security": [],
                    "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } },
                },
            },
            "/api/v1/schema/unit.json": {
                "get": {
                    "operationId": "unitSchema",
                    "summary": "送信単位の JSON Schema / the send unit's JSON Schema",
                    "security": [],
                    "responses": { "200": { "description": "JSON Schema 2020-12", "content": { "application/json": { "schema": { "type": "object" } } } } },
                },
            },
            "/api/v1/schema/{layout}/{file}": {
                "get": {
                    "operationId": "layoutSchema",
                    "summary": "様式ごとのレコードの JSON Schema / a layout's record schema",
                    "security": [],
                    "parameters": [
                        { "name": "layout", "in": "path", "required": true, "schema": { "enum": ["V4.1", "V3"] } },
                        { "name": "file", "in": "path", "required": true, "schema": { "type": "string", "example": "UPPLAN.json" } },
                    ],
                    "responses": {
                        "200": { "description": "JSON Schema 2020-12", "content": { "application/json": { "schema": { "type": "object" } } } },
                        "404": problem_response("その様式はない / no such layout"),
                    },
                },
            },
            "/api/v1/units": {
                "post": {
                    "operationId": "sendUnit",
                    "summary": "送信単位を送る / send a send unit",
                    "description": "Checked with the same rules as the export folder: with an error anywhere nothing is sent (422 with every problem). Split per destination, sealed for each recipient and sent. Needs the send scope.",
                    "parameters": [
                        { "name": "Idempotency-Key", "in": "header", "required": true,
                          "schema": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$" },
                          "description": "unique per send; a retry with the same key gets the first answer and sends nothing twice" },
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {
                            "application/json": { "schema": { "$ref": "#/components/schemas/UnitDocument" } },
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": { "files": { "type": "array", "items": { "type": "string", "contentMediaType": "application/octet-stream" } } },
                                },
                            },
                        },
                    },
                    "responses": keyed(responses(&[
                        ("201", ok_json("送信した / sent to every destination", "SendAnswer")),
                        ("413", problem_response("大きすぎる / too large")),
                        ("409", problem_response("同じ Idempotency-Key の送信が処理中 / a send with this key is in progress")),
                        ("415", problem_response("本文の形式が違う / not JSON or multipart")),
                        ("422", problem_response("検査のエラー・送れない宛先・使用済みの Idempotency-Key / check errors, refused destinations, a reused key")),
                        ("503", problem_response("中継サーバーに届かなかった宛先がある、同じキーで送り直す / the relay could not be reached for some; retry with the same key")),
                    ])),
                },
            },
            "/api/v1/sent": {
                "get": {
                    "operationId": "listSent",
                    "summary": "送ったもの / what was sent, with states",
                    "parameters": [
                        { "name": "month", "in": "query", "schema": { "type": "string", "pattern": "^[0-9]{4}(0[1-9]|1[0-2])$" }, "description": "サービス提供月 YYYYMM" },
                        { "name": "to", "in": "query", "schema": office_number },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } },
                    ],
                    "responses": keyed(responses(&[("200", ok_json("送ったもの / the parcels", "SentList"))])),
                },
            },
            "/api/v1/sent/changes": {
                "get": {
                    "operationId": "sentChanges",
                    "summary": "状態の変わったもの(待つ) / state changes after a cursor, waited for",
                    "parameters": [
                        { "name": "after", "in": "query", "schema": { "type": "integer", "format": "int64", "minimum": 0, "maximum": i64::MAX } },
                        { "name": "wait", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 60 } },
                    ],
                    "responses": keyed(responses(&[("200", ok_json("変わったもの / the changes", "Changes"))])),
                },
            },
            "/api/v1/received": {
                "get": {
                    "operationId": "listReceived",
                    "summary": "届いたもの(待つ) / arrivals after a cursor, waited for",
                    "description": "With nothing after the cursor, the call receives from the relay itself (held for the care software when the office takes its files through the API) and waits up to `wait` seconds for a parcel. Needs the receive scope.",
                    "parameters": [
                        { "name": "after", "in": "query", "schema": { "type": "integer", "format": "int64", "minimum": 0, "maximum": i64::MAX } },
                        { "name": "wait", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 60 } },
                        { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } },
                    ],
                    "responses": keyed(responses(&[("200", ok_json("届いたもの / the arrivals", "Arrivals"))])),
                },
            },
            "/api/v1/received/{parcel}": {
                "get": {
                    "operationId": "receivedParcel",
                    "summary": "届いた小包を JSON 形式で / one arrival in the JSON form",
                    "parameters": [{ "name": "parcel", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "responses": keyed(responses(&[
                        ("200", ok_json("小包と JSON 形式の送信単位 / the parcel and its unit", "ReceivedUnit")),
                        ("404", problem_response("その小包はない / no such parcel")),
                    ])),
                },
            },
            "/api/v1/received/{parcel}/files/{name}": {
                "get": {
                    "operationId": "receivedFile",
                    "summary": "届いたファイルそのもの / a received file's own bytes",
                    "parameters": [
                        { "name": "parcel", "in": "path", "required": true, "schema": { "type": "string" } },
                        { "name": "name", "in": "path", "required": true, "schema": { "type": "string" } },
                    ],
                    "responses": keyed(responses(&[
                        ("200", {
                            let mut ok = json!({ "description": "the file as the sender's care software wrote it" });
                            ok["content"] = json!({
                                "text/csv": { "schema": { "type": "string" } },
                                "application/octet-stream": { "schema": { "type": "string" } },
                            });
                            ok
                        }),
                        ("404", problem_response("その小包・ファイルはない / no such parcel or file")),
                    ])),
                },
            },
            "/api/v1/received/{parcel}/imported": {
                "post": {
                    "operationId": "confirmImported",
                    "summary": "取り込んだ(送信元に受信確認) / imported: the sender is told",
                    "parameters": [{ "name": "parcel", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "responses": keyed(responses(&[
                        ("200", ok_json("取込済 / imported", "Word")),
                        ("404", problem_response("その小包はない / no such parcel")),
                        ("409", problem_response("取込待ちではない / not held for the API")),
                        ("503", problem_response("中継サーバーに届かない、送り直す / the relay could not be reached; try again")),
                    ])),
                },
            },
            "/api/v1/received/{parcel}/failed": {
                "post": {
                    "operationId": "reportNotImported",
                    "summary": "取り込めなかった(理由を送信元に) / could not import: the sender is told why",
                    "parameters": [{ "name": "parcel", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": {
                            "type": "object",
                            "required": ["reason"],
                            "additionalProperties": false,
                            "properties": { "reason": { "type": "string", "minLength": 1, "maxLength": 1000 } },
                        } } },
                    },
                    "responses": keyed(responses(&[
                        ("200", ok_json("取込不可として伝えた / reported", "Word")),
                        ("404", problem_response("その小包はない / no such parcel")),
                        ("409", problem_response("取込待ちではない / not held for the API")),
                        ("503", problem_response("中継サーバーに届かない、送り直す / the relay could not be reached; try again")),
                    ])),
                },
            },
            "/api/v1/infobase/people/{insurer}/{insured}/records": {
                "get": {
                    "operationId": "infobaseRecords",
                    "summary": "介護情報基盤の記録 / a person's records the office may see",
                    "description": "Asked of the relay with the office's certificate: its consent and role rules decide, and the person's access log names the office. Needs the infobase scope.",
                    "parameters": [
                        { "name": "insurer", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9]{6}$" } },
                        { "name": "insured", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9A-Za-z]{10}$" } },
                        { "name": "kind", "in": "query", "required": true, "schema": { "enum": [
                            "insurance_card", "burden_ratio", "burden_limit", "application", "survey", "opinion",
                            "result", "housing_reform", "equipment_purchase", "care_plan", "draft_plan", "access_log",
                        ] } },
                    ],
                    "responses": keyed(responses(&[
                        ("200", ok_json("記録 / the records", "Records")),
                        ("404", problem_response("介護情報基盤が断った / refused by the information base")),
                        ("409", problem_response("介護情報基盤が断った / refused by the information base")),
                        ("422", problem_response("介護情報基盤が断った / refused by the information base")),
                        ("503", problem_response("中継サーバーに届かない / the relay could not be reached")),
                    ])),
                },
            },
            "/api/v1/infobase/people/{insurer}/{insured}/plans": {
                "post": {
                    "operationId": "infobasePlan",
                    "summary": "ケアプランを登録 (交付用・同意確認用) / register a plan or a draft",
                    "parameters": [
                        { "name": "insurer", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9]{6}$" } },
                        { "name": "insured", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9A-Za-z]{10}$" } },
                    ],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": {
                            "type": "object",
                            "required": ["purpose"],
                            "additionalProperties": false,
                            "properties": {
                                "purpose": { "enum": ["delivery", "draft"], "description": "delivery 交付用, draft 同意・確認用" },
                                "parcel": { "type": "string", "description": "a parcel this office exchanged that holds the person's plan" },
                                "plan": { "type": "object", "description": "or the plan's items, given whole" },
                                "key": { "type": "string", "maxLength": 64 },
                            },
                        } } },
                    },
                    "responses": keyed(responses(&[
                        ("201", ok_json("登録した / registered", "Record")),
                        ("404", problem_response("小包がない、または介護情報基盤が断った / no such parcel, or refused")),
                        ("409", problem_response("介護情報基盤が断った / refused by the information base")),
                        ("422", problem_response("介護情報基盤が断った / refused by the information base")),
                        ("503", problem_response("中継サーバーに届かない / the relay could not be reached")),
                    ])),
                },
            },
            "/api/v1/sent/{parcel}": {
                "get": {
                    "operationId": "sentParcel",
                    "summary": "送った小包1つ、受領証つき / one sent parcel with its receipts",
                    "parameters": [
                        { "name": "parcel", "in": "path", "required": true, "schema": { "type": "string" } },
                    ],
                    "responses": keyed(responses(&[
                        ("200", ok_json("送った小包 / the parcel", "SentParcel")),
                        ("404", problem_response("その小包はない / no such parcel")),
                    ])),
                },
            },
        },
    })
}
