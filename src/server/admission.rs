//! Admission: the tower layer every call passes before any handler runs
//! or any message is decoded.
//!
//! In order: health and reflection pass untouched (a load balancer must
//! learn the server's state however busy it is); a server that is
//! stopping refuses new calls (`UNAVAILABLE`, so clients go to another
//! replica); the caller is authenticated from the headers and its role
//! checked against the method, so an unauthenticated or unauthorised
//! caller costs no slot and no decoding; then the call takes a slot,
//! within a global cap, a cap per caller (token) and a cap per peer
//! address, so that no single caller can take them all. The request body
//! is read through a guard that refuses oversized messages from their
//! frame header, counts a `Score`'s segments before they are decoded, and
//! gives a unary call's body a deadline to arrive.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tonic::Status;
use tonic::body::Body;

use super::auth::bearer_of;
use super::body::{GuardedBody, HeldBody, Observe};
use super::status::to_status;
use super::telemetry::{CallFacts, CallRecord, Telemetry};
use super::wire::{Counted, FrameReader, MessageRule};
use crate::app::App;
use crate::auth::{Principal, Role};
use crate::config::Limits;
use crate::error::Error;

/// Paths that are never authenticated nor refused for load.
const EXEMPT_PREFIXES: [&str; 3] = [
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1.ServerReflection/",
    "/grpc.reflection.v1alpha.ServerReflection/",
];

/// Largest message of the methods that take small requests (a claim, a
/// filter, a review).
const SMALL_MESSAGE_BYTES: usize = 1024 * 1024;

/// What a method's messages may be, beyond its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A small request.
    Small,
    /// Chunks of a claim file.
    Load,
    /// A `ScoreRequest`: segments counted before decoding.
    Score,
}

/// A method's policy: who may call it and what its messages may be.
#[derive(Debug, Clone, Copy)]
struct Method {
    roles: &'static [Role],
    client_streaming: bool,
    shape: Shape,
}

const PARTNER: &[Role] = &[Role::Partner];
const PIPELINE: &[Role] = &[Role::Pipeline];
const REVIEWER: &[Role] = &[Role::Reviewer];
const REPORTER: &[Role] = &[Role::Reporter];
const READERS: &[Role] = &[Role::Reviewer, Role::Reporter];
const LISTERS: &[Role] = &[Role::Partner, Role::Reviewer, Role::Reporter];
const ADMIN: &[Role] = &[Role::Admin];

/// Returns the policy of one of the service's own methods.
fn method(path: &str) -> Option<Method> {
    let (roles, client_streaming, shape) = match path {
        "/claimsignal.v1.Matcher/Score" => (PIPELINE, false, Shape::Score),
        "/claimsignal.v1.Matcher/ScoreStream" => (PIPELINE, true, Shape::Score),
        "/claimsignal.v1.Claims/LoadClaims" => (PARTNER, true, Shape::Load),
        "/claimsignal.v1.Claims/UpsertClaim" | "/claimsignal.v1.Claims/RetractClaim" => {
            (PARTNER, false, Shape::Small)
        }
        "/claimsignal.v1.Claims/GetClaim" | "/claimsignal.v1.Claims/SearchClaims" => {
            (&Role::ALL[..], false, Shape::Small)
        }
        "/claimsignal.v1.Claims/ListClaims" => (LISTERS, false, Shape::Small),
        "/claimsignal.v1.Reports/ReviewHit" => (REVIEWER, false, Shape::Small),
        "/claimsignal.v1.Reports/ListHits"
        | "/claimsignal.v1.Reports/ExportHits"
        | "/claimsignal.v1.Reports/GetHit" => (READERS, false, Shape::Small),
        "/claimsignal.v1.Reports/Summarize" => (REPORTER, false, Shape::Small),
        _ if path.starts_with("/claimsignal.v1.Admin/") => (ADMIN, false, Shape::Small),
        _ => return None,
    };
    Some(Method {
        roles,
        client_streaming,
        shape,
    })
}

/// The field path of `ScoreRequest.segments.segments`.
const SEGMENT_PATH: &[u32] = &[11, 1];

fn message_rule(shape: Shape, limits: &Limits) -> MessageRule {
    match shape {
        Shape::Small => MessageRule {
            max_bytes: SMALL_MESSAGE_BYTES.min(limits.max_message_bytes),
            setting: "the 1 MiB limit of this method",
            counted: None,
        },
        Shape::Load => MessageRule {
            max_bytes: limits.max_message_bytes,
            setting: "limits.max_message_bytes",
            counted: None,
        },
        Shape::Score => MessageRule {
            max_bytes: limits.max_score_message_bytes,
            setting: "limits.max_score_message_bytes",
            counted: Some(Counted {
                path: SEGMENT_PATH,
                max: limits.max_segments,
                noun: "segments",
                setting: "limits.max_segments",
            }),
        },
    }
}

