//! Unit tests of `crate::cert`: the description of a fixture certificate
//! (made once with `openssl ca`, see testdata/README.md), date formatting,
//! option parsing, error texts and kinds, and whole checks against an
//! in-process rustls server on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use super::describe::{self as cert, iso8601};
use super::*;

const FIXTURE_LEAF: &str = include_str!("testdata/fixture-leaf.pem");
const FIXTURE_CA: &str = include_str!("testdata/fixture-ca.pem");

fn der(pem: &str) -> Vec<u8> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .expect("fixture PEM")
        .as_ref()
        .to_vec()
}

fn testdata(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/cert/testdata")
        .join(file)
}

fn domain(name: &str) -> Domain {
    crate::domain::normalize(name).expect("valid test domain")
}

fn opts(pairs: &[(&str, OptionValue)]) -> Vec<(String, OptionValue)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

// ------------------------------------------------------------ description

#[test]
fn fixture_leaf_fields() {
    let info = cert::parse(&der(FIXTURE_LEAF)).expect("parsable");
    assert_eq!(
        info.subject,
        "CN=fixture.test, UID=ops, OU=Web, O=Bücher\\, GmbH, C=DE"
    );
    assert_eq!(info.issuer, "CN=Closte Fixture CA, O=Closte Fixtures");
    // UTCTime 200102030405Z and GeneralizedTime 20520304050607Z.
    assert_eq!(iso8601(info.not_before), "2020-01-02T03:04:05Z");
    assert_eq!(iso8601(info.not_after), "2052-03-04T05:06:07Z");
    // Every SAN type, each where it belongs.
    assert_eq!(info.dns_names, vec!["fixture.test", "*.wild.fixture.test"]);
    assert_eq!(info.ip_addresses, vec!["127.0.0.1"]);
    assert_eq!(info.other_names, vec!["email:ops@fixture.test"]);
    assert_eq!(info.key_algorithm, "EC P-256");
    assert_eq!(info.signature_algorithm, "ecdsa-with-SHA256");
    assert!(
        info.serial.split(':').all(|b| b.len() == 2),
        "{}",
        info.serial
    );
    assert!(!info.self_issued);
}

#[test]
fn fixture_ca_is_self_issued_without_san() {
    let info = cert::parse(&der(FIXTURE_CA)).expect("parsable");
    assert!(info.self_issued);
    assert_eq!(info.subject, info.issuer);
    assert!(info.dns_names.is_empty());
    assert_eq!(iso8601(info.not_before), "2020-01-01T00:00:00Z");
    assert_eq!(iso8601(info.not_after), "2070-01-01T00:00:00Z");
}

#[test]
fn truncated_or_corrupted_der_never_panics() {
    let good = der(FIXTURE_LEAF);
    for len in 0..good.len() {
        assert!(
            cert::parse(&good[..len]).is_none(),
            "a {len}-byte prefix parsed"
        );
    }
    // Every single-byte corruption: any answer is fine, a panic is not.
    for i in 0..good.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= flip;
            let _ = cert::parse(&bad);
        }
    }
    assert!(cert::parse(b"").is_none());
    assert!(cert::parse(b"\x30\x84\xff\xff\xff\xff").is_none());
    assert!(cert::parse(b"\x30\x80\x00\x00").is_none());
}

#[test]
fn iso8601_edges() {
    assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
    assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(iso8601(253_402_300_799), "9999-12-31T23:59:59Z");
}

#[test]
fn days_left_rounds_down() {
    let now = 1_000_000_000;
    assert_eq!(days_left(now + 30 * 86_400 + 5, now), 30);
    assert_eq!(days_left(now + 86_399, now), 0);
    assert_eq!(days_left(now, now), 0);
    assert_eq!(days_left(now - 1, now), -1);
    assert_eq!(days_left(now - 86_400, now), -1);
    assert_eq!(days_left(now - 86_401, now), -2);
}

// ------------------------------------------------------------ options

