//! The certificate check behind `closte_ssl_status()`: a TLS handshake with
//! the domain (SNI), the certificate it presents, and whether that
//! certificate is trusted, valid for the name and within its dates.
//!
//! A failed check is a result, not an error: the report says `ok`/`valid`
//! false and why. Only bad input (the domain, the options, an unusable
//! `ca_file`) is an `Error`. The verifier records the chain and asks rustls'
//! WebPKI verifier for the verdict, then lets the handshake go on whatever
//! the verdict, so an expired, untrusted or wrong-name certificate is still
//! described. No application data is ever sent.
//!
//! Fork safety: nothing here keeps a thread or a connection between calls;
//! the only per-process state is the parsed system root store (plain data).

pub mod cert;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use once_cell::sync::OnceCell;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
    SignatureScheme,
};

use crate::config::{type_name, OptionValue, MAX_TIMEOUT_SECS};
use crate::domain::{self, Domain};
use crate::error::{Error, Result};

pub use cert::CertInfo;

pub const DEFAULT_PORT: u16 = 443;
pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
/// The options `closte_ssl_status()` takes.
pub const OPTION_NAMES: [&str; 4] = ["host", "port", "ca_file", "timeout"];
/// A CA bundle larger than this is not a CA bundle.
const MAX_CA_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How to reach the server, and whom to trust.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// Connect here instead of resolving the domain (an IP address or a
    /// host name). SNI and the name check still use the domain.
    pub host: Option<String>,
    pub port: u16,
    /// A PEM bundle to trust instead of the system's roots.
    pub ca_file: Option<PathBuf>,
    /// For the whole check: resolution, connection and handshake.
    pub timeout: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            host: None,
            port: DEFAULT_PORT,
            ca_file: None,
            timeout: Duration::from_secs_f64(DEFAULT_TIMEOUT_SECS),
        }
    }
}

fn bad_option(text: String) -> Error {
    Error::Configuration(text)
}

/// Reads `$options`; every mistake is an `Error::Configuration` naming it.
pub fn parse_options(options: &[(String, OptionValue)]) -> Result<CheckOptions> {
    let mut out = CheckOptions::default();
    for (name, value) in options {
        match name.as_str() {
            "host" => out.host = Some(parse_host(value)?),
            "port" => {
                out.port = match value {
                    OptionValue::Int(n) => {
                        u16::try_from(*n).ok().filter(|p| *p > 0).ok_or_else(|| {
                            bad_option(format!("Option 'port' must be from 1 to 65535, got {n}"))
                        })?
                    }
                    other => {
                        return Err(bad_option(format!(
                            "Option 'port' must be an integer, got {}",
                            type_name(other)
                        )))
                    }
                }
            }
            "ca_file" => {
                out.ca_file = match value {
                    OptionValue::Str(path) if !path.trim().is_empty() && !path.contains('\0') => {
                        Some(PathBuf::from(path))
                    }
                    OptionValue::Str(_) => {
                        return Err(bad_option(
                            "Option 'ca_file' must be the path of a PEM file, got an empty string"
                                .into(),
                        ))
                    }
                    other => {
                        return Err(bad_option(format!(
                            "Option 'ca_file' must be a string (a path), got {}",
                            type_name(other)
                        )))
                    }
                }
            }
            "timeout" => {
                let secs = match value {
                    OptionValue::Int(n) => *n as f64,
                    OptionValue::Float(f) => *f,
                    other => {
                        return Err(bad_option(format!(
                            "Option 'timeout' must be a number of seconds, got {}",
                            type_name(other)
                        )))
                    }
                };
                if !(secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS) {
                    return Err(bad_option(format!(
                        "Option 'timeout' must be more than 0 and at most {MAX_TIMEOUT_SECS} seconds, got {secs}"
                    )));
                }
                out.timeout = Duration::from_secs_f64(secs);
            }
            other => {
                return Err(bad_option(format!(
                    "Unknown option '{}'; known options: {}",
                    domain::printable(other),
                    OPTION_NAMES.join(", ")
                )))
            }
        }
    }
    Ok(out)
}

/// An IP address (IPv6 with or without brackets) or a host name (one label
/// is fine here: `localhost`, a name from /etc/hosts).
fn parse_host(value: &OptionValue) -> Result<String> {
    let OptionValue::Str(raw) = value else {
        return Err(bad_option(format!(
            "Option 'host' must be a string, got {}",
            type_name(value)
        )));
    };
    let text = raw.trim();
    let unbracketed = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(ip.to_string());
    }
    let name = text.strip_suffix('.').unwrap_or(text);
    let ascii = if name.is_ascii() {
        Some(name.to_ascii_lowercase())
    } else {
        idna::domain_to_ascii(name).ok()
    };
    match ascii {
        Some(host) if is_host_name(&host) => Ok(host),
        _ => Err(bad_option(format!(
            "Option 'host' must be an IP address or a host name, got \"{}\"",
            domain::printable(raw)
        ))),
    }
}

