//! Reads the few fields of an X.509 certificate that a status report shows:
//! subject, issuer, validity dates and the DNS names of the subjectAltName
//! extension. A small DER reader of our own (no ASN.1 crate to compile and
//! ship); it never trusts a length and never panics on hostile input, it
//! returns `None` instead. Trust decisions are not made here: rustls/webpki
//! make them.

/// What a status report shows of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// The subject DN, most specific part first: `CN=www.example.com, O=Example`.
    pub subject: String,
    /// The issuer DN, in the same form.
    pub issuer: String,
    /// Seconds since the Unix epoch (UTC).
    pub not_before: i64,
    pub not_after: i64,
    /// The DNS names of the subjectAltName extension, as written.
    pub dns_names: Vec<String>,
    /// Issuer and subject are the same name: a self-signed (or at least
    /// self-issued) certificate.
    pub self_issued: bool,
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const OCTET_STRING: u8 = 0x04;
const BOOLEAN: u8 = 0x01;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version` of the TBSCertificate.
const VERSION_TAG: u8 = 0xa0;
/// `[3] EXPLICIT Extensions` of the TBSCertificate.
const EXTENSIONS_TAG: u8 = 0xa3;
/// `dNSName [2] IA5String` of a GeneralName.
const DNS_NAME_TAG: u8 = 0x82;
/// id-ce-subjectAltName, 2.5.29.17.
const OID_SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];

/// A cursor over DER bytes.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Der { rest: bytes }
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next tag and its contents.
    fn any(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, after_tag) = self.rest.split_first()?;
        // High tag numbers (low bits all set) never occur in what we read.
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, mut after_len) = after_tag.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 4 {
                return None; // indefinite length, or more than 4 GiB
            }
            let (len_bytes, tail) = after_len.split_at_checked(count)?;
            after_len = tail;
            len_bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        };
        let (contents, rest) = after_len.split_at_checked(len)?;
        self.rest = rest;
        Some((tag, contents))
    }

    /// The next element, which must carry `tag`.
    fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.any()? {
            (t, contents) if t == tag => Some(contents),
            _ => None,
        }
    }

    /// Skips the next element if it carries `tag`.
    fn optional(&mut self, tag: u8) -> Option<Option<&'a [u8]>> {
        if self.peek_tag() == Some(tag) {
            self.any().map(|(_, contents)| Some(contents))
        } else {
            Some(None)
        }
    }
}

/// Reads a DER certificate; `None` when it is not one we can read.
pub fn parse(der: &[u8]) -> Option<CertInfo> {
    let mut outer = Der::new(der);
    let certificate = outer.expect(SEQUENCE)?;
    let mut certificate = Der::new(certificate);
    let mut tbs = Der::new(certificate.expect(SEQUENCE)?);

    tbs.optional(VERSION_TAG)?;
    tbs.any()?; // serialNumber
    tbs.expect(SEQUENCE)?; // signature AlgorithmIdentifier
    let issuer = tbs.expect(SEQUENCE)?;
    let mut validity = Der::new(tbs.expect(SEQUENCE)?);
    let not_before = time(validity.any()?)?;
    let not_after = time(validity.any()?)?;
    let subject = tbs.expect(SEQUENCE)?;
    tbs.expect(SEQUENCE)?; // subjectPublicKeyInfo

    let mut dns_names = Vec::new();
    while let Some((tag, contents)) = tbs.any() {
        if tag == EXTENSIONS_TAG {
            dns_names = subject_alt_dns_names(contents)?;
        }
    }

    Some(CertInfo {
        subject: name(subject)?,
        issuer: name(issuer)?,
        not_before,
        not_after,
        dns_names,
        self_issued: issuer == subject,
    })
}

/// The dNSName entries of the subjectAltName extension, if there is one.
fn subject_alt_dns_names(explicit: &[u8]) -> Option<Vec<String>> {
    let mut extensions = Der::new(Der::new(explicit).expect(SEQUENCE)?);
    let mut names = Vec::new();
    while !extensions.is_empty() {
        let mut extension = Der::new(extensions.expect(SEQUENCE)?);
        let oid = extension.expect(OID)?;
        extension.optional(BOOLEAN)?; // critical
        let value = extension.expect(OCTET_STRING)?;
        if oid != OID_SUBJECT_ALT_NAME {
            continue;
        }
        let mut general_names = Der::new(Der::new(value).expect(SEQUENCE)?);
        while !general_names.is_empty() {
            let (tag, contents) = general_names.any()?;
            if tag == DNS_NAME_TAG {
                names.push(printable_ascii(contents));
            }
        }
    }
    Some(names)
}

/// An RDNSequence as text, most specific part first (RFC 4514 order):
/// `CN=R11, O=Let's Encrypt, C=US`.
fn name(rdn_sequence: &[u8]) -> Option<String> {
    let mut rdns = Der::new(rdn_sequence);
    let mut parts = Vec::new();
    while !rdns.is_empty() {
        let mut set = Der::new(rdns.expect(SET)?);
        let mut attributes = Vec::new();
        while !set.is_empty() {
            let mut attribute = Der::new(set.expect(SEQUENCE)?);
            let oid = attribute.expect(OID)?;
            let (tag, value) = attribute.any()?;
            attributes.push(format!(
                "{}={}",
                attribute_name(oid),
                escape_value(&string_value(tag, value))
            ));
        }
        parts.push(attributes.join("+"));
    }
    parts.reverse();
    Some(parts.join(", "))
}

