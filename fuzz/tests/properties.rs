//! Property tests of the extension's input-facing core: whatever bytes come
//! in (a PHP string, a Closte answer, a Retry-After header), nothing panics,
//! and the outputs keep the documented rules. The number of cases per
//! property comes from PROPTEST_CASES (CI: the default below; a long run:
//! see docs/RELIABILITY.md).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use closte_core::api::{error_of_any_body, parse_reply};
use closte_core::domain::{normalize, normalize_bytes, printable};
use closte_core::error::{BadBody, Error};
use closte_core::retry::{backoff, next_wait, parse_retry_after, BASE_BACKOFF, MAX_BACKOFF};
use closte_fuzz::{check_message, check_rules};
use proptest::prelude::*;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(4096)
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() }
}

/// Names that look like domains often enough to reach every rule: mixed
/// case, IDN letters, hyphens, digits, dots, wildcards, long labels, and the
/// odd forbidden character.
fn domainish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z0-9]{1,12}",
        2 => "[a-z0-9-]{1,70}",
        2 => "(xn--)?[a-z0-9]{1,8}",
        2 => "[äöüßÉ例えテスト한국ﬁℌ]{1,4}[a-z]{0,4}",
        1 => "[0-9]{1,3}",
        1 => r"[ \t\r\n&/:@?#%_*\x00-\x1f\u{200b}\u{202e}\u{ff0e}\u{3002}]",
        1 => Just(String::new()),
    ];
    (
        prop_oneof![4 => Just(""), 1 => Just("*."), 1 => Just("*"), 1 => Just(".")],
        prop::collection::vec(piece, 1..8),
        prop_oneof![4 => Just(""), 1 => Just("."), 1 => Just("..")],
    )
        .prop_map(|(head, labels, tail)| format!("{head}{}{tail}", labels.join(".")))
}

