//! The PHP functions of SPEC 2. Each one resolves its settings, calls the
//! plain-Rust core inside `guarded` (so no panic reaches PHP) and converts
//! the result into a PHP array.

use std::time::Instant;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::args::{Options, RawString, StringList};
use super::engine;
use super::exceptions::to_php;
use crate::client::{self, Answer};
use crate::config::{self, OptionValue, Settings};
use crate::domain::{self, Domain};
use crate::error::{Error, Result};
use crate::request::Endpoint;
use crate::response::EMPTY_DOMAIN_ERROR;
use crate::sync;

pub(super) type PhpArray = ZBox<ZendHashTable>;

/// Runs `body`, turning a panic into `Closte\Exception` and an `Error` into
/// its exception class.
pub(super) fn guarded<T>(body: impl FnOnce() -> Result<T>) -> std::result::Result<T, PhpException> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(to_php(error)),
        Err(_) => Err(to_php(Error::Internal(
            "closte: internal error (a bug in the extension; please report it)".into(),
        ))),
    }
}

fn settings(options: &Options, extra: &[&str]) -> Result<Settings> {
    config::resolve(&options.0, extra, &engine::ini_values(), || {
        engine::constant(c"CLOSTE_CLIENT_API_KEY")
    })
}

pub(super) fn array_error(e: ext_php_rs::error::Error) -> Error {
    Error::Internal(format!("closte: could not build the result array: {e}"))
}

fn alias_result(domain: &Domain, answer: &Answer) -> Result<PhpArray> {
    let mut out = ZendHashTable::new();
    out.insert("ok", answer.reply.success)
        .map_err(array_error)?;
    out.insert("domain", domain.as_str()).map_err(array_error)?;
    out.insert("wildcard", domain.is_wildcard())
        .map_err(array_error)?;
    out.insert("status", i64::from(answer.status))
        .map_err(array_error)?;
    out.insert("attempts", i64::from(answer.attempts))
        .map_err(array_error)?;
    let elapsed_ms = i64::try_from(answer.elapsed.as_millis()).unwrap_or(i64::MAX);
    out.insert("elapsed_ms", elapsed_ms).map_err(array_error)?;
    Ok(out)
}

fn alias_call(raw: &RawString, options: &Options, endpoint: Endpoint) -> Result<PhpArray> {
    let domain = domain::normalize_bytes(&raw.0)?;
    let settings = settings(options, &[])?;
    let answer = client::call(&settings, endpoint, Some(&domain))?.require_success()?;
    alias_result(&domain, &answer)
}

/// Adds `$domain` as an alias of the Closte app (Closte then issues its
/// certificate).
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_add_domain(
    domain: RawString,
    options: Options,
) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| alias_call(&domain, &options, Endpoint::AddDomainAlias))
}

/// Removes the alias `$domain` from the Closte app.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_remove_domain(
    domain: RawString,
    options: Options,
) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| alias_call(&domain, &options, Endpoint::DeleteDomainAlias))
}

fn list_domains(settings: &Settings) -> Result<Vec<String>> {
    let answer = client::call(settings, Endpoint::GetDomains, None)?.require_success()?;
    Ok(answer.reply.domains.unwrap_or_default())
}

/// The aliases Closte has for the app, normalised.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_list_domains(options: Options) -> std::result::Result<Vec<String>, PhpException> {
    guarded(|| list_domains(&settings(&options, &[])?))
}

/// Checks that Closte accepts the key, by the call Closte's own client uses:
/// `adddomainalias` without a domain.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_test_connection(options: Options) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| {
        let settings = settings(&options, &[])?;
        let (ok, message) = match client::call(&settings, Endpoint::AddDomainAlias, None) {
            Ok(answer) if answer.reply.error.as_deref() == Some(EMPTY_DOMAIN_ERROR) => (
                true,
                format!(
                    "Connected: Closte accepted the API key ({} ms)",
                    answer.elapsed.as_millis()
                ),
            ),
            Ok(answer) => {
                let said = answer.reply.error.unwrap_or_else(|| "no error text".into());
                (false, format!("Closte did not accept the API key: {said}"))
            }
            Err(error @ (Error::Transport { .. } | Error::Api { .. })) => {
                (false, error.to_string())
            }
            Err(other) => return Err(other),
        };
        let mut out = ZendHashTable::new();
        out.insert("ok", ok).map_err(array_error)?;
        out.insert("message", message).map_err(array_error)?;
        Ok(out)
    })
}