/// Letters, digits and inner hyphens, in labels of 1 to 63, 253 in all.
pub fn is_host_name(host: &str) -> bool {
    let label_ok = |label: &str| {
        (1..=domain::MAX_LABEL_LEN).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    !host.is_empty() && host.len() <= domain::MAX_DOMAIN_LEN && host.split('.').all(label_ok)
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub domain: String,
    /// The TLS handshake completed.
    pub ok: bool,
    /// Handshake completed and the certificate is trusted, valid for the
    /// domain and within its dates.
    pub valid: bool,
    /// Why `valid` is false (null when it is true).
    pub error: Option<String>,
    /// The address connected to, `ip:port` (`[ip]:port` for IPv6).
    pub address: Option<String>,
    /// `TLSv1.3` or `TLSv1.2`, when the handshake completed.
    pub protocol: Option<String>,
    /// The leaf certificate, when the server sent one we could read.
    pub cert: Option<CertInfo>,
    /// When the check ran, Unix seconds.
    pub checked_at: i64,
    pub elapsed: Duration,
}

impl Report {
    /// Whole days until `not_after`, rounded down: 0 on the last day,
    /// negative once expired.
    pub fn days_left(&self) -> Option<i64> {
        self.cert
            .as_ref()
            .map(|c| days_left(c.not_after, self.checked_at))
    }
}

pub fn days_left(not_after: i64, now: i64) -> i64 {
    (not_after - now).div_euclid(86_400)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Runs the check. `Err` only for bad input; every network or certificate
/// problem is in the report.
pub fn check(domain: &Domain, options: &CheckOptions) -> Result<Report> {
    if domain.is_wildcard() {
        return Err(Error::InvalidDomain(format!(
            "Invalid domain \"{domain}\": a wildcard cannot be checked over TLS; check a name under it (e.g. www.{})",
            domain.as_str().trim_start_matches("*.")
        )));
    }
    let server_name = ServerName::try_from(domain.as_str().to_string()).map_err(|_| {
        Error::InvalidDomain(format!(
            "Invalid domain \"{domain}\": not usable as a TLS server name"
        ))
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots = match &options.ca_file {
        Some(path) => Arc::new(load_ca_file(path)?),
        None => system_roots()?,
    };
    let verifier = Arc::new(Recorder::new(roots, provider.clone())?);
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Internal(format!("closte: TLS set-up failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();

    let started = Instant::now();
    let deadline = started + options.timeout;
    let mut report = Report {
        domain: domain.as_str().to_string(),
        ok: false,
        valid: false,
        error: None,
        address: None,
        protocol: None,
        cert: None,
        checked_at: unix_now(),
        elapsed: Duration::ZERO,
    };
    let host = options
        .host
        .clone()
        .unwrap_or_else(|| domain.as_str().to_string());
    let outcome = resolve(&host, options.port, deadline, options.timeout)
        .and_then(|addrs| connect(&addrs, deadline, options.timeout))
        .and_then(|(stream, addr)| {
            report.address = Some(addr.to_string());
            handshake(
                stream,
                Arc::new(config),
                server_name,
                deadline,
                options.timeout,
            )
        });

    let seen = verifier.take();
    if let Some(seen) = &seen {
        report.cert = cert::parse(&seen.leaf);
    }
    match outcome {
        Ok(protocol) => {
            report.ok = true;
            report.protocol = Some(protocol);
            match seen.map(|s| s.verdict) {
                Some(Ok(())) => report.valid = true,
                Some(Err(e)) => {
                    report.error = Some(describe_verdict(
                        &e,
                        domain.as_str(),
                        report.cert.as_ref(),
                        report.checked_at,
                    ))
                }
                None => {
                    report.error = Some("handshake failure: the server sent no certificate".into())
                }
            }
        }
        Err(text) => report.error = Some(text),
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The system's trusted roots, read once per process (plain data, so a
/// forked child may use its parent's copy).
fn system_roots() -> Result<Arc<RootCertStore>> {
    static ROOTS: OnceCell<Arc<RootCertStore>> = OnceCell::new();
    ROOTS
        .get_or_try_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(Error::Configuration(
                    "No trusted root certificates found on this system: install the ca-certificates package or pass $options['ca_file']".into(),
                ));
            }
            Ok(Arc::new(store))
        })
        .cloned()
}

/// The certificates of a PEM bundle, as trust anchors.
pub fn load_ca_file(path: &std::path::Path) -> Result<RootCertStore> {
    let shown = domain::printable(&path.to_string_lossy());
    let bad = |why: String| Error::Configuration(format!("Option 'ca_file' ({shown}): {why}"));
    let meta = std::fs::metadata(path).map_err(|e| bad(io_text(&e)))?;
    if !meta.is_file() {
        return Err(bad("not a regular file".into()));
    }
    if meta.len() > MAX_CA_FILE_BYTES {
        return Err(bad(format!("larger than {MAX_CA_FILE_BYTES} bytes")));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(io_text(&e)))?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| bad(format!("not a valid PEM file ({e})")))?;
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(bad(
            "no usable certificate in it (expected PEM \"BEGIN CERTIFICATE\" blocks)".into(),
        ));
    }
    Ok(store)
}

fn io_text(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// "10 s", "0.5 s".
fn secs_text(d: Duration) -> String {
    let text = format!("{:.3}", d.as_secs_f64());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

/// The addresses of `host`. A literal IP is used as is; a name goes through
/// the system resolver on a helper thread, so the timeout holds even when
/// the resolver hangs.
fn resolve(
    host: &str,
    port: u16,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<Vec<SocketAddr>, String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let name = host.to_string();
    let lookup = move || {
        (name.as_str(), port)
            .to_socket_addrs()
            .map(Iterator::collect::<Vec<_>>)
    };
    let spawned = std::thread::Builder::new()
        .name("closte-resolve".into())
        .spawn(move || {
            let _ = tx.send(lookup());
        });
    let answer = match spawned {
        Ok(_) => match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(answer) => answer,
            Err(_) => {
                return Err(format!(
                    "timeout: resolving {host} took longer than {}",
                    secs_text(timeout)
                ))
            }
        },
        // No thread to be had: resolve here, without the time limit.
        Err(_) => (host, port)
            .to_socket_addrs()
            .map(Iterator::collect::<Vec<_>>),
    };
    match answer {
        Ok(addrs) if !addrs.is_empty() => Ok(addrs),
        Ok(_) => Err(format!("DNS failure: {host} has no address")),
        Err(e) => Err(format!("DNS failure: could not resolve {host} ({e})")),
    }
}

/// Tries each address in turn until one accepts or the time is up.
fn connect(
    addrs: &[SocketAddr],
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<(TcpStream, SocketAddr), String> {
    let mut last = String::from("connect failed");
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(addr, left) {
            Ok(stream) => return Ok((stream, *addr)),
            Err(e) => {
                last = match e.kind() {
                    io::ErrorKind::ConnectionRefused => format!("connection refused by {addr}"),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                        format!(
                            "timeout: connecting to {addr} took longer than {}",
                            secs_text(timeout)
                        )
                    }
                    _ => format!("could not connect to {addr}: {e}"),
                };
            }
        }
    }
    if Instant::now() >= deadline && !last.starts_with("timeout") {
        last = format!(
            "timeout: no connection within {} ({last})",
            secs_text(timeout)
        );
    }
    Err(last)
}

/// Runs the handshake to its end; the negotiated protocol on success.
fn handshake(
    mut stream: TcpStream,
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<String, String> {
    let _ = stream.set_nodelay(true);
    let mut conn = ClientConnection::new(config, server_name)
        .map_err(|e| format!("handshake failure: {e}"))?;
    let timed_out = || {
        format!(
            "timeout: the TLS handshake did not finish within {}",
            secs_text(timeout)
        )
    };
    while conn.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out());
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        stream
            .set_write_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        if let Err(e) = conn.complete_io(&mut stream) {
            return Err(match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => timed_out(),
                _ => describe_io_error(&e),
            });
        }
    }
    let protocol = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_string(),
    };
    // Say goodbye politely; nothing depends on it.
    conn.send_close_notify();
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = conn.write_tls(&mut stream);
    Ok(protocol)
}

