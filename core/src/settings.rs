//! The settings one call runs with: php.ini defaults overridden by the
//! call's `$options` (SPEC 2), validated before anything is sent.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use crate::error::{Error, Result};

pub const DEFAULT_API_URL: &str = "https://app.closte.com/api/client";
pub const DEFAULT_TIMEOUT_SECS: f64 = 45.0;
pub const DEFAULT_CONNECT_TIMEOUT_SECS: f64 = 10.0;
pub const DEFAULT_RETRIES: u32 = 2;
pub const MAX_RETRIES: u32 = 10;
pub const MAX_TIMEOUT_SECS: f64 = 600.0;

/// An option value as PHP passed it, before we decide what it means.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Arrays, objects and the like, named by PHP type.
    Other(&'static str),
}

/// The API key. Its `Debug` never shows it, so no debug print can leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// An egress proxy, `http://[user:password@]host:port`. Its credentials
/// are secrets like the key: `Debug` and `shown()` leave them out.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl(Url);

impl ProxyUrl {
    pub fn expose(&self) -> &Url {
        &self.0
    }

    /// `scheme://host:port`, for messages.
    pub fn shown(&self) -> String {
        let host = self.0.host_str().unwrap_or("?");
        match self.0.port_or_known_default() {
            Some(port) => format!("{}://{host}:{port}", self.0.scheme()),
            None => format!("{}://{host}", self.0.scheme()),
        }
    }

    /// The password and the user name, when the URL carries them: what no
    /// output may show.
    pub fn secrets(&self) -> Vec<String> {
        [self.0.password().unwrap_or(""), self.0.username()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProxyUrl({})", self.shown())
    }
}

/// The raw php.ini values (strings, as the engine stores them).
#[derive(Debug, Clone, Default)]
pub struct IniValues {
    pub api_url: Option<String>,
    pub timeout: Option<String>,
    pub connect_timeout: Option<String>,
    pub retries: Option<String>,
    pub proxy: Option<String>,
    pub ca_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Base URL without a trailing slash.
    pub api_url: Url,
    pub api_key: ApiKey,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retries: u32,
    /// `None`: connect directly (the environment's proxy variables are not
    /// read: a proxy is used only where one is configured).
    pub proxy: Option<ProxyUrl>,
    /// A PEM bundle to trust instead of the system's roots.
    pub ca_file: Option<PathBuf>,
}

impl Settings {
    /// `host[:port]` of the API, for messages.
    pub fn api_host(&self) -> String {
        let host = self.api_url.host_str().unwrap_or("?");
        match self.api_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }
}

/// The option names every function takes; functions with more pass theirs.
pub const COMMON_OPTIONS: [&str; 7] = [
    "api_key",
    "api_url",
    "timeout",
    "connect_timeout",
    "retries",
    "proxy",
    "ca_file",
];

/// Resolves the settings of one call. `constant_key` is asked only when the
/// options carry no key, so the constant is read at call time.
pub fn resolve(
    options: &[(String, OptionValue)],
    extra_options: &[&str],
    ini: &IniValues,
    constant_key: impl FnOnce() -> Option<OptionValue>,
) -> Result<Settings> {
    for (name, _) in options {
        if !COMMON_OPTIONS.contains(&name.as_str()) && !extra_options.contains(&name.as_str()) {
            let mut known: Vec<&str> = COMMON_OPTIONS.to_vec();
            known.extend_from_slice(extra_options);
            return Err(Error::configuration(format!(
                "Unknown option '{}'; known options: {}",
                crate::domain::printable(name),
                known.join(", ")
            )));
        }
    }
    let find = |name: &str| options.iter().find(|(k, _)| k == name).map(|(_, v)| v);

    let api_url = match find("api_url") {
        Some(value) => string_option("api_url", value)?,
        None => ini
            .api_url
            .clone()
            .unwrap_or_else(|| DEFAULT_API_URL.to_string()),
    };
    let timeout = seconds(
        "timeout",
        find("timeout"),
        ini.timeout.as_deref(),
        DEFAULT_TIMEOUT_SECS,
    )?;
    let connect_timeout = seconds(
        "connect_timeout",
        find("connect_timeout"),
        ini.connect_timeout.as_deref(),
        DEFAULT_CONNECT_TIMEOUT_SECS,
    )?;
    let retries = retries(find("retries"), ini.retries.as_deref())?;
    let proxy = match find("proxy") {
        Some(value) => string_option("proxy", value)?,
        None => ini.proxy.clone().unwrap_or_default(),
    };
    let ca_file = match find("ca_file") {
        Some(value) => string_option("ca_file", value)?,
        None => ini.ca_file.clone().unwrap_or_default(),
    };
    let api_key = api_key(find("api_key").cloned().or_else(constant_key))?;

    Ok(Settings {
        api_url: check_api_url(&api_url)?,
        api_key,
        timeout,
        connect_timeout,
        retries,
        proxy: check_proxy(&proxy)?,
        ca_file: check_ca_file(&ca_file)?,
    })
}

/// Empty: no proxy. Else `http://` or `https://` with a host; credentials
/// allowed (and kept out of every message).
pub fn check_proxy(raw: &str) -> Result<Option<ProxyUrl>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = |why: &str| Error::configuration(format!("Invalid proxy URL: {why}"));
    let url = Url::parse(raw)
        .map_err(|_| bad("it is not an absolute URL such as http://proxy.example:3128"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http:// and https:// proxies are supported"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || url.path() != "/" {
        return Err(bad("it must be only scheme, host and port"));
    }
    Ok(Some(ProxyUrl(url)))
}

/// Empty: the system's roots. Else a path, checked when the client is made.
fn check_ca_file(raw: &str) -> Result<Option<PathBuf>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.contains('\0') {
        return Err(Error::configuration(
            "Option 'ca_file' must be the path of a PEM file",
        ));
    }
    Ok(Some(PathBuf::from(raw)))
}

