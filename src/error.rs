//! The one error type of the extension. The PHP glue maps each variant onto a
//! class of the `Closte\Exception` tree; nothing here knows about PHP.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad domain input; nothing was sent.
    InvalidDomain(String),
    /// No key, an empty key, a bad option or a bad ini value; nothing was sent.
    Configuration(String),
    /// The request never produced an HTTP answer (connect, timeout, TLS,
    /// dropped connection), after every retry.
    Transport { message: String, attempts: u32 },
    /// Closte (or whatever answered) said no: HTTP status >= 300, a body that
    /// is not the expected JSON, or `success:false`.
    Api {
        message: String,
        status: u16,
        api_error: Option<String>,
        attempts: u32,
    },
    /// A bug of ours (a caught panic): surfaces as the base `Closte\Exception`.
    Internal(String),
}

impl Error {
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidDomain(m) | Error::Configuration(m) | Error::Internal(m) => m,
            Error::Transport { message, .. } | Error::Api { message, .. } => message,
        }
    }

    /// Replaces every occurrence of `secret` (raw and form-encoded) in the
    /// texts this error carries. Applied to every error that leaves the client
    /// so that no lower layer can leak the key through a message.
    #[must_use]
    pub fn redacted(self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let scrub = |text: String| redact(&text, secret);
        match self {
            Error::InvalidDomain(m) => Error::InvalidDomain(scrub(m)),
            Error::Configuration(m) => Error::Configuration(scrub(m)),
            Error::Internal(m) => Error::Internal(scrub(m)),
            Error::Transport { message, attempts } => Error::Transport {
                message: scrub(message),
                attempts,
            },
            Error::Api {
                message,
                status,
                api_error,
                attempts,
            } => Error::Api {
                message: scrub(message),
                status,
                api_error: api_error.map(scrub),
                attempts,
            },
        }
    }
}

/// Removes `secret` from `text`, in its raw and its form-encoded spelling.
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let mut out = text.replace(secret, "[redacted]");
    let encoded = crate::request::form_encode(secret);
    if encoded != secret {
        out = out.replace(&encoded, "[redacted]");
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_covers_raw_and_encoded_key_in_every_field() {
        let err = Error::Api {
            message: "bad key sk+live/123 (sk%2Blive%2F123)".into(),
            status: 401,
            api_error: Some("key sk+live/123 refused".into()),
            attempts: 1,
        }
        .redacted("sk+live/123");
        let Error::Api {
            message, api_error, ..
        } = err
        else {
            panic!("variant changed");
        };
        assert_eq!(message, "bad key [redacted] ([redacted])");
        assert_eq!(api_error.as_deref(), Some("key [redacted] refused"));
    }

    #[test]
    fn empty_secret_changes_nothing() {
        let err = Error::Transport {
            message: "timed out".into(),
            attempts: 3,
        };
        assert_eq!(err.clone().redacted(""), err);
    }
}
