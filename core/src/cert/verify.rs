//! Reading rustls' verdict: the verifier that records the chain and asks
//! WebPKI, and the texts that say what is wrong with a certificate.

use super::*;

/// A failed handshake as text: the TLS alert, the certificate problem, or
/// what happened to the connection.
pub(crate) fn describe_io_error(e: &io::Error) -> (TlsProblem, String) {
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return (problem_of(tls, None), describe_tls_error(tls));
    }
    let text = match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "handshake failure: the server closed the connection during the handshake"
        }
        io::ErrorKind::ConnectionReset => {
            "handshake failure: the server reset the connection during the handshake"
        }
        _ => "handshake failure: the connection failed during the handshake",
    };
    (TlsProblem::Handshake, text.into())
}

/// A handshake error (not a certificate verdict) as a sentence.
pub fn describe_tls_error(e: &rustls::Error) -> String {
    match e {
        rustls::Error::AlertReceived(alert) => {
            format!(
                "handshake failure: the server sent the TLS alert {}",
                alert_name(*alert)
            )
        }
        rustls::Error::PeerIncompatible(_) => {
            "handshake failure: no TLS version or cipher suite in common with the server".into()
        }
        rustls::Error::InvalidMessage(_)
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::PeerMisbehaved(_)
        | rustls::Error::DecryptError => {
            "handshake failure: the server does not speak TLS correctly".into()
        }
        // A certificate so broken that the handshake itself cannot go on.
        rustls::Error::InvalidCertificate(cert_error) => format!(
            "bad certificate: {}",
            certificate_text(cert_error, problem_of(e, None))
        ),
        _ => "handshake failure: the TLS handshake did not complete".into(),
    }
}

/// The alert's name as the TLS RFCs spell it (`handshake_failure`); the
/// alert is one of rustls's own enum, so this never echoes server bytes.
fn alert_name(alert: rustls::AlertDescription) -> String {
    let name = format!("{alert:?}");
    if name.contains('(') {
        // rustls's `Unknown(n)`: a number, not a name.
        return format!("number {}", u8::from(alert));
    }
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

/// What kind of certificate problem (or handshake failure) `e` is.
/// `self_issued` tells an unknown issuer from a self-signed certificate,
/// when the certificate was read.
pub fn problem_of(e: &rustls::Error, self_issued: Option<bool>) -> TlsProblem {
    let rustls::Error::InvalidCertificate(cert_error) = e else {
        return TlsProblem::Handshake;
    };
    match cert_error {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsProblem::Expired,
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            TlsProblem::NotYetValid
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            TlsProblem::NameMismatch
        }
        CertificateError::UnknownIssuer if self_issued == Some(true) => TlsProblem::SelfSigned,
        CertificateError::UnknownIssuer => TlsProblem::UnknownIssuer,
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) if self_issued == Some(true) => {
                TlsProblem::SelfSigned
            }
            Some(webpki::Error::UnknownIssuer) => TlsProblem::UnknownIssuer,
            _ => TlsProblem::BadCertificate,
        },
        _ => TlsProblem::BadCertificate,
    }
}

/// A sentence for a certificate problem when the certificate itself is not
/// at hand.
fn certificate_text(e: &CertificateError, problem: TlsProblem) -> &'static str {
    match problem {
        TlsProblem::Expired => "the certificate has expired",
        TlsProblem::NotYetValid => "the certificate is not valid yet",
        TlsProblem::NameMismatch => "the certificate is not valid for this name",
        TlsProblem::SelfSigned => "the certificate is self-signed",
        TlsProblem::UnknownIssuer => {
            "the certificate is not issued by a trusted certificate authority"
        }
        TlsProblem::BadCertificate | TlsProblem::Handshake => bad_certificate_text(e),
    }
}

