use super::*;

fn ok(input: &str) -> String {
    match normalize(input) {
        Ok(domain) => domain.into_string(),
        Err(e) => panic!("{input:?} should be valid: {e}"),
    }
}

fn err(input: &str) -> String {
    match normalize(input) {
        Ok(domain) => panic!("{input:?} should be invalid, got {domain}"),
        Err(Error::InvalidDomain { reason: message }) => message,
        Err(other) => panic!("{input:?}: wrong error kind {other:?}"),
    }
}

#[test]
fn lower_cases_and_drops_one_trailing_dot() {
    assert_eq!(ok("Shop.Example.COM"), "shop.example.com");
    assert_eq!(ok("example.com."), "example.com");
    assert!(err("example.com..").contains("empty label"));
}

#[test]
fn idn_becomes_punycode() {
    assert_eq!(ok("bücher.de"), "xn--bcher-kva.de");
    assert_eq!(ok("BÜCHER.de."), "xn--bcher-kva.de");
    assert_eq!(ok("例え.テスト"), "xn--r8jz45g.xn--zckzah");
    assert_eq!(ok("xn--bcher-kva.de"), "xn--bcher-kva.de");
    assert!(err("xn--zz--.de").contains("hyphen"));
    assert!(err("xn--a-ecp.ru.xn--").contains("hyphen"));
}

#[test]
fn wildcard_only_as_whole_first_label() {
    let domain = normalize("*.Example.com").map_err(|e| e.to_string());
    assert_eq!(domain.as_ref().map(Domain::as_str), Ok("*.example.com"));
    assert_eq!(domain.map(|d| d.is_wildcard()), Ok(true));
    assert_eq!(normalize("example.com").map(|d| d.is_wildcard()), Ok(false));
    for bad in [
        "a.*.example.com",
        "*example.com",
        "**.example.com",
        "*",
        "*.",
        "*.*.example.com",
    ] {
        err(bad);
    }
}

#[test]
fn length_limits() {
    let label63 = "a".repeat(63);
    assert_eq!(ok(&format!("{label63}.com")), format!("{label63}.com"));
    assert!(err(&format!("{}a.com", label63)).contains("longer than 63"));

    // 4 labels of 63 plus dots: 255 characters, over the 253 limit.
    let long = [label63.as_str(); 4].join(".");
    assert!(err(&long).contains("limit is 253"));
    let exactly_253 = format!("{}.{}.{}.{}", label63, label63, label63, "a".repeat(61));
    assert_eq!(exactly_253.len(), 253);
    assert_eq!(ok(&exactly_253).len(), 253);
}

#[test]
fn every_bad_character_class_is_rejected_before_anything_else() {
    let cases = [
        ("exa mple.com", "a space"),
        (" example.com", "a space"),
        ("example.com\r\nX-Injected: 1", "carriage return"),
        ("example.com\n", "line feed"),
        ("exam\tple.com", "tab"),
        ("exam\0ple.com", "NUL"),
        ("example.com&apikey=x", "'&'"),
        ("example.com/path", "'/'"),
        ("example.com:8080", "':'"),
        ("user@example.com", "'@'"),
        ("exa_mple.com", "'_'"),
        ("example.com?x", "'?'"),
        ("exa%6dple.com", "'%'"),
        ("example.com#", "'#'"),
        ("exa\u{a0}mple.com", "U+00A0"),
    ];
    for (input, reason) in cases {
        let message = err(input);
        assert!(message.contains(reason), "{input:?}: {message}");
        assert!(
            !message.contains('\n') && !message.contains('\r'),
            "{message:?}"
        );
    }
}

#[test]
fn empty_and_structural_errors() {
    assert!(err("").contains("empty"));
    assert!(err(".").contains("no name"));
    assert!(err("localhost").contains("two labels"));
    assert!(err(".example.com").contains("empty label"));
    assert!(err("-shop.example.com").contains("hyphen"));
    assert!(err("shop-.example.com").contains("hyphen"));
    assert!(err("192.168.1.10").contains("IP address"));
    assert_eq!(ok("1password.com"), "1password.com");
}

#[test]
fn invalid_utf8_bytes_are_a_domain_error() {
    assert!(matches!(
        normalize_bytes(b"ex\xffample.com"),
        Err(Error::InvalidDomain { .. })
    ));
    assert_eq!(
        normalize_bytes(b"Example.com").map(Domain::into_string),
        Ok("example.com".into())
    );
}

#[test]
fn normalisation_is_idempotent() {
    for input in [
        "Bücher.DE.",
        "*.Shop.Example.com",
        "xn--bcher-kva.de",
        "a-b.c-d.io",
    ] {
        let once = ok(input);
        assert_eq!(ok(&once), once, "{input}");
    }
}

#[test]
fn messages_are_printable_and_bounded() {
    let long_bad = format!("{} x", "a".repeat(500));
    let message = err(&long_bad);
    assert!(message.len() < 200, "{}", message.len());
    assert!(printable("a\r\nb").contains("\\r\\n"));
}
