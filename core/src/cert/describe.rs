//! What a status report shows of a certificate, read with x509-parser:
//! subject, issuer, serial, dates, every subjectAltName entry, the key and
//! the signature algorithm. Trust decisions are not made here: rustls and
//! webpki make them.

use std::net::IpAddr;

use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::objects::{oid2abbrev, oid2sn, oid_registry};
use x509_parser::oid_registry::{
    Oid, OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::X509Name;

/// What a status report shows of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// The subject DN, most specific part first: `CN=www.example.com, O=Example`.
    pub subject: String,
    /// The issuer DN, in the same form.
    pub issuer: String,
    /// The serial number, upper-case hex bytes separated by colons.
    pub serial: String,
    /// Seconds since the Unix epoch (UTC).
    pub not_before: i64,
    pub not_after: i64,
    /// The DNS names of the subjectAltName extension, as written.
    pub dns_names: Vec<String>,
    /// Its IP addresses, in their usual text form.
    pub ip_addresses: Vec<String>,
    /// Its other entries (e-mail, URI, ...), as `kind:value`.
    pub other_names: Vec<String>,
    /// `RSA 2048`, `EC P-256`, `Ed25519`.
    pub key_algorithm: String,
    /// `sha256WithRSAEncryption`, `ecdsa-with-SHA256`.
    pub signature_algorithm: String,
    /// Issuer and subject are the same name: a self-signed (or at least
    /// self-issued) certificate.
    pub self_issued: bool,
}

/// Reads a DER certificate; `None` when it is not one x509-parser reads.
pub fn parse(der: &[u8]) -> Option<CertInfo> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let tbs = &cert.tbs_certificate;
    let mut info = CertInfo {
        subject: name(&tbs.subject),
        issuer: name(&tbs.issuer),
        serial: serial(tbs.raw_serial()),
        not_before: tbs.validity.not_before.timestamp(),
        not_after: tbs.validity.not_after.timestamp(),
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        other_names: Vec::new(),
        key_algorithm: key_algorithm(&cert),
        signature_algorithm: algorithm_name(&cert.signature_algorithm.algorithm),
        self_issued: tbs.subject.as_raw() == tbs.issuer.as_raw(),
    };
    if let Ok(Some(san)) = tbs.subject_alternative_name() {
        for entry in &san.value.general_names {
            match entry {
                GeneralName::DNSName(name) => info.dns_names.push(printable(name)),
                GeneralName::IPAddress(bytes) => info.ip_addresses.push(ip_text(bytes)),
                GeneralName::RFC822Name(mail) => {
                    info.other_names.push(format!("email:{}", printable(mail)))
                }
                GeneralName::URI(uri) => info.other_names.push(format!("URI:{}", printable(uri))),
                GeneralName::DirectoryName(dn) => {
                    info.other_names.push(format!("DirName:{}", name(dn)))
                }
                GeneralName::RegisteredID(oid) => {
                    info.other_names.push(format!("RID:{}", oid.to_id_string()))
                }
                GeneralName::OtherName(oid, _) => info
                    .other_names
                    .push(format!("othername:{}", oid.to_id_string())),
                GeneralName::X400Address(_) => info.other_names.push("X400Name".into()),
                GeneralName::EDIPartyName(_) => info.other_names.push("EdiPartyName".into()),
                GeneralName::Invalid(_, _) => info.other_names.push("invalid entry".into()),
            }
        }
    }
    Some(info)
}

/// The attribute names RFC 4514 section 3 lists, in its spelling.
const RFC4514_NAMES: [&str; 9] = ["CN", "L", "ST", "O", "OU", "C", "STREET", "DC", "UID"];

/// RFC 4514 order (most specific first) and escaping; attribute types by
/// their short name, or dotted when unknown.
fn name(dn: &X509Name) -> String {
    let registry = oid_registry();
    let rdns: Vec<String> = dn
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let oid = attr.attr_type();
                    let short = match oid2abbrev(oid, registry) {
                        // RFC 4514's spelling of the names it lists.
                        Ok(name) if RFC4514_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name)) => {
                            name.to_ascii_uppercase()
                        }
                        Ok(name) => name.to_string(),
                        Err(_) => oid.to_id_string(),
                    };
                    let value = match attr.as_str() {
                        Ok(text) => escape_value(&printable(text)),
                        Err(_) => format!("#{}", hex(attr.as_slice())),
                    };
                    format!("{short}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}

/// Escapes the characters RFC 4514 reserves in an attribute value.
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

/// A certificate's text may hold anything: control characters are escaped
/// so a report never carries a line break.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escape
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn serial(raw: &[u8]) -> String {
    let trimmed = match raw {
        [0, rest @ ..] if !rest.is_empty() => rest,
        other => other,
    };
    trimmed
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes)
            .map(|b| IpAddr::from(b).to_string())
            .unwrap_or_default(),
        16 => <[u8; 16]>::try_from(bytes)
            .map(|b| IpAddr::from(b).to_string())
            .unwrap_or_default(),
        // Name constraints carry address and mask; not a leaf's SAN.
        _ => format!("#{}", hex(bytes)),
    }
}

fn algorithm_name(oid: &Oid) -> String {
    oid2sn(oid, oid_registry())
        .map(str::to_string)
        .unwrap_or_else(|_| oid.to_id_string())
}

fn key_algorithm(cert: &X509Certificate) -> String {
    let spki = cert.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => format!("RSA {}", rsa.key_size()),
        Ok(PublicKey::EC(point)) if spki.algorithm.algorithm == OID_KEY_TYPE_EC_PUBLIC_KEY => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok());
            match curve {
                Some(c) if c == OID_EC_P256 => "EC P-256".into(),
                Some(c) if c == OID_NIST_EC_P384 => "EC P-384".into(),
                Some(c) if c == OID_NIST_EC_P521 => "EC P-521".into(),
                Some(c) => format!("EC {}", algorithm_name(&c)),
                None => format!("EC {} bits", point.key_size()),
            }
        }
        _ => match algorithm_name(&spki.algorithm.algorithm).as_str() {
            "ed25519" => "Ed25519".into(),
            "ed448" => "Ed448".into(),
            other => other.to_string(),
        },
    }
}

/// Unix seconds as ISO 8601 UTC: `2026-01-31T23:59:59Z`.
pub fn iso8601(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
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
