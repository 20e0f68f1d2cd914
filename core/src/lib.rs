//! closte-core: the Closte client API and the certificate check, in plain
//! Rust. The PHP extension (the workspace's top crate) is a thin layer over
//! this; nothing here knows PHP, so `cargo test` exercises it directly and
//! the fuzz targets and benchmarks link it.
//!
//! Layers, each using only those below it: `domain` (validation), `settings`
//! (ini + options), `api` (wire types), `retry` (policy), `http` (one
//! exchange through reqwest), `client` (a call with its retries), `sync`
//! (bulk), `cert` (the certificate check), and `error` under them all.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod cert;
pub mod client;
pub mod domain;
pub mod error;
pub mod http;
pub mod retry;
pub mod settings;
pub mod sync;
#[cfg(test)]
mod testing;

pub use error::{Error, Result};
