//! The `Closte\Exception` tree, and the one mapping of the core's `Error`
//! onto it (`to_php`).
//!
//! The classes are declared with ext-php-rs's `ClassBuilder`, not its
//! `#[php_class]` macro: a macro class gets a Rust object handler in place
//! of `\Exception`'s, and with ext-php-rs 0.16 that leaves file, line and
//! trace empty and makes `new Closte\ApiException(...)` throw (checked: a
//! `#[php_class]` exception thrown from a function reports file "" line 0
//! and an empty trace). Plain engine classes keep the handler, so they
//! behave as any PHP exception. `Closte\Exception` extends
//! `\RuntimeException` (SPEC 2).

use std::ffi::{c_char, CString};
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{zend_class_entry, zend_object, zend_read_property, zval};
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ce, ClassEntry, ExecuteData, ExecutorGlobals};

use closte_core::Error;

extern "C" {
    /// SPL registers its exceptions in its MINIT, which runs before ours
    /// (SPL is built into PHP; shared extensions start after it).
    static spl_ce_RuntimeException: *mut zend_class_entry;
    fn zend_update_property(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: *mut zval,
    );
}

pub const BASE: &str = "Closte\\Exception";
pub const INVALID_DOMAIN: &str = "Closte\\InvalidDomainException";
pub const CONFIGURATION: &str = "Closte\\ConfigurationException";
pub const TRANSPORT: &str = "Closte\\TransportException";
pub const API: &str = "Closte\\ApiException";
pub const MANAGED_DOMAIN: &str = "Closte\\ManagedDomainException";

static BASE_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static INVALID_DOMAIN_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static CONFIGURATION_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static TRANSPORT_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static API_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static MANAGED_DOMAIN_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

fn load(slot: &AtomicPtr<ClassEntry>) -> &'static ClassEntry {
    // SAFETY: the slots only ever hold class entries registered in MINIT,
    // which live as long as the process.
    unsafe { slot.load(Ordering::Acquire).as_ref() }.unwrap_or_else(ce::exception)
}

fn runtime_exception() -> &'static ClassEntry {
    // SAFETY: a plain read of an engine global that SPL set in its MINIT.
    unsafe { spl_ce_RuntimeException.cast::<ClassEntry>().as_ref() }.unwrap_or_else(ce::exception)
}

fn base() -> &'static ClassEntry {
    load(&BASE_CE)
}

fn api() -> &'static ClassEntry {
    load(&API_CE)
}

/// Registers the six classes; called from MINIT, parents first.
pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(BASE)
        .extends((runtime_exception, "RuntimeException"))
        .registration(|ce, _| BASE_CE.store(ce, Ordering::Release))
        .register()?;
    ClassBuilder::new(INVALID_DOMAIN)
        .extends((base, BASE))
        .registration(|ce, _| INVALID_DOMAIN_CE.store(ce, Ordering::Release))
        .register()?;
    ClassBuilder::new(CONFIGURATION)
        .extends((base, BASE))
        .registration(|ce, _| CONFIGURATION_CE.store(ce, Ordering::Release))
        .register()?;
    ClassBuilder::new(TRANSPORT)
        .extends((base, BASE))
        .registration(|ce, _| TRANSPORT_CE.store(ce, Ordering::Release))
        .register()?;
    ClassBuilder::new(API)
        .extends((base, BASE))
        .property(private_property("statusCode", || Ok(long_zval(0))))
        .property(private_property("apiError", || Ok(Zval::null())))
        .method(
            FunctionBuilder::new("getStatusCode", get_status_code).returns(
                DataType::Long,
                false,
                false,
            ),
            MethodFlags::Public,
        )
        .method(
            FunctionBuilder::new("getApiError", get_api_error).returns(
                DataType::String,
                false,
                true,
            ),
            MethodFlags::Public,
        )
        .registration(|ce, _| API_CE.store(ce, Ordering::Release))
        .register()?;
    ClassBuilder::new(MANAGED_DOMAIN)
        .extends((api, API))
        .registration(|ce, _| MANAGED_DOMAIN_CE.store(ce, Ordering::Release))
        .register()
}

