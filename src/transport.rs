//! One HTTP/1.1 exchange with the Closte API, on a kept-alive connection
//! of this process, blocking on the calling thread.
//!
//! Why not a general HTTP client: the extension needs one request and one
//! answer at a time, and a general client (reqwest on a tokio runtime, as
//! before) cost about twice the floor of a loopback round trip per call,
//! most of it in machinery this job never uses (docs/PERFORMANCE.md). What
//! is here is that floor plus what the API needs: TLS (rustls), bounded
//! waits, a size cap, chunked answers, and the idle connection check.
//!
//! Fork safety: connections are kept per process id. A forked child finds
//! its parent's and closes its own copies of their descriptors, which
//! leaves the parent's connections as they are (a socket closes when its
//! last descriptor does; rustls sends nothing when dropped).

use std::io::{self, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};
use url::{Host, Url};

use crate::http1::{self, Framing, Head};
use crate::ssl;

/// Idle connections older than this are closed rather than reused: below
/// the keep-alive timeouts servers commonly use (nginx: 75 s).
const IDLE_KEEP: Duration = Duration::from_secs(50);
/// More idle connections than a sync at its highest concurrency can use.
const IDLE_MAX: usize = 64;

pub struct Exchange<'a> {
    pub method: &'static str,
    pub url: &'a Url,
    /// `Some` for a request with a body.
    pub form: Option<&'a str>,
    pub user_agent: &'a str,
    pub connect_timeout: Duration,
    /// For the whole exchange, connecting included.
    pub timeout: Duration,
    pub max_body: usize,
}

pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

#[derive(Debug)]
pub enum Failure {
    /// Nothing usable came back; another attempt may do better.
    Transport(String),
    /// The server's certificate is not trusted: it will not be in a second.
    Certificate(String),
    /// The answer is larger than `max_body`.
    TooLarge(u16),
}

/// Sends the request and reads the whole answer.
pub fn exchange(ex: &Exchange) -> Result<Answer, Failure> {
    let deadline = Instant::now() + ex.timeout;
    let target = Target::of(ex.url)?;
    let request = request_bytes(ex, &target);
    let (mut conn, reused) = match checkout(&target) {
        Some(conn) => (conn, true),
        None => (connect(&target, ex, deadline)?, false),
    };
    let unsent = |e: io::Error| Failure::Transport(format!("could not send the request ({e})"));
    if let Err(e) = send(&mut conn, &request) {
        if !reused {
            return Err(unsent(e));
        }
        // The server closed the kept-alive connection after the check: the
        // request was not delivered, so it goes again on a new connection.
        conn = connect(&target, ex, deadline)?;
        send(&mut conn, &request).map_err(unsent)?;
    }
    let (answer, reusable) = receive(&mut conn, ex, deadline)?;
    if reusable {
        checkin(target, conn);
    }
    Ok(answer)
}

/// Where a request goes: what the pool is keyed by.
#[derive(Clone, PartialEq, Eq)]
struct Target {
    tls: bool,
    /// For the resolver and the certificate: no brackets around IPv6.
    host: String,
    port: u16,
    /// For the Host header: as in the URL.
    authority: String,
}

impl Target {
    fn of(url: &Url) -> Result<Target, Failure> {
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            other => return Err(Failure::Transport(format!("unsupported scheme {other}"))),
        };
        let host = match url.host() {
            Some(Host::Domain(name)) => name.to_string(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => ip.to_string(),
            None => return Err(Failure::Transport("the URL has no host".into())),
        };
        let port = url
            .port_or_known_default()
            .unwrap_or(if tls { 443 } else { 80 });
        let shown = url.host_str().unwrap_or_default();
        let authority = match url.port() {
            Some(port) => format!("{shown}:{port}"),
            None => shown.to_string(),
        };
        Ok(Target {
            tls,
            host,
            port,
            authority,
        })
    }
}

fn request_bytes(ex: &Exchange, target: &Target) -> Vec<u8> {
    let mut path = ex.url.path().to_string();
    if let Some(query) = ex.url.query() {
        path.push('?');
        path.push_str(query);
    }
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nAccept: application/json\r\n",
        ex.method, target.authority, ex.user_agent
    );
    let body = ex.form.unwrap_or_default();
    if ex.form.is_some() {
        head.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Conn {
    fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(tcp) => tcp,
            Conn::Tls(tls) => tls.get_ref(),
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(tcp) => tcp.read(buf),
            Conn::Tls(tls) => tls.read(buf),
        }
    }
}

