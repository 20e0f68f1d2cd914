//! The one builder of result arrays: set keys, fail once at the end.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::types::ZendHashTable;

use closte_core::{Error, Result};

pub type PhpArray = ZBox<ZendHashTable>;

pub struct ResultArray {
    table: PhpArray,
    failed: bool,
}

impl ResultArray {
    pub fn new() -> Self {
        ResultArray {
            table: ZendHashTable::new(),
            failed: false,
        }
    }

    pub fn set(mut self, key: &str, value: impl IntoZval) -> Self {
        if !self.failed && self.table.insert(key, value).is_err() {
            self.failed = true;
        }
        self
    }

    pub fn finish(self) -> Result<PhpArray> {
        if self.failed {
            return Err(Error::internal(
                "closte: could not build the result array (a bug in the extension; please report it)",
            ));
        }
        Ok(self.table)
    }
}

/// Milliseconds as PHP's int.
pub fn millis(elapsed: std::time::Duration) -> i64 {
    i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
}
