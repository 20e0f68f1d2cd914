//! `closte`: Closte domain-alias management for Ultimate Multisite, as a PHP
//! extension. The plain-Rust core (`domain`, `config`, `request`, `response`,
//! `retry`, `http1`, `transport`, `client`, `sync`, `url_cache`, `ssl`) never touches ext-php-rs types, so `cargo test`
//! exercises it directly; `php` holds the thin glue to the engine.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod client;
pub mod config;
pub mod domain;
pub mod error;
pub mod http1;
pub mod request;
pub mod response;
pub mod retry;
pub mod ssl;
pub mod sync;
pub mod transport;
pub mod url_cache;

mod php;

/// The version shown by `closte_version()` and phpinfo: the crate version and
/// the git revision `build.rs` stamped in.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("CLOSTE_GIT_REVISION"));
