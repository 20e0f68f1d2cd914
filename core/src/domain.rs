//! Domain validation and normalisation (SPEC section 3). Runs before any
//! network traffic, so a bad name never reaches Closte.

use crate::error::{Error, Result};

pub const MAX_DOMAIN_LEN: usize = 253;
pub const MAX_LABEL_LEN: usize = 63;

/// A validated domain: lower-case ASCII (IDN already in punycode), no
/// trailing dot, `*.` only as the first label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain {
    name: String,
}

impl Domain {
    /// The normalised name, `*.` included for a wildcard.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    pub fn is_wildcard(&self) -> bool {
        self.name.starts_with("*.")
    }

    pub fn into_string(self) -> String {
        self.name
    }
}

impl std::fmt::Display for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Validates raw bytes from PHP (which may be any binary string).
pub fn normalize_bytes(input: &[u8]) -> Result<Domain> {
    match std::str::from_utf8(input) {
        Ok(text) => normalize(text),
        Err(_) => Err(invalid(
            &String::from_utf8_lossy(input),
            "it is not valid UTF-8",
        )),
    }
}

pub fn normalize(input: &str) -> Result<Domain> {
    if input.is_empty() {
        return Err(Error::invalid_domain("Invalid domain: the domain is empty"));
    }
    // Reject the characters that could smuggle something into a form body, a
    // header or a log line before IDN mapping gets a chance to rewrite them.
    if let Some(bad) = input.chars().find(|c| is_forbidden(*c)) {
        return Err(invalid(
            input,
            &format!("it contains {}", describe_char(bad)),
        ));
    }

    let (wildcard, rest) = match input.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    if rest.contains('*') {
        return Err(invalid(
            input,
            "'*' is only allowed as the whole first label ('*.')",
        ));
    }
    let rest = rest.strip_suffix('.').unwrap_or(rest);

    let ascii = if rest.is_ascii() {
        rest.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(rest)
            .map_err(|_| invalid(input, "it is not a valid internationalised domain name"))?
    };
    check_ascii_name(input, &ascii)?;

    let name = if wildcard {
        format!("*.{ascii}")
    } else {
        ascii
    };
    if name.len() > MAX_DOMAIN_LEN {
        return Err(invalid(
            input,
            &format!(
                "it is {} characters long, the limit is {MAX_DOMAIN_LEN}",
                name.len()
            ),
        ));
    }
    Ok(Domain { name })
}

fn check_ascii_name(input: &str, ascii: &str) -> Result<()> {
    if ascii.is_empty() {
        return Err(invalid(
            input,
            "it has no name after the wildcard or trailing dot",
        ));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid(
            input,
            "a domain alias needs at least two labels (example.com)",
        ));
    }
    for label in &labels {
        check_label(input, label)?;
    }
    // An all-numeric last label is an IP address, not a host name.
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid(input, "an IP address is not a domain"));
    }
    // A punycode label must decode; idna checks it (ASCII input skipped it).
    if ascii.split('.').any(|l| l.starts_with("xn--")) && idna::domain_to_unicode(ascii).1.is_err()
    {
        return Err(invalid(input, "it has an invalid punycode ('xn--') label"));
    }
    Ok(())
}

fn check_label(input: &str, label: &str) -> Result<()> {
    if label.is_empty() {
        return Err(invalid(input, "it has an empty label ('..')"));
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(invalid(
            input,
            &format!(
                "the label '{}' is longer than {MAX_LABEL_LEN} characters",
                printable(label)
            ),
        ));
    }
    if let Some(bad) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(invalid(
            input,
            &format!("it contains {}", describe_char(bad)),
        ));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Err(invalid(
            input,
            &format!("the label '{label}' starts or ends with a hyphen"),
        ));
    }
    Ok(())
}

fn is_forbidden(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || (c.is_ascii() && !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*')))
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\r' => "a carriage return (CR)".into(),
        '\n' => "a line feed (LF)".into(),
        '\t' => "a tab".into(),
        '\0' => "a NUL byte".into(),
        c if c.is_control() || c.is_whitespace() => format!("the character U+{:04X}", c as u32),
        c => format!("the character '{c}'"),
    }
}

/// The input as it may be shown in a message: control characters escaped,
/// and cut short, so an exception text never carries a line break or a page.
pub fn printable(input: &str) -> String {
    const MAX_SHOWN: usize = 80;
    let mut shown: String = input
        .chars()
        .take(MAX_SHOWN)
        .flat_map(char::escape_debug)
        .collect();
    if input.chars().count() > MAX_SHOWN {
        shown.push_str("...");
    }
    shown
}

fn invalid(input: &str, reason: &str) -> Error {
    Error::invalid_domain(format!("Invalid domain \"{}\": {reason}", printable(input)))
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
