//! Small reads and writes of engine state that ext-php-rs 0.16 does not wrap
//! (or wraps in ways that do not work at the time we need them).

use std::ffi::{c_char, c_int, CStr};

use ext_php_rs::ffi::{zend_function, zend_string, zval, HashTable};
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

use closte_core::settings::{IniValues, OptionValue};

extern "C" {
    fn zend_get_constant_str(name: *const c_char, name_len: usize) -> *mut zval;
    fn zend_ini_string_ex(
        name: *const c_char,
        name_length: usize,
        orig: c_int,
        exists: *mut bool,
    ) -> *mut c_char;
    fn zend_hash_str_find_ptr_lc(
        ht: *const HashTable,
        str: *const c_char,
        len: usize,
    ) -> *mut std::ffi::c_void;
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut std::ffi::c_void;
}

const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;

pub static INI_ENTRIES: IniEntryDefs<7> = IniEntryDefs::new([
    IniEntryDef::new(
        c"closte.api_url",
        c"https://app.closte.com/api/client",
        IniEntryPermission::All,
    ),
    IniEntryDef::new(c"closte.timeout", c"45", IniEntryPermission::All),
    IniEntryDef::new(c"closte.connect_timeout", c"10", IniEntryPermission::All),
    IniEntryDef::new(c"closte.retries", c"2", IniEntryPermission::All),
    IniEntryDef::new(c"closte.proxy", c"", IniEntryPermission::All),
    IniEntryDef::new(c"closte.ca_file", c"", IniEntryPermission::All),
    IniEntryDef::end(),
]);

fn ini_string(name: &CStr) -> Option<String> {
    let bytes = name.to_bytes();
    // SAFETY: the name is a valid C string of that length; the engine returns
    // a pointer into its own storage (or null), copied out at once.
    let raw = unsafe { zend_ini_string_ex(name.as_ptr(), bytes.len(), 0, std::ptr::null_mut()) };
    if raw.is_null() {
        return None;
    }
    // SAFETY: non-null ini values are NUL-terminated strings.
    Some(
        unsafe { CStr::from_ptr(raw) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// The current (possibly `ini_set`) values of our ini entries.
pub fn ini_values() -> IniValues {
    IniValues {
        api_url: ini_string(c"closte.api_url"),
        timeout: ini_string(c"closte.timeout"),
        connect_timeout: ini_string(c"closte.connect_timeout"),
        retries: ini_string(c"closte.retries"),
        proxy: ini_string(c"closte.proxy"),
        ca_file: ini_string(c"closte.ca_file"),
    }
}

/// The value of the PHP constant `name`, read at call time (WordPress
/// defines `CLOSTE_CLIENT_API_KEY` in wp-config.php, long after start-up).
pub fn constant(name: &CStr) -> Option<OptionValue> {
    let bytes = name.to_bytes();
    // SAFETY: a lookup in the constants table by a valid C string.
    let value = unsafe { zend_get_constant_str(name.as_ptr(), bytes.len()) };
    // SAFETY: null when undefined, else a zval owned by the constants table.
    let value = unsafe { value.cast::<Zval>().as_ref() }?;
    Some(crate::args::option_value(value))
}

/// Marks parameter `offset` (0-based) of our function `function` with
/// `#[\SensitiveParameter]`, so traces show `Object(SensitiveParameterValue)`
/// instead of `$options` and the key in it. Called from MINIT, after the
/// engine registered our functions.
pub fn mark_sensitive_parameter(function: &CStr, offset: u32) -> bool {
    // SAFETY: MINIT runs on the one thread that owns the (NTS) globals.
    let table = unsafe { (*std::ptr::addr_of!(ext_php_rs::ffi::compiler_globals)).function_table };
    if table.is_null() {
        return false;
    }
    let bytes = function.to_bytes();
    // SAFETY: a lookup in the live function table during MINIT.
    let func = unsafe { zend_hash_str_find_ptr_lc(table, function.as_ptr(), bytes.len()) }
        .cast::<zend_function>();
    if func.is_null() {
        return false;
    }
    let name: *mut zend_string =
        ext_php_rs::types::ZendStr::new_interned("SensitiveParameter", true)
            .into_raw()
            .cast();
    // SAFETY: `func` is our internal function; attributes of internal
    // functions are persistent, as the flag says. The engine copies `name`.
    let added = unsafe {
        zend_add_attribute(
            &raw mut (*func).common.attributes,
            name,
            0,
            ZEND_ATTRIBUTE_PERSISTENT,
            offset + 1,
            0,
        )
    };
    !added.is_null()
}