/// A valid name built from the rules, and the spelling a user might type.
fn valid_domain() -> impl Strategy<Value = (String, String)> {
    // IDNA reserves "??--" labels (punycode is "xn--"): not generated here.
    let label = "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?".prop_filter("no ??-- label", |l: &String| l.get(2..4) != Some("--"));
    (
        any::<bool>(),
        prop::collection::vec(label, 1..5),
        "[a-z]{2,10}",
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(wild, labels, tld, trailing_dot, case_bits)| {
            let name = format!("{}{}.{tld}", if wild { "*." } else { "" }, labels.join("."));
            let typed: String = name
                .chars()
                .enumerate()
                .map(|(i, c)| if case_bits >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
                .collect();
            let typed = if trailing_dot { format!("{typed}.") } else { typed };
            (name, typed)
        })
}

/// Checks one input against every property of the validator.
fn check_domain_bytes(input: &[u8]) -> Result<(), TestCaseError> {
    match normalize_bytes(input) {
        Ok(domain) => {
            let name = domain.as_str();
            check_rules(name).map_err(|why| TestCaseError::fail(format!("{input:?} -> {name:?}: {why}")))?;
            prop_assert_eq!(domain.is_wildcard(), name.starts_with("*."));
            // Idempotent: the output is its own normal form.
            let again = normalize(name).map_err(|e| TestCaseError::fail(format!("{name:?} re-validated: {e}")))?;
            prop_assert_eq!(again.as_str(), name);
        }
        Err(Error::InvalidDomain { reason }) => {
            check_message(&reason).map_err(|why| TestCaseError::fail(format!("{input:?}: {why}")))?;
            prop_assert!(reason.starts_with("Invalid domain"), "{}", reason);
        }
        Err(other) => return Err(TestCaseError::fail(format!("{input:?}: wrong error kind {other:?}"))),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn domain_arbitrary_bytes(input in prop::collection::vec(any::<u8>(), 0..400)) {
        check_domain_bytes(&input)?;
    }

    #[test]
    fn domain_arbitrary_unicode(input in any::<String>()) {
        check_domain_bytes(input.as_bytes())?;
    }

    #[test]
    fn domain_domainish(input in domainish()) {
        check_domain_bytes(input.as_bytes())?;
    }

    #[test]
    fn domain_valid_names_are_accepted_as_typed((name, typed) in valid_domain()) {
        let result = normalize(&typed);
        if name.len() <= 253 {
            prop_assert_eq!(result.map(|d| d.into_string()), Ok(name));
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn domain_smuggling_characters_are_refused(
        (_, typed) in valid_domain(),
        bad in prop::sample::select(vec![" ", "\r", "\n", "\r\n", "\t", "\0", "&", "/", ":", "@", "?", "#", "=", "%", "+", ";", "\"", "'", "<", ">", "\\"]),
        at in any::<prop::sample::Index>(),
    ) {
        let mut chars: Vec<char> = typed.chars().collect();
        let index = at.index(chars.len() + 1);
        for (offset, c) in bad.chars().enumerate() {
            chars.insert(index + offset, c);
        }
        let input: String = chars.into_iter().collect();
        prop_assert!(normalize(&input).is_err(), "{:?} accepted", input);
    }

    #[test]
    fn printable_is_one_bounded_line(input in any::<String>()) {
        let shown = printable(&input);
        prop_assert!(!shown.chars().any(|c| c.is_control()));
        prop_assert!(shown.chars().count() <= 80 * 10 + 3);
    }

    #[test]
    fn response_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_reply(&body);
        let _ = error_of_any_body(&body);
    }

    #[test]
    fn response_arbitrary_json(value in json_value()) {
        let body = serde_json::to_vec(&value).unwrap_or_default();
        let parsed = parse_reply(&body);
        let _ = error_of_any_body(&body);
        // An answer is an object with a boolean "success"; its "domains",
        // when present and not null, must be a list (closte-core reads the
        // answer with serde derive, which refuses a field of the wrong type
        // rather than ignoring it). "error" of any type is fine.
        let expected = match &value {
            Value::Object(fields) => fields
                .get("success")
                .and_then(Value::as_bool)
                .filter(|_| matches!(fields.get("domains"), None | Some(Value::Null | Value::Array(_)))),
            // KNOWN ISSUE (reported, core/ is not ours to fix): serde derive
            // also reads a struct from a JSON array, so `[true]` parses as
            // {"success":true}. Checked by the ignored test
            // top_level_array_is_not_an_answer; not asserted here so that the
            // bounded pass stays meaningful for every other shape.
            Value::Array(_) => return Ok(()),
            _ => None,
        };
        match expected {
            Some(success) => {
                let reply = parsed.map_err(|e| TestCaseError::fail(format!("{e:?} for {value}")))?;
                prop_assert_eq!(reply.success, success);
                if let Some(domains) = reply.domains {
                    prop_assert!(domains.iter().all(|d| !d.is_empty() && d.trim() == d));
                }
            }
            None => prop_assert!(matches!(parsed, Err(BadBody::NotAnAnswer)), "{:?} for {}", parsed, value),
        }
    }

    #[test]
    fn response_closte_shapes(
        success in any::<bool>(),
        error in proptest::option::of(any::<String>()),
        entries in prop::collection::vec(prop_oneof![
            domainish().prop_map(Value::String),
            (prop::sample::select(vec!["domain", "name", "hostname", "id"]), domainish())
                .prop_map(|(k, v)| json!({ k: v })),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
        ], 0..20),
    ) {
        let body = json!({ "success": success, "error": error, "domains": entries });
        let reply = parse_reply(body.to_string().as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(reply.success, success);
        prop_assert_eq!(reply.error, error);
        let listed = reply.domains.unwrap_or_default();
        prop_assert!(listed.len() <= entries.len());
        // Every entry that names a valid domain comes back in its normal form.
        for entry in &entries {
            let text = match entry {
                Value::String(text) => Some(text.as_str()),
                Value::Object(fields) => ["domain", "name", "hostname"]
                    .iter()
                    .find_map(|k| fields.get(*k).and_then(Value::as_str)),
                _ => None,
            };
            if let Some(Ok(domain)) = text.map(|t| normalize(t.trim())) {
                prop_assert!(listed.iter().any(|l| l == domain.as_str()), "{} missing from {:?}", domain, listed);
            }
        }
    }

    #[test]
    fn response_cut_anywhere(value in json_value(), cut in any::<prop::sample::Index>()) {
        let body = serde_json::to_vec(&json!({ "success": true, "domains": [value] })).unwrap_or_default();
        let end = cut.index(body.len());
        prop_assert!(parse_reply(&body[..end]).is_err(), "a truncated body parsed");
    }

    #[test]
    fn retry_after_arbitrary(value in any::<String>(), now_secs in 0u64..8_000_000_000) {
        let _ = parse_retry_after(&value, UNIX_EPOCH + Duration::from_secs(now_secs));
    }

    #[test]
    fn retry_after_date_like(
        weekday in "[A-Z][a-z]{2},",
        day in "[0-9]{1,3}",
        month in prop::sample::select(vec!["Jan", "Feb", "Mar", "Dec", "Foo"]),
        year in prop_oneof!["[0-9]{1,4}", "[0-9]{5,20}"],
        time in "[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}",
    ) {
        let value = format!("{weekday} {day} {month} {year} {time} GMT");
        let _ = parse_retry_after(&value, SystemTime::now());
    }

    #[test]
    fn retry_after_delta_and_date_agree(delay in 0u64..10_000_000, now_secs in 0u64..4_000_000_000) {
        let now = UNIX_EPOCH + Duration::from_secs(now_secs);
        prop_assert_eq!(parse_retry_after(&delay.to_string(), now), Some(Duration::from_secs(delay)));
        let date = http_date(now_secs + delay);
        prop_assert_eq!(parse_retry_after(&date, now), Some(Duration::from_secs(delay)), "{}", date);
    }

    #[test]
    fn backoff_is_bounded(
        retry in any::<u32>(),
        // Every float but NaN (jitter() never returns NaN).
        jitter in prop::num::f64::POSITIVE | prop::num::f64::NEGATIVE | prop::num::f64::NORMAL
            | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO | prop::num::f64::INFINITE,
    ) {
        let wait = backoff(retry, jitter);
        prop_assert!(wait <= MAX_BACKOFF);
        prop_assert!(wait >= BASE_BACKOFF / 2);
    }

    #[test]
    fn next_wait_never_exceeds_the_limit(
        retry in 1u32..20,
        asked in proptest::option::of(0u64..100_000),
        limit_ms in 1u64..600_000,
        jitter in 0.0f64..1.0,
    ) {
        let limit = Duration::from_millis(limit_ms);
        match next_wait(retry, asked.map(Duration::from_secs), limit, jitter) {
            Some(wait) if asked.is_some() => prop_assert!(wait <= limit),
            Some(wait) => prop_assert!(wait <= MAX_BACKOFF),
            None => prop_assert!(asked.is_some_and(|s| Duration::from_secs(s) > limit)),
        }
    }
}

/// Arbitrary JSON, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        domainish().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (prop_oneof![
                    Just("success".to_string()),
                    Just("error".to_string()),
                    Just("domains".to_string()),
                    Just("domain".to_string()),
                    Just("name".to_string()),
                    Just("hostname".to_string()),
                    "[a-z]{1,6}",
                ], inner),
                0..6,
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// IMF-fixdate of a Unix time (inverse of the days-from-civil conversion,
/// written independently of the code under test).
fn http_date(secs: u64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (mut year, mut day_of_year) = (1970u64, days);
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if day_of_year < len {
            break;
        }
        day_of_year -= len;
        year += 1;
    }
    let lengths = [31, if is_leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while day_of_year >= lengths[month] {
        day_of_year -= lengths[month];
        month += 1;
    }
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        day_of_year + 1,
        MONTHS[month],
        year,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

#[test]
fn known_answers_of_the_helpers() {
    assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(check_rules("*.a-b.example.com"), Ok(()));
    assert!(check_rules("a..com").is_err());
    assert!(check_message("one\nline").is_err());
}

/// Regression inputs found while writing these properties.
#[test]
fn long_label_message_is_bounded() {
    let input = format!("{}.com", "a".repeat(100_000));
    match normalize(&input) {
        Err(Error::InvalidDomain { reason }) => assert_eq!(check_message(&reason), Ok(())),
        other => panic!("{other:?}"),
    }
}

/// A Closte answer is a JSON object. closte-core's serde derive `Wire`
/// struct also accepts the sequence form, so these parse as answers today
/// (`[true]` as success). Ignored until core/ refuses them; run with
/// `cargo test --release --manifest-path fuzz/Cargo.toml -- --ignored`.
#[test]
#[ignore = "known issue in closte-core: a JSON array parses as an answer"]
fn top_level_array_is_not_an_answer() {
    for body in [&b"[true]"[..], b"[false,\"why\"]", b"[true,null,[\"a.example.com\"]]"] {
        assert_eq!(parse_reply(body), Err(BadBody::NotAnAnswer), "{}", String::from_utf8_lossy(body));
    }
    assert_eq!(error_of_any_body(b"[\"text\"]"), None);
}

#[test]
fn far_future_retry_after_does_not_panic() {
    let _ = parse_retry_after("Sun, 06 Nov 99999999999999 08:49:37 GMT", SystemTime::now());
    let _ = parse_retry_after("Sun, 06 Nov 18446744073709551615 08:49:37 GMT", SystemTime::now());
}

