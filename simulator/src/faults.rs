//! The fault plan: what the next API requests suffer, set through
//! `POST /_sim/fault` and applied before the request is served.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Sleep, then answer normally.
    Latency {
        ms: u64,
    },
    /// Answer this status (and body), optionally with Retry-After.
    Status {
        status: u16,
        body: Option<String>,
        retry_after: Option<u64>,
    },
    /// 429 with Retry-After.
    RateLimit {
        retry_after: u64,
    },
    BadJson,
    Html {
        status: u16,
    },
    Empty,
    /// Claim more bytes than are sent, then close.
    Truncated,
    Oversized {
        bytes: usize,
    },
    /// Read the request, close without answering.
    Reset,
    Redirect {
        location: String,
        status: u16,
    },
    /// Read the request, never answer (up to `ms`).
    Hang {
        ms: u64,
    },
    /// Do the work, then close without answering.
    SuccessAfterApply,
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Latency { .. } => "latency",
            Kind::Status { .. } => "status",
            Kind::RateLimit { .. } => "rate_limit",
            Kind::BadJson => "bad_json",
            Kind::Html { .. } => "html",
            Kind::Empty => "empty",
            Kind::Truncated => "truncated",
            Kind::Oversized { .. } => "oversized",
            Kind::Reset => "reset",
            Kind::Redirect { .. } => "redirect",
            Kind::Hang { .. } => "hang",
            Kind::SuccessAfterApply => "success_after_apply",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub kind: Kind,
    /// Requests left to affect; `None` = until cleared.
    pub remaining: Option<u64>,
    /// Fraction of requests affected; `None` = all.
    pub probability: Option<f64>,
    /// Only this endpoint (e.g. "adddomainalias").
    pub endpoint: Option<String>,
    rng: u64,
}

/// Parses a plan; `Ok(None)` means "no fault".
pub fn parse(body: &[u8]) -> Result<Option<Plan>, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let kind_name = v
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("missing \"kind\"")?;
    let u = |name: &str, default: u64| v.get(name).and_then(Value::as_u64).unwrap_or(default);
    let status = |default: u16| u16::try_from(u("status", u64::from(default))).unwrap_or(default);
    let kind = match kind_name {
        "none" => return Ok(None),
        "latency" => Kind::Latency { ms: u("ms", 100) },
        "status" => Kind::Status {
            status: status(500),
            body: v.get("body").and_then(Value::as_str).map(str::to_string),
            retry_after: v.get("retry_after").and_then(Value::as_u64),
        },
        "rate_limit" => Kind::RateLimit {
            retry_after: u("retry_after", 1),
        },
        "bad_json" => Kind::BadJson,
        "html" => Kind::Html {
            status: status(200),
        },
        "empty" => Kind::Empty,
        "truncated" => Kind::Truncated,
        "oversized" => Kind::Oversized {
            bytes: usize::try_from(u("bytes", 2 * 1024 * 1024)).unwrap_or(usize::MAX),
        },
        "reset" => Kind::Reset,
        "redirect" => Kind::Redirect {
            location: v
                .get("location")
                .and_then(Value::as_str)
                .ok_or("redirect needs \"location\"")?
                .to_string(),
            status: status(302),
        },
        "hang" => Kind::Hang {
            ms: u("ms", 600_000),
        },
        "success_after_apply" => Kind::SuccessAfterApply,
        other => return Err(format!("unknown fault kind {other:?}")),
    };
    let probability = match v.get("probability") {
        None | Some(Value::Null) => None,
        Some(p) => Some(
            p.as_f64()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or("probability must be 0..1")?,
        ),
    };
    Ok(Some(Plan {
        kind,
        remaining: v.get("count").and_then(Value::as_u64),
        probability,
        endpoint: v
            .get("endpoint")
            .and_then(Value::as_str)
            .map(str::to_string),
        rng: mix_seed(u("seed", 0x2545_F491_4F6C_DD1D)),
    }))
}

/// splitmix64 of the seed, so small seeds (1, 2, 7) do not start the
/// xorshift sequence near zero, where every early draw would hit.
fn mix_seed(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)).max(1)
}

impl Plan {
    /// Whether this request gets the fault; consumes one `count` if so.
    /// Returns `true` when the plan is used up and should be cleared.
    pub fn select(&mut self, endpoint: &str) -> (Option<Kind>, bool) {
        if self.endpoint.as_deref().is_some_and(|e| e != endpoint) {
            return (None, false);
        }
        if let Some(p) = self.probability {
            if self.next_f64() >= p {
                return (None, false);
            }
        }
        match &mut self.remaining {
            Some(0) => (None, true),
            Some(n) => {
                *n -= 1;
                (Some(self.kind.clone()), *n == 0)
            }
            None => (Some(self.kind.clone()), false),
        }
    }

    /// xorshift64: deterministic for a given seed, so a failing test repeats.
    fn next_f64(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str) -> Plan {
        match parse(json.as_bytes()) {
            Ok(Some(p)) => p,
            other => panic!("{json}: {other:?}"),
        }
    }

    #[test]
    fn count_applies_then_clears() {
        let mut p = plan(r#"{"kind":"status","status":503,"count":2}"#);
        assert_eq!(
            p.select("getdomains"),
            (
                Some(Kind::Status {
                    status: 503,
                    body: None,
                    retry_after: None
                }),
                false
            )
        );
        assert!(p.select("getdomains").1, "used up after two");
    }

    #[test]
    fn endpoint_filter_and_probability() {
        let mut p = plan(r#"{"kind":"reset","endpoint":"adddomainalias"}"#);
        assert_eq!(p.select("getdomains").0, None);
        assert_eq!(p.select("adddomainalias").0, Some(Kind::Reset));

        let mut half = plan(r#"{"kind":"empty","probability":0.5,"seed":42}"#);
        let hits = (0..1000).filter(|_| half.select("x").0.is_some()).count();
        assert!((400..600).contains(&hits), "{hits}");
        let mut again = plan(r#"{"kind":"empty","probability":0.5,"seed":42}"#);
        let hits_again = (0..1000).filter(|_| again.select("x").0.is_some()).count();
        assert_eq!(hits, hits_again, "same seed, same sequence");
        let mut small = plan(r#"{"kind":"empty","probability":0.2,"seed":1}"#);
        let first_ten = (0..10).filter(|_| small.select("x").0.is_some()).count();
        assert!(
            first_ten < 10,
            "a small seed must not fault every early request"
        );
    }

    #[test]
    fn bad_plans_are_refused() {
        assert!(parse(b"{}").is_err());
        assert!(parse(br#"{"kind":"teleport"}"#).is_err());
        assert!(parse(br#"{"kind":"redirect"}"#).is_err());
        assert!(parse(br#"{"kind":"empty","probability":2}"#).is_err());
        assert_eq!(parse(br#"{"kind":"none"}"#), Ok(None));
    }
}
