//! `closte_ssl_status()`: the PHP face of `crate::ssl`. Bad input throws
//! (`Closte\InvalidDomainException`, `Closte\ConfigurationException`); a
//! failed check is reported in the returned array.

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::args::{Options, RawString};
use super::functions::{array_error, guarded, PhpArray};
use crate::domain;
use crate::error::Result;
use crate::ssl::{self, cert::iso8601, Report};

fn report_array(report: &Report) -> Result<PhpArray> {
    let cert = report.cert.as_ref();
    let mut out = ZendHashTable::new();
    out.insert("domain", report.domain.as_str())
        .map_err(array_error)?;
    out.insert("ok", report.ok).map_err(array_error)?;
    out.insert("valid", report.valid).map_err(array_error)?;
    out.insert("error", report.error.clone())
        .map_err(array_error)?;
    let names: Vec<String> = cert.map(|c| c.dns_names.clone()).unwrap_or_default();
    out.insert("names", names).map_err(array_error)?;
    out.insert("subject", cert.map(|c| c.subject.clone()))
        .map_err(array_error)?;
    out.insert("issuer", cert.map(|c| c.issuer.clone()))
        .map_err(array_error)?;
    out.insert("not_before", cert.map(|c| iso8601(c.not_before)))
        .map_err(array_error)?;
    out.insert("not_after", cert.map(|c| iso8601(c.not_after)))
        .map_err(array_error)?;
    out.insert("days_left", report.days_left())
        .map_err(array_error)?;
    out.insert("self_signed", cert.map(|c| c.self_issued))
        .map_err(array_error)?;
    out.insert("address", report.address.clone())
        .map_err(array_error)?;
    out.insert("protocol", report.protocol.clone())
        .map_err(array_error)?;
    out.insert("checked_at", iso8601(report.checked_at))
        .map_err(array_error)?;
    let elapsed_ms = i64::try_from(report.elapsed.as_millis()).unwrap_or(i64::MAX);
    out.insert("elapsed_ms", elapsed_ms).map_err(array_error)?;
    Ok(out)
}

fn ssl_status(raw: &RawString, options: &Options) -> Result<PhpArray> {
    let domain = domain::normalize_bytes(&raw.0)?;
    let options = ssl::parse_options(&options.0)?;
    report_array(&ssl::check(&domain, &options)?)
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