fn describe_io_error(e: &io::Error) -> String {
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return describe_tls_error(tls);
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "handshake failure: the server closed the connection during the handshake".into()
        }
        io::ErrorKind::ConnectionReset => {
            "handshake failure: the server reset the connection during the handshake".into()
        }
        _ => format!("handshake failure: {e}"),
    }
}

/// A handshake error (not a certificate verdict) as text.
pub fn describe_tls_error(e: &rustls::Error) -> String {
    match e {
        rustls::Error::AlertReceived(alert) => {
            format!(
                "handshake failure: the server sent the TLS alert {}",
                snake_case(&format!("{alert:?}"))
            )
        }
        rustls::Error::PeerIncompatible(why) => {
            format!("handshake failure: no TLS version or cipher suite in common with the server ({why:?})")
        }
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::InappropriateMessage { .. } => {
            format!("handshake failure: the server does not speak TLS correctly ({e})")
        }
        rustls::Error::InvalidCertificate(cert_error) => {
            format!("handshake failure: {}", cert_error_text(cert_error))
        }
        other => format!("handshake failure: {other}"),
    }
}

/// `HandshakeFailure` → `handshake_failure`, the spelling of the TLS RFCs.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn cert_error_text(e: &CertificateError) -> String {
    format!("certificate rejected ({e})")
}

