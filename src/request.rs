//! What the extension sends to Closte: endpoints and form bodies (SPEC 1).

use crate::domain::Domain;

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
    let mut body = format!("apikey={}", form_encode(api_key));
    if let Some(domain) = domain {
        body.push_str("&domain=");
        body.push_str(&form_encode(domain.as_str()));
        body.push_str(if domain.is_wildcard() {
            "&wildcard=1"
        } else {
            "&wildcard=0"
        });
    }
    body
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
}
