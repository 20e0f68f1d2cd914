//! libFuzzer target: Retry-After header values (delta-seconds or HTTP-date).
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use closte_core::retry::parse_retry_after;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_retry_after(text, SystemTime::now());
        let _ = parse_retry_after(text, UNIX_EPOCH + Duration::from_secs(4_102_444_800));
        let _ = parse_retry_after(text, UNIX_EPOCH);
    }
});