/// Why the certificate is not valid for `domain`, in words an admin can act
/// on. `cert` is the parsed leaf, when we could read it.
pub fn describe_verdict(
    e: &rustls::Error,
    domain: &str,
    cert: Option<&CertInfo>,
    now: i64,
) -> String {
    let rustls::Error::InvalidCertificate(cert_error) = e else {
        return format!("certificate rejected: {e}");
    };
    let unix = |t: &UnixTime| i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    match cert_error {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            let not_after = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_after),
                (None, CertificateError::ExpiredContext { not_after, .. }) => Some(unix(not_after)),
                _ => None,
            };
            match not_after {
                Some(t) => format!(
                    "expired: the certificate expired on {} ({} days ago)",
                    cert::iso8601(t),
                    (now - t).div_euclid(86_400)
                ),
                None => "expired: the certificate has expired".into(),
            }
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            let not_before = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_before),
                (None, CertificateError::NotValidYetContext { not_before, .. }) => Some(unix(not_before)),
                _ => None,
            };
            match not_before {
                Some(t) => format!("not yet valid: the certificate is valid from {}", cert::iso8601(t)),
                None => "not yet valid: the certificate is not valid yet".into(),
            }
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let names: Vec<String> = match (cert, cert_error) {
                (Some(c), _) => c.dns_names.clone(),
                (None, CertificateError::NotValidForNameContext { presented, .. }) => presented.clone(),
                _ => Vec::new(),
            };
            if names.is_empty() {
                format!("name mismatch: the certificate names no DNS name, so it is not valid for {domain}")
            } else {
                format!("name mismatch: the certificate is for {}, not {domain}", names.join(", "))
            }
        }
        CertificateError::UnknownIssuer => match cert {
            Some(c) if c.self_issued => {
                "self-signed: the certificate is self-signed, not issued by a trusted certificate authority".into()
            }
            Some(c) => format!(
                "unknown issuer: \"{}\" is not a trusted certificate authority (or the server does not send the intermediate certificates)",
                c.issuer
            ),
            None => "unknown issuer: the certificate is not issued by a trusted certificate authority".into(),
        },
        CertificateError::BadSignature => "bad signature: the certificate is not correctly signed by its issuer".into(),
        CertificateError::Revoked => "revoked: the certificate has been revoked".into(),
        CertificateError::BadEncoding => "malformed certificate: the server's certificate could not be parsed".into(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "wrong purpose: the certificate is not allowed for TLS servers (extended key usage)".into()
        }
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) if cert.is_some_and(|c| c.self_issued) => {
                "self-signed: the certificate is a self-signed CA certificate, not one issued to the server by a trusted certificate authority".into()
            }
            Some(webpki::Error::CaUsedAsEndEntity) => {
                "wrong certificate type: the server presents a CA certificate instead of a server certificate".into()
            }
            _ => format!("certificate rejected: {other}"),
        },
        other => format!("certificate rejected: {other}"),
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug)]
struct Seen {
    leaf: Vec<u8>,
    verdict: std::result::Result<(), rustls::Error>,
}

/// Records the chain and the WebPKI verdict, and lets the handshake go on
/// whatever the verdict: the report needs the certificate either way. The
/// handshake signatures are still checked for real.
#[derive(Debug)]
struct Recorder {
    webpki: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<Seen>>,
}

impl Recorder {
    fn new(roots: Arc<RootCertStore>, provider: Arc<CryptoProvider>) -> Result<Self> {
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .map_err(|e| Error::Configuration(format!("No usable trusted certificates: {e}")))?;
        Ok(Recorder {
            webpki,
            seen: Mutex::new(None),
        })
    }

    fn take(&self) -> Option<Seen> {
        self.seen.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        if let Ok(mut slot) = self.seen.lock() {
            *slot = Some(Seen {
                leaf: end_entity.as_ref().to_vec(),
                verdict,
            });
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
#[path = "ssl_tests.rs"]
mod tests;
