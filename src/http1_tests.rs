use super::*;

fn head(text: &str) -> Head {
    match parse_head(text.as_bytes()) {
        Ok(Some(head)) => head,
        other => panic!("no head in {text:?}: {other:?}"),
    }
}

#[test]
fn a_json_answer_with_a_length() {
    let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"success\":true}";
    let h = head(text);
    assert_eq!(h.status, 200);
    assert_eq!(h.framing, Framing::Length(16));
    assert_eq!(&text[h.length..], "{\"success\":true}");
    assert!(h.keep_alive);
    assert_eq!(h.retry_after, None);
}

#[test]
fn an_incomplete_head_asks_for_more_and_a_huge_one_is_refused() {
    assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Le"), Ok(None));
    let mut big = b"HTTP/1.1 200 OK\r\nX: ".to_vec();
    big.resize(MAX_HEAD_BYTES + 10, b'a');
    assert!(parse_head(&big).is_err());
    assert!(parse_head(b"<html>hello</html>\r\n\r\n").is_err());
}

#[test]
fn connection_close_http_1_0_and_retry_after() {
    let h = head("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(h.status, 429);
    assert!(!h.keep_alive);
    assert_eq!(h.retry_after.as_deref(), Some("3"));
    assert!(!head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
    assert!(
        head("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keep_alive
    );
}

#[test]
fn framing_rules() {
    assert_eq!(
        head("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n").framing,
        Framing::Empty
    );
    assert_eq!(head("HTTP/1.1 200 OK\r\n\r\n").framing, Framing::UntilClose);
    assert_eq!(
        head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 3\r\n\r\n")
            .framing,
        Framing::Chunked
    );
    assert_eq!(
        head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").framing,
        Framing::UntilClose
    );
    assert!(
        parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n").is_err()
    );
    assert!(parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").is_err());
}

#[test]
fn chunked_body_fed_byte_by_byte() {
    let wire = b"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\nNEXT";
    let mut decoder = Chunked::default();
    let (mut buf, mut body) = (Vec::new(), Vec::new());
    let mut done_at = None;
    for (i, byte) in wire.iter().enumerate() {
        buf.push(*byte);
        if decoder.feed(&mut buf, &mut body) == Ok(Progress::Done) {
            done_at = Some(i);
            break;
        }
    }
    assert_eq!(body, b"hello, world");
    assert_eq!(
        done_at,
        Some(wire.len() - 5),
        "done right after the trailer"
    );
}

#[test]
fn chunked_body_in_one_piece_leaves_what_follows() {
    let mut buf = b"3\r\nabc\r\n0\r\n\r\nHTTP/1.1".to_vec();
    let mut body = Vec::new();
    assert_eq!(
        Chunked::default().feed(&mut buf, &mut body),
        Ok(Progress::Done)
    );
    assert_eq!(body, b"abc");
    assert_eq!(buf, b"HTTP/1.1");
}

#[test]
fn bad_chunks_are_errors() {
    let mut body = Vec::new();
    assert!(Chunked::default()
        .feed(&mut b"zz\r\n".to_vec(), &mut body)
        .is_err());
    assert!(Chunked::default()
        .feed(&mut b"3\r\nabcXY".to_vec(), &mut body)
        .is_err());
    let mut long = vec![b'1'; MAX_CHUNK_LINE + 1];
    assert!(Chunked::default().feed(&mut long, &mut body).is_err());
}
