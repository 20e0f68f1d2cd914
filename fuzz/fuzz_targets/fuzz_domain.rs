//! libFuzzer target: domain validation on arbitrary bytes. Panics (the
//! failure libFuzzer reports) when the validator panics, returns a name that
//! breaks a rule, is not idempotent, or builds an unsafe error message.
#![no_main]

use closte_core::domain::{normalize, normalize_bytes};
use closte_core::error::Error;
use closte_fuzz::{check_message, check_rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match normalize_bytes(data) {
        Ok(domain) => {
            let name = domain.as_str();
            if let Err(why) = check_rules(name) {
                panic!("{data:?} -> {name:?}: {why}");
            }
            match normalize(name) {
                Ok(again) if again == domain => {}
                other => panic!("not idempotent: {name:?} -> {other:?}"),
            }
        }
        Err(Error::InvalidDomain { reason }) => {
            if let Err(why) = check_message(&reason) {
                panic!("{data:?}: {why}");
            }
        }
        Err(other) => panic!("wrong error kind {other:?}"),
    }
});
