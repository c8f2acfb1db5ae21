//! The gRPC adapter: the server, its transport defences, and one thin
//! service per proto service over the application layer (`crate::app`).
//!
//! - `claims`, `matcher`, `reports`, `admin`: the services; each handler
//!   decodes, makes one call into `app`, encodes the answer.
//! - `convert`: proto <-> domain conversions, one file per service.
//! - `status`: the one place errors become gRPC statuses.
//! - `admission`, `body`, `wire`: authentication before decoding, slots
//!   per caller and peer, message sizes read from frame headers.
//! - `auth`: the caller and the deadline of a call.
//! - `layers`: statuses for unreadable requests, answers to panics.

mod admin;
mod admission;
mod auth;
mod body;
mod claims;
pub mod convert;
mod layers;
mod matcher;
mod reports;
pub mod status;
mod telemetry;
mod wire;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::app::App;
use crate::error::{Error, Result};
use crate::proto::v1 as pb;

/// Accepted connections with Nagle's algorithm off: answers are small and
/// must leave at once, not wait for a delayed ACK (40 ms per unary call).
fn incoming(
    listener: TcpListener,
) -> impl futures::Stream<Item = std::io::Result<tokio::net::TcpStream>> {
    use futures::StreamExt;
    TcpListenerStream::new(listener).map(|accepted| {
        if let Ok(stream) = &accepted
            && let Err(err) = stream.set_nodelay(true)
        {
            tracing::warn!(error = %err, "cannot set TCP_NODELAY");
        }
        accepted
    })
}

/// Reads the PEM files TLS needs; an unreadable file is named.
fn tls_config(tls: &crate::config::TlsConfig) -> Result<tonic::transport::ServerTlsConfig> {
    let read = |path: &std::path::Path, what: &str| {
        std::fs::read(path).map_err(|err| {
            Error::invalid(format!("cannot read TLS {what} {}: {err}", path.display()))
        })
    };
    let identity = tonic::transport::Identity::from_pem(
        read(&tls.cert, "certificate")?,
        read(&tls.key, "key")?,
    );
    let mut config = tonic::transport::ServerTlsConfig::new().identity(identity);
    if let Some(client_ca) = &tls.client_ca {
        config = config
            .client_ca_root(tonic::transport::Certificate::from_pem(read(
                client_ca,
                "client CA",
            )?))
            .client_auth_optional(false);
    }
    Ok(config)
}

/// How often health is checked: the shared store answers, the hit log
/// takes writes.
const HEALTH_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// How often a stopping server looks whether its calls have drained.
const DRAIN_CHECK: std::time::Duration = std::time::Duration::from_millis(50);

/// Reports NOT_SERVING (overall and per service) while the app cannot
/// serve (the shared store is unreachable, the hit log refuses writes),
/// so load balancers send traffic to other replicas; SERVING again once
/// it can.
async fn watch_health(
    probe: crate::app::HealthProbe,
    reporter: tonic_health::server::HealthReporter,
    service_names: [&'static str; 4],
) {
    let probe = Arc::new(probe);
    let mut serving = true;
    let mut ticks = tokio::time::interval(HEALTH_CHECK);
    loop {
        ticks.tick().await;
        let probe = probe.clone();
        let problem = tokio::task::spawn_blocking(move || probe.problem())
            .await
            .unwrap_or_else(|err| Some(format!("health check failed: {err}")));
        if problem.is_none() == serving {
            continue;
        }
        serving = problem.is_none();
        let status = match &problem {
            None => {
                tracing::info!("serving again");
                ServingStatus::Serving
            }
            Some(reason) => {
                tracing::warn!(reason = %reason, "not serving");
                ServingStatus::NotServing
            }
        };
        reporter.set_service_status("", status).await;
        for name in service_names {
            reporter.set_service_status(name, status).await;
        }
    }
}

/// Serves the service on `listener` until `shutdown` resolves, then stops
/// gracefully within `drain_seconds`: health goes NOT_SERVING at once
/// (the listener stays open, so probes read it), new calls are refused
/// `UNAVAILABLE`, open streams are told to end, and once the calls in
/// flight have finished (or the drain deadline passes) the listener
/// closes and the hit log is flushed.
pub async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    run_with(listener, None, app, shutdown).await
}

