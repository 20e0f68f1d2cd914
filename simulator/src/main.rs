//! closte-sim: a stateful stand-in for Closte's client API on loopback, with
//! switchable faults. See README.md beside this file.

mod api;
mod control;
mod faults;
mod http;
mod state;

use std::io::{BufReader, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use faults::Kind;
use http::{write_head, write_response, ReadError, Request, Response};
use state::{Shared, State};

const USAGE: &str = "usage: closte-sim [--listen 127.0.0.1:0] [--port-file PATH] [--key KEY]... \
[--managed-suffix SUFFIX]... [--quiet]";

fn main() {
    let mut listen = "127.0.0.1:0".to_string();
    let mut port_file = None;
    let mut keys: Vec<String> = std::env::var("CLOSTE_SIM_KEYS")
        .map(|v| {
            v.split(',')
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut managed = vec!["closte.com".to_string(), "clostecloud.com".to_string()];
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| fail(USAGE)),
            "--port-file" => port_file = Some(args.next().unwrap_or_else(|| fail(USAGE))),
            "--key" => keys.push(args.next().unwrap_or_else(|| fail(USAGE))),
            "--managed-suffix" => managed.push(
                args.next()
                    .unwrap_or_else(|| fail(USAGE))
                    .to_ascii_lowercase(),
            ),
            "--quiet" => quiet = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let addr = resolve_loopback(&listen);
    let listener =
        TcpListener::bind(addr).unwrap_or_else(|e| fail(&format!("cannot listen on {addr}: {e}")));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| fail(&e.to_string()));
    println!(
        "closte-sim listening on http://{}/api/client",
        SocketAddr::new(addr.ip(), port)
    );
    let _ = std::io::stdout().flush();
    if let Some(path) = port_file {
        let tmp = format!("{path}.tmp");
        if std::fs::write(&tmp, port.to_string())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .is_err()
        {
            fail(&format!("cannot write the port file {path}"));
        }
    }
    let shared = Arc::new(Shared {
        state: std::sync::Mutex::new(State::default()),
        keys,
        managed_suffixes: managed,
        quiet,
    });
    for stream in listener.incoming().flatten() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || serve_connection(&shared, stream));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("closte-sim: {message}");
    std::process::exit(2);
}

