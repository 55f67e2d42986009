//! The office console: the pages a care manager or clerk uses instead of the command
//! line, served on localhost by `renkei office ui`.
//!
//! Every page but the sign-in needs a staff session ([`session`]). The pages read the
//! office's ledger and local copies, so they work while the relay is out of reach; only
//! the parcels' states at the relay and sending need it.
//!
//! - [`page`]: the frame around every page, errors as pages, times in JST;
//! - [`dashboard`], [`parcels`], [`people`], [`documents`], [`send`], [`partners`], [`evidence`],
//!   [`effect`], [`staff`]: one part of the console each;
//! - [`infobase`]: the information base (介護情報基盤) for the office's people, through the relay,
//!   behind a one-time code as well as the password ([`second_factor`]);
//! - [`files`]: the files of a parcel, from the local copy or the sent folder;
//! - [`receiver`]: the console's own receiving while it runs, in turn with any sync.

pub mod api;
mod api_keys;
mod arrivals;
mod assets;
mod board;
mod corrections;
mod dashboard;
mod documents;
mod effect;
mod evidence;
pub mod files;
mod findings;
mod infobase;
mod page;
mod parcels;
mod partners;
mod people;
pub mod receiver;
mod reconcile;
mod second_factor;
mod send;
pub mod session;
mod staff;
pub mod time;
mod words;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use renkei_office::Office;

/// The care software's folders, as `sync` uses them.
#[derive(Clone, Debug)]
pub struct Folders {
    pub export: PathBuf,
    pub import: PathBuf,
    pub sent: PathBuf,
    /// Files dropped on the send page wait here until they are sent or discarded.
    pub uploads: PathBuf,
}

impl Folders {
    /// The folders inside the office's data folder, as `renkei demo` lays them out.
    pub fn inside(dir: &std::path::Path) -> Self {
        Self {
            export: dir.join("export"),
            import: dir.join("import"),
            sent: dir.join("sent"),
            uploads: dir.join("console-uploads"),
        }
    }
}

#[derive(Debug)]
pub struct Console {
    pub office: Arc<Office>,
    pub folders: Folders,
    files: files::Cache,
    /// Sign-in attempts, counted before each password is checked ([`renkei_web::signin`]).
    pub(crate) sign_ins: renkei_web::signin::Guard,
    /// Wrong one-time codes in a row, per session (its token's digest): too many end it.
    code_failures: std::sync::Mutex<std::collections::HashMap<String, u32>>,
    /// The local API's sends in progress, by key and idempotency key ([`api`]): the same
    /// request twice at once is not sent twice.
    api_sends: std::sync::Mutex<std::collections::HashSet<(String, String)>>,
    /// What the last check of the relay's audit log found ([`evidence`]), with its time.
    log_check: std::sync::Mutex<Option<(i64, evidence::LogFinding)>>,
    /// What the console's own receiving last did ([`receiver`]).
    pub receiving: tokio::sync::watch::Sender<receiver::ReceivingStatus>,
    /// The Japanese font for PDFs, found on first use.
    font: std::sync::OnceLock<Result<renkei_pdf::JapaneseFont, String>>,
}

impl Console {
    pub fn new(office: Arc<Office>, folders: Folders) -> Arc<Self> {
        Arc::new(Self {
            office,
            folders,
            files: files::Cache::default(),
            sign_ins: renkei_web::signin::Guard::default(),
            code_failures: Default::default(),
            api_sends: Default::default(),
            log_check: Default::default(),
            receiving: tokio::sync::watch::Sender::new(Default::default()),
            font: std::sync::OnceLock::new(),
        })
    }

    /// A PDF made by `render` with the console's font, off the async threads.
    pub async fn pdf(
        &self,
        render: impl FnOnce(&renkei_pdf::JapaneseFont) -> renkei_pdf::Result<Vec<u8>> + Send + 'static,
    ) -> Result<Vec<u8>, page::PageError> {
        let font = self.font()?.clone();
        tokio::task::spawn_blocking(move || render(&font))
            .await
            .map_err(|e| renkei_office::Error::Console(e.to_string()))?
            .map_err(|e| renkei_office::Error::Console(e.to_string()).into())
    }

