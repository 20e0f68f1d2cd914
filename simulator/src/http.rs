//! Just enough HTTP/1.1 for the Closte client API: one request at a time per
//! connection, Content-Length bodies, keep-alive.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

pub const MAX_BODY: usize = 1024 * 1024;

pub struct Request {
    pub method: String,
    /// "HTTP/1.1" or "HTTP/1.0": 1.0 closes unless asked to keep alive.
    pub version: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn wants_close(&self) -> bool {
        match self.header("connection") {
            Some(v) if v.eq_ignore_ascii_case("close") => true,
            Some(v) if v.eq_ignore_ascii_case("keep-alive") => false,
            _ => self.version == "HTTP/1.0",
        }
    }
}

pub enum ReadError {
    /// The peer closed the connection between requests.
    Closed,
    /// A malformed request: answer with this status, then close.
    Bad(u16, &'static str),
    Io,
}

pub fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Request, ReadError> {
    let mut line = String::new();
    match read_bounded_line(reader, &mut line) {
        Ok(0) => return Err(ReadError::Closed),
        Ok(_) => {}
        Err(_) => return Err(ReadError::Io),
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(400, "malformed request line"));
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        match read_bounded_line(reader, &mut header) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(_) => {}
            Err(_) => return Err(ReadError::Io),
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if headers.len() > 100 {
            return Err(ReadError::Bad(431, "too many headers"));
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let mut request = Request {
        method: method.to_string(),
        version: version.to_string(),
        path,
        query,
        headers,
        body: Vec::new(),
    };
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Bad(
            411,
            "chunked bodies are not supported; send Content-Length",
        ));
    }
    let length: usize = match request.header("content-length") {
        None => 0,
        Some(v) => v
            .parse()
            .map_err(|_| ReadError::Bad(400, "bad Content-Length"))?,
    };
    if length > MAX_BODY {
        return Err(ReadError::Bad(413, "request body over 1 MiB"));
    }
    request.body = vec![0; length];
    reader
        .read_exact(&mut request.body)
        .map_err(|_| ReadError::Io)?;
    Ok(request)
}

/// A request or header line is at most 8 KiB; a longer one is an error.
fn read_bounded_line(reader: &mut BufReader<TcpStream>, line: &mut String) -> io::Result<usize> {
    const MAX_LINE: u64 = 8 * 1024;
    let n = reader.by_ref().take(MAX_LINE).read_line(line)?;
    if n as u64 == MAX_LINE && !line.ends_with('\n') {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
    }
    Ok(n)
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: value.to_string().into_bytes(),
        }
    }

    pub fn with_header(mut self, name: &str, value: String) -> Self {
        self.headers.push((name.to_string(), value));
        self
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes the status line and headers; `content_length` may lie on purpose.
pub fn write_head(
    out: &mut impl Write,
    r: &Response,
    content_length: usize,
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        content_length,
        if close { "close" } else { "keep-alive" }
    );
    for (name, value) in &r.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())
}

/// One write for the whole answer, as a server sends a small answer: the
/// head and the body in two writes would be two TCP segments (the socket
/// has TCP_NODELAY), and a client would often wake up twice per answer.
pub fn write_response(out: &mut impl Write, r: &Response, close: bool) -> io::Result<()> {
    let mut answer = Vec::with_capacity(256 + r.body.len());
    write_head(&mut answer, r, r.body.len(), close)?;
    answer.extend_from_slice(&r.body);
    out.write_all(&answer)?;
    out.flush()
}

/// `application/x-www-form-urlencoded` (also a query string) into pairs.
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        let pairs =
            parse_form("apikey=a%2Bb%2F%3D%26x&domain=*.ex+ample.com&wildcard=1&bad=%zz&end=%4");
        assert_eq!(pairs[0], ("apikey".into(), "a+b/=&x".into()));
        assert_eq!(pairs[1], ("domain".into(), "*.ex ample.com".into()));
        assert_eq!(pairs[2], ("wildcard".into(), "1".into()));
        assert_eq!(pairs[3], ("bad".into(), "%zz".into()));
        assert_eq!(pairs[4], ("end".into(), "%4".into()));
    }
}