/// Slots in use, per caller and per peer.
struct Shared {
    app: Arc<App>,
    telemetry: Arc<Telemetry>,
    slots: Arc<Semaphore>,
    limits: Limits,
    callers: Mutex<HashMap<String, usize>>,
    peers: Mutex<HashMap<IpAddr, usize>>,
    stopping: watch::Receiver<bool>,
}

/// Builds the [`Admit`] service around every service of the server.
#[derive(Clone)]
pub struct AdmissionLayer {
    shared: Arc<Shared>,
}

impl AdmissionLayer {
    /// Admits calls to `app` within its configured limits until
    /// `stopping` turns true.
    pub fn new(app: Arc<App>, stopping: watch::Receiver<bool>) -> Self {
        let limits = app.config().limits.clone();
        let slots = Arc::new(Semaphore::new(limits.max_in_flight));
        let (held, max) = (slots.clone(), limits.max_in_flight);
        let telemetry = Arc::new(Telemetry::new(
            app.clone(),
            Arc::new(move || max - held.available_permits()),
        ));
        AdmissionLayer {
            shared: Arc::new(Shared {
                slots,
                telemetry,
                app,
                limits,
                callers: Mutex::new(HashMap::new()),
                peers: Mutex::new(HashMap::new()),
                stopping,
            }),
        }
    }

    /// Returns the server's metrics.
    pub fn telemetry(&self) -> Arc<Telemetry> {
        self.shared.telemetry.clone()
    }

    /// Returns the calls holding a slot now.
    pub fn in_flight(&self) -> usize {
        self.shared.limits.max_in_flight - self.shared.slots.available_permits()
    }
}

impl<S> tower_layer::Layer<S> for AdmissionLayer {
    type Service = Admit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Admit {
            inner,
            shared: self.shared.clone(),
        }
    }
}

/// The service [`AdmissionLayer`] makes.
#[derive(Clone)]
pub struct Admit<S> {
    inner: S,
    shared: Arc<Shared>,
}

/// A call's place among the calls in flight, given back when its
/// response body is dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    shared: Arc<Shared>,
    caller: String,
    peer: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        release(&self.shared.callers, &self.caller);
        if let Some(peer) = &self.peer {
            release(&self.shared.peers, peer);
        }
    }
}

/// Takes one of `key`'s at most `max` places, or says it has none left.
fn take<K: std::hash::Hash + Eq + Clone>(
    counts: &Mutex<HashMap<K, usize>>,
    key: &K,
    max: usize,
) -> bool {
    let Ok(mut counts) = counts.lock() else {
        return false;
    };
    let count = counts.entry(key.clone()).or_insert(0);
    if *count >= max {
        return false;
    }
    *count += 1;
    true
}

fn release<K: std::hash::Hash + Eq>(counts: &Mutex<HashMap<K, usize>>, key: &K) {
    if let Ok(mut counts) = counts.lock()
        && let Some(count) = counts.get_mut(key)
    {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(key);
        }
    }
}

fn peer_ip(request: &http::Request<Body>) -> Option<IpAddr> {
    use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
    let extensions = request.extensions();
    extensions
        .get::<TcpConnectInfo>()
        .and_then(TcpConnectInfo::remote_addr)
        .or_else(|| {
            extensions
                .get::<TlsConnectInfo<TcpConnectInfo>>()
                .and_then(|info| info.get_ref().remote_addr())
        })
        .map(|addr| addr.ip())
}

impl Shared {
    /// Authenticates and checks the caller's role for `method`.
    fn caller(
        &self,
        request: &http::Request<Body>,
        method: Option<Method>,
    ) -> Result<Principal, Status> {
        let header = request.headers().get(http::header::AUTHORIZATION);
        let token = bearer_of(header.map(http::HeaderValue::as_bytes))?;
        self.app
            .authorize(token.as_deref(), method.map(|m| m.roles))
            .map_err(to_status)
    }