fn send(conn: &mut Conn, request: &[u8]) -> io::Result<()> {
    match conn {
        Conn::Plain(tcp) => tcp.write_all(request),
        Conn::Tls(tls) => {
            tls.write_all(request)?;
            tls.flush()
        }
    }
}

struct Idle {
    target: Target,
    conn: Conn,
    since: Instant,
}

struct Pool {
    pid: u32,
    idle: Vec<Idle>,
    tls: Option<Arc<ClientConfig>>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

fn with_pool<T>(f: impl FnOnce(&mut Pool) -> T) -> T {
    let pid = std::process::id();
    let mut guard = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    if guard.as_ref().is_some_and(|pool| pool.pid != pid) {
        *guard = None; // inherited from the parent: see the module comment
    }
    let pool = guard.get_or_insert_with(|| Pool {
        pid,
        idle: Vec::new(),
        tls: None,
    });
    f(pool)
}

/// The newest idle connection to `target` that is still open.
fn checkout(target: &Target) -> Option<Conn> {
    with_pool(|pool| {
        pool.idle.retain(|idle| idle.since.elapsed() < IDLE_KEEP);
        while let Some(at) = pool.idle.iter().rposition(|idle| idle.target == *target) {
            let idle = pool.idle.remove(at);
            if still_open(idle.conn.tcp()) {
                return Some(idle.conn);
            }
        }
        None
    })
}

fn checkin(target: Target, conn: Conn) {
    with_pool(|pool| {
        if pool.idle.len() >= IDLE_MAX {
            pool.idle.remove(0);
        }
        pool.idle.push(Idle {
            target,
            conn,
            since: Instant::now(),
        });
    });
}

/// Whether an idle connection can take a request: nothing to read, not
/// even the end of the stream. A server that closed it while it was idle
/// left a FIN (or a TLS alert) waiting; such a connection is dropped here,
/// before a request is written into it. One non-blocking peek.
fn still_open(tcp: &TcpStream) -> bool {
    let mut byte = [0u8; 1];
    // SAFETY: the descriptor belongs to `tcp`, alive for the call; the
    // buffer is ours and one byte long, as the length says.
    let read = unsafe {
        libc::recv(
            tcp.as_raw_fd(),
            byte.as_mut_ptr().cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    read < 0 && io::Error::last_os_error().kind() == io::ErrorKind::WouldBlock
}

fn connect(target: &Target, ex: &Exchange, deadline: Instant) -> Result<Conn, Failure> {
    let connect_deadline = deadline.min(Instant::now() + ex.connect_timeout);
    let limit = ex.connect_timeout.min(ex.timeout);
    let addrs = ssl::resolve(&target.host, target.port, connect_deadline, limit)
        .map_err(Failure::Transport)?;
    let (mut tcp, _) = ssl::connect(&addrs, connect_deadline, limit).map_err(Failure::Transport)?;
    let _ = tcp.set_nodelay(true);
    if !target.tls {
        bound_writes(&tcp, ex.timeout);
        return Ok(Conn::Plain(tcp));
    }
    let config = tls_config()?;
    let name = match target.host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(target.host.clone())
            .map_err(|e| Failure::Transport(format!("{}: {e}", target.host)))?,
    };
    let mut tls = ClientConnection::new(config, name)
        .map_err(|e| Failure::Transport(format!("TLS set-up failed: {e}")))?;
    ssl::drive_handshake(&mut tls, &mut tcp, deadline)
        .map_err(|e| handshake_failure(&e, ex.timeout))?;
    bound_writes(&tcp, ex.timeout);
    Ok(Conn::Tls(Box::new(StreamOwned::new(tls, tcp))))
}

/// Requests are small and the connection idle when one is written, so a
/// write does not wait in practice; the bound is for a stalled peer, for
/// every request the connection will carry.
fn bound_writes(tcp: &TcpStream, timeout: Duration) {
    let _ = tcp.set_write_timeout(Some(timeout));
}

/// The TLS settings of this process: the system's trust roots, TLS 1.2 and
/// 1.3 only (rustls has nothing older), HTTP/1.1.
fn tls_config() -> Result<Arc<ClientConfig>, Failure> {
    if let Some(config) = with_pool(|pool| pool.tls.clone()) {
        return Ok(config);
    }
    let roots = ssl::system_roots().map_err(|e| Failure::Transport(e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Failure::Transport(format!("TLS set-up failed: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    with_pool(|pool| pool.tls = Some(Arc::clone(&config)));
    Ok(config)
}

/// The texts are `closte_ssl_status()`'s, which names alerts and
/// certificate problems in words an admin can act on.
fn handshake_failure(e: &io::Error, timeout: Duration) -> Failure {
    if matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    ) {
        return timed_out(timeout);
    }
    let tls = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    if matches!(tls, Some(rustls::Error::InvalidCertificate(_))) {
        Failure::Certificate(ssl::describe_io_error(e))
    } else {
        Failure::Transport(ssl::describe_io_error(e))
    }
}

fn timed_out(timeout: Duration) -> Failure {
    Failure::Transport(format!(
        "no answer within {} s (timeout)",
        timeout.as_secs_f64()
    ))
}

/// Lets the next read wait until the deadline and no longer.
fn set_read_limit(tcp: &TcpStream, deadline: Instant, timeout: Duration) -> Result<(), Failure> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(timed_out(timeout));
    }
    tcp.set_read_timeout(Some(left))
        .map_err(|e| Failure::Transport(format!("socket error: {e}")))
}

/// Reads the answer; whether the connection can carry another request.
fn receive(conn: &mut Conn, ex: &Exchange, deadline: Instant) -> Result<(Answer, bool), Failure> {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let head = loop {
        match http1::parse_head(&buf).map_err(Failure::Transport)? {
            Some(head) if head.status >= 200 || head.status == 101 => break head,
            // An interim answer (100 Continue): the real one follows.
            Some(interim) => {
                buf.drain(..interim.length);
            }
            None => {
                if fill(conn, &mut buf, deadline, ex.timeout)? == 0 {
                    return Err(Failure::Transport(if buf.is_empty() {
                        "the server closed the connection without answering".into()
                    } else {
                        "the connection broke while reading the answer (it ended inside the headers)".into()
                    }));
                }
            }
        }
    };
    let Head {
        status,
        length,
        framing,
        keep_alive,
        retry_after,
    } = head;
    buf.drain(..length);
    let too_large = || Failure::TooLarge(status);
    let mut body = Vec::new();
    let reusable = match framing {
        Framing::Empty => keep_alive && buf.is_empty(),
        Framing::Length(n) => {
            if n > ex.max_body {
                return Err(too_large());
            }
            while buf.len() < n {
                if fill(conn, &mut buf, deadline, ex.timeout)? == 0 {
                    return Err(broken(format!("{} of {n} bytes came", buf.len())));
                }
            }
            body = buf.drain(..n).collect();
            keep_alive && buf.is_empty()
        }
        Framing::Chunked => {
            let mut decoder = http1::Chunked::default();
            loop {
                match decoder
                    .feed(&mut buf, &mut body)
                    .map_err(|e| broken(e.to_string()))?
                {
                    http1::Progress::Done => break,
                    http1::Progress::More => {}
                }
                if body.len() > ex.max_body {
                    return Err(too_large());
                }
                if fill(conn, &mut buf, deadline, ex.timeout)? == 0 {
                    return Err(broken("it ended inside a chunk".into()));
                }
            }
            keep_alive && buf.is_empty()
        }
        Framing::UntilClose => {
            body.append(&mut buf);
            while fill(conn, &mut body, deadline, ex.timeout)? > 0 {
                if body.len() > ex.max_body {
                    return Err(too_large());
                }
            }
            false
        }
    };
    if body.len() > ex.max_body {
        return Err(too_large());
    }
    Ok((
        Answer {
            status,
            retry_after,
            body,
        },
        reusable,
    ))
}

fn broken(detail: String) -> Failure {
    Failure::Transport(format!(
        "the connection broke while reading the answer ({detail})"
    ))
}

/// Reads what is there into `buf`, waiting until the deadline at most;
/// 0 at the end of the stream.
fn fill(
    conn: &mut Conn,
    buf: &mut Vec<u8>,
    deadline: Instant,
    timeout: Duration,
) -> Result<usize, Failure> {
    set_read_limit(conn.tcp(), deadline, timeout)?;
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match conn.read(&mut chunk) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(timed_out(timeout))
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
            Err(e) => return Err(broken(e.to_string())),
        }
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