fn attribute_name(oid: &[u8]) -> String {
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x04] => "SN".into(),
        [0x55, 0x04, 0x05] => "serialNumber".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x09] => "STREET".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x55, 0x04, 0x2a] => "GN".into(),
        [0x55, 0x04, 0x61] => "organizationIdentifier".into(),
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC".into(),
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "UID".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        other => dotted_oid(other),
    }
}

/// An OID in dotted form, for attribute types we have no short name for.
pub(crate) fn dotted_oid(bytes: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in bytes {
        value = value
            .saturating_mul(128)
            .saturating_add(u64::from(b & 0x7f));
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A DirectoryString (or IA5String) as text; control characters replaced.
fn string_value(tag: u8, bytes: &[u8]) -> String {
    let text: String = match tag {
        // UTF8String
        0x0c => String::from_utf8_lossy(bytes).into_owned(),
        // BMPString: UTF-16BE
        0x1e => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|pair| match pair {
                    [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                    _ => 0xfffd,
                })
                .collect();
            String::from_utf16_lossy(&units)
        }
        // UniversalString: UCS-4BE
        0x1c => bytes
            .chunks(4)
            .map(|quad| match quad {
                [a, b, c, d] => {
                    char::from_u32(u32::from_be_bytes([*a, *b, *c, *d])).unwrap_or('\u{fffd}')
                }
                _ => '\u{fffd}',
            })
            .collect(),
        // PrintableString, IA5String, TeletexString (taken as Latin-1), and
        // anything else: one byte, one character.
        _ => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// A dNSName: ASCII by definition; anything else is shown, not trusted.
fn printable_ascii(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '\u{fffd}'
            }
        })
        .collect()
}

/// RFC 4514 escaping of the characters that would make a DN ambiguous.
pub(crate) fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A UTCTime or GeneralizedTime in the form DER requires (`...Z`, seconds
/// present), as seconds since the Unix epoch.
fn time((tag, bytes): (u8, &[u8])) -> Option<i64> {
    let text = std::str::from_utf8(bytes).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number =
        |range: std::ops::Range<usize>| digits.get(range).and_then(|s| s.parse::<i64>().ok());
    let (year, rest) = match (tag, digits.len()) {
        (UTC_TIME, 12) => {
            let yy = number(0..2)?;
            // RFC 5280 4.1.2.5.1: 50..99 are 19xx, 00..49 are 20xx.
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
        }
        (GENERALIZED_TIME, 14) => (number(0..4)?, 4),
        _ => return None,
    };
    let month = number(rest..rest + 2)?;
    let day = number(rest + 2..rest + 4)?;
    let hour = number(rest + 4..rest + 6)?;
    let minute = number(rest + 6..rest + 8)?;
    let second = number(rest + 8..rest + 10)?;
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count from 0000-03-01 so that the leap day is the last day of a year.
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix seconds as ISO 8601 UTC: `2026-01-31T23:59:59Z`.
pub fn iso8601(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}
