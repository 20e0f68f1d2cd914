//! The floor of the per-call benchmark: one kept-alive TCP connection
//! (TCP_NODELAY), one prebuilt HTTP/1.1 request written with a single
//! `write`, the answer read up to its Content-Length (or its last chunk).
//! Nothing else: no TLS, no pool, no retries, no JSON parsing beyond a
//! check that the answer says `"success":true`. Whatever the extension does
//! on top of this is its own cost.
//!
//! Usage: closte-floor --url http://127.0.0.1:PORT/api/client --key KEY
//!                     --cycles N [--warmup N] [--prefix NAME] [--out FILE]
//! Each cycle is one `adddomainalias` and one `deletedomainalias` for the
//! same domain. Writes one line per measured call, `add <µs>` or
//! `remove <µs>`, to FILE (or stdout), and a summary line to stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    host: String,
    port: u16,
    path: String,
    key: String,
    cycles: usize,
    warmup: usize,
    prefix: String,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut url = None;
    let mut key = None;
    let mut cycles = 1000;
    let mut warmup = 50;
    let mut prefix = "floor".to_string();
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => url = Some(value()?),
            "--key" => key = Some(value()?),
            "--cycles" => cycles = value()?.parse().map_err(|e| format!("--cycles: {e}"))?,
            "--warmup" => warmup = value()?.parse().map_err(|e| format!("--warmup: {e}"))?,
            "--prefix" => prefix = value()?,
            "--out" => out = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let url = url.ok_or("--url is required")?;
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs (loopback)")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/').to_string()),
        None => (rest, String::new()),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().map_err(|e| format!("port: {e}"))?),
        None => (authority.to_string(), 80),
    };
    Ok(Args {
        host,
        port,
        path,
        key: key.ok_or("--key is required")?,
        cycles,
        warmup,
        prefix,
        out,
    })
}

/// `application/x-www-form-urlencoded` for one value.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

struct Conn {
    reader: BufReader<TcpStream>,
    connections: usize,
}

impl Conn {
    fn open(host: &str, port: u16) -> std::io::Result<TcpStream> {
        let stream = TcpStream::connect((host, port))?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Sends `request`, returns (status, body, server asked to close).
    fn exchange(&mut self, request: &[u8]) -> std::io::Result<(u16, Vec<u8>, bool)> {
        self.reader.get_mut().write_all(request)?;
        let mut line = Vec::new();
        self.reader.read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        let status = std::str::from_utf8(&line)
            .ok()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other("bad status line"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            self.reader.read_until(b'\n', &mut line)?;
            if line == b"\r\n" || line == b"\n" || line.is_empty() {
                break;
            }
            let text = String::from_utf8_lossy(&line).to_ascii_lowercase();
            if let Some((name, value)) = text.split_once(':') {
                let value = value.trim();
                match name.trim() {
                    "content-length" => length = value.parse::<usize>().ok(),
                    "transfer-encoding" => chunked = value.contains("chunked"),
                    "connection" => close = value.contains("close"),
                    _ => {}
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_until(b'\n', &mut line)?;
                let size = usize::from_str_radix(
                    String::from_utf8_lossy(&line)
                        .trim()
                        .split(';')
                        .next()
                        .unwrap_or(""),
                    16,
                )
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
                let start = body.len();
                body.resize(start + size + 2, 0);
                self.reader.read_exact(&mut body[start..])?;
                body.truncate(start + size);
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        } else {
            self.reader.read_to_end(&mut body)?;
            close = true;
        }
        Ok((status, body, close))
    }
}

fn run(args: &Args) -> Result<(), String> {
    let host_header = format!("{}:{}", args.host, args.port);
    let build = |endpoint: &str, domain: &str| -> Vec<u8> {
        let body = format!(
            "apikey={}&domain={}&wildcard=0",
            form_encode(&args.key),
            form_encode(domain)
        );
        format!(
            "POST {}/{endpoint} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: closte-floor\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            args.path,
            body.len()
        )
        .into_bytes()
    };
    let stream = Conn::open(&args.host, args.port).map_err(|e| format!("connect: {e}"))?;
    let mut conn = Conn {
        reader: BufReader::with_capacity(16 * 1024, stream),
        connections: 1,
    };
    let mut lines = String::with_capacity((args.cycles * 2) * 16);
    let mut failures = 0usize;
    for i in 0..args.warmup + args.cycles {
        let domain = format!("{}-{i}.example.com", args.prefix);
        for (label, endpoint) in [("add", "adddomainalias"), ("remove", "deletedomainalias")] {
            let request = build(endpoint, &domain);
            let started = Instant::now();
            let (status, body, close) = match conn.exchange(&request) {
                Ok(answer) => answer,
                Err(_) => {
                    // The server dropped an idle connection: reconnect once.
                    let stream =
                        Conn::open(&args.host, args.port).map_err(|e| format!("reconnect: {e}"))?;
                    conn.reader = BufReader::with_capacity(16 * 1024, stream);
                    conn.connections += 1;
                    conn.exchange(&request)
                        .map_err(|e| format!("{endpoint}: {e}"))?
                }
            };
            let micros = started.elapsed().as_secs_f64() * 1e6;
            if status != 200 || !body.windows(14).any(|w| w == b"\"success\":true") {
                failures += 1;
            }
            if close {
                let stream =
                    Conn::open(&args.host, args.port).map_err(|e| format!("reconnect: {e}"))?;
                conn.reader = BufReader::with_capacity(16 * 1024, stream);
                conn.connections += 1;
            }
            if i >= args.warmup {
                lines.push_str(&format!("{label} {micros:.1}\n"));
            }
        }
    }
    match &args.out {
        Some(path) => std::fs::write(path, lines).map_err(|e| format!("{path}: {e}"))?,
        None => print!("{lines}"),
    }
    eprintln!(
        "closte-floor: {} cycles, {} connection(s), {failures} failure(s)",
        args.cycles, conn.connections
    );
    if failures > 0 {
        return Err(format!("{failures} call(s) did not answer success:true"));
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("closte-floor: {e}");
            ExitCode::FAILURE
        }
    }
}
