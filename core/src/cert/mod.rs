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
//! The whole check is bounded by its timeout: resolution runs on a helper
//! thread waited on until the deadline, and every read and write of the
//! handshake goes through `DeadlineStream`, so a server that trickles its
//! handshake a byte at a time is cut off on time.
//!
//! Fork safety: nothing here keeps a thread or a connection between calls;
//! the only per-process state is the parsed system root store (plain data).

pub mod describe;
mod options;
mod verify;

use std::io::{self, Read, Write};
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

use crate::domain::{self, Domain};
use crate::error::{seconds_text as secs_text, Error, Result, TlsProblem};
use crate::settings::{type_name, OptionValue, MAX_TIMEOUT_SECS};

pub use describe::CertInfo;
pub use options::*;
pub(crate) use verify::describe_io_error;
use verify::*;
pub use verify::{describe_tls_error, describe_verdict, problem_of};

pub const DEFAULT_PORT: u16 = 443;
pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
/// The options `closte_ssl_status()` takes.
pub const OPTION_NAMES: [&str; 4] = ["host", "port", "ca_file", "timeout"];
/// A CA bundle larger than this is not a CA bundle.
const MAX_CA_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a check did not find a valid certificate; `code()` is the stable
/// `error_code` of `closte_ssl_status()` (SPEC 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Refused,
    Timeout,
    Dns,
    Tls(TlsProblem),
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Failure::Refused => "refused",
            Failure::Timeout => "timeout",
            Failure::Dns => "dns",
            Failure::Tls(problem) => problem.code(),
        }
    }
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
    /// Why `valid` is false (null when it is true), for a person.
    pub error: Option<String>,
    /// The same, for code: switch on this, not on `error`.
    pub failure: Option<Failure>,
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
        return Err(Error::invalid_domain(format!(
            "Invalid domain \"{domain}\": a wildcard cannot be checked over TLS; check a name under it (e.g. www.{})",
            domain.as_str().trim_start_matches("*.")
        )));
    }
    let server_name = ServerName::try_from(domain.as_str().to_string()).map_err(|_| {
        Error::invalid_domain(format!(
            "Invalid domain \"{domain}\": not usable as a TLS server name"
        ))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = match &options.ca_file {
        Some(path) => Arc::new(load_ca_file(path)?),
        None => system_roots()?,
    };
    let verifier = Arc::new(Recorder::new(roots, provider.clone())?);
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::internal("closte: the TLS library offers no protocol version"))?
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
        failure: None,
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
        report.cert = describe::parse(&seen.leaf);
    }
    let failure = match outcome {
        Ok(protocol) => {
            report.ok = true;
            report.protocol = Some(protocol);
            match seen.map(|s| s.verdict) {
                Some(Ok(())) => {
                    report.valid = true;
                    None
                }
                Some(Err(e)) => {
                    let (problem, text) = describe_verdict(
                        &e,
                        domain.as_str(),
                        report.cert.as_ref(),
                        report.checked_at,
                    );
                    Some((Failure::Tls(problem), text))
                }
                None => Some((
                    Failure::Tls(TlsProblem::Handshake),
                    "handshake failure: the server sent no certificate".into(),
                )),
            }
        }
        Err(failed) => Some(failed),
    };
    if let Some((kind, text)) = failure {
        report.failure = Some(kind);
        report.error = Some(text);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The system's trusted roots, read once per process (plain data, so a
/// forked child may use its parent's copy).
pub(crate) fn system_roots() -> Result<Arc<RootCertStore>> {
    static ROOTS: OnceCell<Arc<RootCertStore>> = OnceCell::new();
    ROOTS
        .get_or_try_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut store = RootCertStore::empty();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(Error::configuration(
                    "No trusted root certificates found on this system: install the ca-certificates package or pass $options['ca_file']",
                ));
            }
            Ok(Arc::new(store))
        })
        .cloned()
}

/// The certificates of a PEM bundle, as trust anchors.
pub fn load_ca_file(path: &std::path::Path) -> Result<RootCertStore> {
    let shown = domain::printable(&path.to_string_lossy());
    let bad = |why: String| Error::configuration(format!("Option 'ca_file' ({shown}): {why}"));
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
        .map_err(|_| bad("not a valid PEM file".into()))?;
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
        io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => "it cannot be read".into(),
    }
}

