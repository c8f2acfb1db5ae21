//! The gRPC adapters: proto <-> domain, errors -> statuses, and the server.
//!
//! - `claims`, `matcher`, `reports`: one service each, thin over the engine.
//! - `convert`: proto <-> domain conversions.
//! - `status`: the one place errors become gRPC codes.

mod admin;
mod auth;
mod claims;
pub mod convert;
mod layers;
mod matcher;
mod reports;
pub mod status;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;
use tonic_health::ServingStatus;

use crate::engine::Engine;
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

/// How often a replica on a shared store checks that the database answers.
const STORE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Reports NOT_SERVING (overall and per service) while the shared store is
/// unreachable, so load balancers send traffic to other replicas; SERVING
/// again once it answers.
async fn watch_store(
    pool: crate::store::PgPool,
    reporter: tonic_health::server::HealthReporter,
    service_names: [&'static str; 4],
) {
    let mut serving = true;
    let mut ticks = tokio::time::interval(STORE_CHECK);
    loop {
        ticks.tick().await;
        // The pool, not the engine: a check still running when serving
        // stops must not keep the engine (and its data directory) open.
        let probe = pool.clone();
        let reachable = tokio::task::spawn_blocking(move || probe.reachable())
            .await
            .unwrap_or(false);
        if reachable == serving {
            continue;
        }
        serving = reachable;
        let status = if serving {
            tracing::info!("the store answers again: serving");
            ServingStatus::Serving
        } else {
            tracing::warn!("the store is unreachable: not serving");
            ServingStatus::NotServing
        };
        reporter.set_service_status("", status).await;
        for name in service_names {
            reporter.set_service_status(name, status).await;
        }
    }
}

/// Serves the engine on `listener` until `shutdown` resolves, then stops
/// gracefully: health goes NOT_SERVING, no new connections are accepted,
/// in-flight calls finish, and the hit log is flushed.
pub async fn run(
    listener: TcpListener,
    engine: Arc<Engine>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let local_addr = listener.local_addr()?;
    let max_message = engine.config().limits.max_message_bytes;
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

    let claims = pb::claims_server::ClaimsServer::new(claims::ClaimsService::new(engine.clone()))
        .max_decoding_message_size(max_message);
    let matcher =
        pb::matcher_server::MatcherServer::new(matcher::MatcherService::new(engine.clone()))
            .max_decoding_message_size(max_message);
    let reports =
        pb::reports_server::ReportsServer::new(reports::ReportsService::new(engine.clone()))
            .max_decoding_message_size(max_message);

    engine.start_following()?;
    let store_watch = engine.shared_store().map(|pool| {
        tokio::spawn(watch_store(
            pool.clone(),
            health_reporter.clone(),
            service_names,
        ))
    });

    let reporter = health_reporter.clone();
    let stopping = async move {
        shutdown.await;
        tracing::info!("shutting down: draining in-flight calls");
        if let Some(watch) = store_watch {
            watch.abort();
            // Gone before serving ends: it holds the engine.
            let _ = watch.await;
        }
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        for name in service_names {
            reporter
                .set_service_status(name, ServingStatus::NotServing)
                .await;
        }
    };

    let limits = engine.config().limits.clone();
    let mut builder = Server::builder();
    if let Some(tls) = &engine.config().tls {
        builder = builder
            .tls_config(tls_config(tls)?)
            .map_err(|err| Error::invalid(format!("TLS: {err}")))?;
    }
    tracing::info!(
        addr = %local_addr,
        claims = engine.active_claims(),
        tls = engine.config().tls.is_some(),
        mutual_tls = engine.config().tls.as_ref().is_some_and(|t| t.client_ca.is_some()),
        "serving"
    );
    let served = builder
        .max_concurrent_streams(limits.max_concurrent_streams)
        // Dead peers are noticed, and their connections closed.
        .http2_keepalive_interval(Some(std::time::Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(std::time::Duration::from_secs(10)))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            layers::panic_response,
        ))
        .layer(layers::InFlightLimitLayer::new(limits.max_in_flight))
        .layer(layers::MessageLimitLayer)
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(claims)
        .add_service(matcher)
        .add_service(reports)
        .add_service(pb::admin_server::AdminServer::new(
            admin::AdminService::new(engine.clone()),
        ))
        .serve_with_incoming_shutdown(incoming(listener), stopping)
        .await;
    // Flush the hit log whether serving ended cleanly or not.
    let flush_engine = engine.clone();
    tokio::task::spawn_blocking(move || flush_engine.close()).await?;
    served.map_err(|err| Error::Internal(format!("server: {err}")))?;
    tracing::info!("stopped");
    Ok(())
}
