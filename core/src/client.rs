//! One Closte call with its retries (SPEC 3), over `http`'s exchange.

use std::time::{Duration, Instant};

use crate::api::{alias_form, parse_reply, Endpoint, Reply};
use crate::domain::Domain;
use crate::error::{BadBody, Error, Result};
use crate::http::{self, RawAnswer, Request};
use crate::retry::{backoff, is_retryable_status, jitter, next_wait};
use crate::settings::Settings;

/// A well-formed answer (HTTP 2xx with Closte's JSON), whatever its
/// `success` says.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub reply: Reply,
    pub attempts: u32,
    pub elapsed: Duration,
}

impl Answer {
    /// Turns `success:false` into the error that says which refusal it is.
    pub fn require_success(self, domain: Option<&Domain>) -> Result<Answer> {
        if self.reply.success {
            return Ok(self);
        }
        let error = match domain {
            Some(domain) if self.reply.refuses_as_managed(domain) => Error::ManagedDomain {
                domain: domain.as_str().to_string(),
                status: self.status,
                api_error: self.reply.error,
                attempts: self.attempts,
            },
            _ => Error::Refusal {
                status: self.status,
                api_error: self.reply.error,
                attempts: self.attempts,
            },
        };
        Err(error)
    }
}

/// One logical call: up to `1 + retries` attempts while the failure is
/// transient. What the server said is scrubbed of the key before it leaves.
pub fn call(settings: &Settings, endpoint: Endpoint, domain: Option<&Domain>) -> Result<Answer> {
    let key = settings.api_key.expose();
    match attempt_all(settings, endpoint, domain) {
        Ok(mut answer) => {
            answer.reply.error = answer.reply.error.and_then(|t| scrub(&t, key));
            if let Some(list) = answer.reply.domains.as_mut() {
                list.retain(|name| !carries_key(name, key));
            }
            Ok(answer)
        }
        Err(error) => Err(scrub_error(error, key)),
    }
}

/// The aliases Closte has for the app.
pub fn list_domains(settings: &Settings) -> Result<Vec<String>> {
    let answer = call(settings, Endpoint::GetDomains, None)?.require_success(None)?;
    let status = answer.status;
    answer.reply.domains.ok_or(Error::BadAnswer {
        status,
        problem: BadBody::NoDomainList,
        attempts: answer.attempts,
    })
}

fn attempt_all(settings: &Settings, endpoint: Endpoint, domain: Option<&Domain>) -> Result<Answer> {
    let started = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let retries_left = attempts <= settings.retries;
        let outcome = send_once(settings, endpoint, domain);
        match outcome {
            Ok(raw) if is_retryable_status(raw.status) && retries_left => {
                match next_wait(attempts, raw.retry_after, settings.timeout, jitter()) {
                    Some(wait) => std::thread::sleep(wait),
                    None => return Err(status_error(&raw, attempts, raw.retry_after)),
                }
            }
            Ok(raw) => return interpret(raw, attempts, started.elapsed()),
            Err(error) if error.is_transient() && retries_left => {
                std::thread::sleep(backoff(attempts, jitter()));
            }
            Err(error) => return Err(error.after_attempts(attempts)),
        }
    }
}

fn send_once(
    settings: &Settings,
    endpoint: Endpoint,
    domain: Option<&Domain>,
) -> Result<RawAnswer> {
    let mut url = settings
        .api_url
        .join(endpoint.path())
        .map_err(|_| Error::configuration("Invalid Closte API URL"))?;
    let key = settings.api_key.expose();
    let form = match endpoint {
        Endpoint::GetDomains => {
            url.query_pairs_mut().append_pair("apikey", key);
            None
        }
        Endpoint::AddDomainAlias | Endpoint::DeleteDomainAlias => Some(alias_form(key, domain)),
    };
    http::exchange(Request {
        url,
        form,
        settings,
    })
}

/// `retry_after`: set when the server asked for a longer wait than the
/// call may take.
fn status_error(raw: &RawAnswer, attempts: u32, retry_after: Option<Duration>) -> Error {
    Error::Status {
        status: raw.status,
        api_error: crate::api::error_of_any_body(&raw.body),
        retry_after,
        attempts,
    }
}

fn interpret(raw: RawAnswer, attempts: u32, elapsed: Duration) -> Result<Answer> {
    if !(200..300).contains(&raw.status) {
        return Err(status_error(&raw, attempts, None));
    }
    match parse_reply(&raw.body) {
        Ok(reply) => Ok(Answer {
            status: raw.status,
            reply,
            attempts,
            elapsed,
        }),
        Err(problem) => Err(Error::BadAnswer {
            status: raw.status,
            problem,
            attempts,
        }),
    }
}

/// The shortest piece of the key that counts as leaking it: any 8
/// characters in a row (the whole key when it is shorter).
const KEY_PIECE: usize = 8;

/// Whether `text` holds a piece of the key, raw or form-encoded.
pub fn carries_key(text: &str, key: &str) -> bool {
    let encoded = crate::api::form_encode(key);
    [key, encoded.as_str()].iter().any(|spelling| {
        let chars: Vec<char> = spelling.chars().collect();
        if chars.is_empty() {
            return false;
        }
        chars
            .windows(KEY_PIECE.min(chars.len()))
            .any(|piece| text.contains(&piece.iter().collect::<String>()))
    })
}

/// How much of Closte's own `error` text is handed on.
pub const MAX_API_ERROR_CHARS: usize = 300;

/// A server's text fit to hand on: withheld whole when it holds a piece of
/// the key; else its control characters escaped (`\n`, `\u{7}`), so it
/// stays one line in a log, and cut at `MAX_API_ERROR_CHARS` (with `...`).
fn scrub(text: &str, key: &str) -> Option<String> {
    if carries_key(text, key) {
        return None;
    }
    let mut shown = String::with_capacity(text.len().min(MAX_API_ERROR_CHARS));
    for c in text.chars().take(MAX_API_ERROR_CHARS) {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if text.chars().count() > MAX_API_ERROR_CHARS {
        shown.push_str("...");
    }
    (!shown.is_empty()).then_some(shown)
}

fn scrub_error(mut error: Error, key: &str) -> Error {
    if let Error::Status { api_error, .. }
    | Error::Refusal { api_error, .. }
    | Error::ManagedDomain { api_error, .. } = &mut error
    {
        *api_error = api_error.take().and_then(|t| scrub(&t, key));
    }
    error
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
