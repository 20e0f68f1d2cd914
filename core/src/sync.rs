//! Bulk reconciliation (`closte_sync_domains`): one `getdomains`, then the
//! missing adds (and, when asked, the extra removals) run on a bounded pool
//! of threads that exist only for the duration of the call.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::api::Endpoint;
use crate::client;
use crate::domain::{normalize, Domain};
use crate::error::{Error, Result};
use crate::settings::Settings;

pub const DEFAULT_CONCURRENCY: usize = 8;
pub const MAX_CONCURRENCY: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Domain and the reason it failed, in input order.
    pub failed: Vec<(String, String)>,
}

/// What has to happen, before anything happens.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub work: Vec<(Op, Domain)>,
    pub unchanged: Vec<String>,
    /// Names Closte listed that we cannot even address (kept, reported).
    pub unaddressable: Vec<(String, String)>,
}

pub fn plan(desired: &[Domain], current: &[String], remove_extra: bool) -> Plan {
    let current_set: HashSet<&str> = current.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    let mut out = Plan::default();
    for domain in desired {
        if !seen.insert(domain.as_str()) {
            continue;
        }
        if current_set.contains(domain.as_str()) {
            out.unchanged.push(domain.as_str().to_string());
        } else {
            out.work.push((Op::Add, domain.clone()));
        }
    }
    if remove_extra {
        let mut seen_current = HashSet::new();
        for name in current {
            if seen.contains(name.as_str()) || !seen_current.insert(name.as_str()) {
                continue;
            }
            match normalize(name) {
                Ok(domain) => out.work.push((Op::Remove, domain)),
                Err(e) => out.unaddressable.push((name.clone(), e.to_string())),
            }
        }
    }
    out
}

/// The whole reconcile: Closte's list, the plan, the calls.
pub fn run(
    settings: &Settings,
    desired: &[Domain],
    remove_extra: bool,
    concurrency: usize,
) -> Result<Report> {
    let current = client::list_domains(settings)?;
    let plan = plan(desired, &current, remove_extra);
    Ok(execute(plan, concurrency, |op, domain| {
        let endpoint = match op {
            Op::Add => Endpoint::AddDomainAlias,
            Op::Remove => Endpoint::DeleteDomainAlias,
        };
        client::call(settings, endpoint, Some(domain))?
            .require_success(Some(domain))
            .map(|_| ())
    }))
}

/// Runs the plan with at most `concurrency` operations in flight. `run`
/// does one operation (with its own retries) and must be thread-safe.
pub fn execute<F>(plan: Plan, concurrency: usize, run: F) -> Report
where
    F: Fn(Op, &Domain) -> Result<()> + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<()>>>> = Mutex::new(vec![None; plan.work.len()]);
    let workers = concurrency.clamp(1, MAX_CONCURRENCY).min(plan.work.len());
    let worker = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some((op, domain)) = plan.work.get(index) else {
            break;
        };
        // A panic in one operation must not take the others down, nor cross
        // into PHP when the scope joins.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(*op, domain)))
            .unwrap_or_else(|_| {
                Err(Error::internal(format!(
                    "internal error while syncing {domain}"
                )))
            });
        let mut slots = results.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(outcome);
        }
    };
    if workers <= 1 {
        worker();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(worker);
            }
        });
    }

    let mut report = Report {
        unchanged: plan.unchanged,
        failed: plan.unaddressable,
        ..Report::default()
    };
    let results = results.into_inner().unwrap_or_else(PoisonError::into_inner);
    for ((op, domain), outcome) in plan.work.into_iter().zip(results) {
        let name = domain.into_string();
        match (op, outcome) {
            (Op::Add, Some(Ok(()))) => report.added.push(name),
            (Op::Remove, Some(Ok(()))) => report.removed.push(name),
            (_, Some(Err(e))) => report.failed.push((name, e.to_string())),
            (_, None) => report.failed.push((name, "not attempted".into())),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str) -> Domain {
        normalize(name).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn plan_adds_missing_keeps_present_and_removes_extra_only_when_asked() {
        let desired = [d("a.com"), d("b.com"), d("a.com"), d("*.c.com")];
        let current = vec![
            "b.com".to_string(),
            "x.com".into(),
            "x.com".into(),
            "bad_name".into(),
        ];
        let keep = plan(&desired, &current, false);
        assert_eq!(
            keep.work,
            vec![(Op::Add, d("a.com")), (Op::Add, d("*.c.com"))]
        );
        assert_eq!(keep.unchanged, vec!["b.com".to_string()]);
        assert!(keep.unaddressable.is_empty());

        let prune = plan(&desired, &current, true);
        assert_eq!(prune.work.last(), Some(&(Op::Remove, d("x.com"))));
        assert_eq!(prune.work.len(), 3);
        assert_eq!(prune.unaddressable.len(), 1);
    }

    #[test]
    fn execute_reports_every_domain_once_under_concurrency() {
        let desired: Vec<Domain> = (0..500)
            .map(|i| d(&format!("site{i}.example.com")))
            .collect();
        let current: Vec<String> = (0..10).map(|i| format!("old{i}.example.com")).collect();
        let calls = AtomicUsize::new(0);
        let in_flight = AtomicUsize::new(0);
        let max_in_flight = AtomicUsize::new(0);
        let report = execute(plan(&desired, &current, true), 16, |_, domain| {
            calls.fetch_add(1, Ordering::SeqCst);
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            max_in_flight.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_micros(200));
            in_flight.fetch_sub(1, Ordering::SeqCst);
            if domain.as_str().starts_with("site7.") {
                return Err(Error::Refusal {
                    status: 200,
                    api_error: None,
                    attempts: 1,
                });
            }
            Ok(())
        });
        assert_eq!(calls.load(Ordering::SeqCst), 510);
        assert!(max_in_flight.load(Ordering::SeqCst) <= 16);
        assert!(max_in_flight.load(Ordering::SeqCst) > 1, "ran concurrently");
        assert_eq!(report.added.len(), 499);
        assert_eq!(report.removed.len(), 10);
        assert_eq!(
            report.failed,
            vec![(
                "site7.example.com".to_string(),
                "Closte refused the request (it answered success:false)".to_string()
            )]
        );
        assert_eq!(report.added[0], "site0.example.com", "input order kept");
    }

    #[test]
    fn a_panicking_operation_is_a_failure_not_a_crash() {
        let report = execute(
            plan(&[d("a.com"), d("b.com")], &[], false),
            2,
            |_, domain| {
                if domain.as_str() == "a.com" {
                    panic!("boom");
                }
                Ok(())
            },
        );
        assert_eq!(report.added, vec!["b.com".to_string()]);
        assert_eq!(report.failed.len(), 1);
        assert!(report.failed[0].1.contains("internal error"));
    }
}
