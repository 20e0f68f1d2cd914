//! Reading rustls' verdict: the verifier that records the chain and asks
//! WebPKI, and the texts that say what is wrong with a certificate.

use super::*;

/// A failed handshake as text: the TLS alert, the certificate problem, or
/// what happened to the connection.
pub(crate) fn describe_io_error(e: &io::Error) -> String {
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return describe_tls_error(tls);
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "handshake failure: the server closed the connection during the handshake".into()
        }
        io::ErrorKind::ConnectionReset => {
            "handshake failure: the server reset the connection during the handshake".into()
        }
        _ => format!("handshake failure: {e}"),
    }
}

/// A handshake error (not a certificate verdict) as text.
pub fn describe_tls_error(e: &rustls::Error) -> String {
    match e {
        rustls::Error::AlertReceived(alert) => {
            format!(
                "handshake failure: the server sent the TLS alert {}",
                snake_case(&format!("{alert:?}"))
            )
        }
        rustls::Error::PeerIncompatible(why) => {
            format!("handshake failure: no TLS version or cipher suite in common with the server ({why:?})")
        }
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::InappropriateMessage { .. } => {
            format!("handshake failure: the server does not speak TLS correctly ({e})")
        }
        rustls::Error::InvalidCertificate(cert_error) => {
            format!("handshake failure: {}", cert_error_text(cert_error))
        }
        other => format!("handshake failure: {other}"),
    }
}

/// `HandshakeFailure` → `handshake_failure`, the spelling of the TLS RFCs.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn cert_error_text(e: &CertificateError) -> String {
    format!("certificate rejected ({e})")
}

/// Why the certificate is not valid for `domain`, in words an admin can act
/// on. `cert` is the parsed leaf, when we could read it.
pub fn describe_verdict(
    e: &rustls::Error,
    domain: &str,
    cert: Option<&CertInfo>,
    now: i64,
) -> String {
    let rustls::Error::InvalidCertificate(cert_error) = e else {
        return format!("certificate rejected: {e}");
    };
    let unix = |t: &UnixTime| i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    match cert_error {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            let not_after = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_after),
                (None, CertificateError::ExpiredContext { not_after, .. }) => Some(unix(not_after)),
                _ => None,
            };
            match not_after {
                Some(t) => format!(
                    "expired: the certificate expired on {} ({} days ago)",
                    cert::iso8601(t),
                    (now - t).div_euclid(86_400)
                ),
                None => "expired: the certificate has expired".into(),
            }
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            let not_before = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_before),
                (None, CertificateError::NotValidYetContext { not_before, .. }) => Some(unix(not_before)),
                _ => None,
            };
            match not_before {
                Some(t) => format!("not yet valid: the certificate is valid from {}", cert::iso8601(t)),
                None => "not yet valid: the certificate is not valid yet".into(),
            }
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let names: Vec<String> = match (cert, cert_error) {
                (Some(c), _) => c.dns_names.clone(),
                (None, CertificateError::NotValidForNameContext { presented, .. }) => presented.clone(),
                _ => Vec::new(),
            };
            if names.is_empty() {
                format!("name mismatch: the certificate names no DNS name, so it is not valid for {domain}")
            } else {
                format!("name mismatch: the certificate is for {}, not {domain}", names.join(", "))
            }
        }
        CertificateError::UnknownIssuer => match cert {
            Some(c) if c.self_issued => {
                "self-signed: the certificate is self-signed, not issued by a trusted certificate authority".into()
            }
            Some(c) => format!(
                "unknown issuer: \"{}\" is not a trusted certificate authority (or the server does not send the intermediate certificates)",
                c.issuer
            ),
            None => "unknown issuer: the certificate is not issued by a trusted certificate authority".into(),
        },
        CertificateError::BadSignature => "bad signature: the certificate is not correctly signed by its issuer".into(),
        CertificateError::Revoked => "revoked: the certificate has been revoked".into(),
        CertificateError::BadEncoding => "malformed certificate: the server's certificate could not be parsed".into(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "wrong purpose: the certificate is not allowed for TLS servers (extended key usage)".into()
        }
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) if cert.is_some_and(|c| c.self_issued) => {
                "self-signed: the certificate is a self-signed CA certificate, not one issued to the server by a trusted certificate authority".into()
            }
            Some(webpki::Error::CaUsedAsEndEntity) => {
                "wrong certificate type: the server presents a CA certificate instead of a server certificate".into()
            }
            _ => format!("certificate rejected: {other}"),
        },
        other => format!("certificate rejected: {other}"),
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug)]
pub(super) struct Seen {
    pub(super) leaf: Vec<u8>,
    pub(super) verdict: std::result::Result<(), rustls::Error>,
}

/// Records the chain and the WebPKI verdict, and lets the handshake go on
/// whatever the verdict: the report needs the certificate either way. The
/// handshake signatures are still checked for real.
#[derive(Debug)]
pub(super) struct Recorder {
    webpki: Arc<WebPkiServerVerifier>,
    seen: Mutex<Option<Seen>>,
}

impl Recorder {
    pub(super) fn new(roots: Arc<RootCertStore>, provider: Arc<CryptoProvider>) -> Result<Self> {
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .map_err(|e| Error::Configuration(format!("No usable trusted certificates: {e}")))?;
        Ok(Recorder {
            webpki,
            seen: Mutex::new(None),
        })
    }

    pub(super) fn take(&self) -> Option<Seen> {
        self.seen.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        if let Ok(mut slot) = self.seen.lock() {
            *slot = Some(Seen {
                leaf: end_entity.as_ref().to_vec(),
                verdict,
            });
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
