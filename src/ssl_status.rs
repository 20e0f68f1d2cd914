//! `closte_ssl_status()`: the PHP face of the core's certificate check. Bad
//! input throws (`Closte\InvalidDomainException`,
//! `Closte\ConfigurationException`); a failed check is reported in the
//! returned array, with a stable `error_code` beside the `error` text.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;

use closte_core::cert::{self, describe::iso8601, Report};
use closte_core::domain;
use closte_core::Result;

use crate::args::{Options, RawString};
use crate::functions::guarded;
use crate::result::{millis, PhpArray, ResultArray};

fn report_array(report: &Report) -> Result<PhpArray> {
    let cert = report.cert.as_ref();
    let list =
        |pick: fn(&cert::CertInfo) -> &Vec<String>| cert.map(pick).cloned().unwrap_or_default();
    ResultArray::new()
        .set("domain", report.domain.as_str())
        .set("ok", report.ok)
        .set("valid", report.valid)
        .set("error", report.error.clone())
        .set("error_code", report.failure.map(|f| f.code()))
        .set("names", list(|c| &c.dns_names))
        .set("ip_addresses", list(|c| &c.ip_addresses))
        .set("other_names", list(|c| &c.other_names))
        .set("subject", cert.map(|c| c.subject.clone()))
        .set("issuer", cert.map(|c| c.issuer.clone()))
        .set("serial", cert.map(|c| c.serial.clone()))
        .set("key_algorithm", cert.map(|c| c.key_algorithm.clone()))
        .set(
            "signature_algorithm",
            cert.map(|c| c.signature_algorithm.clone()),
        )
        .set("not_before", cert.map(|c| iso8601(c.not_before)))
        .set("not_after", cert.map(|c| iso8601(c.not_after)))
        .set("days_left", report.days_left())
        .set("self_signed", cert.map(|c| c.self_issued))
        .set("address", report.address.clone())
        .set("protocol", report.protocol.clone())
        .set("checked_at", iso8601(report.checked_at))
        .set("elapsed_ms", millis(report.elapsed))
        .finish()
}

fn ssl_status(raw: &RawString, options: &Options) -> Result<PhpArray> {
    let domain = domain::normalize_bytes(&raw.0)?;
    let options = cert::parse_options(&options.0)?;
    report_array(&cert::check(&domain, &options)?)
}

/// Connects to `$domain` on port 443 (TLS with SNI) and describes the
/// certificate it presents: whether it is valid for that name, the names it
/// covers, issuer, dates, days left, and why not when it is not.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_ssl_status(
    domain: RawString,
    options: Options,
) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| ssl_status(&domain, &options))
}

/// Adds `closte_ssl_status` to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(closte_ssl_status))
}
