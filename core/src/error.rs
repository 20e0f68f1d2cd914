//! The one error type of the core. Each variant says what happened; its text
//! is built from the variant alone, for a person reading a log at 3 a.m., and
//! never quotes anything a server sent (a header or a body can carry
//! anything, the API key included: SPEC 3). What Closte said in its `error`
//! field travels beside the text, as `api_error`, scrubbed of the key.

use std::fmt;
use std::time::Duration;

/// What is wrong with a certificate, or that the TLS handshake itself failed.
/// Shared by the API client and the certificate check; `code()` is the
/// stable `error_code` of `closte_ssl_status()` (SPEC 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsProblem {
    Expired,
    NotYetValid,
    NameMismatch,
    SelfSigned,
    UnknownIssuer,
    /// Malformed, wrongly signed, revoked, not for TLS servers, or using a
    /// feature the verifier does not support (an unknown critical extension,
    /// a v1 certificate).
    BadCertificate,
    /// No certificate verdict: the handshake failed (an alert, no common
    /// protocol or cipher, not TLS at all).
    Handshake,
}

impl TlsProblem {
    pub fn code(self) -> &'static str {
        match self {
            TlsProblem::Expired => "expired",
            TlsProblem::NotYetValid => "not_yet_valid",
            TlsProblem::NameMismatch => "name_mismatch",
            TlsProblem::SelfSigned => "self_signed",
            TlsProblem::UnknownIssuer => "unknown_issuer",
            TlsProblem::BadCertificate => "bad_certificate",
            TlsProblem::Handshake => "handshake",
        }
    }

    fn text(self) -> &'static str {
        match self {
            TlsProblem::Expired => "its certificate has expired",
            TlsProblem::NotYetValid => "its certificate is not valid yet",
            TlsProblem::NameMismatch => "its certificate is not valid for that host name",
            TlsProblem::SelfSigned => "its certificate is self-signed",
            TlsProblem::UnknownIssuer => "its certificate is not issued by a trusted authority (behind a TLS-inspecting proxy, set closte.ca_file)",
            TlsProblem::BadCertificate => "its certificate is malformed or not acceptable for a TLS server",
            TlsProblem::Handshake => "the TLS handshake failed",
        }
    }
}

/// Why a 2xx body is not an answer Closte gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadBody {
    Empty,
    NotJson,
    /// JSON, but no boolean `success` (or a field of the wrong type).
    NotAnAnswer,
    /// A `getdomains` answer without its `domains` list.
    NoDomainList,
}

impl BadBody {
    fn text(self) -> &'static str {
        match self {
            BadBody::Empty => "an empty body",
            BadBody::NotJson => "a body that is not JSON",
            BadBody::NotAnAnswer => "JSON that is not a Closte answer (no boolean \"success\")",
            BadBody::NoDomainList => "an answer without a \"domains\" list",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The domain is not a name Closte could take; nothing was sent. The
    /// reason quotes the caller's own input, made printable.
    InvalidDomain { reason: String },
    /// No key, an empty key, a bad option, ini value or CA file; nothing was
    /// sent.
    Configuration { reason: String },
    /// No whole answer within one attempt's timeout (connect, TLS, head and
    /// body together), on the last attempt.
    Timeout {
        host: String,
        limit: Duration,
        attempts: u32,
    },
    /// Nothing listens there: the connection was refused.
    Refused { host: String, attempts: u32 },
    /// The host name did not resolve.
    Dns { host: String, attempts: u32 },
    /// TLS failed; a certificate problem is never retried.
    Tls {
        host: String,
        problem: TlsProblem,
        attempts: u32,
    },
    /// The connection closed or was reset before a whole answer came.
    ConnectionClosed { host: String, attempts: u32 },
    /// What came back is not valid HTTP/1.1 (or a header block too large,
    /// or framing that could smuggle a second answer).
    Malformed { host: String, attempts: u32 },
    /// The connection could not be made for another reason (network
    /// unreachable, the proxy refused or failed the tunnel).
    Connect {
        host: String,
        via_proxy: bool,
        attempts: u32,
    },
    /// The answer's body is larger than the cap.
    TooLarge {
        status: u16,
        limit: usize,
        attempts: u32,
    },
    /// An HTTP status other than 2xx (a redirect too: never followed).
    /// `retry_after` is set when a transient status asked for a longer wait
    /// than the call may take.
    Status {
        status: u16,
        api_error: Option<String>,
        retry_after: Option<Duration>,
        attempts: u32,
    },
    /// A 2xx answer that is not the JSON Closte sends.
    BadAnswer {
        status: u16,
        problem: BadBody,
        attempts: u32,
    },
    /// Closte answered `success:false`.
    Refusal {
        status: u16,
        api_error: Option<String>,
        attempts: u32,
    },
    /// Closte refused the name because it manages it itself (a subdomain of
    /// its own hosts): expected, not an outage.
    ManagedDomain {
        domain: String,
        status: u16,
        api_error: Option<String>,
        attempts: u32,
    },
    /// A bug of ours (a caught panic, a result that could not be built).
    Internal { reason: String },
}

impl Error {
    pub fn invalid_domain(reason: impl Into<String>) -> Self {
        Error::InvalidDomain {
            reason: reason.into(),
        }
    }

