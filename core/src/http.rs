//! One HTTP exchange with the Closte API through `reqwest::blocking`, and
//! the clients it runs on.
//!
//! Fork safety (SPEC 3): a blocking client owns a runtime thread. PHP-FPM
//! forks workers from a master that may have made one (preloading); the
//! child has no such thread, so using the inherited client hangs and
//! dropping it joins a thread that does not exist. Clients are therefore
//! kept with the process id that made them: a child that finds its
//! parent's forgets them (never uses, never drops) and makes its own on its
//! first call. Nothing is made before the first call.

use std::io::{self, Read};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::blocking::{Client, Response};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{redirect, Url};

use crate::cert;
use crate::error::{Error, Result};
use crate::retry::parse_retry_after;
use crate::settings::{ProxyUrl, Settings};

/// Answers are read up to this many bytes; a longer one is refused.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

pub const USER_AGENT: &str = concat!("closte-php/", env!("CARGO_PKG_VERSION"));

/// Idle connections older than this are closed rather than reused: below
/// the keep-alive timeouts servers commonly use (nginx: 75 s).
const IDLE_KEEP: Duration = Duration::from_secs(50);
/// More distinct client settings than this in one process is not a
/// pattern worth keeping; the oldest goes.
const KEEP_CLIENTS: usize = 8;

/// What a request needs of the settings to choose its client: the options
/// a reqwest client fixes when it is built.
#[derive(Debug, Clone, PartialEq)]
struct ClientKey {
    connect_timeout: Duration,
    proxy: Option<ProxyUrl>,
    ca_file: Option<PathBuf>,
}

struct Clients {
    pid: u32,
    made: Vec<(ClientKey, Client)>,
}

static CLIENTS: Mutex<Option<Clients>> = Mutex::new(None);

/// This process's client for these settings, made on first use.
fn client_for(settings: &Settings) -> Result<Client> {
    let key = ClientKey {
        connect_timeout: settings.connect_timeout,
        proxy: settings.proxy.clone(),
        ca_file: settings.ca_file.clone(),
    };
    let pid = std::process::id();
    let mut slot = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner);
    if slot.as_ref().is_some_and(|clients| clients.pid != pid) {
        // Inherited across a fork: see the module comment.
        std::mem::forget(slot.take());
    }
    let clients = slot.get_or_insert_with(|| Clients {
        pid,
        made: Vec::new(),
    });
    if let Some((_, client)) = clients.made.iter().find(|(k, _)| *k == key) {
        return Ok(client.clone());
    }
    let client = build_client(&key)?;
    if clients.made.len() == KEEP_CLIENTS {
        clients.made.remove(0);
    }
    clients.made.push((key, client.clone()));
    Ok(client)
}

fn build_client(key: &ClientKey) -> Result<Client> {
    let roots = match &key.ca_file {
        Some(path) => Arc::new(cert::load_ca_file(path)?),
        None => cert::system_roots()?,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::internal("closte: the TLS library offers no protocol version"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let builder = Client::builder()
        .user_agent(USER_AGENT)
        .tls_backend_preconfigured(tls)
        .http1_only()
        .connect_timeout(key.connect_timeout)
        // Each request sets its own; none here means no other limit.
        .timeout(None)
        .redirect(redirect::Policy::none())
        .referer(false)
        .tcp_nodelay(true)
        .pool_idle_timeout(IDLE_KEEP)
        .dns_resolver(Arc::new(SystemResolver));
    let builder = match &key.proxy {
        // A proxy only where one is configured: the environment's
        // HTTP(S)_PROXY is not read.
        None => builder.no_proxy(),
        Some(proxy) => builder.proxy(
            reqwest::Proxy::all(proxy.expose().clone())
                .map_err(|_| Error::configuration("Invalid proxy URL"))?,
        ),
    };
    builder
        .build()
        .map_err(|_| Error::internal("closte: the HTTP client could not be set up"))
}

/// An answer with a status, its body read (up to the cap).
pub struct RawAnswer {
    pub status: u16,
    pub body: Vec<u8>,
    pub retry_after: Option<Duration>,
}

/// A request to the API: `form` for a POST, none for a GET.
pub struct Request<'a> {
    pub url: Url,
    pub form: Option<String>,
    pub settings: &'a Settings,
}

/// Sends the request and reads the whole answer within `settings.timeout`
/// (connect, TLS, head and body together: reqwest carries the deadline
/// into the body).
pub fn exchange(request: Request) -> Result<RawAnswer> {
    let settings = request.settings;
    let client = client_for(settings)?;
    let builder = match request.form {
        Some(form) => client
            .post(request.url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form),
        None => client.get(request.url),
    };
    let response = builder
        .timeout(settings.timeout)
        .send()
        .map_err(|e| classify(&e, settings))?;
    read_answer(response, settings)
}

fn read_answer(response: Response, settings: &Settings) -> Result<RawAnswer> {
    let status = response.status().as_u16();
    let too_large = || Error::TooLarge {
        status,
        limit: MAX_RESPONSE_BYTES,
        attempts: 1,
    };
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_RESPONSE_BYTES as u64) {
        return Err(too_large());
    }
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    let mut body = Vec::new();
    response
        .take(MAX_RESPONSE_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| classify_io(&e, settings))?;
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(too_large());
    }
    Ok(RawAnswer {
        status,
        body,
        retry_after,
    })
}

