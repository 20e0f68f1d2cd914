//! The Closte client API on the wire (SPEC 1): endpoints, form bodies, and
//! the answers, read with serde derive.

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::domain::Domain;
use crate::error::BadBody;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    AddDomainAlias,
    DeleteDomainAlias,
    GetDomains,
}

impl Endpoint {
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::AddDomainAlias => "adddomainalias",
            Endpoint::DeleteDomainAlias => "deletedomainalias",
            Endpoint::GetDomains => "getdomains",
        }
    }
}

/// The form fields of an alias call, in the order Closte's own client sends
/// them. `domain` is `None` only for the connection test, which relies on
/// Closte's answer to a call without a domain.
pub fn alias_form(api_key: &str, domain: Option<&Domain>) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("apikey", api_key);
    if let Some(domain) = domain {
        form.append_pair("domain", domain.as_str());
        form.append_pair("wildcard", if domain.is_wildcard() { "1" } else { "0" });
    }
    form.finish()
}

/// `application/x-www-form-urlencoded` spelling of one value.
pub fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Closte's answer to a call without a domain, by which a connection test
/// knows that the key was accepted (note the trailing space).
pub const EMPTY_DOMAIN_ERROR: &str = "Invalid or empty domain: ";

/// What a well-formed answer said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub success: bool,
    /// Closte's `error` text; `None` when absent or not a string.
    pub error: Option<String>,
    /// `getdomains`' list, normalised; `None` when the answer has none.
    pub domains: Option<Vec<String>>,
}

impl Reply {
    /// `success:false` with Closte's answer for a name it manages itself:
    /// `Invalid or empty domain: <domain>`. The domain was validated before
    /// it was sent, so Closte does not mean that it is invalid.
    pub fn refuses_as_managed(&self, domain: &Domain) -> bool {
        !self.success
            && self
                .error
                .as_deref()
                .and_then(|text| text.strip_prefix(EMPTY_DOMAIN_ERROR.trim_end()))
                .is_some_and(|rest| rest.trim().eq_ignore_ascii_case(domain.as_str()))
    }
}

#[derive(Deserialize)]
struct Wire {
    success: bool,
    #[serde(default)]
    error: Option<Text>,
    #[serde(default)]
    domains: Option<Vec<Listed>>,
}

/// A field Closte documents as a string; anything else is ignored rather
/// than shown.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Text(String),
    Other(IgnoredAny),
}

/// One `getdomains` entry: its shape is undocumented (SPEC 1).
#[derive(Deserialize)]
#[serde(untagged)]
enum Listed {
    Name(String),
    Object(Named),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
struct Named {
    domain: Option<Text>,
    name: Option<Text>,
    hostname: Option<Text>,
}

impl Listed {
    fn name(self) -> Option<String> {
        let text = match self {
            Listed::Name(text) => text,
            Listed::Object(named) => [named.domain, named.name, named.hostname]
                .into_iter()
                .find_map(|field| match field {
                    Some(Text::Text(text)) => Some(text),
                    _ => None,
                })?,
            Listed::Other(_) => return None,
        };
        normalize_listed(&text)
    }
}

/// Normalised like our own input; a name we would not accept ourselves is
/// kept (lower-cased) rather than hiding what Closte actually has.
fn normalize_listed(text: &str) -> Option<String> {
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

pub fn parse_reply(body: &[u8]) -> Result<Reply, BadBody> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(BadBody::Empty);
    }
    let wire: Wire = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => BadBody::NotAnAnswer,
        _ => BadBody::NotJson,
    })?;
    Ok(Reply {
        success: wire.success,
        error: wire.error.and_then(Text::into_string),
        domains: wire
            .domains
            .map(|list| list.into_iter().filter_map(Listed::name).collect()),
    })
}

impl Text {
    fn into_string(self) -> Option<String> {
        match self {
            Text::Text(text) => Some(text),
            Text::Other(_) => None,
        }
    }
}

/// Closte's `error` text out of an error page, when it is Closte's JSON.
pub fn error_of_any_body(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct ErrorOnly {
        error: Option<Text>,
    }
    serde_json::from_slice::<ErrorOnly>(body)
        .ok()?
        .error?
        .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::normalize;

    #[test]
    fn add_form_carries_key_domain_and_wildcard_flag() -> Result<(), crate::error::Error> {
        let plain = normalize("Shop.Example.com")?;
        assert_eq!(
            alias_form("k1", Some(&plain)),
            "apikey=k1&domain=shop.example.com&wildcard=0"
        );
        let wild = normalize("*.example.com")?;
        assert_eq!(
            alias_form("k1", Some(&wild)),
            "apikey=k1&domain=*.example.com&wildcard=1"
        );
        Ok(())
    }

    #[test]
    fn connection_test_form_has_only_the_key() {
        assert_eq!(alias_form("abc", None), "apikey=abc");
    }

    #[test]
    fn key_is_form_encoded() {
        assert_eq!(form_encode("a b&c=d+e/é"), "a+b%26c%3Dd%2Be%2F%C3%A9");
    }

    #[test]
    fn endpoint_paths() {
        assert_eq!(Endpoint::AddDomainAlias.path(), "adddomainalias");
        assert_eq!(Endpoint::DeleteDomainAlias.path(), "deletedomainalias");
        assert_eq!(Endpoint::GetDomains.path(), "getdomains");
    }

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
    fn managed_refusal_names_the_domain_sent() -> Result<(), crate::error::Error> {
        let domain = normalize("shop.closte.com")?;
        let reply = |text: &str| Reply {
            success: false,
            error: Some(text.into()),
            domains: None,
        };
        assert!(reply("Invalid or empty domain: shop.closte.com").refuses_as_managed(&domain));
        assert!(!reply("Invalid or empty domain: ").refuses_as_managed(&domain));
        assert!(!reply("Invalid or empty domain: other.com").refuses_as_managed(&domain));
        assert!(!reply("Quota exceeded").refuses_as_managed(&domain));
        Ok(())
    }

    #[test]
    fn domains_in_both_shapes_are_normalised() {
        let body = r#"{"success":true,"domains":["Shop.Example.com.",{"domain":"b.example.org"},
            {"name":"C.example.net"},{"hostname":"*.wild.example.com"},{"id":5},42,"",
            "bücher.de","odd_name.example.com","."," x . ",{"domain":7,"name":"d.example.com"}]}"#;
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
                "d.example.com".into(),
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
        assert_eq!(parse_reply(br#"{"ok":true}"#), Err(BadBody::NotAnAnswer));
        assert_eq!(
            parse_reply(br#"{"success":"yes"}"#),
            Err(BadBody::NotAnAnswer)
        );
        assert_eq!(parse_reply(b"[1,2]"), Err(BadBody::NotAnAnswer));
    }

    #[test]
    fn a_non_string_error_is_not_shown() {
        let reply = parse_reply(br#"{"success":false,"error":{"code":7}}"#);
        assert_eq!(reply.map(|r| r.error), Ok(None));
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
