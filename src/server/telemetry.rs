//! What operators watch: one log line per call, and Prometheus metrics
//! (OpenMetrics text on `GET /metrics` at `--metrics-listen`).
//!
//! Per call (recorded by the admission layer when the call's response
//! ends): calls by method and gRPC code, latency by method, and an INFO
//! line with the method, the caller's token name, the request and video
//! ids and matches when a `Score` says them, the code and the latency. At
//! each scrape, from the application layer: calls in flight, claims
//! indexed, index lag behind the store, the hit writer's queue and
//! commits, matches returned and hits logged by level.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::status::code_name;
use crate::app::App;
use crate::error::{Error, Result};

type Labels = Vec<(&'static str, String)>;

/// What a `Score` handler tells the call's log line.
#[derive(Debug, Clone, Default)]
pub struct CallFacts {
    /// The caller's request id.
    pub request_id: String,
    /// The video scored.
    pub video_id: String,
    /// Matches returned.
    pub matches: usize,
}

/// The server's metrics.
pub struct Telemetry {
    registry: Registry,
    calls: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
}

impl Telemetry {
    /// Returns the metrics of a server over `app`, whose calls in flight
    /// `in_flight` counts.
    pub fn new(app: Arc<App>, in_flight: Arc<dyn Fn() -> usize + Send + Sync>) -> Self {
        let mut registry = Registry::with_prefix("claimsignal");
        let calls = Family::<Labels, Counter>::default();
        registry.register(
            "calls",
            "gRPC calls answered, by method and code",
            calls.clone(),
        );
        let latency = Family::<Labels, Histogram>::new_with_constructor(|| {
            // 0.5 ms to about 16 s.
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register(
            "call_duration_seconds",
            "time from a call's arrival to the end of its answer, by method",
            latency.clone(),
        );
        registry.register_collector(Box::new(State { app, in_flight }));
        Telemetry {
            registry,
            calls,
            latency,
        }
    }

    /// Returns the record of a call to `path` by `caller`, starting now.
    pub fn call(self: &Arc<Self>, path: &str, caller: &str) -> CallRecord {
        CallRecord {
            telemetry: self.clone(),
            method: method_name(path),
            caller: caller.to_string(),
            started: Instant::now(),
            code: None,
            facts: None,
        }
    }

    /// Counts a call refused before it was admitted (no token, over a
    /// cap, stopping): counted, not logged one by one (a flood of calls
    /// without a token would be a flood of lines).
    pub fn refused(&self, path: &str, code: tonic::Code) {
        let labels = vec![
            ("method", method_name(path)),
            ("code", code_name(code).to_string()),
        ];
        self.calls.get_or_create(&labels).inc();
    }

    /// Returns the metrics in OpenMetrics text. Blocking (the scrape
    /// reads the store's change sequence).
    pub fn encode(&self) -> Result<String> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|err| Error::Internal(format!("cannot encode metrics: {err}")))?;
        Ok(text)
    }
}

/// Returns `Service/Method` of a gRPC path.
fn method_name(path: &str) -> String {
    let path = path.trim_start_matches('/');
    let short = path.rsplit_once('.').map_or(path, |(_, rest)| rest);
    short.to_string()
}

/// One call, recorded in the metrics and logged when it is dropped (when
/// its response has ended, or the connection went away).
pub struct CallRecord {
    telemetry: Arc<Telemetry>,
    method: String,
    caller: String,
    started: Instant,
    code: Option<String>,
    facts: Option<CallFacts>,
}

impl CallRecord {
    /// Notes the call's gRPC status code (`grpc-status` of its answer).
    pub fn status(&mut self, code: &[u8]) {
        let name = std::str::from_utf8(code)
            .ok()
            .and_then(|c| c.parse::<i32>().ok())
            .map_or("UNKNOWN", |c| code_name(tonic::Code::from_i32(c)));
        self.code = Some(name.to_string());
    }

    /// Notes what the handler said about the call.
    pub fn facts(&mut self, facts: CallFacts) {
        self.facts = Some(facts);
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        let elapsed = self.started.elapsed();
        // An answer that ended without a status was cut off.
        let code = self.code.as_deref().unwrap_or("CANCELLED");
        let method = self.method.clone();
        self.telemetry
            .calls
            .get_or_create(&vec![
                ("method", method.clone()),
                ("code", code.to_string()),
            ])
            .inc();
        self.telemetry
            .latency
            .get_or_create(&vec![("method", method)])
            .observe(elapsed.as_secs_f64());
        let latency_ms = elapsed.as_secs_f64() * 1e3;
        let facts = self.facts.take().unwrap_or_default();
        tracing::info!(
            method = %self.method,
            caller = %self.caller,
            request_id = %facts.request_id,
            video_id = %facts.video_id,
            code = %code,
            matches = facts.matches,
            latency_ms = format_args!("{latency_ms:.2}"),
            "call"
        );
    }
}

/// What metrics read of the service at each scrape.
struct State {
    app: Arc<App>,
    in_flight: Arc<dyn Fn() -> usize + Send + Sync>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("State")
    }
}

const LEVELS: [&str; 3] = ["none", "review", "auto"];

