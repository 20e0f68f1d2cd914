//! Argument types that read PHP values the way the contract needs, rather
//! than the way ext-php-rs converts by default.

use ext_php_rs::convert::{FromZval, StubLiteral};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ArrayKey, Zval};

use closte_core::settings::{type_name, OptionValue};

/// A `string` parameter taken as raw bytes: a binary string must become a
/// `Closte\InvalidDomainException`, not the engine's `TypeError` (whose trace
/// would carry the other arguments, `$options` included).
pub struct RawString(pub Vec<u8>);

impl<'a> FromZval<'a> for RawString {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.dereference()
            .zend_str()
            .map(|s| RawString(s.as_bytes().to_vec()))
    }
}

/// `array $options = []`: every entry kept with its PHP type, so the core can
/// name a wrong one in a `Closte\ConfigurationException`.
#[derive(Default)]
pub struct Options(pub Vec<(String, OptionValue)>);

impl<'a> FromZval<'a> for Options {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let table = zval.dereference().array()?;
        let entries = table
            .iter()
            .map(|(key, value)| {
                let name = match key {
                    ArrayKey::Long(n) => n.to_string(),
                    ArrayKey::String(s) => s,
                    ArrayKey::Str(s) => s.to_string(),
                    ArrayKey::ZendString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
                };
                (name, option_value(value))
            })
            .collect();
        Some(Options(entries))
    }
}

impl StubLiteral for Options {
    fn stub_literal(&self) -> String {
        "[]".to_string()
    }
}

pub fn option_value(value: &Zval) -> OptionValue {
    let value = value.dereference();
    if let Some(s) = value.zend_str() {
        return OptionValue::Str(String::from_utf8_lossy(s.as_bytes()).into_owned());
    }
    if let Some(n) = value.long() {
        return OptionValue::Int(n);
    }
    if let Some(f) = value.double() {
        return OptionValue::Float(f);
    }
    if let Some(b) = value.bool() {
        return OptionValue::Bool(b);
    }
    if value.is_null() {
        return OptionValue::Null;
    }
    OptionValue::Other(if value.is_array() {
        "array"
    } else if value.is_object() {
        "object"
    } else {
        "resource"
    })
}

/// A list of domains given as an array of strings, each kept as bytes.
pub struct StringList(pub Vec<Result<Vec<u8>, String>>);

impl<'a> FromZval<'a> for StringList {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let table = zval.dereference().array()?;
        let items = table
            .iter()
            .map(|(_, value)| match value.dereference().zend_str() {
                Some(s) => Ok(s.as_bytes().to_vec()),
                None => Err(type_name(&option_value(value)).to_string()),
            })
            .collect();
        Some(StringList(items))
    }
}