/// The addresses of `host`. A literal IP is used as is; a name goes through
/// the system resolver on a helper thread, so the timeout holds even when
/// the resolver hangs.
pub(crate) fn resolve(
    host: &str,
    port: u16,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<Vec<SocketAddr>, (Failure, String)> {
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
                return Err((
                    Failure::Timeout,
                    format!(
                        "timeout: resolving {host} took longer than {}",
                        secs_text(timeout)
                    ),
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
        Ok(_) => Err((Failure::Dns, format!("DNS failure: {host} has no address"))),
        Err(_) => Err((
            Failure::Dns,
            format!("DNS failure: {host} does not resolve"),
        )),
    }
}

/// Tries each address in turn until one accepts or the time is up.
pub(crate) fn connect(
    addrs: &[SocketAddr],
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<(TcpStream, SocketAddr), (Failure, String)> {
    let mut last = (Failure::Refused, String::from("could not connect"));
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(addr, left) {
            Ok(stream) => return Ok((stream, *addr)),
            Err(e) => {
                last = match e.kind() {
                    io::ErrorKind::ConnectionRefused => {
                        (Failure::Refused, format!("connection refused by {addr}"))
                    }
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => (
                        Failure::Timeout,
                        format!(
                            "timeout: connecting to {addr} took longer than {}",
                            secs_text(timeout)
                        ),
                    ),
                    _ => (
                        Failure::Refused,
                        format!("could not connect to {addr} (unreachable)"),
                    ),
                };
            }
        }
    }
    if Instant::now() >= deadline && last.0 != Failure::Timeout {
        last = (
            Failure::Timeout,
            format!(
                "timeout: no connection within {} ({})",
                secs_text(timeout),
                last.1
            ),
        );
    }
    Err(last)
}

/// A socket whose every read and write waits until `deadline` at most.
/// rustls reads as many times as one record or one handshake takes; a
/// timeout set once per socket would let a server that sends a byte at a
/// time stretch the handshake without end.
pub(crate) struct DeadlineStream<'a> {
    pub(crate) stream: &'a mut TcpStream,
    pub(crate) deadline: Instant,
}

impl DeadlineStream<'_> {
    fn time_left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(left)
    }
}

impl Read for DeadlineStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.time_left()?;
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

impl Write for DeadlineStream<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.time_left()?;
        self.stream.set_write_timeout(Some(left))?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Runs `conn`'s handshake over `stream` to its end, waiting until
/// `deadline` at most (then an error of kind `TimedOut`).
pub(crate) fn drive_handshake(
    conn: &mut ClientConnection,
    stream: &mut TcpStream,
    deadline: Instant,
) -> io::Result<()> {
    let mut bounded = DeadlineStream { stream, deadline };
    while conn.is_handshaking() {
        conn.complete_io(&mut bounded)?;
    }
    Ok(())
}

/// Runs the handshake to its end; the negotiated protocol on success.
fn handshake(
    mut stream: TcpStream,
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    deadline: Instant,
    timeout: Duration,
) -> std::result::Result<String, (Failure, String)> {
    let _ = stream.set_nodelay(true);
    let mut conn = ClientConnection::new(config, server_name)
        .map_err(|e| (Failure::Tls(TlsProblem::Handshake), describe_tls_error(&e)))?;
    if let Err(e) = drive_handshake(&mut conn, &mut stream, deadline) {
        return Err(match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => (
                Failure::Timeout,
                format!(
                    "timeout: the TLS handshake did not finish within {}",
                    secs_text(timeout)
                ),
            ),
            _ => {
                let (problem, text) = describe_io_error(&e);
                (Failure::Tls(problem), text)
            }
        });
    }
    let protocol = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        _ => "unknown".to_string(),
    };
    // Say goodbye politely; nothing depends on it.
    conn.send_close_notify();
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let _ = conn.write_tls(&mut stream);
    Ok(protocol)
}

#[cfg(test)]
mod tests;