/// Test traffic stays on this machine: only loopback addresses are served.
fn resolve_loopback(listen: &str) -> SocketAddr {
    let addrs: Vec<SocketAddr> = listen
        .to_socket_addrs()
        .map(Iterator::collect)
        .unwrap_or_default();
    let addr = addrs
        .into_iter()
        .next()
        .unwrap_or_else(|| fail(&format!("cannot resolve {listen:?}")));
    let loopback = match addr.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => ip.is_loopback(),
    };
    if !loopback {
        fail(&format!(
            "refusing to listen on {addr}: loopback addresses only"
        ));
    }
    addr
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    shared.lock().connections += 1;
    let Ok(reader_stream) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(reader_stream);
    let mut writer = stream;
    loop {
        // An idle kept-alive connection is dropped after a while, as servers
        // do; read per request so that a test can shorten it mid-run.
        let idle = shared
            .lock()
            .idle_timeout
            .unwrap_or(state::DEFAULT_IDLE_TIMEOUT);
        let _ = writer.set_read_timeout(Some(idle));
        let request = match http::read_request(&mut reader) {
            Ok(request) => request,
            Err(ReadError::Bad(status, why)) => {
                let _ = write_response(
                    &mut writer,
                    &Response::json(status, &json!({"success": false, "error": why})),
                    true,
                );
                return;
            }
            Err(ReadError::Closed | ReadError::Io) => return,
        };
        let close = request.wants_close();
        let keep_going = if request.path.starts_with(control::PREFIX) {
            write_response(&mut writer, &control::handle(shared, &request), close).is_ok()
        } else if request.path.starts_with(api::PREFIX) {
            serve_api(shared, &request, &mut writer, close)
        } else {
            // Not the API: not counted, never faulted.
            let not_found = Response::json(404, &json!({"success": false, "error": "Not found"}));
            write_response(&mut writer, &not_found, close).is_ok()
        };
        if !keep_going || close {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Serves one API request, fault included; false when the connection ends.
fn serve_api(shared: &Shared, request: &Request, writer: &mut TcpStream, close: bool) -> bool {
    let started = Instant::now();
    let endpoint = request
        .path
        .strip_prefix(api::PREFIX)
        .unwrap_or(&request.path)
        .to_string();
    let fault = {
        let mut state = shared.lock();
        state.requests += 1;
        *state.by_endpoint.entry(endpoint.clone()).or_insert(0) += 1;
        let (kind, used_up) = state
            .fault
            .as_mut()
            .map_or((None, false), |plan| plan.select(&endpoint));
        if used_up {
            state.fault = None;
        }
        kind
    };
    let fault_name = fault.as_ref().map_or("none", Kind::name);
    // Decide and record first: a test reading /_sim/requests right after its
    // call returns must find the entry there.
    let action = match fault {
        None => Action::Write(apply(shared, request, &endpoint)),
        Some(Kind::Latency { ms }) => {
            std::thread::sleep(Duration::from_millis(ms));
            Action::Write(apply(shared, request, &endpoint))
        }
        Some(Kind::SuccessAfterApply) => {
            apply(shared, request, &endpoint);
            Action::Close
        }
        Some(Kind::Reset) => Action::Close,
        Some(Kind::Hang { ms }) => Action::HangThenClose(ms),
        Some(Kind::Truncated) => Action::Truncated,
        Some(Kind::Oversized { bytes }) => Action::Oversized(bytes),
        Some(other) => Action::Write(canned(other)),
    };
    let status = match &action {
        Action::Write(response) => response.status,
        Action::Truncated | Action::Oversized(_) => 200,
        Action::Close | Action::HangThenClose(_) => 0,
    };
    log_request(shared, request, &endpoint, status, fault_name, started);
    match action {
        Action::Write(response) => write_response(writer, &response, close).is_ok(),
        Action::Close => false,
        Action::HangThenClose(ms) => {
            std::thread::sleep(Duration::from_millis(ms));
            false
        }
        Action::Truncated => {
            let body = br#"{"success":true,"domains":["#;
            let head = Response {
                status: 200,
                content_type: "application/json",
                headers: Vec::new(),
                body: Vec::new(),
            };
            let _ = write_head(writer, &head, body.len() + 200, true)
                .and_then(|()| writer.write_all(body));
            let _ = writer.flush();
            false
        }
        Action::Oversized(bytes) => write_oversized(writer, bytes, close),
    }
}

enum Action {
    Write(Response),
    Close,
    HangThenClose(u64),
    Truncated,
    Oversized(usize),
}

fn apply(shared: &Shared, request: &Request, endpoint: &str) -> Response {
    let mut state = shared.lock();
    api::serve(shared, &mut state, request, endpoint)
}

fn canned(kind: Kind) -> Response {
    match kind {
        Kind::Status { status, body, retry_after } => {
            let body = body.unwrap_or_else(|| json!({"success": false, "error": format!("Simulated {status}")}).to_string());
            let response = Response { status, content_type: "application/json", headers: Vec::new(), body: body.into_bytes() };
            match retry_after {
                Some(seconds) => response.with_header("Retry-After", seconds.to_string()),
                None => response,
            }
        }
        Kind::RateLimit { retry_after } => Response::json(429, &json!({"success": false, "error": "Too Many Requests"}))
            .with_header("Retry-After", retry_after.to_string()),
        Kind::BadJson => Response { status: 200, content_type: "application/json", headers: Vec::new(), body: b"{\"success\":tru".to_vec() },
        Kind::Html { status } => Response {
            status,
            content_type: "text/html",
            headers: Vec::new(),
            body: b"<html><head><title>Error</title></head><body><h1>Something went wrong</h1></body></html>".to_vec(),
        },
        Kind::Empty => Response { status: 200, content_type: "application/json", headers: Vec::new(), body: Vec::new() },
        Kind::Redirect { location, status } => Response { status, content_type: "text/plain", headers: Vec::new(), body: Vec::new() }
            .with_header("Location", location),
        other => Response::json(500, &json!({"success": false, "error": format!("unhandled fault {}", other.name())})),
    }
}

/// A valid JSON body of `bytes` bytes, streamed so a large one costs nothing.
fn write_oversized(writer: &mut TcpStream, bytes: usize, close: bool) -> bool {
    const OPEN: &[u8] = b"{\"success\":true,\"pad\":\"";
    const CLOSE: &[u8] = b"\"}";
    let bytes = bytes.max(OPEN.len() + CLOSE.len());
    let head = Response {
        status: 200,
        content_type: "application/json",
        headers: Vec::new(),
        body: Vec::new(),
    };
    let chunk = vec![b'x'; 64 * 1024];
    let mut result = write_head(writer, &head, bytes, close).and_then(|()| writer.write_all(OPEN));
    let mut left = bytes - OPEN.len() - CLOSE.len();
    while result.is_ok() && left > 0 {
        let n = left.min(chunk.len());
        result = writer.write_all(&chunk[..n]);
        left -= n;
    }
    result
        .and_then(|()| writer.write_all(CLOSE))
        .and_then(|()| writer.flush())
        .is_ok()
}

fn log_request(
    shared: &Shared,
    request: &Request,
    endpoint: &str,
    status: u16,
    fault: &str,
    started: Instant,
) {
    // `ms` is the time spent deciding (latency faults included), not writing.
    let mut fields = http::parse_form(&request.query);
    if request.method == "POST" {
        fields.extend(http::parse_form(&String::from_utf8_lossy(&request.body)));
    }
    let key = fields
        .iter()
        .find(|(k, _)| k == "apikey")
        .map(|(_, v)| v.clone());
    let shown: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .filter(|(k, _)| k != "apikey")
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let key_ok = key.as_deref().is_some_and(|k| shared.key_ok(k));
    let ms = started.elapsed().as_millis();
    if !shared.quiet {
        let who = key
            .as_deref()
            .map_or_else(|| "none".to_string(), state::fingerprint);
        eprintln!(
            "closte-sim {} {} -> {status} fault={fault} key={who} {ms}ms",
            request.method, request.path
        );
    }
    shared.lock().record(json!({
        "method": request.method,
        "path": request.path,
        "endpoint": endpoint,
        "fields": shown,
        "has_key": key.is_some(),
        "key_ok": key_ok,
        "status": status,
        "fault": fault,
        "ms": ms,
    }));
}