/// `host[:port]`, and the proxy when there is one: where the call went.
fn target(settings: &Settings) -> String {
    match &settings.proxy {
        Some(proxy) => format!("{} (via proxy {})", settings.api_host(), proxy.shown()),
        None => settings.api_host(),
    }
}

/// What went wrong, from the error's kinds and its chain of causes; never
/// from its text, which may quote the URL (and so the key).
fn classify(e: &reqwest::Error, settings: &Settings) -> Error {
    if e.is_timeout() {
        return timeout(settings);
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(current) = cause {
        if let Some(kind) = kind_of(current, settings) {
            return kind;
        }
        cause = current.source();
    }
    if e.is_connect() {
        return Error::Connect {
            host: target(settings),
            via_proxy: settings.proxy.is_some(),
            attempts: 1,
        };
    }
    Error::ConnectionClosed {
        host: target(settings),
        attempts: 1,
    }
}

fn kind_of(cause: &(dyn std::error::Error + 'static), settings: &Settings) -> Option<Error> {
    let host = || target(settings);
    if cause.downcast_ref::<DnsFailure>().is_some() {
        return Some(Error::Dns {
            host: settings.api_host(),
            attempts: 1,
        });
    }
    if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
        return Some(Error::Tls {
            host: host(),
            problem: cert::problem_of(tls, None),
            attempts: 1,
        });
    }
    if let Some(io) = cause.downcast_ref::<io::Error>() {
        return io_kind(io, settings);
    }
    if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
        if hyper.is_timeout() {
            return Some(timeout(settings));
        }
        if hyper.is_parse() || hyper.is_parse_status() {
            return Some(Error::Malformed {
                host: host(),
                attempts: 1,
            });
        }
        if hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled() {
            return Some(Error::ConnectionClosed {
                host: host(),
                attempts: 1,
            });
        }
    }
    None
}

fn io_kind(io: &io::Error, settings: &Settings) -> Option<Error> {
    let host = target(settings);
    // rustls reports through io::Error, whose source() skips the inner
    // error itself.
    if let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
        return Some(Error::Tls {
            host,
            problem: cert::problem_of(tls, None),
            attempts: 1,
        });
    }
    if let Some(inner) = io.get_ref() {
        if let Some(kind) = kind_of(inner, settings) {
            return Some(kind);
        }
    }
    match io.kind() {
        io::ErrorKind::ConnectionRefused => Some(Error::Refused { host, attempts: 1 }),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Some(timeout(settings)),
        io::ErrorKind::UnexpectedEof
        | io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => Some(Error::ConnectionClosed { host, attempts: 1 }),
        _ => None,
    }
}

/// A failure while reading the body (reqwest hands those over as io errors).
fn classify_io(e: &io::Error, settings: &Settings) -> Error {
    if let Some(inner) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
    {
        return classify(inner, settings);
    }
    io_kind(e, settings).unwrap_or_else(|| Error::ConnectionClosed {
        host: target(settings),
        attempts: 1,
    })
}

fn timeout(settings: &Settings) -> Error {
    Error::Timeout {
        host: target(settings),
        limit: settings.timeout,
        attempts: 1,
    }
}

/// The name did not resolve; a type of our own, so that `classify` can
/// tell a DNS failure from other connect errors.
#[derive(Debug)]
struct DnsFailure;

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the name does not resolve")
    }
}

impl std::error::Error for DnsFailure {}

/// The system resolver (getaddrinfo, as reqwest's default), on the
/// runtime's blocking pool so a slow lookup holds up no other request.
struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found = tokio::task::spawn_blocking(move || {
                (host.as_str(), 0)
                    .to_socket_addrs()
                    .map(Iterator::collect::<Vec<SocketAddr>>)
            })
            .await;
            match found {
                Ok(Ok(addrs)) if !addrs.is_empty() => Ok(Box::new(addrs.into_iter()) as Addrs),
                _ => Err(Box::new(DnsFailure) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}
