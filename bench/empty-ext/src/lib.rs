//! The idle-cost reference of `scripts/bench.sh`: a PHP extension built
//! the way closte is (ext-php-rs, the workspace's release profile) that
//! brings nothing else: no HTTP client, no TLS, one trivial function.
//! What loading it costs a `php -n -r ''` is what any Rust extension pays
//! before it does anything; the rest of closte's idle cost is its own.

use ext_php_rs::prelude::*;

/// Something to register, as any extension does; never called.
#[php_function]
pub fn closte_bench_empty_ext_answer() -> i64 {
    42
}

#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .name("closte_bench_empty_ext")
        .function(wrap_function!(closte_bench_empty_ext_answer))
}
