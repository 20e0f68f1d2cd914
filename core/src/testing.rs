//! Hostile and scripted servers on loopback for the unit tests: each
//! accepted connection is handed to a script that writes what it likes,
//! as slowly as it likes, over plain TCP or TLS (the fixture certificate
//! in cert/testdata, valid for 127.0.0.1).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub const FIXTURE_LEAF: &str = include_str!("cert/testdata/fixture-leaf.pem");
pub const FIXTURE_KEY: &str = include_str!("cert/testdata/fixture-leaf.key");

pub fn testdata(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/cert/testdata")
        .join(file)
}

pub fn tls_config() -> Arc<rustls::ServerConfig> {
    let chain = vec![CertificateDer::from_pem_slice(FIXTURE_LEAF.as_bytes()).expect("leaf")];
    let key = PrivateKeyDer::from_pem_slice(FIXTURE_KEY.as_bytes()).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("server config");
    Arc::new(config)
}

/// A listener whose every connection runs `script(n, stream)` on its own
/// thread (`n` counts connections from 1). Threads are detached: a
/// trickling script may outlive its test, never the test process.
pub struct Server {
    pub port: u16,
    connections: Arc<AtomicUsize>,
}

impl Server {
    pub fn start<S>(script: S) -> Server
    where
        S: Fn(usize, TcpStream) + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let script = Arc::new(script);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                let script = script.clone();
                let _ = stream.set_nodelay(true);
                std::thread::spawn(move || script(n, stream));
            }
        });
        Server { port, connections }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and a Content-Length body) from `stream`;
/// `None` when the peer closed first.
pub fn read_request(stream: &mut impl Read) -> Option<String> {
    let mut data = Vec::new();
    let mut byte = [0u8; 1];
    while !data.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => data.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&data).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some(head + &String::from_utf8_lossy(&body))
}

/// Serves requests on one connection: for each, `answer(n)` is written
/// at once. Ends when the client closes.
pub fn answer_each(mut stream: TcpStream, answer: impl Fn(usize) -> Vec<u8>) {
    let mut n = 0;
    while read_request(&mut stream).is_some() {
        n += 1;
        if stream.write_all(&answer(n)).is_err() {
            return;
        }
    }
}

/// Writes `bytes` one at a time, `gap` apart, until done or the peer is
/// gone.
pub fn trickle(stream: &mut impl Write, bytes: &[u8], gap: Duration) {
    for byte in bytes {
        if stream
            .write_all(&[*byte])
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
        std::thread::sleep(gap);
    }
}

/// A TLS handshake whose every byte from the server goes out `gap` apart.
pub fn trickled_tls_handshake(mut stream: TcpStream, gap: Duration) {
    let Ok(mut conn) = rustls::ServerConnection::new(tls_config()) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    while conn.is_handshaking() {
        if conn.wants_read() && conn.read_tls(&mut stream).unwrap_or(0) == 0 {
            return;
        }
        if conn.process_new_packets().is_err() {
            return;
        }
        let mut out = Vec::new();
        while conn.wants_write() {
            if conn.write_tls(&mut out).is_err() {
                return;
            }
        }
        trickle(&mut stream, &out, gap);
    }
}

/// Completes a TLS handshake at full speed; the stream then speaks
/// through it.
pub fn tls_accept(
    stream: TcpStream,
) -> Option<rustls::StreamOwned<rustls::ServerConnection, TcpStream>> {
    let mut conn = rustls::ServerConnection::new(tls_config()).ok()?;
    let mut stream = stream;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    while conn.is_handshaking() {
        conn.complete_io(&mut stream).ok()?;
    }
    Some(rustls::StreamOwned::new(conn, stream))
}

/// `HTTP/1.1 200 OK` with a JSON body and its length.
pub fn json_answer(status_line: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_line}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}
