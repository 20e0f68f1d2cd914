//! The HTTP side: one Closte call with retries, over a per-process cached
//! reqwest client. Plain Rust; the PHP glue only calls `call`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use reqwest::Client;
use tokio::runtime::Runtime;

use crate::config::Settings;
use crate::domain::Domain;
use crate::error::{Error, Result};
use crate::request::{alias_form, form_encode, Endpoint};
use crate::response::{error_of_any_body, parse_reply, Reply};
use crate::retry::{backoff, is_retryable_status, jitter, next_wait, parse_retry_after};
use crate::url_cache;

/// Answers are read up to this many bytes; a longer one is refused.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

pub const USER_AGENT: &str = concat!("closte-php/", env!("CARGO_PKG_VERSION"));

/// A well-formed answer (HTTP 2xx with the expected JSON), whatever its
/// `success` says.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub reply: Reply,
    pub attempts: u32,
    pub elapsed: Duration,
}

impl Answer {
    /// Turns `success:false` into an `Error::Api`.
    pub fn require_success(self) -> Result<Answer> {
        if self.reply.success {
            return Ok(self);
        }
        let said = self
            .reply
            .error
            .clone()
            .unwrap_or_else(|| "no error text".into());
        Err(Error::Api {
            message: format!("Closte refused the request: {said}"),
            status: self.status,
            api_error: self.reply.error,
            attempts: self.attempts,
        })
    }
}

/// One logical call: tries up to `1 + retries` times on transient failures.
pub fn call(settings: &Settings, endpoint: Endpoint, domain: Option<&Domain>) -> Result<Answer> {
    let key = settings.api_key.expose();
    call_unredacted(settings, endpoint, domain).map_err(|e| e.redacted(key))
}

fn call_unredacted(
    settings: &Settings,
    endpoint: Endpoint,
    domain: Option<&Domain>,
) -> Result<Answer> {
    let (runtime, client) = shared_client(settings.connect_timeout)?;
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let retries_left = attempts <= settings.retries;
        match runtime.block_on(send_once(&client, settings, endpoint, domain)) {
            Ok(raw) if is_retryable_status(raw.status) && retries_left => {
                match next_wait(attempts, raw.retry_after, settings.timeout, jitter()) {
                    Some(wait) => std::thread::sleep(wait),
                    None => return Err(retry_after_too_long(&raw, attempts, settings.timeout)),
                }
            }
            Ok(raw) => return interpret(raw, attempts, started.elapsed()),
            Err(Failure::Transport(_)) if retries_left => {
                std::thread::sleep(backoff(attempts, jitter()))
            }
            Err(Failure::Transport(message)) => {
                let plural = if attempts == 1 { "" } else { "s" };
                return Err(Error::Transport {
                    message: format!(
                        "Could not reach Closte: {message} ({attempts} attempt{plural})"
                    ),
                    attempts,
                });
            }
            Err(Failure::Fatal(mut error)) => {
                if let Error::Api { attempts: a, .. } | Error::Transport { attempts: a, .. } =
                    &mut error
                {
                    *a = attempts;
                }
                return Err(error);
            }
        }
    }
}

struct RawAnswer {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<Duration>,
}

enum Failure {
    /// Worth another try (the ops are idempotent: adding an alias twice or
    /// deleting one twice leaves the same state).
    Transport(String),
    Fatal(Error),
}

/// One HTTP exchange. Runs on the calling thread (`Runtime::block_on` of a
/// current-thread runtime): no hand-off to a runtime thread and back.
async fn send_once(
    client: &Client,
    settings: &Settings,
    endpoint: Endpoint,
    domain: Option<&Domain>,
) -> std::result::Result<RawAnswer, Failure> {
    // api_url was checked when the settings were resolved; this cannot fail
    // unless that check changes.
    let Some(mut url) = url_cache::parse(&format!("{}/{}", settings.api_url, endpoint.path()))
    else {
        return Err(Failure::Fatal(Error::Configuration(
            "Invalid Closte API URL: it is not an absolute URL".into(),
        )));
    };
    let key = settings.api_key.expose();
    let request = match endpoint {
        Endpoint::GetDomains => {
            url.set_query(Some(&format!("apikey={}", form_encode(key))));
            client.get(url)
        }
        Endpoint::AddDomainAlias | Endpoint::DeleteDomainAlias => client
            .post(url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(alias_form(key, domain)),
    };
    // The runtime only runs while a call is in progress, so a kept-alive
    // connection the server closed since the last call still looks open: its
    // FIN sits unread in the socket, and tokio learns of it only when it
    // polls epoll. One yield makes it do that (a zero-timeout epoll_wait)
    // before the request is handed to the connection; the connection task
    // then reads the EOF before it writes, the request is cancelled unsent,
    // and hyper-util retries it on a new connection (its documented
    // retry_canceled_requests, on by default). About 1 us per call.
    // tests/php/keepalive_test.php fails without it. A server closing at
    // this very moment is every HTTP client's race, covered by our retry on
    // a dropped connection.
    tokio::task::yield_now().await;
    let mut response = request.timeout(settings.timeout).send().await.map_err(|e| {
        // A certificate that is not trusted will not become trusted in a
        // second: say so now instead of retrying.
        let final_failure = is_certificate_error(&e);
        let message = describe_reqwest_error(e, settings.timeout);
        if final_failure {
            Failure::Fatal(Error::Transport {
                message: format!("Could not reach Closte: {message} (the certificate is not trusted; not retried)"),
                attempts: 1,
            })
        } else {
            Failure::Transport(message)
        }
    })?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    if response
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
    {
        return Err(Failure::Fatal(too_large(status)));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        Failure::Transport(format!(
            "the connection broke while reading the answer ({})",
            describe_chain(&e.without_url())
        ))
    })? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_RESPONSE_BYTES {
            return Err(Failure::Fatal(too_large(status)));
        }
    }
    Ok(RawAnswer {
        status,
        body,
        retry_after,
    })
}