fn gauge(encoder: &mut DescriptorEncoder, name: &str, help: &str, value: f64) -> std::fmt::Result {
    let gauge = ConstGauge::new(value);
    gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)
}

impl Collector for State {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        gauge(
            &mut encoder,
            "in_flight",
            "calls holding a slot now (an open stream is one)",
            (self.in_flight)() as f64,
        )?;
        let vitals = match self.app.vitals() {
            Ok(vitals) => vitals,
            Err(err) => {
                // The scrape still answers, without what it could not read.
                tracing::warn!(error = %err, "metrics cannot read the service's state");
                return Ok(());
            }
        };
        gauge(
            &mut encoder,
            "claims_indexed",
            "claims matching can find",
            vitals.claims_indexed as f64,
        )?;
        gauge(
            &mut encoder,
            "index_lag_changes",
            "claim store changes this replica's index has not applied yet",
            vitals.index_lag as f64,
        )?;
        gauge(
            &mut encoder,
            "vector_lag_changes",
            "claim store changes whose claims are not yet matched by meaning (vectors being computed)",
            vitals.vector_lag as f64,
        )?;
        gauge(
            &mut encoder,
            "claims_unread_by_meaning",
            "active claims whose text is in a script the encoder does not read (matched by their words only)",
            vitals.claims_unread as f64,
        )?;
        gauge(
            &mut encoder,
            "vector_changes_per_second",
            "claim store changes a second the claims' vectors caught up by over the last minute of work (0 before the first)",
            vitals.vector_rate.unwrap_or(0.0),
        )?;
        for (name, help, value) in [
            (
                "meaning_sentences",
                "sentences (and runs of two or three cues) of short content looked at by the matching by meaning",
                vitals.meaning_sentences.0,
            ),
            (
                "meaning_sentences_embedded",
                "of those, sentences the encoder ran on (the rest were decided by their words or were not election talk)",
                vitals.meaning_sentences.1,
            ),
            (
                "meaning_sentences_cached",
                "of those, sentences whose vector was kept from an earlier request (matching.semantic_cache)",
                vitals.meaning_sentences.2,
            ),
            (
                "meaning_sentences_unread",
                "of those, sentences in a script the encoder does not read (matched by their words only)",
                vitals.meaning_sentences.3,
            ),
            (
                "matches_held_by_title",
                "sentence and claim pairs a partner's verdict title alone would have put at review, held just under it",
                vitals.held_by_title,
            ),
        ] {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        gauge(
            &mut encoder,
            "scoring_waiting_requests",
            "score requests waiting for a scoring thread (each caller has its own queue, served by the scoring time it has had)",
            vitals.turns.waiting as f64,
        )?;
        gauge(
            &mut encoder,
            "scoring_callers",
            "callers with score requests waiting or being scored",
            vitals.turns.callers as f64,
        )?;
        let abandoned = ConstCounter::new(vitals.turns.abandoned);
        abandoned.encode(encoder.encode_descriptor(
            "scoring_abandoned_requests",
            "score requests not scored because their caller had gone (cancelled, or dropped at its deadline) before their turn",
            None,
            abandoned.metric_type(),
        )?)?;
        gauge(
            &mut encoder,
            "hit_writer_queue",
            "hit log writes waiting for the writer",
            vitals.hits.queued as f64,
        )?;
        let commits = ConstCounter::new(vitals.hits.commits);
        commits.encode(encoder.encode_descriptor(
            "hit_commits",
            "groups of hit log writes committed",
            None,
            commits.metric_type(),
        )?)?;
        let seconds = ConstCounter::new(vitals.hits.commit_seconds);
        seconds.encode(encoder.encode_descriptor(
            "hit_commit_seconds",
            "time spent committing them (divide by hit_commits for the mean)",
            None,
            seconds.metric_type(),
        )?)?;
        for (name, help, counts) in [
            (
                "matches",
                "matches returned to callers, by level",
                vitals.scored.matches,
            ),
            ("hits_logged", "hits logged, by level", vitals.scored.hits),
        ] {
            let mut family = encoder.encode_descriptor(
                name,
                help,
                None,
                prometheus_client::metrics::MetricType::Counter,
            )?;
            for (level, count) in LEVELS.iter().zip(counts) {
                let labels = [("level", *level)];
                ConstCounter::new(count).encode(family.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}

/// Serves `GET /metrics` on `listener` until `stop` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    telemetry: Arc<Telemetry>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let scrape = move || {
        let telemetry = telemetry.clone();
        async move {
            let text = tokio::task::spawn_blocking(move || telemetry.encode())
                .await
                .map_err(Error::from)
                .and_then(|text| text);
            match text {
                Ok(text) => (
                    http::StatusCode::OK,
                    [(
                        http::header::CONTENT_TYPE,
                        "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    )],
                    text,
                ),
                Err(err) => {
                    let mut message = String::new();
                    let _ = write!(message, "{err}");
                    (
                        http::StatusCode::INTERNAL_SERVER_ERROR,
                        [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                        message,
                    )
                }
            }
        }
    };
    let router = axum::Router::new().route("/metrics", axum::routing::get(scrape));
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await
        .map_err(Error::from)
}