    /// Takes a slot for `caller` from `peer`, or says which cap is full.
    fn slot(self: &Arc<Self>, caller: &str, peer: Option<IpAddr>) -> Result<Slot, Status> {
        let limits = &self.limits;
        let permit = self.slots.clone().try_acquire_owned().map_err(|_| {
            to_status(Error::ResourceExhausted(format!(
                "limits.max_in_flight: the server already has {} calls in flight; retry with back-off",
                limits.max_in_flight
            )))
        })?;
        if !take(
            &self.callers,
            &caller.to_string(),
            limits.max_in_flight_per_caller,
        ) {
            return Err(to_status(Error::ResourceExhausted(format!(
                "limits.max_in_flight_per_caller: {caller:?} already has {} calls in flight; retry with back-off",
                limits.max_in_flight_per_caller
            ))));
        }
        if let Some(ip) = peer
            && !take(&self.peers, &ip, limits.max_in_flight_per_peer)
        {
            release(&self.callers, &caller.to_string());
            return Err(to_status(Error::ResourceExhausted(format!(
                "limits.max_in_flight_per_peer: {ip} already has {} calls in flight; retry with back-off",
                limits.max_in_flight_per_peer
            ))));
        }
        Ok(Slot {
            _permit: permit,
            shared: self.clone(),
            caller: caller.to_string(),
            peer,
        })
    }
}

type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

fn refuse<ResBody: Default + Send + 'static, E: Send + 'static>(
    telemetry: &Telemetry,
    path: &str,
    status: Status,
) -> BoxFuture<Result<http::Response<HeldBody<ResBody, Held>>, E>> {
    // Debug, not info: a flood of calls with no token would be a flood of
    // log lines (sheds are logged by the caller, at warn); counted either way.
    tracing::debug!(path, code = ?status.code(), reason = status.message(), "call refused");
    telemetry.refused(path, status.code());
    let response = status
        .into_http::<ResBody>()
        .map(|body| HeldBody::new(body, None));
    Box::pin(async move { Ok(response) })
}

impl<S, ResBody> tower_service::Service<http::Request<Body>> for Admit<S>
where
    S: tower_service::Service<http::Request<Body>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: Default + Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<HeldBody<ResBody, Held>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<Body>) -> Self::Future {
        let path = request.uri().path().to_string();
        if EXEMPT_PREFIXES.iter().any(|p| path.starts_with(p)) {
            return pass(self.inner.call(request), None);
        }
        if *self.shared.stopping.borrow() {
            return refuse(
                &self.shared.telemetry,
                &path,
                to_status(Error::Unavailable(
                    "the server is shutting down; retry on another replica".into(),
                )),
            );
        }
        let method = method(&path);
        let principal = match self.shared.caller(&request, method) {
            Ok(principal) => principal,
            Err(status) => return refuse(&self.shared.telemetry, &path, status),
        };
        let slot = match self.shared.slot(&principal.name, peer_ip(&request)) {
            Ok(slot) => slot,
            Err(status) => {
                tracing::warn!(path, caller = %principal.name, "call shed: {}", status.message());
                return refuse(&self.shared.telemetry, &path, status);
            }
        };
        let limits = &self.shared.limits;
        let (rule, unary) = match method {
            Some(method) => (message_rule(method.shape, limits), !method.client_streaming),
            None => (message_rule(Shape::Small, limits), true),
        };
        let deadline = unary.then(|| {
            Box::pin(tokio::time::sleep(Duration::from_secs(
                limits.request_body_seconds,
            )))
        });
        let record = self.shared.telemetry.call(&path, &principal.name);
        let (mut parts, body) = request.into_parts();
        parts.extensions.insert(principal);
        let guarded = GuardedBody::new(
            body,
            FrameReader::new(rule),
            deadline,
            limits.request_body_seconds,
            unary,
        );
        let request = http::Request::from_parts(parts, Body::new(guarded));
        pass(self.inner.call(request), Some(Held { slot, record }))
    }
}

/// What a call's response holds until it ends: its slot, and its record
/// in the metrics and the log.
pub struct Held {
    #[allow(dead_code, reason = "held for its drop: the slot is given back")]
    slot: Slot,
    record: CallRecord,
}

impl Observe for Held {
    fn status(&mut self, code: &[u8]) {
        self.record.status(code);
    }
}

fn pass<F, ResBody, E>(
    call: F,
    held: Option<Held>,
) -> BoxFuture<Result<http::Response<HeldBody<ResBody, Held>>, E>>
where
    F: std::future::Future<Output = Result<http::Response<ResBody>, E>> + Send + 'static,
    ResBody: Send + 'static,
{
    Box::pin(async move {
        let mut response = call.await?;
        let mut held = held;
        if let Some(held) = held.as_mut() {
            // A trailers-only answer (an error) has its status here.
            if let Some(code) = response.headers().get("grpc-status") {
                held.record.status(code.as_bytes());
            }
            if let Some(facts) = response.extensions_mut().remove::<CallFacts>() {
                held.record.facts(facts);
            }
        }
        Ok(response.map(|body| HeldBody::new(body, held)))
    })
}

#[cfg(test)]
mod tests;
