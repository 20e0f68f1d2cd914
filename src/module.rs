//! Registration, start-up and phpinfo: the one visible list of what the
//! extension adds to PHP.

use ext_php_rs::prelude::*;
use ext_php_rs::zend::{IniEntryDef, ModuleEntry};
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

use crate::{engine, exceptions, functions, ssl_status};

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
        Some(closte_core::settings::OptionValue::Str(key)) if !key.trim().is_empty() => {
            "defined (hidden)"
        }
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
    // The proxy's credentials are secrets: only scheme, host and port.
    let proxy = match ini.proxy.as_deref().map(closte_core::settings::check_proxy) {
        Some(Ok(Some(proxy))) => proxy.shown(),
        Some(Ok(None)) | None => "(none)".to_string(),
        Some(Err(_)) => "(invalid)".to_string(),
    };
    info_table_row!("closte.proxy", proxy);
    let ca_file = ini.ca_file.filter(|f| !f.trim().is_empty());
    info_table_row!(
        "closte.ca_file",
        ca_file.unwrap_or_else(|| "(system roots)".to_string())
    );
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
