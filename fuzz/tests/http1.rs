//! Property tests of the HTTP/1 answer reader (src/http1.rs): whatever
//! bytes a server sends, nothing panics; a chunked body, however it is cut
//! into chunks and however its bytes arrive, decodes to what was sent.

use closte_fuzz::http1::{parse_head, Chunked, Progress};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(4096);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// `body` as chunks of the given sizes (cycled), with the odd extension and
/// a trailer, then `after`.
fn chunked(body: &[u8], sizes: &[usize], after: &[u8]) -> Vec<u8> {
    let mut wire = Vec::new();
    let (mut at, mut i) = (0, 0);
    while at < body.len() {
        let size = sizes[i % sizes.len()].min(body.len() - at);
        i += 1;
        let ext = if i % 3 == 0 { ";name=value" } else { "" };
        wire.extend_from_slice(format!("{size:x}{ext}\r\n").as_bytes());
        wire.extend_from_slice(&body[at..at + size]);
        wire.extend_from_slice(b"\r\n");
        at += size;
    }
    wire.extend_from_slice(b"0\r\nX-Trailer: t\r\n\r\n");
    wire.extend_from_slice(after);
    wire
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn head_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_head(&bytes);
    }

    #[test]
    fn head_length_is_where_the_body_starts(
        status in 200u16..600,
        length in 0usize..100_000,
        extra in prop::collection::vec("[A-Za-z-]{1,20}: [ -~]{0,40}", 0..8),
    ) {
        let mut text = format!("HTTP/1.1 {status} Whatever\r\nContent-Length: {length}\r\n");
        for header in &extra {
            if !header.to_ascii_lowercase().starts_with("content-length")
                && !header.to_ascii_lowercase().starts_with("transfer-encoding") {
                text.push_str(header.trim_end());
                text.push_str("\r\n");
            }
        }
        text.push_str("\r\nBODY");
        let head = parse_head(text.as_bytes()).ok().flatten();
        prop_assert!(head.is_some(), "{}", text);
        if let Some(head) = head {
            prop_assert_eq!(&text[head.length..], "BODY");
            prop_assert_eq!(head.status, status);
        }
    }

    #[test]
    fn chunked_decodes_whatever_the_cuts(
        body in prop::collection::vec(any::<u8>(), 0..3000),
        sizes in prop::collection::vec(1usize..700, 1..6),
        reads in prop::collection::vec(1usize..200, 1..20),
    ) {
        let wire = chunked(&body, &sizes, b"NEXT");
        let mut decoder = Chunked::default();
        let (mut buf, mut out) = (Vec::new(), Vec::new());
        let (mut at, mut i, mut done) = (0, 0, false);
        while at < wire.len() {
            let n = reads[i % reads.len()].min(wire.len() - at);
            i += 1;
            buf.extend_from_slice(&wire[at..at + n]);
            at += n;
            if decoder.feed(&mut buf, &mut out) == Ok(Progress::Done) {
                done = true;
                break;
            }
        }
        prop_assert!(done, "never done");
        prop_assert_eq!(&out, &body);
        // What followed the body is either still to read or in the buffer.
        let mut rest = buf.clone();
        rest.extend_from_slice(&wire[at..]);
        prop_assert_eq!(rest, b"NEXT".to_vec());
    }

    #[test]
    fn chunked_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut buf = bytes;
        let mut out = Vec::new();
        let _ = Chunked::default().feed(&mut buf, &mut out);
    }
}
