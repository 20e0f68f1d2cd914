//! The built binary, spoken to over raw TCP: the simulator must behave like
//! Closte for the client API, and keep connections alive.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Sim {
    child: Child,
    port: u16,
    /// The folder of its port file, removed with it: tests leave nothing in /tmp.
    dir: std::path::PathBuf,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start() -> Sim {
    let dir = std::env::temp_dir().join(format!(
        "closte-sim-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::create_dir_all(&dir);
    let port_file = dir.join("port");
    let _ = std::fs::remove_file(&port_file);
    let child = Command::new(env!("CARGO_BIN_EXE_closte-sim"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--quiet",
            "--key",
            "good-key",
            "--port-file",
        ])
        .arg(&port_file)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn closte-sim");
    // Owned by `Sim` from here on, whose Drop kills and waits for it.
    let mut sim = Sim {
        child,
        port: 0,
        dir,
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.port == 0 {
        if let Ok(port) = std::fs::read_to_string(&port_file).map(|t| t.trim().parse().unwrap_or(0))
        {
            sim.port = port;
        }
        assert!(Instant::now() < deadline, "simulator did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    sim
}

/// Sends one request on `stream`, returns (status, body).
fn exchange(stream: &mut TcpStream, method: &str, path: &str, body: &str) -> (u16, String) {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        if line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().expect("length");
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    (status, String::from_utf8(body).expect("utf8"))
}

fn connect(sim: &Sim) -> TcpStream {
    TcpStream::connect(("127.0.0.1", sim.port)).expect("connect")
}

#[test]
fn add_list_remove_per_key_on_one_kept_alive_connection() {
    let sim = start();
    let mut c = connect(&sim);
    let add = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key&domain=Shop.Example.com&wildcard=0",
    );
    assert_eq!(add, (200, r#"{"success":true}"#.to_string()));
    let again = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key&domain=shop.example.com&wildcard=0",
    );
    assert_eq!(again.0, 200, "re-adding is idempotent");
    let list = exchange(&mut c, "GET", "/api/client/getdomains?apikey=good-key", "");
    assert_eq!(
        list,
        (
            200,
            r#"{"domains":["shop.example.com"],"success":true}"#.to_string()
        )
    );
    let removed = exchange(
        &mut c,
        "POST",
        "/api/client/deletedomainalias",
        "apikey=good-key&domain=shop.example.com&wildcard=0",
    );
    assert_eq!(removed, (200, r#"{"success":true}"#.to_string()));
    let empty = exchange(&mut c, "GET", "/api/client/getdomains?apikey=good-key", "");
    assert_eq!(empty.1, r#"{"domains":[],"success":true}"#);
    let state = exchange(&mut c, "GET", "/_sim/state", "");
    assert!(state.1.contains(r#""connections":1"#), "{}", state.1);
    assert!(state.1.contains(r#""requests":5"#), "{}", state.1);
}

#[test]
fn answers_like_closte_to_a_missing_domain_and_a_bad_key() {
    let sim = start();
    let mut c = connect(&sim);
    let no_domain = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key",
    );
    assert_eq!(
        no_domain.1,
        r#"{"error":"Invalid or empty domain: ","success":false}"#
    );
    let bad_key = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=nope&domain=a.com",
    );
    assert_eq!(bad_key.1, r#"{"error":"Invalid API key","success":false}"#);
    let managed = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key&domain=Site.Closte.com",
    );
    assert_eq!(
        managed.1,
        r#"{"error":"Invalid or empty domain: Site.Closte.com","success":false}"#
    );
}

#[test]
fn a_counted_fault_applies_then_clears() {
    let sim = start();
    let mut c = connect(&sim);
    let set = exchange(
        &mut c,
        "POST",
        "/_sim/fault",
        r#"{"kind":"status","status":503,"count":1,"retry_after":2}"#,
    );
    assert_eq!(set.0, 200, "{}", set.1);
    let faulted = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key&domain=a.com",
    );
    assert_eq!(faulted.0, 503);
    let fine = exchange(
        &mut c,
        "POST",
        "/api/client/adddomainalias",
        "apikey=good-key&domain=a.com",
    );
    assert_eq!(fine, (200, r#"{"success":true}"#.to_string()));
    let log = exchange(&mut c, "GET", "/_sim/requests", "");
    assert!(
        !log.1.contains("good-key"),
        "the key is never shown: {}",
        log.1
    );
    assert!(log.1.contains(r#""fault":"status""#), "{}", log.1);
}

#[test]
fn refuses_to_listen_beyond_loopback() {
    let out = Command::new(env!("CARGO_BIN_EXE_closte-sim"))
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback addresses only"));
}
