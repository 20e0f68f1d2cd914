//! Everything the simulator remembers, behind one mutex.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;

use crate::faults::Plan;

/// Enough for a test that drives thousands of calls and then checks every one.
pub const LOG_LIMIT: usize = 10_000;

#[derive(Default)]
pub struct State {
    /// Aliases per API key, in insertion order.
    pub aliases: HashMap<String, Vec<String>>,
    pub requests: u64,
    pub connections: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    pub log: VecDeque<Value>,
    pub fault: Option<Plan>,
    pub domains_as_objects: bool,
    /// How long a kept-alive connection may sit idle before the simulator
    /// closes it; `None` means the default (`DEFAULT_IDLE_TIMEOUT`).
    pub idle_timeout: Option<Duration>,
}

/// Servers drop idle kept-alive connections; this one after two minutes
/// unless told otherwise (`POST /_sim/config {"idle_timeout_ms": N}`).
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Shared {
    pub state: Mutex<State>,
    /// Accepted keys; empty means any non-empty key.
    pub keys: Vec<String>,
    /// Names Closte manages itself and refuses as aliases.
    pub managed_suffixes: Vec<String>,
    pub quiet: bool,
}

impl Shared {
    /// A panic in one connection must not take the others down.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn key_ok(&self, key: &str) -> bool {
        !key.is_empty() && (self.keys.is_empty() || self.keys.iter().any(|k| k == key))
    }
}

impl State {
    pub fn reset(&mut self) {
        *self = State::default();
    }

    pub fn record(&mut self, entry: Value) {
        if self.log.len() == LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }
}

/// A short, non-reversible name for a key, for logs and /_sim/state.
pub fn fingerprint(key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}
