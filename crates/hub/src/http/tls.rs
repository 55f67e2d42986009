//! HTTPS with optional client certificates, on rustls (ring provider).
//!
//! The TLS handshake proves that a client holds the key of the certificate it shows; it
//! does not judge the certificate. That is left to [`crate::relay::Relay::authenticate`],
//! so a caller with an expired, revoked or foreign certificate gets an HTTP answer that
//! says which — not a bare TLS alert that a clerk cannot read. Clients without a
//! certificate get in too: enrolment and the operator's login come before any certificate.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::DistinguishedName;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, ServerConfig, SignatureScheme};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

use crate::{Error, Result};

/// Connections served at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 4096;
/// A client must finish its TLS handshake within this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What one client may hold of the listener, so that a few slow or greedy clients cannot
/// take it away from the rest.
#[derive(Clone, Copy, Debug)]
pub struct ListenerLimits {
    /// Connections open at once from one address (an office network behind one address
    /// has many PCs; a stranger holding idle connections has one).
    pub per_address: usize,
    /// Connections open at once with one client certificate: one office's PCs.
    pub per_certificate: usize,
}

impl Default for ListenerLimits {
    fn default() -> Self {
        Self {
            per_address: 256,
            per_certificate: 32,
        }
    }
}

/// Open connections by some key; a slot is given back when its guard drops.
#[derive(Debug)]
struct Counts<K>(std::sync::Mutex<std::collections::HashMap<K, usize>>);

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Self(std::sync::Mutex::new(std::collections::HashMap::new()))
    }
}

struct Slot<K: std::hash::Hash + Eq + Clone> {
    counts: Arc<Counts<K>>,
    key: K,
}

impl<K: std::hash::Hash + Eq + Clone> Counts<K> {
    fn take(self: &Arc<Self>, key: K, limit: usize) -> Option<Slot<K>> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(key.clone()).or_default();
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(Slot {
            counts: Arc::clone(self),
            key,
        })
    }
}

impl<K: std::hash::Hash + Eq + Clone> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// The DER of the client certificate a connection presented, as a request extension.
#[derive(Clone, Debug, Default)]
pub struct PeerCertificate(pub Option<Arc<Vec<u8>>>);

/// The one crypto provider of the workspace.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// TLS for the hub: its certificate and key (PEM), asking clients for a certificate from
/// `authority_pem`'s authority without requiring one.
pub fn server_config(
    certificate_pem: &[u8],
    key_pem: &[u8],
    authority_pem: &[u8],
) -> Result<Arc<ServerConfig>> {
    let tls = |e: &dyn std::fmt::Display| Error::Tls(e.to_string());
    let chain = CertificateDer::pem_slice_iter(certificate_pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| tls(&e))?;
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| tls(&e))?;
    let authority = CertificateDer::from_pem_slice(authority_pem).map_err(|e| tls(&e))?;
    let provider = provider();
    let verifier = AnyOfficeCertificate {
        hints: vec![authority_subject(&authority)?],
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls(&e))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(chain, key)
        .map_err(|e| tls(&e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn authority_subject(authority: &CertificateDer<'_>) -> Result<DistinguishedName> {
    let parsed = renkei_seal::Certificate::from_der(authority)?;
    Ok(DistinguishedName::from(parsed.subject_der()?))
}

/// Asks for a client certificate, checks the handshake signature with it, and leaves the
/// certificate's standing to the relay.
#[derive(Debug)]
struct AnyOfficeCertificate {
    hints: Vec<DistinguishedName>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyOfficeCertificate {
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.hints
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Serve `router` over TLS on `listener` until `shutdown` resolves; then stop accepting
/// and wait (up to `drain`) for the requests under way.
pub async fn serve(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
    drain: Duration,
) {
    serve_with(
        listener,
        config,
        router,
        shutdown,
        drain,
        ListenerLimits::default(),
    )
    .await;
}

/// [`serve`], with `limits` on what one client may hold.
pub async fn serve_with(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
    drain: Duration,
    limits: ListenerLimits,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let by_address = Arc::new(Counts::<std::net::IpAddr>::default());
    let by_certificate = Arc::new(Counts::<[u8; 32]>::default());
    tokio::pin!(shutdown);
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let (tcp, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors and the like: pause rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // One address holding too many connections gets no more: closed at once.
        let Some(address_slot) = by_address.take(address.ip(), limits.per_address) else {
            tracing::warn!(address = %address.ip(), "connection refused: too many from one address");
            drop(tcp);
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let acceptor = acceptor.clone();
        let router = router.clone();
        let by_certificate = Arc::clone(&by_certificate);
        // Each handshake runs in its own task: one silent client never holds up the rest.
        tokio::spawn(async move {
            let _slot = slot;
            let _address_slot = address_slot;
            let Ok(Ok(stream)) =
                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
            else {
                return;
            };
            let _certificate_slot = match stream.get_ref().1.peer_certificates() {
                Some([first, ..]) => {
                    let key = renkei_seal::sha256(first.as_ref());
                    match by_certificate.take(key, limits.per_certificate) {
                        Some(slot) => Some(slot),
                        None => {
                            tracing::warn!("connection refused: too many with one certificate");
                            return;
                        }
                    }
                }
                _ => None,
            };
            let peer = PeerCertificate(
                stream
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|chain| chain.first())
                    .map(|der| Arc::new(der.to_vec())),
            );
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(peer.clone());
                    // Sign-ins are counted by it ([`renkei_web::client`]).
                    request
                        .extensions_mut()
                        .insert(axum::extract::ConnectInfo(address));
                    router.clone().call(request)
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(renkei_proto::RELAY_IDLE)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
    let all = u32::try_from(MAX_CONNECTIONS).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(drain, slots.acquire_many(all)).await;
}
