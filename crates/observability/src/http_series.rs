//! The children of the HTTP request metrics, resolved once per (route, method, status) and kept per
//! thread.
//!
//! `with_label_values` hashes every label value and takes the metric vector's lock on each call, and
//! the request path made two such calls per request. Each worker thread instead keeps the children
//! it has used; recording is then a map lookup by route and the metric update itself.

use std::cell::RefCell;
use std::collections::HashMap;

use prometheus::{Histogram, HistogramVec, IntCounter, IntCounterVec};

/// The duration histogram of one (route, method) and the request counters of its statuses.
struct MethodSeries {
    method: Box<str>,
    duration: Histogram,
    statuses: Vec<(u16, IntCounter)>,
}

/// One thread's resolved children, for the one [`Metrics`](crate::Metrics) instance that used the
/// thread last (tests create many; a process serves one).
#[derive(Default)]
struct ThreadSeries {
    owner: u64,
    routes: HashMap<Box<str>, Vec<MethodSeries>>,
}

thread_local! {
    static SERIES: RefCell<ThreadSeries> = RefCell::new(ThreadSeries::default());
}

/// The metric vectors and the labels of one request.
pub(crate) struct Request<'a> {
    pub(crate) requests: &'a IntCounterVec,
    pub(crate) duration: &'a HistogramVec,
    pub(crate) method: &'a str,
    pub(crate) route: &'a str,
    pub(crate) status: u16,
}

/// Counts `request` and observes its duration, in the children of the metrics instance `owner`.
pub(crate) fn record(owner: u64, request: &Request<'_>, seconds: f64) {
    SERIES.with_borrow_mut(|series| {
        if series.owner != owner {
            series.routes.clear();
            series.owner = owner;
        }
        if let Some(methods) = series.routes.get_mut(request.route) {
            record_in(methods, request, seconds);
        } else {
            let mut methods = Vec::new();
            record_in(&mut methods, request, seconds);
            series.routes.insert(request.route.into(), methods);
        }
    });
}

/// Records into the route's children, resolving those it does not hold yet.
fn record_in(methods: &mut Vec<MethodSeries>, request: &Request<'_>, seconds: f64) {
    let Request {
        requests,
        duration,
        method,
        route,
        status,
    } = *request;
    let at = match methods.iter().position(|m| &*m.method == method) {
        Some(at) => at,
        None => {
            methods.push(MethodSeries {
                method: method.into(),
                duration: duration.with_label_values(&[method, route]),
                statuses: Vec::new(),
            });
            methods.len() - 1
        }
    };
    let series = &mut methods[at];
    series.duration.observe(seconds);
    match series.statuses.iter().find(|(s, _)| *s == status) {
        Some((_, counter)) => counter.inc(),
        None => {
            let counter = requests.with_label_values(&[method, route, &status.to_string()]);
            counter.inc();
            series.statuses.push((status, counter));
        }
    }
}
