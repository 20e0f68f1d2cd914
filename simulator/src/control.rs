//! `/_sim/...`: how tests and demos inspect and steer the simulator. Never
//! subject to faults.

use serde_json::{json, Value};

use crate::faults;
use crate::http::{parse_form, Request, Response};
use crate::state::{fingerprint, Shared};

pub const PREFIX: &str = "/_sim/";

pub fn handle(shared: &Shared, request: &Request) -> Response {
    let route = request.path.trim_start_matches(PREFIX);
    let mut state = shared.lock();
    match (request.method.as_str(), route) {
        ("GET", "health") => Response::json(200, &json!({"ok": true})),
        ("GET", "state") => {
            let aliases: serde_json::Map<String, Value> = state
                .aliases
                .iter()
                .map(|(k, v)| (fingerprint(k), json!(v)))
                .collect();
            Response::json(
                200,
                &json!({
                    "aliases": aliases,
                    "requests": state.requests,
                    "connections": state.connections,
                    "by_endpoint": state.by_endpoint,
                    "fault": state.fault.as_ref().map(|p| p.kind.name()),
                }),
            )
        }
        ("GET", "aliases") => {
            let key = parse_form(&request.query)
                .into_iter()
                .find(|(k, _)| k == "key")
                .map(|(_, v)| v)
                .unwrap_or_default();
            let domains = state.aliases.get(&key).cloned().unwrap_or_default();
            Response::json(200, &json!({"domains": domains}))
        }
        ("GET", "requests") => {
            Response::json(200, &Value::Array(state.log.iter().cloned().collect()))
        }
        ("POST", "reset") => {
            state.reset();
            Response::json(200, &json!({"ok": true}))
        }
        ("POST", "fault") => match faults::parse(&request.body) {
            Ok(plan) => {
                let kind = plan.as_ref().map(|p| p.kind.name());
                state.fault = plan;
                Response::json(200, &json!({"ok": true, "fault": kind}))
            }
            Err(error) => Response::json(400, &json!({"ok": false, "error": error})),
        },
        ("DELETE", "fault") => {
            state.fault = None;
            Response::json(200, &json!({"ok": true}))
        }
        ("POST", "config") => {
            let config: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            match apply_config(&mut state, &config) {
                Ok(()) => Response::json(200, &json!({"ok": true})),
                Err(error) => Response::json(400, &json!({"ok": false, "error": error})),
            }
        }
        _ => Response::json(
            404,
            &json!({"ok": false, "error": "unknown control endpoint"}),
        ),
    }
}

/// `POST /_sim/config`: any of `domains_shape` ("string" or "object") and
/// `idle_timeout_ms` (a positive integer); nothing changes unless all parse.
fn apply_config(state: &mut crate::state::State, config: &Value) -> Result<(), &'static str> {
    let shape = match config.get("domains_shape") {
        None => None,
        Some(v) => match v.as_str() {
            Some("object") => Some(true),
            Some("string") => Some(false),
            _ => return Err("domains_shape must be \"string\" or \"object\""),
        },
    };
    let idle = match config.get("idle_timeout_ms") {
        None => None,
        Some(v) => match v.as_u64() {
            Some(ms) if ms > 0 => Some(std::time::Duration::from_millis(ms)),
            _ => return Err("idle_timeout_ms must be a positive integer"),
        },
    };
    if shape.is_none() && idle.is_none() {
        return Err("expected domains_shape and/or idle_timeout_ms");
    }
    if let Some(objects) = shape {
        state.domains_as_objects = objects;
    }
    if idle.is_some() {
        state.idle_timeout = idle;
    }
    Ok(())
}