fn interpret(raw: RawAnswer, attempts: u32, elapsed: Duration) -> Result<Answer> {
    let status = raw.status;
    if (300..400).contains(&status) {
        return Err(Error::Api {
            message: format!(
                "Closte answered with a redirect (HTTP {status}); redirects are not followed"
            ),
            status,
            api_error: None,
            attempts,
        });
    }
    if !(200..300).contains(&status) {
        let api_error = error_of_any_body(&raw.body);
        let reason = api_error
            .clone()
            .unwrap_or_else(|| reason_phrase(status).to_string());
        return Err(Error::Api {
            message: format!(
                "Closte answered HTTP {status}: {reason} ({attempts} attempt{})",
                if attempts == 1 { "" } else { "s" }
            ),
            status,
            api_error,
            attempts,
        });
    }
    match parse_reply(&raw.body) {
        Ok(reply) => Ok(Answer {
            status,
            reply,
            attempts,
            elapsed,
        }),
        Err(bad) => Err(Error::Api {
            message: format!("Closte answered HTTP {status} with {}", bad.describe()),
            status,
            api_error: None,
            attempts,
        }),
    }
}

fn retry_after_too_long(raw: &RawAnswer, attempts: u32, limit: Duration) -> Error {
    let asked = raw.retry_after.map_or(0, |d| d.as_secs());
    Error::Api {
        message: format!(
            "Closte answered HTTP {} and asked to retry after {asked} s, longer than the {} s this call may wait",
            raw.status,
            limit.as_secs_f64()
        ),
        status: raw.status,
        api_error: error_of_any_body(&raw.body),
        attempts,
    }
}

fn too_large(status: u16) -> Error {
    Error::Api {
        message: format!(
            "Closte's answer (HTTP {status}) is larger than {MAX_RESPONSE_BYTES} bytes"
        ),
        status,
        api_error: None,
        attempts: 1,
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
}

/// A reqwest error as text without its URL (`getdomains` carries the key in
/// its query string), with the underlying causes that tell what happened.
fn describe_reqwest_error(error: reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return format!("no answer within {} s (timeout)", timeout.as_secs_f64());
    }
    let kind = if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let error = error.without_url();
    match describe_sources(&error) {
        causes if causes.is_empty() => kind.to_string(),
        causes => format!("{kind}: {causes}"),
    }
}

/// Whether rustls refused the server's certificate, somewhere in the chain
/// of causes (hyper wraps it in an `io::Error`).
fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        let tls = current.downcast_ref::<rustls::Error>().or_else(|| {
            current
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        // The text check catches the causes that hide their type behind a
        // boxed wrapper (a `Box<dyn Error>` does not downcast to its content).
        if matches!(tls, Some(rustls::Error::InvalidCertificate(_)))
            || current.to_string().contains("invalid peer certificate")
        {
            return true;
        }
        cause = current.source();
    }
    false
}

fn describe_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![error.to_string()];
    let rest = describe_sources(error);
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts.join(": ")
}

fn describe_sources(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// The HTTP machinery of this process: a current-thread tokio runtime (no
/// thread of its own; a call drives it on the calling thread) and the
/// clients, keyed by connect timeout, the only client-level setting a call
/// can change. Cached per process id: PHP-FPM forks workers, and what a
/// parent built (the runtime's epoll descriptor, pooled sockets) must never
/// be used by a child.
struct ProcessHttp {
    pid: u32,
    runtime: Arc<Runtime>,
    clients: Vec<(Duration, Client)>,
}

static HTTP: Mutex<Option<ProcessHttp>> = Mutex::new(None);

fn shared_client(connect_timeout: Duration) -> Result<(Arc<Runtime>, Client)> {
    let pid = std::process::id();
    let mut cache = HTTP.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.as_ref().is_some_and(|c| c.pid != pid) {
        // Inherited from the parent: forgotten, never dropped (dropping would
        // close descriptors the parent still uses, or join threads that do
        // not exist here).
        std::mem::forget(cache.take());
    }
    let entry = match cache.as_mut() {
        Some(entry) => entry,
        None => cache.insert(ProcessHttp {
            pid,
            runtime: Arc::new(
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| {
                        Error::Configuration(format!("Could not set up the HTTP runtime: {e}"))
                    })?,
            ),
            clients: Vec::new(),
        }),
    };
    let runtime = Arc::clone(&entry.runtime);
    if let Some((_, client)) = entry.clients.iter().find(|(t, _)| *t == connect_timeout) {
        return Ok((runtime, client.clone()));
    }
    let client = build_client(connect_timeout)?;
    entry.clients.push((connect_timeout, client.clone()));
    Ok((runtime, client))
}

fn build_client(connect_timeout: Duration) -> Result<Client> {
    // reqwest is built without a crypto provider of its own (see Cargo.toml)
    // and takes rustls's process default; without one it would panic. An
    // Err here only means it is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout)
        // A redirect could carry the key to another host.
        .redirect(reqwest::redirect::Policy::none())
        // The environment's HTTP(S)_PROXY must not see the key.
        .no_proxy()
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(50))
        .min_tls_version(reqwest::tls::Version::TLS_1_2)
        .build()
        .map_err(|e| {
            Error::Configuration(format!(
                "Could not set up the HTTP client: {}",
                describe_chain(&e.without_url())
            ))
        })
}
