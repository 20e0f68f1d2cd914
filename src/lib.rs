//! `closte`: the PHP extension. Glue only: it reads PHP arguments, calls
//! closte-core (which never sees an ext-php-rs type) and turns the results
//! into PHP arrays and the errors into the `Closte\Exception` tree.
//! Start-up only registers things: no thread, no client, no allocation that
//! a request which never calls us would pay for.

mod args;
mod engine;
mod exceptions;
mod functions;
mod module;
mod result;
mod ssl_status;

/// The version shown by `closte_version()` and phpinfo: the workspace
/// version and the git revision `build.rs` stamped in.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("CLOSTE_GIT_REVISION"));
