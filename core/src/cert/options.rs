//! The options of `closte_ssl_status()`: where to connect, whom to trust,
//! how long to wait. Bad options are an `Error::Configuration`.

use super::*;

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
    Error::configuration(text)
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