    pub fn configuration(reason: impl Into<String>) -> Self {
        Error::Configuration {
            reason: reason.into(),
        }
    }

    pub fn internal(reason: impl Into<String>) -> Self {
        Error::Internal {
            reason: reason.into(),
        }
    }

    /// Worth another attempt: the operations are idempotent (adding an alias
    /// twice or deleting one twice leaves the same state), and these
    /// failures may be gone in a second. A certificate will not become
    /// trusted in a second, so TLS certificate problems are final.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Timeout { .. }
            | Error::Refused { .. }
            | Error::Dns { .. }
            | Error::ConnectionClosed { .. }
            | Error::Connect { .. } => true,
            Error::Tls { problem, .. } => *problem == TlsProblem::Handshake,
            Error::Status {
                status,
                retry_after,
                ..
            } => crate::retry::is_retryable_status(*status) && retry_after.is_none(),
            _ => false,
        }
    }

    /// The HTTP status, for the errors that had an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::TooLarge { status, .. }
            | Error::Status { status, .. }
            | Error::BadAnswer { status, .. }
            | Error::Refusal { status, .. }
            | Error::ManagedDomain { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Closte's own `error` text, scrubbed of the key (see `client`).
    pub fn api_error(&self) -> Option<&str> {
        match self {
            Error::Status { api_error, .. }
            | Error::Refusal { api_error, .. }
            | Error::ManagedDomain { api_error, .. } => api_error.as_deref(),
            _ => None,
        }
    }

    /// Sets how many attempts the call made, on the variants that count them.
    #[must_use]
    pub fn after_attempts(mut self, made: u32) -> Self {
        match &mut self {
            Error::Timeout { attempts, .. }
            | Error::Refused { attempts, .. }
            | Error::Dns { attempts, .. }
            | Error::Tls { attempts, .. }
            | Error::ConnectionClosed { attempts, .. }
            | Error::Malformed { attempts, .. }
            | Error::Connect { attempts, .. }
            | Error::TooLarge { attempts, .. }
            | Error::Status { attempts, .. }
            | Error::BadAnswer { attempts, .. }
            | Error::Refusal { attempts, .. }
            | Error::ManagedDomain { attempts, .. } => *attempts = made,
            Error::InvalidDomain { .. } | Error::Configuration { .. } | Error::Internal { .. } => {}
        }
        self
    }
}

/// " (3 attempts)", " (1 attempt)".
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.0 == 1 { "" } else { "s" };
        write!(f, " ({} attempt{plural})", self.0)
    }
}