fn sync_options(options: &Options) -> Result<(bool, usize)> {
    let find = |name: &str| options.0.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let remove_extra = match find("remove_extra") {
        None => false,
        Some(OptionValue::Bool(b)) => *b,
        Some(other) => {
            return Err(Error::Configuration(format!(
                "Option 'remove_extra' must be a bool, got {}",
                config::type_name(other)
            )))
        }
    };
    let concurrency = match find("concurrency") {
        None => sync::DEFAULT_CONCURRENCY,
        Some(OptionValue::Int(n)) if (1..=sync::MAX_CONCURRENCY as i64).contains(n) => *n as usize,
        Some(other) => {
            return Err(Error::Configuration(format!(
                "Option 'concurrency' must be an integer from 1 to {}, got {}",
                sync::MAX_CONCURRENCY,
                match other {
                    OptionValue::Int(n) => n.to_string(),
                    other => config::type_name(other).to_string(),
                }
            )))
        }
    };
    Ok((remove_extra, concurrency))
}

fn validate_all(list: &StringList) -> Result<Vec<Domain>> {
    list.0
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Ok(bytes) => domain::normalize_bytes(bytes),
            Err(type_name) => Err(Error::InvalidDomain(format!(
                "Invalid domain at index {index}: expected a string, got {type_name}"
            ))),
        })
        .collect()
}

/// Makes Closte's aliases match `$domains`: adds the missing ones (and with
/// `remove_extra`, removes the others), `concurrency` at a time.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_sync_domains(
    domains: StringList,
    options: Options,
) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| {
        let started = Instant::now();
        let desired = validate_all(&domains)?;
        let (remove_extra, concurrency) = sync_options(&options)?;
        let settings = settings(&options, &["remove_extra", "concurrency"])?;
        let current = list_domains(&settings)?;
        let plan = sync::plan(&desired, &current, remove_extra);
        let report = sync::execute(plan, concurrency, |op, domain| {
            let endpoint = match op {
                sync::Op::Add => Endpoint::AddDomainAlias,
                sync::Op::Remove => Endpoint::DeleteDomainAlias,
            };
            client::call(&settings, endpoint, Some(domain))?
                .require_success()
                .map(|_| ())
        });
        let mut failed = ZendHashTable::new();
        for (name, reason) in report.failed {
            failed.insert(name.as_str(), reason).map_err(array_error)?;
        }
        let mut out = ZendHashTable::new();
        out.insert("added", report.added).map_err(array_error)?;
        out.insert("removed", report.removed).map_err(array_error)?;
        out.insert("unchanged", report.unchanged)
            .map_err(array_error)?;
        out.insert("failed", failed).map_err(array_error)?;
        let elapsed_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        out.insert("elapsed_ms", elapsed_ms).map_err(array_error)?;
        Ok(out)
    })
}

/// The normalised form of `$domain` (lower case, punycode, no trailing dot),
/// or a `Closte\InvalidDomainException` saying what is wrong.
#[php_function]
pub fn closte_validate_domain(domain: RawString) -> std::result::Result<String, PhpException> {
    guarded(|| domain::normalize_bytes(&domain.0).map(Domain::into_string))
}

/// The extension's version and the git revision it was built from.
#[php_function]
pub fn closte_version() -> &'static str {
    crate::VERSION
}

/// Test-only (cargo feature `test-panic`, never in a release package):
/// panics inside a guarded call, to prove a panic becomes a
/// `Closte\Exception` and the process goes on serving calls.
#[cfg(feature = "test-panic")]
#[php_function]
pub fn closte_debug_panic(message: String) -> std::result::Result<bool, PhpException> {
    guarded(|| -> Result<bool> { std::panic::panic_any(message) })
}

/// Adds the functions above to the module (the wrappers `#[php_function]`
/// generates are private to this file).
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .function(wrap_function!(closte_add_domain))
        .function(wrap_function!(closte_remove_domain))
        .function(wrap_function!(closte_list_domains))
        .function(wrap_function!(closte_test_connection))
        .function(wrap_function!(closte_sync_domains))
        .function(wrap_function!(closte_validate_domain))
        .function(wrap_function!(closte_version));
    #[cfg(feature = "test-panic")]
    let module = module.function(wrap_function!(closte_debug_panic));
    module
}