/// Serves as [`run`] does and, with `metrics`, Prometheus metrics on it
/// (`GET /metrics`) until the server has stopped.
pub async fn run_with(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let local_addr = listener.local_addr()?;
    let max_message = app.config().limits.max_message_bytes;
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    let service_names = [
        <pb::claims_server::ClaimsServer<claims::ClaimsService> as tonic::server::NamedService>::NAME,
        <pb::matcher_server::MatcherServer<matcher::MatcherService> as tonic::server::NamedService>::NAME,
        <pb::reports_server::ReportsServer<reports::ReportsService> as tonic::server::NamedService>::NAME,
        <pb::admin_server::AdminServer<admin::AdminService> as tonic::server::NamedService>::NAME,
    ];
    for name in service_names {
        health_reporter
            .set_service_status(name, ServingStatus::Serving)
            .await;
    }

    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|err| Error::Internal(format!("reflection: {err}")))?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(|err| Error::Internal(format!("reflection: {err}")))?;

    let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(false);
    // Every message is read through the admission layer's per-method
    // limits first; tonic's own limit is the backstop.
    let claims = pb::claims_server::ClaimsServer::new(claims::ClaimsService::new(
        app.clone(),
        stopping_rx.clone(),
    ))
    .max_decoding_message_size(max_message);
    let matcher = pb::matcher_server::MatcherServer::new(matcher::MatcherService::new(
        app.clone(),
        stopping_rx.clone(),
    ))
    .max_decoding_message_size(max_message);
    let reports = pb::reports_server::ReportsServer::new(reports::ReportsService::new(app.clone()))
        .max_decoding_message_size(max_message);
    let admin = pb::admin_server::AdminServer::new(admin::AdminService::new(app.clone()))
        .max_decoding_message_size(max_message);
    let admission = admission::AdmissionLayer::new(app.clone(), stopping_rx);
    let (metrics_stop_tx, metrics_stop_rx) = tokio::sync::oneshot::channel::<()>();
    let metrics_task = metrics.map(|listener| {
        if let Ok(at) = listener.local_addr() {
            tracing::info!(%at, "serving metrics on /metrics");
        }
        let stop = async {
            let _ = metrics_stop_rx.await;
        };
        tokio::spawn(telemetry::serve(listener, admission.telemetry(), stop))
    });

    app.start_following()?;
    app.start_embedding()?;
    let health_watch = tokio::spawn(watch_health(
        app.health_probe(),
        health_reporter.clone(),
        service_names,
    ));

    let drain = std::time::Duration::from_secs(app.config().drain_seconds);
    let (deadline_tx, deadline_rx) = tokio::sync::oneshot::channel();
    let reporter = health_reporter.clone();
    let draining = admission.clone();
    let stopping = async move {
        shutdown.await;
        let deadline = tokio::time::Instant::now() + drain;
        tracing::info!(
            drain_seconds = drain.as_secs(),
            in_flight = draining.in_flight(),
            "shutting down: not serving, draining calls in flight"
        );
        // The health watch is gone before health turns NOT_SERVING for
        // good (it would turn it back).
        health_watch.abort();
        let _ = health_watch.await;
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        for name in service_names {
            reporter
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
        let _ = stopping_tx.send(true);
        while draining.in_flight() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(DRAIN_CHECK).await;
        }
        let left = draining.in_flight();
        if left > 0 {
            tracing::warn!(
                left,
                "drain deadline reached: closing calls still in flight"
            );
        }
        // What remains of the deadline bounds tonic's own graceful close
        // (the sender lives on so that streams read no closed channel).
        let _ = deadline_tx.send((deadline, stopping_tx));
    };

    let limits = app.config().limits.clone();
    let mut builder = Server::builder();
    if let Some(tls) = &app.config().tls {
        builder = builder
            .tls_config(tls_config(tls)?)
            .map_err(|err| Error::invalid(format!("TLS: {err}")))?;
    }
    tracing::info!(
        addr = %local_addr,
        claims = app.active_claims(),
        tls = app.config().tls.is_some(),
        mutual_tls = app.config().tls.as_ref().is_some_and(|t| t.client_ca.is_some()),
        "serving"
    );
    let serving = builder
        .max_concurrent_streams(limits.max_concurrent_streams)
        // Dead peers are noticed, and their connections closed.
        .http2_keepalive_interval(Some(std::time::Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(std::time::Duration::from_secs(10)))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            layers::panic_response,
        ))
        .layer(admission)
        .layer(layers::MessageLimitLayer)
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(claims)
        .add_service(matcher)
        .add_service(reports)
        .add_service(admin)
        .serve_with_incoming_shutdown(incoming(listener), stopping);
    tokio::pin!(serving);
    // Once the drain has ended, tonic's graceful close gets what is left
    // of the deadline (and a second more); connections still open then
    // are dropped.
    let served = tokio::select! {
        served = &mut serving => Some(served),
        () = async {
            let (deadline, _stopping_tx) = match deadline_rx.await {
                Ok(stopped) => stopped,
                Err(_) => std::future::pending().await,
            };
            let grace = std::time::Duration::from_secs(1);
            tokio::time::sleep_until(deadline.max(tokio::time::Instant::now()) + grace).await;
        } => None,
    };
    // Metrics are read until the calls are over.
    let _ = metrics_stop_tx.send(());
    if let Some(task) = metrics_task {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!(error = %err, "metrics endpoint failed"),
            Err(err) => tracing::warn!(error = %err, "metrics endpoint task failed"),
        }
    }
    // Flush the hit log whether serving ended cleanly or not.
    let flush_app = app.clone();
    tokio::task::spawn_blocking(move || flush_app.close()).await?;
    match served {
        Some(served) => served.map_err(|err| Error::Internal(format!("server: {err}")))?,
        None => tracing::warn!("connections still open at the drain deadline were dropped"),
    }
    tracing::info!("stopped");
    Ok(())
}
