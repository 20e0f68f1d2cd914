//! Reading Closte's answers (SPEC 1): `{"success":bool,"error":"…"}`, and
//! `getdomains`' list whose entries may be strings or objects.

use serde_json::Value;

/// What a well-formed answer said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub success: bool,
    pub error: Option<String>,
    pub domains: Option<Vec<String>>,
}

/// Closte's answer to a call without a domain, by which a connection test
/// knows that the key was accepted (note the trailing space).
pub const EMPTY_DOMAIN_ERROR: &str = "Invalid or empty domain: ";

/// Why a body is not a usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadBody {
    Empty,
    NotJson,
    NoSuccessField,
}

impl BadBody {
    pub fn describe(&self) -> &'static str {
        match self {
            BadBody::Empty => "an empty body",
            BadBody::NotJson => "a body that is not JSON",
            BadBody::NoSuccessField => "JSON without a boolean \"success\" field",
        }
    }
}

pub fn parse_reply(body: &[u8]) -> Result<Reply, BadBody> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(BadBody::Empty);
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| BadBody::NotJson)?;
    let success = value
        .get("success")
        .and_then(Value::as_bool)
        .ok_or(BadBody::NoSuccessField)?;
    let error = value.get("error").and_then(error_text);
    let domains = value
        .get("domains")
        .and_then(Value::as_array)
        .map(|entries| entries.iter().filter_map(domain_of_entry).collect());
    Ok(Reply {
        success,
        error,
        domains,
    })
}

/// Closte's `error` field is a string; anything else is shown as JSON.
fn error_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// One entry of `getdomains`: a string, or an object naming the domain in
/// `domain`, `name` or `hostname` (the shape is undocumented).
fn domain_of_entry(entry: &Value) -> Option<String> {
    let text = match entry {
        Value::String(text) => text.as_str(),
        Value::Object(fields) => ["domain", "name", "hostname"]
            .iter()
            .find_map(|key| fields.get(*key).and_then(Value::as_str))?,
        _ => return None,
    };
    // Normalise like our own input, but keep a name we would not accept
    // ourselves rather than hide what Closte actually has.
    let name = match crate::domain::normalize(text.trim()) {
        Ok(domain) => domain.into_string(),
        Err(_) => {
            let lower = text.trim().to_ascii_lowercase();
            let bare = lower.strip_suffix('.').unwrap_or(&lower);
            bare.trim().to_string()
        }
    };
    (!name.is_empty()).then_some(name)
}

/// Pulls Closte's `error` text out of an error page, if it is JSON at all.
pub fn error_of_any_body(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    value.get("error").and_then(error_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_and_error_answers() {
        assert_eq!(
            parse_reply(br#"{"success":true}"#),
            Ok(Reply {
                success: true,
                error: None,
                domains: None
            })
        );
        let refused = parse_reply(br#"{"success":false,"error":"Invalid or empty domain: "}"#);
        assert_eq!(
            refused.map(|r| r.error),
            Ok(Some(EMPTY_DOMAIN_ERROR.to_string()))
        );
    }

    #[test]
    fn domains_in_both_shapes_are_normalised() {
        let body = r#"{"success":true,"domains":["Shop.Example.com.",{"domain":"b.example.org"},
            {"name":"C.example.net"},{"hostname":"*.wild.example.com"},{"id":5},42,"",
            "bücher.de","odd_name.example.com","."," x . "]}"#;
        let domains = parse_reply(body.as_bytes()).map(|r| r.domains);
        assert_eq!(
            domains,
            Ok(Some(vec![
                "shop.example.com".to_string(),
                "b.example.org".into(),
                "c.example.net".into(),
                "*.wild.example.com".into(),
                "xn--bcher-kva.de".into(),
                "odd_name.example.com".into(),
                "x".into(),
            ]))
        );
    }

    #[test]
    fn bad_bodies_are_told_apart() {
        assert_eq!(parse_reply(b""), Err(BadBody::Empty));
        assert_eq!(parse_reply(b"  \n"), Err(BadBody::Empty));
        assert_eq!(parse_reply(b"{\"success\":tru"), Err(BadBody::NotJson));
        assert_eq!(
            parse_reply(b"<html><h1>502 Bad Gateway</h1></html>"),
            Err(BadBody::NotJson)
        );
        assert_eq!(parse_reply(br#"{"ok":true}"#), Err(BadBody::NoSuccessField));
        assert_eq!(
            parse_reply(br#"{"success":"yes"}"#),
            Err(BadBody::NoSuccessField)
        );
        assert_eq!(parse_reply(b"[1,2]"), Err(BadBody::NoSuccessField));
    }

    #[test]
    fn non_string_error_is_kept_as_json() {
        let reply = parse_reply(br#"{"success":false,"error":{"code":7}}"#);
        assert_eq!(
            reply.map(|r| r.error),
            Ok(Some(r#"{"code":7}"#.to_string()))
        );
    }

    #[test]
    fn error_text_from_error_pages() {
        assert_eq!(
            error_of_any_body(br#"{"success":false,"error":"Busy"}"#),
            Some("Busy".into())
        );
        assert_eq!(error_of_any_body(b"<html>"), None);
    }
}
