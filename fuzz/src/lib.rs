//! Helpers shared by the property tests and the libFuzzer targets. The code
//! under test is closte-core itself (`closte_core::domain`, `::api`,
//! `::retry`), linked by path: the same library the extension links.

use closte_core::domain;

/// Checks the rules of SPEC 3 on a name the validator returned; `Err` says
/// which rule it breaks. Shared by the property tests and the fuzz targets.
pub fn check_rules(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > domain::MAX_DOMAIN_LEN {
        return Err(format!("length {} outside 1..=253", name.len()));
    }
    if !name.is_ascii() {
        return Err("not ASCII".into());
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("upper case left".into());
    }
    if name.ends_with('.') {
        return Err("trailing dot".into());
    }
    let rest = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = rest.split('.').collect();
    if labels.len() < 2 {
        return Err("fewer than two labels".into());
    }
    for label in &labels {
        if label.is_empty() || label.len() > domain::MAX_LABEL_LEN {
            return Err(format!("label {label:?} of length {}", label.len()));
        }
        if !label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(format!("label {label:?} has a character outside [a-z0-9-]"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("label {label:?} starts or ends with a hyphen"));
        }
    }
    if labels.last().is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit())) {
        return Err("numeric last label".into());
    }
    Ok(())
}

/// What an error message must look like to be safe in an exception, a log
/// line or an HTTP answer: one line, bounded.
pub fn check_message(message: &str) -> Result<(), String> {
    if message.chars().any(|c| c.is_control()) {
        return Err(format!("control character in {message:?}"));
    }
    if message.len() > 600 {
        return Err(format!("message of {} bytes", message.len()));
    }
    Ok(())
}
