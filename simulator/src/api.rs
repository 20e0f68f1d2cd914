//! The Closte client API as the simulator answers it (SPEC section 1).

use serde_json::json;

use crate::http::{parse_form, Request, Response};
use crate::state::{Shared, State};

pub const PREFIX: &str = "/api/client/";

/// The answer to a request that suffers no fault, after applying it.
pub fn serve(shared: &Shared, state: &mut State, request: &Request, endpoint: &str) -> Response {
    let mut fields = parse_form(&request.query);
    if request.method == "POST" {
        fields.extend(parse_form(&String::from_utf8_lossy(&request.body)));
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let key = field("apikey").unwrap_or_default();
    if !matches!(
        endpoint,
        "adddomainalias" | "deletedomainalias" | "getdomains"
    ) {
        return Response::json(404, &json!({"success": false, "error": "Not found"}));
    }
    if !shared.key_ok(&key) {
        return refuse("Invalid API key");
    }
    if endpoint == "getdomains" {
        let list = state.aliases.get(&key).cloned().unwrap_or_default();
        let domains: Vec<serde_json::Value> = list
            .iter()
            .enumerate()
            .map(|(i, d)| {
                if state.domains_as_objects {
                    json!({"domain": d, "id": i + 1})
                } else {
                    json!(d)
                }
            })
            .collect();
        return Response::json(200, &json!({"success": true, "domains": domains}));
    }
    let raw = field("domain").unwrap_or_default();
    if raw.is_empty() {
        return refuse("Invalid or empty domain: ");
    }
    let domain = raw.to_ascii_lowercase();
    if !plausible_hostname(&domain) || is_managed(shared, &domain) {
        return refuse(&format!("Invalid or empty domain: {raw}"));
    }
    let list = state.aliases.entry(key).or_default();
    if endpoint == "adddomainalias" {
        // Assumption: re-adding an existing alias succeeds (idempotent).
        if !list.contains(&domain) {
            list.push(domain);
        }
    } else {
        // Assumption: deleting a missing alias succeeds (idempotent).
        list.retain(|d| d != &domain);
    }
    Response::json(200, &json!({"success": true}))
}

fn refuse(error: &str) -> Response {
    Response::json(200, &json!({"success": false, "error": error}))
}

fn plausible_hostname(domain: &str) -> bool {
    let name = domain.strip_prefix("*.").unwrap_or(domain);
    let labels: Vec<&str> = name.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn is_managed(shared: &Shared, domain: &str) -> bool {
    shared
        .managed_suffixes
        .iter()
        .any(|suffix| domain == suffix || domain.ends_with(&format!(".{suffix}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostname_checks() {
        assert!(plausible_hostname("shop.example.com"));
        assert!(plausible_hostname("*.example.com"));
        assert!(plausible_hostname("xn--bcher-kva.de"));
        for bad in [
            "localhost",
            "a..b",
            "-a.com",
            "a_b.com",
            "a b.com",
            "*.*.a.com",
        ] {
            assert!(!plausible_hostname(bad), "{bad}");
        }
    }
}