    /// The font PDFs are set in; the error says how to install one.
    pub fn font(&self) -> Result<&renkei_pdf::JapaneseFont, page::PageError> {
        self.font
            .get_or_init(|| renkei_pdf::JapaneseFont::find().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|message| page::PageError {
                status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
                message: message.clone(),
            })
    }
}

/// The largest upload accepted from the send page: a month of a big office's files.
const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

pub fn router(console: Arc<Console>) -> Router {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/outbox", get(parcels::outbox))
        .route("/inbox", get(parcels::inbox))
        .route("/inbox/receive", post(parcels::receive))
        .route("/events", get(arrivals::events))
        .route("/parcels/{id}", get(parcels::show))
        .route("/parcels/{id}/files/{name}", get(parcels::download))
        .route("/parcels/{id}/resend", post(corrections::resend))
        .route("/parcels/{id}/people/{person}", get(people::forms))
        .route("/parcels/{id}/people/{person}/pdf", get(people::pdf))
        .route("/people", get(people::index))
        .route("/people/print", get(people::print))
        .route("/people/print.pdf", get(people::print_pdf))
        .route("/refusals", get(parcels::refusals))
        .route("/refusals/{key}", get(parcels::refusal))
        .route("/send", get(send::page).post(send::upload))
        .route("/send/{batch}", get(send::review).post(send::confirm))
        .route("/send/{batch}/discard", post(send::discard))
        .route(
            "/verify",
            get(second_factor::page).post(second_factor::verify),
        )
        .route("/base", get(infobase::index))
        .route("/base/people/{insurer}/{insured}", get(infobase::person))
        .route(
            "/base/people/{insurer}/{insured}/{act}",
            post(infobase::act),
        )
        .route(
            "/base/people/{insurer}/{insured}/opinions/{key}/pdf",
            get(infobase::opinion_pdf),
        )
        .route("/board", get(board::page))
        .route("/reconcile", get(reconcile::month))
        .route("/reconcile.csv", get(reconcile::csv))
        .route("/reconcile/{insurer}/{insured}", get(reconcile::person))
        .route("/documents", get(documents::index))
        .route("/documents/{id}", get(documents::show))
        .route("/documents/{id}/withdraw", post(corrections::withdraw))
        .route("/partners", get(partners::page))
        .route("/partners/software", post(partners::set_software))
        .route("/evidence", get(evidence::page))
        .route("/evidence/log-check", post(evidence::log_check))
        .route("/evidence.csv", get(evidence::csv))
        .route("/evidence.pdf", get(evidence::pdf))
        .route("/effect", get(effect::page).post(effect::save))
        .route("/effect.pdf", get(effect::pdf))
        .route("/staff", get(staff::page).post(staff::save))
        .route("/staff/password", post(staff::change_password))
        .route("/api-keys", get(api_keys::page).post(api_keys::add))
        .route("/api-keys/revoke", post(api_keys::revoke))
        .route("/api-keys/delivery", post(api_keys::set_delivery))
        .route("/assets/{name}", get(assets::serve))
        .nest(api::BASE, api::router(console.clone()))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(axum::middleware::from_fn(renkei_web::origin::same_site))
        .layer(axum::middleware::from_fn(
            renkei_web::headers::security_headers,
        ))
        .with_state(console)
}

/// Serve the console on `listener` until `shutdown` completes: only to requests that name
/// its own address (or `localhost`, or one of `names`) as their host, against DNS rebinding.
pub async fn serve(
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    names: Vec<String>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hosts = renkei_web::origin::AllowedHosts::for_address(listener.local_addr()?, &names);
    let app = router(console).layer(axum::middleware::from_fn_with_state(
        hosts,
        renkei_web::origin::allowed_host,
    ));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