fn api_key(value: Option<OptionValue>) -> Result<ApiKey> {
    match value {
        None => Err(Error::configuration(
            "No Closte API key: define CLOSTE_CLIENT_API_KEY in wp-config.php or pass $options['api_key']",
        )),
        Some(OptionValue::Str(key)) if key.trim().is_empty() => {
            Err(Error::configuration("The Closte API key is empty"))
        }
        Some(OptionValue::Str(key)) => Ok(ApiKey(key)),
        Some(other) => Err(Error::configuration(format!(
            "The Closte API key must be a string, got {}",
            type_name(&other)
        ))),
    }
}

fn string_option(name: &str, value: &OptionValue) -> Result<String> {
    match value {
        OptionValue::Str(text) => Ok(text.clone()),
        other => Err(Error::configuration(format!(
            "Option '{name}' must be a string, got {}",
            type_name(other)
        ))),
    }
}

fn seconds(
    name: &str,
    option: Option<&OptionValue>,
    ini: Option<&str>,
    default: f64,
) -> Result<Duration> {
    let (value, source) = match (option, ini) {
        (Some(OptionValue::Int(n)), _) => (*n as f64, "option"),
        (Some(OptionValue::Float(f)), _) => (*f, "option"),
        (Some(other), _) => {
            return Err(Error::configuration(format!(
                "Option '{name}' must be a number of seconds, got {}",
                type_name(other)
            )))
        }
        (None, Some(text)) if !text.trim().is_empty() => match text.trim().parse::<f64>() {
            Ok(v) => (v, "ini"),
            Err(_) => {
                return Err(Error::configuration(format!(
                    "closte.{name} in php.ini must be a number of seconds, got \"{}\"",
                    crate::domain::printable(text)
                )))
            }
        },
        (None, _) => (default, "default"),
    };
    if !(value.is_finite() && value > 0.0 && value <= MAX_TIMEOUT_SECS) {
        let place = if source == "ini" {
            format!("closte.{name} in php.ini")
        } else {
            format!("Option '{name}'")
        };
        return Err(Error::configuration(format!(
            "{place} must be more than 0 and at most {MAX_TIMEOUT_SECS} seconds, got {value}"
        )));
    }
    Ok(Duration::from_secs_f64(value))
}

fn retries(option: Option<&OptionValue>, ini: Option<&str>) -> Result<u32> {
    let value: i64 = match (option, ini) {
        (Some(OptionValue::Int(n)), _) => *n,
        (Some(other), _) => {
            return Err(Error::configuration(format!(
                "Option 'retries' must be an integer, got {}",
                type_name(other)
            )))
        }
        (None, Some(text)) if !text.trim().is_empty() => text.trim().parse().map_err(|_| {
            Error::configuration(format!(
                "closte.retries in php.ini must be an integer, got \"{}\"",
                crate::domain::printable(text)
            ))
        })?,
        (None, _) => i64::from(DEFAULT_RETRIES),
    };
    u32::try_from(value)
        .ok()
        .filter(|n| *n <= MAX_RETRIES)
        .ok_or_else(|| {
            Error::configuration(format!(
                "retries must be between 0 and {MAX_RETRIES}, got {value}"
            ))
        })
}

/// HTTPS only; plain HTTP only to a loopback host (for tests and the
/// simulator). No credentials, query or fragment in the base URL.
pub fn check_api_url(raw: &str) -> Result<Url> {
    let bad = |why: &str| Error::configuration(format!("Invalid Closte API URL: {why}"));
    let mut url = Url::parse(raw.trim()).map_err(|_| bad("it is not an absolute URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query string or fragment"));
    }
    let host = url.host_str().ok_or_else(|| bad("it has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => {
            return Err(bad(&format!(
                "plain http:// is only allowed to a loopback host, not {}; use https://",
                crate::domain::printable(host)
            )))
        }
        other => {
            return Err(bad(&format!(
                "scheme '{}' is not https",
                crate::domain::printable(other)
            )))
        }
    }
    // Endpoints are joined under the base path: it must end in a slash.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

pub fn is_loopback_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub fn type_name(value: &OptionValue) -> &'static str {
    match value {
        OptionValue::Str(_) => "string",
        OptionValue::Int(_) => "int",
        OptionValue::Float(_) => "float",
        OptionValue::Bool(_) => "bool",
        OptionValue::Null => "null",
        OptionValue::Other(name) => name,
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