#[test]
fn options_defaults_and_values() {
    let o = parse_options(&[]).expect("defaults");
    assert_eq!(o, CheckOptions::default());
    assert_eq!(o.port, 443);
    assert_eq!(o.timeout, Duration::from_secs(10));
    let o = parse_options(&opts(&[
        ("host", OptionValue::Str("[::1]".into())),
        ("port", OptionValue::Int(8443)),
        ("timeout", OptionValue::Float(0.5)),
        ("ca_file", OptionValue::Str("/tmp/ca.pem".into())),
    ]))
    .expect("valid");
    assert_eq!(o.host.as_deref(), Some("::1"));
    assert_eq!(o.port, 8443);
    assert_eq!(o.timeout, Duration::from_millis(500));
    assert_eq!(o.ca_file, Some(PathBuf::from("/tmp/ca.pem")));
    let o = parse_options(&opts(&[("host", OptionValue::Str("LocalHost.".into()))])).expect("name");
    assert_eq!(o.host.as_deref(), Some("localhost"));
}

#[test]
fn bad_options_are_configuration_errors_naming_the_option() {
    let cases: Vec<(&str, OptionValue, &str)> = vec![
        ("port", OptionValue::Int(0), "'port'"),
        ("port", OptionValue::Int(65_536), "'port'"),
        ("port", OptionValue::Str("443".into()), "must be an integer"),
        ("timeout", OptionValue::Int(0), "'timeout'"),
        ("timeout", OptionValue::Float(f64::NAN), "'timeout'"),
        ("timeout", OptionValue::Bool(true), "number of seconds"),
        ("host", OptionValue::Str("a b".into()), "'host'"),
        ("host", OptionValue::Str("-x.test".into()), "'host'"),
        ("host", OptionValue::Str("".into()), "'host'"),
        ("host", OptionValue::Null, "got null"),
        ("ca_file", OptionValue::Str(" ".into()), "'ca_file'"),
        ("ca_file", OptionValue::Other("array"), "got array"),
        (
            "api_key",
            OptionValue::Str("x".into()),
            "Unknown option 'api_key'; known options: host, port, ca_file, timeout",
        ),
    ];
    for (name, value, expected) in cases {
        match parse_options(&opts(&[(name, value.clone())])) {
            Err(Error::Configuration { reason: text }) => {
                assert!(text.contains(expected), "{name}={value:?}: {text}")
            }
            other => panic!("{name}={value:?}: expected a configuration error, got {other:?}"),
        }
    }
}

#[test]
fn ca_file_problems_are_configuration_errors() {
    let missing = load_ca_file(std::path::Path::new("/nonexistent/closte/ca.pem"));
    assert!(
        matches!(missing, Err(Error::Configuration { reason: ref t }) if t.contains("no such file")),
        "{missing:?}"
    );
    let key = load_ca_file(&testdata("fixture-leaf.key"));
    assert!(
        matches!(key, Err(Error::Configuration { reason: ref t }) if t.contains("no usable certificate")),
        "{key:?}"
    );
    let dir = load_ca_file(&testdata(""));
    assert!(
        matches!(dir, Err(Error::Configuration { reason: ref t }) if t.contains("not a regular file")),
        "{dir:?}"
    );
    assert_eq!(
        load_ca_file(&testdata("fixture-ca.pem")).map(|s| s.len()),
        Ok(1)
    );
}

#[test]
fn host_names() {
    assert!(is_host_name("localhost"));
    assert!(is_host_name("a-b.example"));
    assert!(!is_host_name(""));
    assert!(!is_host_name("a..b"));
    assert!(!is_host_name("a_b"));
    assert!(!is_host_name(&"a".repeat(64)));
}

// ------------------------------------------------------------ error texts

fn leaf_info() -> CertInfo {
    cert::parse(&der(FIXTURE_LEAF)).expect("parsable")
}

