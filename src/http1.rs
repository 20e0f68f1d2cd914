//! Reading an HTTP/1.1 answer: the head (httparse does the parsing) and a
//! chunked body. No I/O here: `transport` reads, this decides what the
//! bytes mean, so `cargo test` covers it byte by byte.

/// A head larger than this is not an API answer.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 64;
/// A chunk-size line (hex digits and extensions) longer than this is
/// garbage, not a chunk.
const MAX_CHUNK_LINE: usize = 4096;

#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    /// Bytes of the head, blank line included.
    pub length: usize,
    pub framing: Framing,
    /// HTTP/1.1 without `Connection: close` (or 1.0 with `keep-alive`).
    pub keep_alive: bool,
    pub retry_after: Option<String>,
}

/// How the body's end is known.
#[derive(Debug, PartialEq, Eq)]
pub enum Framing {
    Empty,
    Length(usize),
    Chunked,
    UntilClose,
}

/// `Ok(None)` while the head is incomplete.
pub fn parse_head(buf: &[u8]) -> Result<Option<Head>, String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let length = match response.parse(buf) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD_BYTES => {
            return Err(format!(
                "the answer's headers are larger than {MAX_HEAD_BYTES} bytes"
            ))
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(format!("the answer is not HTTP ({e})")),
    };
    let status = response.code.unwrap_or(0);
    let version = response.version.unwrap_or(0);
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut transfer_encoding = false;
    let mut close = false;
    let mut keep_alive_token = false;
    let mut retry_after = None;
    for header in response.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        let value = value.trim();
        if header.name.eq_ignore_ascii_case("content-length") {
            let n = value.parse::<usize>().map_err(|_| {
                format!("the answer's Content-Length is not a number ({value:.40})")
            })?;
            if content_length.is_some_and(|m| m != n) {
                return Err("the answer has two different Content-Length headers".into());
            }
            content_length = Some(n);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            transfer_encoding = true;
            // Only the last coding says how the body ends.
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        } else if header.name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                close |= token.eq_ignore_ascii_case("close");
                keep_alive_token |= token.eq_ignore_ascii_case("keep-alive");
            }
        } else if header.name.eq_ignore_ascii_case("retry-after") {
            retry_after = Some(value.to_string());
        }
    }
    let framing = if (100..200).contains(&status) || status == 204 || status == 304 {
        Framing::Empty
    } else if transfer_encoding {
        // Transfer-Encoding wins over Content-Length (RFC 9112, 6.3).
        if chunked {
            Framing::Chunked
        } else {
            Framing::UntilClose
        }
    } else if let Some(n) = content_length {
        Framing::Length(n)
    } else {
        Framing::UntilClose
    };
    let keep_alive = !close && (version == 1 || keep_alive_token);
    Ok(Some(Head {
        status,
        length,
        framing,
        keep_alive,
        retry_after,
    }))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    More,
    Done,
}

/// Decodes a chunked body as its bytes arrive.
#[derive(Debug, Default)]
pub struct Chunked {
    /// Data bytes still to come in the current chunk, then its CRLF.
    left: usize,
    in_chunk: bool,
    in_trailer: bool,
}

impl Chunked {
    /// Moves what `buf` holds of the body into `body`, consuming it from
    /// `buf`; `Done` once the last chunk and the trailer have been read
    /// (anything after them stays in `buf`).
    pub fn feed(
        &mut self,
        buf: &mut Vec<u8>,
        body: &mut Vec<u8>,
    ) -> Result<Progress, &'static str> {
        loop {
            if self.in_trailer {
                // Trailer lines up to an empty one.
                let Some(end) = find_crlf(buf) else {
                    return if buf.len() > MAX_HEAD_BYTES {
                        Err("the trailer is too long")
                    } else {
                        Ok(Progress::More)
                    };
                };
                buf.drain(..end + 2);
                if end == 0 {
                    return Ok(Progress::Done);
                }
                continue;
            }
            if self.in_chunk {
                let take = self.left.min(buf.len());
                body.extend(buf.drain(..take));
                self.left -= take;
                if self.left > 0 {
                    return Ok(Progress::More);
                }
                if buf.len() < 2 {
                    return Ok(Progress::More);
                }
                if &buf[..2] != b"\r\n" {
                    return Err("a chunk does not end where its size says");
                }
                buf.drain(..2);
                self.in_chunk = false;
                continue;
            }
            let Some(end) = find_crlf(buf) else {
                return if buf.len() > MAX_CHUNK_LINE {
                    Err("a chunk-size line is too long")
                } else {
                    Ok(Progress::More)
                };
            };
            let line = String::from_utf8_lossy(&buf[..end]);
            let digits = line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(digits, 16).map_err(|_| "a chunk size is not hex")?;
            buf.drain(..end + 2);
            if size == 0 {
                self.in_trailer = true;
            } else {
                self.left = size;
                self.in_chunk = true;
            }
        }
    }
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
#[path = "http1_tests.rs"]
mod tests;