/// "2 s", "0.5 s".
pub fn seconds_text(d: Duration) -> String {
    let text = format!("{:.3}", d.as_secs_f64());
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidDomain { reason }
            | Error::Configuration { reason }
            | Error::Internal { reason } => f.write_str(reason),
            Error::Timeout {
                host,
                limit,
                attempts,
            } => write!(
                f,
                "Could not reach Closte at {host}: timed out, no whole answer within {}{}",
                seconds_text(*limit),
                Attempts(*attempts)
            ),
            Error::Refused { host, attempts } => write!(
                f,
                "Could not reach Closte at {host}: connection refused{}",
                Attempts(*attempts)
            ),
            Error::Dns { host, attempts } => write!(
                f,
                "Could not reach Closte: the name {host} does not resolve{}",
                Attempts(*attempts)
            ),
            Error::Tls {
                host,
                problem,
                attempts,
            } => {
                let retried = if *problem == TlsProblem::Handshake {
                    ""
                } else {
                    "; not retried"
                };
                write!(
                    f,
                    "Could not reach Closte at {host}: {}{retried}{}",
                    problem.text(),
                    Attempts(*attempts)
                )
            }
            Error::ConnectionClosed { host, attempts } => write!(
                f,
                "Could not reach Closte at {host}: the connection closed before a whole answer came{}",
                Attempts(*attempts)
            ),
            Error::Malformed { host, attempts } => write!(
                f,
                "Could not reach Closte at {host}: the answer is not valid HTTP{}",
                Attempts(*attempts)
            ),
            Error::Connect {
                host,
                via_proxy,
                attempts,
            } => {
                let how = if *via_proxy {
                    // hyper-util does not export its tunnel error, so a
                    // refused CONNECT (credentials included) is told from
                    // other failures only by its status in the proxy's log.
                    "the proxy did not open a tunnel to it (it refused, or could not connect)"
                } else {
                    "could not connect"
                };
                write!(
                    f,
                    "Could not reach Closte at {host}: {how}{}",
                    Attempts(*attempts)
                )
            }
            Error::TooLarge { status, limit, .. } => write!(
                f,
                "Closte's answer (HTTP {status}) is larger than {limit} bytes; not read"
            ),
            Error::Status {
                status,
                retry_after: Some(wait),
                ..
            } => write!(
                f,
                "Closte answered HTTP {status} and asked to retry after {}, longer than this call may wait",
                seconds_text(*wait)
            ),
            Error::Status {
                status, attempts, ..
            } if (300..400).contains(status) => write!(
                f,
                "Closte answered with a redirect (HTTP {status}); redirects are not followed{}",
                Attempts(*attempts)
            ),
            // Only a proxy asks for proxy credentials.
            Error::Status {
                status: 407,
                attempts,
                ..
            } => write!(
                f,
                "The proxy refused the request: its credentials are missing or wrong (HTTP 407){}",
                Attempts(*attempts)
            ),
            Error::Status {
                status, attempts, ..
            } => write!(
                f,
                "Closte answered HTTP {status} ({}){}",
                reason_phrase(*status),
                Attempts(*attempts)
            ),
            Error::BadAnswer {
                status, problem, ..
            } => write!(f, "Closte answered HTTP {status} with {}", problem.text()),
            Error::Refusal { .. } => f.write_str("Closte refused the request (it answered success:false)"),
            Error::ManagedDomain { domain, .. } => write!(
                f,
                "Closte manages {domain} itself (a name under its own hosts); no alias needed"
            ),
        }
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

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_from_the_variant_and_count_attempts() {
        let timeout = Error::Timeout {
            host: "app.closte.com".into(),
            limit: Duration::from_millis(2500),
            attempts: 3,
        };
        assert_eq!(
            timeout.to_string(),
            "Could not reach Closte at app.closte.com: timed out, no whole answer within 2.5 s (3 attempts)"
        );
        let refusal = Error::Refusal {
            status: 200,
            api_error: Some("anything the server says".into()),
            attempts: 1,
        };
        assert!(!refusal.to_string().contains("anything"));
        let redirect = Error::Status {
            status: 302,
            api_error: None,
            retry_after: None,
            attempts: 1,
        };
        assert!(redirect.to_string().contains("redirects are not followed"));
    }

    #[test]
    fn transient_kinds() {
        let host = String::from("h");
        assert!(Error::Refused {
            host: host.clone(),
            attempts: 1
        }
        .is_transient());
        assert!(!Error::Tls {
            host: host.clone(),
            problem: TlsProblem::UnknownIssuer,
            attempts: 1
        }
        .is_transient());
        assert!(Error::Tls {
            host,
            problem: TlsProblem::Handshake,
            attempts: 1
        }
        .is_transient());
        let status = |status, retry_after| Error::Status {
            status,
            api_error: None,
            retry_after,
            attempts: 1,
        };
        assert!(status(503, None).is_transient());
        assert!(!status(503, Some(Duration::from_secs(99))).is_transient());
        assert!(!status(500, None).is_transient());
        assert!(!status(404, None).is_transient());
    }

    #[test]
    fn attempts_are_set_where_counted() {
        let err = Error::Dns {
            host: "h".into(),
            attempts: 1,
        }
        .after_attempts(3);
        assert_eq!(
            err,
            Error::Dns {
                host: "h".into(),
                attempts: 3
            }
        );
        assert_eq!(
            Error::configuration("x").after_attempts(3),
            Error::configuration("x")
        );
    }
}
