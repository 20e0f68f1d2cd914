//! One Closte call with retries, over the connections `transport` keeps
//! for this process. Plain Rust; the PHP glue only calls `call`.

use std::time::{Duration, Instant, SystemTime};

use crate::config::Settings;
use crate::domain::Domain;
use crate::error::{Error, Result};
use crate::request::{alias_form, form_encode, Endpoint};
use crate::response::{error_of_any_body, parse_reply, Reply};
use crate::retry::{backoff, is_retryable_status, jitter, next_wait, parse_retry_after};
use crate::transport::{self, Exchange};
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
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let retries_left = attempts <= settings.retries;
        match send_once(settings, endpoint, domain) {
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

/// One HTTP exchange, on the calling thread.
fn send_once(
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
    let form = match endpoint {
        Endpoint::GetDomains => {
            url.set_query(Some(&format!("apikey={}", form_encode(key))));
            None
        }
        Endpoint::AddDomainAlias | Endpoint::DeleteDomainAlias => Some(alias_form(key, domain)),
    };
    let exchange = Exchange {
        method: if form.is_some() { "POST" } else { "GET" },
        url: &url,
        form: form.as_deref(),
        user_agent: USER_AGENT,
        connect_timeout: settings.connect_timeout,
        timeout: settings.timeout,
        max_body: MAX_RESPONSE_BYTES,
    };
    match transport::exchange(&exchange) {
        Ok(answer) => Ok(RawAnswer {
            status: answer.status,
            retry_after: answer
                .retry_after
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            body: answer.body,
        }),
        Err(transport::Failure::Transport(message)) => Err(Failure::Transport(message)),
        // A certificate that is not trusted will not become trusted in a
        // second: say so now instead of retrying.
        Err(transport::Failure::Certificate(message)) => Err(Failure::Fatal(Error::Transport {
            message: format!(
                "Could not reach Closte: {message} (the certificate is not trusted; not retried)"
            ),
            attempts: 1,
        })),
        Err(transport::Failure::TooLarge(status)) => Err(Failure::Fatal(too_large(status))),
    }
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
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "unexpected status",
    }
}