fn private_property(name: &str, default: fn() -> ext_php_rs::error::Result<Zval>) -> ClassProperty {
    ClassProperty {
        name: name.to_string(),
        flags: PropertyFlags::Private,
        default: Some(Box::new(default)),
        docs: &[],
        ty: None,
        nullable: true,
        readonly: false,
        default_stub: None,
    }
}

fn long_zval(value: i64) -> Zval {
    let mut zv = Zval::new();
    zv.set_long(value);
    zv
}

/// `Closte\ApiException::getStatusCode(): int`
extern "C" fn get_status_code(ex: &mut ExecuteData, retval: &mut Zval) {
    let status = read_own_property(ex, "statusCode", Zval::long);
    retval.set_long(status.unwrap_or(0));
}

/// `Closte\ApiException::getApiError(): ?string`
extern "C" fn get_api_error(ex: &mut ExecuteData, retval: &mut Zval) {
    match read_own_property(ex, "apiError", Zval::string) {
        Some(text) => {
            if retval.set_string(&text, false).is_err() {
                retval.set_null();
            }
        }
        None => retval.set_null(),
    }
}

fn read_own_property<T>(
    ex: &mut ExecuteData,
    name: &str,
    extract: fn(&Zval) -> Option<T>,
) -> Option<T> {
    let object = ex.get_self()?;
    let api = API_CE.load(Ordering::Acquire);
    let cname = CString::new(name).ok()?;
    let mut rv = Zval::new();
    // SAFETY: `object` is `$this` of a running method of ApiException (or a
    // subclass); reading with ApiException as scope sees its private slots.
    let value = unsafe {
        zend_read_property(
            api.cast(),
            std::ptr::from_mut(object).cast(),
            cname.as_ptr(),
            name.len(),
            true,
            std::ptr::from_mut(&mut rv).cast(),
        )
    };
    // SAFETY: the engine returns a valid zval (or its uninitialized sentinel).
    unsafe { value.cast::<Zval>().as_ref() }.and_then(extract)
}

/// What the glue returns to ext-php-rs, which throws it: the one place
/// where a kind of failure becomes a PHP class.
pub fn to_php(error: Error) -> PhpException {
    let message = error.to_string();
    let class = match &error {
        Error::InvalidDomain { .. } => &INVALID_DOMAIN_CE,
        Error::Configuration { .. } => &CONFIGURATION_CE,
        Error::Timeout { .. }
        | Error::Refused { .. }
        | Error::Dns { .. }
        | Error::Tls { .. }
        | Error::ConnectionClosed { .. }
        | Error::Malformed { .. }
        | Error::Connect { .. } => &TRANSPORT_CE,
        Error::TooLarge { .. }
        | Error::Status { .. }
        | Error::BadAnswer { .. }
        | Error::Refusal { .. } => &API_CE,
        Error::ManagedDomain { .. } => &MANAGED_DOMAIN_CE,
        _ => &BASE_CE,
    };
    let Some(status) = error.status() else {
        return PhpException::new(message, 0, load(class));
    };
    // Thrown here so the engine fills message, code and trace; then the
    // details go into the pending object. ext-php-rs will not throw over a
    // pending exception, so the value returned is inert.
    PhpException::new(message, i32::from(status), load(class)).throw();
    attach_api_details(i64::from(status), error.api_error());
    PhpException::new(String::new(), 0, base())
}

fn attach_api_details(status: i64, api_error: Option<&str>) {
    let api = API_CE.load(Ordering::Acquire);
    let object = ExecutorGlobals::get().exception;
    if object.is_null() || api.is_null() {
        return;
    }
    let mut status_zv = long_zval(status);
    let mut error_zv = Zval::new();
    match api_error {
        Some(text) if error_zv.set_string(text, false).is_ok() => {}
        _ => error_zv.set_null(),
    }
    // SAFETY: `object` is the pending exception, an ApiException just thrown;
    // the scope argument grants access to its private properties.
    unsafe {
        zend_update_property(
            api.cast(),
            object,
            c"statusCode".as_ptr(),
            10,
            std::ptr::from_mut(&mut status_zv).cast(),
        );
        zend_update_property(
            api.cast(),
            object,
            c"apiError".as_ptr(),
            8,
            std::ptr::from_mut(&mut error_zv).cast(),
        );
    }
}