#[test]
fn verdict_texts_and_kinds() {
    let now = 2_000_000_000;
    let leaf = leaf_info();
    let verdict = |e: CertificateError, c: Option<&CertInfo>| {
        describe_verdict(&rustls::Error::InvalidCertificate(e), "shop.test", c, now)
    };
    let text = |e: CertificateError, c: Option<&CertInfo>| verdict(e, c).1;
    assert_eq!(
        verdict(CertificateError::Expired, Some(&leaf)),
        (
            TlsProblem::Expired,
            format!(
                "expired: the certificate expired on 2052-03-04T05:06:07Z ({} days ago)",
                (now - leaf.not_after).div_euclid(86_400)
            )
        )
    );
    assert_eq!(
        verdict(CertificateError::NotValidYet, Some(&leaf)),
        (
            TlsProblem::NotYetValid,
            "not yet valid: the certificate is valid from 2020-01-02T03:04:05Z".to_string()
        )
    );
    assert_eq!(
        verdict(CertificateError::NotValidForName, Some(&leaf)),
        (
            TlsProblem::NameMismatch,
            "name mismatch: the certificate is for fixture.test, *.wild.fixture.test, 127.0.0.1, not shop.test".to_string()
        )
    );
    assert!(text(CertificateError::UnknownIssuer, Some(&leaf))
        .starts_with("unknown issuer: \"CN=Closte Fixture CA, O=Closte Fixtures\""));
    let mut own = leaf.clone();
    own.self_issued = true;
    assert_eq!(
        verdict(CertificateError::UnknownIssuer, Some(&own)).0,
        TlsProblem::SelfSigned
    );
    assert!(text(CertificateError::UnknownIssuer, None).starts_with("unknown issuer:"));
    assert!(text(CertificateError::Expired, None).starts_with("expired:"));
    assert_eq!(
        verdict(CertificateError::BadSignature, None),
        (
            TlsProblem::BadCertificate,
            "bad certificate: the certificate is not correctly signed by its issuer".to_string()
        )
    );
}

/// webpki's own errors reach us inside `CertificateError::Other`; their
/// Display is Rust debug output, which must never become the text.
#[test]
fn webpki_errors_are_sentences_not_debug_output() {
    let other =
        |e: webpki::Error| CertificateError::Other(rustls::OtherError(std::sync::Arc::new(e)));
    for (e, expected) in [
        (
            webpki::Error::UnsupportedCriticalExtension,
            "bad certificate: the certificate has a critical extension that is not understood, so it cannot be trusted",
        ),
        (
            webpki::Error::UnsupportedCertVersion,
            "bad certificate: the certificate is not an X.509 version 3 certificate",
        ),
        (
            webpki::Error::BadDer,
            "bad certificate: the certificate is malformed or uses a feature that cannot be verified",
        ),
    ] {
        let (problem, text) = describe_verdict(
            &rustls::Error::InvalidCertificate(other(e)),
            "shop.test",
            None,
            0,
        );
        assert_eq!(problem, TlsProblem::BadCertificate);
        assert_eq!(problem.code(), "bad_certificate");
        assert_eq!(text, expected);
        assert!(!text.contains("Other") && !text.contains('('), "{text}");
    }
}

#[test]
fn tls_error_texts() {
    let alert = describe_tls_error(&rustls::Error::AlertReceived(
        rustls::AlertDescription::HandshakeFailure,
    ));
    assert_eq!(
        alert,
        "handshake failure: the server sent the TLS alert handshake_failure"
    );
    assert_eq!(secs_text(Duration::from_secs(10)), "10 s");
    assert_eq!(secs_text(Duration::from_millis(1500)), "1.5 s");
}

// ------------------------------------------------------------ whole checks

#[test]
fn wildcard_domain_is_rejected_before_any_traffic() {
    let result = check(&domain("*.example.com"), &CheckOptions::default());
    assert!(
        matches!(result, Err(Error::InvalidDomain { reason: ref t }) if t.contains("wildcard")),
        "{result:?}"
    );
}

fn loopback(port: u16, timeout_ms: u64) -> CheckOptions {
    CheckOptions {
        host: Some("127.0.0.1".into()),
        port,
        ca_file: Some(testdata("fixture-ca.pem")),
        timeout: Duration::from_millis(timeout_ms),
    }
}

#[test]
fn refused_connection_is_a_report() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let report = check(&domain("fixture.test"), &loopback(port, 2000)).expect("a report");
    assert!(!report.ok && !report.valid);
    assert_eq!(
        report.error,
        Some(format!("connection refused by 127.0.0.1:{port}"))
    );
    assert_eq!(report.cert, None);
    assert_eq!(report.days_left(), None);
}

#[test]
fn silent_server_times_out_on_time() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let started = Instant::now();
    let report = check(&domain("fixture.test"), &loopback(port, 300)).expect("a report");
    let elapsed = started.elapsed();
    assert!(!report.ok);
    assert_eq!(
        report.error.as_deref(),
        Some("timeout: the TLS handshake did not finish within 0.3 s")
    );
    assert!(
        elapsed >= Duration::from_millis(280) && elapsed < Duration::from_millis(1500),
        "{elapsed:?}"
    );
    drop(listener);
}

