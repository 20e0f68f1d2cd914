//! The exchange against small scripted servers on loopback: each accepted
//! connection answers the requests its script lists, then closes.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use url::Url;

use super::{exchange, Exchange, Failure};

/// Serves `script[i]` on the i-th connection; returns how many
/// connections it accepted.
fn serve(script: Vec<Vec<&'static str>>) -> (Url, JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!(
        "http://{}/api/client/x",
        listener.local_addr().unwrap()
    ))
    .unwrap();
    let handle = thread::spawn(move || {
        let mut accepted = 0;
        for answers in script {
            let (stream, _) = listener.accept().unwrap();
            accepted += 1;
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            for answer in answers {
                read_request(&mut reader);
                writer.write_all(answer.as_bytes()).unwrap();
            }
        }
        accepted
    });
    (url, handle)
}

fn read_request(reader: &mut impl BufRead) {
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
}

fn post(url: &Url, timeout: Duration) -> Result<super::Answer, Failure> {
    exchange(&Exchange {
        method: "POST",
        url,
        form: Some("apikey=k&domain=a.example.com"),
        user_agent: "closte-test",
        connect_timeout: timeout,
        timeout,
        max_body: 1024 * 1024,
    })
}

const OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{\"success\":true}";

#[test]
fn consecutive_exchanges_share_one_connection() {
    let (url, server) = serve(vec![vec![OK, OK, OK]]);
    for _ in 0..3 {
        let answer = post(&url, Duration::from_secs(5)).unwrap();
        assert_eq!(
            (answer.status, answer.body.as_slice()),
            (200, &b"{\"success\":true}"[..])
        );
    }
    assert_eq!(server.join().unwrap(), 1);
}

#[test]
fn a_connection_the_server_closed_while_idle_is_not_written_into() {
    // The first connection answers once and closes; the second call must
    // not notice, beyond using a new connection.
    let (url, server) = serve(vec![vec![OK], vec![OK]]);
    post(&url, Duration::from_secs(5)).unwrap();
    thread::sleep(Duration::from_millis(100)); // the FIN arrives
    assert_eq!(post(&url, Duration::from_secs(5)).unwrap().status, 200);
    assert_eq!(server.join().unwrap(), 2);
}

#[test]
fn connection_close_and_http_1_0_are_not_reused() {
    let close = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}";
    let old = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    let (url, server) = serve(vec![vec![close], vec![old], vec![OK]]);
    let bodies: Vec<Vec<u8>> = (0..3)
        .map(|_| post(&url, Duration::from_secs(5)).unwrap().body)
        .collect();
    assert_eq!(
        bodies,
        [
            b"{}".to_vec(),
            b"{}".to_vec(),
            b"{\"success\":true}".to_vec()
        ]
    );
    assert_eq!(server.join().unwrap(), 3);
}

#[test]
fn a_chunked_answer_is_read_whole_and_the_connection_kept() {
    let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{\"succe\r\n9\r\nss\":true}\r\n0\r\n\r\n";
    let (url, server) = serve(vec![vec![chunked, OK]]);
    assert_eq!(
        post(&url, Duration::from_secs(5)).unwrap().body,
        b"{\"success\":true}"
    );
    assert_eq!(post(&url, Duration::from_secs(5)).unwrap().status, 200);
    assert_eq!(server.join().unwrap(), 1);
}

#[test]
fn an_answer_announced_too_large_is_refused_unread() {
    let big = "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n";
    let (url, server) = serve(vec![vec![big]]);
    assert!(matches!(
        post(&url, Duration::from_secs(5)),
        Err(Failure::TooLarge(200))
    ));
    assert_eq!(server.join().unwrap(), 1);
}

#[test]
fn a_silent_server_costs_the_timeout_and_no_more() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}/x", listener.local_addr().unwrap())).unwrap();
    let started = Instant::now();
    let result = post(&url, Duration::from_millis(300));
    let elapsed = started.elapsed();
    match result {
        Err(Failure::Transport(message)) => assert!(message.contains("timeout"), "{message}"),
        Err(other) => panic!("{other:?}"),
        Ok(answer) => panic!("an answer from nowhere: {}", answer.status),
    }
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    drop(listener);
}

#[test]
fn an_answer_cut_short_is_a_transport_failure() {
    let cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"succ";
    let (url, server) = serve(vec![vec![cut]]);
    match post(&url, Duration::from_secs(5)) {
        Err(Failure::Transport(message)) => assert!(message.contains("broke"), "{message}"),
        Err(other) => panic!("{other:?}"),
        Ok(answer) => panic!("a cut answer was taken: {}", answer.status),
    }
    assert_eq!(server.join().unwrap(), 1);
}
