//! The thin glue between PHP and the plain-Rust core: registration, start-up
//! and phpinfo. Start-up only registers things: no thread, no client, no
//! allocation that a request which never calls us would pay for.

mod args;
mod engine;
mod exceptions;
mod functions;
mod ssl_status;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::{IniEntryDef, ModuleEntry};
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// The functions whose `$options` (which may hold the key) is hidden from
/// traces, and the 0-based position of that parameter.
const SENSITIVE_OPTIONS: [(&std::ffi::CStr, u32); 5] = [
    (c"closte_add_domain", 1),
    (c"closte_remove_domain", 1),
    (c"closte_list_domains", 0),
    (c"closte_test_connection", 0),
    (c"closte_sync_domains", 1),
];

const SUCCESS: i32 = 0;
const FAILURE: i32 = -1;

fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(engine::INI_ENTRIES.as_slice(), module_number);
    if exceptions::register().is_err() {
        return FAILURE;
    }
    for (function, offset) in SENSITIVE_OPTIONS {
        if !engine::mark_sensitive_parameter(function, offset) {
            // Refuse to run rather than run with the key visible in traces.
            return FAILURE;
        }
    }
    SUCCESS
}

/// The `closte` section of phpinfo(): version and settings, never the key.
extern "C" fn php_module_info(_module: *mut ModuleEntry) {
    let ini = engine::ini_values();
    let key_state = match engine::constant(c"CLOSTE_CLIENT_API_KEY") {
        Some(crate::config::OptionValue::Str(key)) if !key.trim().is_empty() => "defined (hidden)",
        Some(_) => "defined but not a usable string",
        None => "not defined",
    };
    info_table_start!();
    info_table_row!("closte support", "enabled");
    info_table_row!("version", crate::VERSION);
    info_table_row!("closte.api_url", ini.api_url.unwrap_or_default());
    info_table_row!("closte.timeout", ini.timeout.unwrap_or_default());
    info_table_row!(
        "closte.connect_timeout",
        ini.connect_timeout.unwrap_or_default()
    );
    info_table_row!("closte.retries", ini.retries.unwrap_or_default());
    info_table_row!("CLOSTE_CLIENT_API_KEY", key_state);
    info_table_end!();
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .name("closte")
        .version(crate::VERSION)
        .info_function(php_module_info);
    ssl_status::register(functions::register(module))
}