/// Why a certificate is unacceptable beyond dates, names and issuers.
fn bad_certificate_text(e: &CertificateError) -> &'static str {
    match e {
        CertificateError::BadSignature => "the certificate is not correctly signed by its issuer",
        CertificateError::Revoked => "the certificate has been revoked",
        CertificateError::BadEncoding => "the server's certificate could not be parsed",
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "the certificate is not allowed for TLS servers (extended key usage)"
        }
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::UnsupportedCriticalExtension) => {
                "the certificate has a critical extension that is not understood, so it cannot be trusted"
            }
            Some(webpki::Error::UnsupportedCertVersion) => {
                "the certificate is not an X.509 version 3 certificate"
            }
            Some(webpki::Error::CaUsedAsEndEntity) => {
                "the server presents a CA certificate instead of a server certificate"
            }
            Some(webpki::Error::EndEntityUsedAsCa) => {
                "the chain uses a server certificate as a certificate authority"
            }
            Some(
                webpki::Error::UnsupportedSignatureAlgorithmContext(_)
                | webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_),
            ) => "the certificate is signed with an algorithm that is not accepted",
            Some(webpki::Error::InvalidSignatureForPublicKey) => {
                "the certificate is not correctly signed by its issuer"
            }
            Some(webpki::Error::NameConstraintViolation) => {
                "the certificate's name is outside what its issuer may certify"
            }
            Some(webpki::Error::PathLenConstraintViolated | webpki::Error::MaximumPathDepthExceeded) => {
                "the certificate chain is longer than its issuers allow"
            }
            Some(webpki::Error::RequiredEkuNotFoundContext(_)) => {
                "the certificate is not allowed for TLS servers (extended key usage)"
            }
            _ => "the certificate is malformed or uses a feature that cannot be verified",
        },
        _ => "the certificate is malformed or uses a feature that cannot be verified",
    }
}

/// Why the certificate is not valid for `domain`, in words an admin can act
/// on, with its kind. `cert` is the parsed leaf, when we could read it.
pub fn describe_verdict(
    e: &rustls::Error,
    domain: &str,
    cert: Option<&CertInfo>,
    now: i64,
) -> (TlsProblem, String) {
    let problem = problem_of(e, cert.map(|c| c.self_issued));
    let rustls::Error::InvalidCertificate(cert_error) = e else {
        return (problem, describe_tls_error(e));
    };
    let unix = |t: &UnixTime| i64::try_from(t.as_secs()).unwrap_or(i64::MAX);
    let text = match problem {
        TlsProblem::Expired => {
            let not_after = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_after),
                (None, CertificateError::ExpiredContext { not_after, .. }) => Some(unix(not_after)),
                _ => None,
            };
            match not_after {
                Some(t) => format!(
                    "expired: the certificate expired on {} ({} days ago)",
                    describe::iso8601(t),
                    (now - t).div_euclid(86_400)
                ),
                None => "expired: the certificate has expired".into(),
            }
        }
        TlsProblem::NotYetValid => {
            let not_before = match (cert, cert_error) {
                (Some(c), _) => Some(c.not_before),
                (None, CertificateError::NotValidYetContext { not_before, .. }) => {
                    Some(unix(not_before))
                }
                _ => None,
            };
            match not_before {
                Some(t) => format!(
                    "not yet valid: the certificate is valid from {}",
                    describe::iso8601(t)
                ),
                None => "not yet valid: the certificate is not valid yet".into(),
            }
        }
        TlsProblem::NameMismatch => {
            let names: Vec<String> = match cert {
                Some(c) => c.dns_names.iter().chain(&c.ip_addresses).cloned().collect(),
                None => Vec::new(),
            };
            if names.is_empty() {
                format!("name mismatch: the certificate names no DNS name, so it is not valid for {domain}")
            } else {
                format!(
                    "name mismatch: the certificate is for {}, not {domain}",
                    names.join(", ")
                )
            }
        }
        TlsProblem::SelfSigned => {
            "self-signed: the certificate is self-signed, not issued by a trusted certificate authority".into()
        }
        TlsProblem::UnknownIssuer => match cert {
            Some(c) => format!(
                "unknown issuer: \"{}\" is not a trusted certificate authority (or the server does not send the intermediate certificates)",
                c.issuer
            ),
            None => "unknown issuer: the certificate is not issued by a trusted certificate authority".into(),
        },
        TlsProblem::BadCertificate | TlsProblem::Handshake => {
            format!("bad certificate: {}", bad_certificate_text(cert_error))
        }
    };
    (problem, text)
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
            .map_err(|e| Error::configuration(format!("No usable trusted certificates: {e}")))?;
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
