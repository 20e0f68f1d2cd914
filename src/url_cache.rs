//! Parsed URLs, remembered. Every call resolves its settings (which checks
//! the API URL) and then addresses an endpoint under it: two URL parses
//! that showed up at about 3 % of a call's time on loopback, for a URL that
//! is the same on every call of a site. A handful are kept, per process;
//! they hold no key (the key travels in the body, or in a query string set
//! on a copy).

use std::sync::{Mutex, PoisonError};

use url::Url;

/// More distinct URLs than this in one process is not a pattern worth
/// keeping; the list just starts over.
const KEEP: usize = 16;

static PARSED: Mutex<Vec<(String, Url)>> = Mutex::new(Vec::new());

/// `Url::parse(text)`, from memory when `text` was parsed before.
pub fn parse(text: &str) -> Option<Url> {
    let mut parsed = PARSED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, url)) = parsed.iter().find(|(t, _)| t == text) {
        return Some(url.clone());
    }
    let url = Url::parse(text).ok()?;
    if parsed.len() == KEEP {
        parsed.clear();
    }
    parsed.push((text.to_string(), url.clone()));
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_like_url_and_remembers_only_good_ones() {
        for text in ["https://a.example.com/api/client/x", "http://127.0.0.1:8/p"] {
            let first = parse(text).map(|u| u.to_string());
            let again = parse(text).map(|u| u.to_string());
            assert_eq!(first.as_deref(), Some(text));
            assert_eq!(again, first);
        }
        assert!(parse("not a url").is_none());
        assert!(parse("not a url").is_none());
    }

    #[test]
    fn many_distinct_urls_still_parse() {
        for i in 0..100 {
            let text = format!("https://h{i}.example.com/p");
            assert_eq!(parse(&text).map(|u| u.to_string()), Some(text));
        }
    }
}