/// A server that sends its handshake a byte at a time keeps every single
/// read short: only a deadline over the whole check ends it on time.
#[test]
fn a_trickled_handshake_times_out_on_time() {
    let server = crate::testing::Server::start(|_, stream| {
        crate::testing::trickled_tls_handshake(stream, Duration::from_millis(20));
    });
    let started = Instant::now();
    let report = check(&domain("fixture.test"), &loopback(server.port, 700)).expect("a report");
    let elapsed = started.elapsed();
    assert!(!report.ok);
    assert_eq!(report.failure, Some(Failure::Timeout));
    assert_eq!(report.failure.map(Failure::code), Some("timeout"));
    assert!(
        elapsed >= Duration::from_millis(680) && elapsed < Duration::from_millis(1200),
        "{elapsed:?}"
    );
}

/// Serves one TLS handshake with the fixture leaf on a loopback port.
fn fixture_server() -> (u16, std::thread::JoinHandle<()>) {
    let config = crate::testing::tls_config();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let handle = std::thread::spawn(move || {
        let (mut sock, _) = listener.accept().expect("accept");
        sock.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut conn = rustls::ServerConnection::new(config).expect("conn");
        while conn.is_handshaking() {
            if conn.complete_io(&mut sock).is_err() {
                return;
            }
        }
        // Wait for the client's close_notify (or EOF) so the test ends clean.
        let _ = conn.complete_io(&mut sock);
        let mut rest = Vec::new();
        let _ = conn.reader().read_to_end(&mut rest);
        let _ = sock.flush();
    });
    (port, handle)
}

#[test]
fn handshake_with_a_trusted_fixture_certificate() {
    let (port, server) = fixture_server();
    let report = check(&domain("fixture.test"), &loopback(port, 5000)).expect("a report");
    server.join().expect("server thread");
    assert_eq!(report.error, None);
    assert!(report.ok && report.valid);
    assert_eq!(report.address, Some(format!("127.0.0.1:{port}")));
    assert_eq!(report.protocol.as_deref(), Some("TLSv1.3"));
    let cert = report.cert.as_ref().expect("certificate details");
    assert_eq!(cert.dns_names, vec!["fixture.test", "*.wild.fixture.test"]);
    assert_eq!(
        report.days_left(),
        Some(days_left(cert.not_after, report.checked_at))
    );
}

#[test]
fn wildcard_san_covers_one_level_only() {
    for (name, valid) in [
        ("a.wild.fixture.test", true),
        ("a.b.wild.fixture.test", false),
        ("wild.fixture.test", false),
    ] {
        let (port, server) = fixture_server();
        let report = check(&domain(name), &loopback(port, 5000)).expect("a report");
        server.join().expect("server thread");
        assert!(report.ok, "{name}: {:?}", report.error);
        assert_eq!(report.valid, valid, "{name}: {:?}", report.error);
        if !valid {
            assert!(
                report
                    .error
                    .as_deref()
                    .is_some_and(|e| e.starts_with("name mismatch")),
                "{name}: {:?}",
                report.error
            );
        }
    }
}

#[test]
fn untrusted_without_the_ca_but_still_described() {
    let (port, server) = fixture_server();
    let mut options = loopback(port, 5000);
    // Trust some other CA: the fixture leaf's own certificate is no CA.
    options.ca_file = Some(testdata("fixture-leaf.pem"));
    let report = check(&domain("fixture.test"), &options).expect("a report");
    server.join().expect("server thread");
    assert!(report.ok && !report.valid);
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("unknown issuer")),
        "{:?}",
        report.error
    );
    assert_eq!(
        report.cert.map(|c| c.subject).as_deref(),
        Some("CN=fixture.test, UID=ops, OU=Web, O=Bücher\\, GmbH, C=DE")
    );
}

#[test]
fn dn_values_are_escaped_rfc4514_style() {
    assert_eq!(cert::escape_value("a,b+c"), "a\\,b\\+c");
    assert_eq!(cert::escape_value(" #x "), "\\ #x\\ ");
    assert_eq!(cert::escape_value("#x"), "\\#x");
    assert_eq!(cert::escape_value("plain"), "plain");
}
