//! The PHP functions of SPEC 2 that talk to Closte. Each one resolves its
//! settings, calls the core inside `guarded` (so no panic reaches PHP) and
//! converts the result into a PHP array.

use std::time::Instant;

use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;

use closte_core::api::{Endpoint, EMPTY_DOMAIN_ERROR};
use closte_core::client::{self, Answer};
use closte_core::domain::{self, Domain};
use closte_core::settings::{self, type_name, OptionValue, Settings};
use closte_core::sync;
use closte_core::{Error, Result};

use crate::args::{Options, RawString, StringList};
use crate::engine;
use crate::exceptions::to_php;
use crate::result::{millis, PhpArray, ResultArray};

/// Runs `body`, turning a panic into `Closte\Exception` and an `Error` into
/// its exception class.
pub fn guarded<T>(body: impl FnOnce() -> Result<T>) -> std::result::Result<T, PhpException> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(to_php(error)),
        Err(_) => Err(to_php(Error::internal(
            "closte: internal error (a bug in the extension; please report it)",
        ))),
    }
}

fn settings_of(options: &Options, extra: &[&str]) -> Result<Settings> {
    settings::resolve(&options.0, extra, &engine::ini_values(), || {
        engine::constant(c"CLOSTE_CLIENT_API_KEY")
    })
}

fn alias_result(domain: &Domain, answer: &Answer) -> Result<PhpArray> {
    ResultArray::new()
        .set("ok", answer.reply.success)
        .set("domain", domain.as_str())
        .set("wildcard", domain.is_wildcard())
        .set("status", i64::from(answer.status))
        .set("attempts", i64::from(answer.attempts))
        .set("elapsed_ms", millis(answer.elapsed))
        .finish()
}

fn alias_call(raw: &RawString, options: &Options, endpoint: Endpoint) -> Result<PhpArray> {
    let domain = domain::normalize_bytes(&raw.0)?;
    let settings = settings_of(options, &[])?;
    let answer =
        client::call(&settings, endpoint, Some(&domain))?.require_success(Some(&domain))?;
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

/// The aliases Closte has for the app, normalised.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_list_domains(options: Options) -> std::result::Result<Vec<String>, PhpException> {
    guarded(|| client::list_domains(&settings_of(&options, &[])?))
}

/// Checks that Closte accepts the key, by the call Closte's own client uses:
/// `adddomainalias` without a domain.
#[php_function]
#[php(defaults(options = Options::default()))]
pub fn closte_test_connection(options: Options) -> std::result::Result<PhpArray, PhpException> {
    guarded(|| {
        let settings = settings_of(&options, &[])?;
        // Closte's own words go beside the message, never into it (SPEC 3).
        let (ok, message, api_error) =
            match client::call(&settings, Endpoint::AddDomainAlias, None) {
                Ok(answer) if answer.reply.error.as_deref() == Some(EMPTY_DOMAIN_ERROR) => (
                    true,
                    format!(
                        "Connected: Closte accepted the API key ({} ms)",
                        answer.elapsed.as_millis()
                    ),
                    None,
                ),
                Ok(answer) => (
                    false,
                    "Closte did not accept the API key (it did not give the answer an accepted key gets)"
                        .to_string(),
                    answer.reply.error,
                ),
                Err(error @ (Error::InvalidDomain { .. } | Error::Configuration { .. })) => {
                    return Err(error)
                }
                Err(error) => {
                    let said = error.api_error().map(str::to_string);
                    (false, error.to_string(), said)
                }
            };
        ResultArray::new()
            .set("ok", ok)
            .set("message", message)
            .set("api_error", api_error)
            .finish()
    })
}

fn sync_options(options: &Options) -> Result<(bool, usize)> {
    let find = |name: &str| options.0.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let remove_extra = match find("remove_extra") {
        None => false,
        Some(OptionValue::Bool(b)) => *b,
        Some(other) => {
            return Err(Error::configuration(format!(
                "Option 'remove_extra' must be a bool, got {}",
                type_name(other)
            )))
        }
    };
    let concurrency = match find("concurrency") {
        None => sync::DEFAULT_CONCURRENCY,
        Some(OptionValue::Int(n)) if (1..=sync::MAX_CONCURRENCY as i64).contains(n) => *n as usize,
        Some(other) => {
            return Err(Error::configuration(format!(
                "Option 'concurrency' must be an integer from 1 to {}, got {}",
                sync::MAX_CONCURRENCY,
                match other {
                    OptionValue::Int(n) => n.to_string(),
                    other => type_name(other).to_string(),
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
            Err(type_name) => Err(Error::invalid_domain(format!(
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
        let settings = settings_of(&options, &["remove_extra", "concurrency"])?;
        let report = sync::run(&settings, &desired, remove_extra, concurrency)?;
        let mut failed = ResultArray::new();
        for (name, reason) in report.failed {
            failed = failed.set(name.as_str(), reason);
        }
        ResultArray::new()
            .set("added", report.added)
            .set("removed", report.removed)
            .set("unchanged", report.unchanged)
            .set("failed", failed.finish()?)
            .set("elapsed_ms", millis(started.elapsed()))
            .finish()
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
    #[allow(clippy::panic)]
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
