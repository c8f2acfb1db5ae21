//! Tower layers around every service: the global in-flight limit and the
//! answer given when a handler panics.

use std::any::Any;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::Status;

/// Paths that are never refused for load: a load balancer must still learn
/// whether the server is up while it is busy.
const EXEMPT_PREFIXES: [&str; 3] = [
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1.ServerReflection/",
    "/grpc.reflection.v1alpha.ServerReflection/",
];

/// Caps the calls in flight across all connections. A call over the cap is
/// answered `RESOURCE_EXHAUSTED` at once (shedding, not queueing: a queue
/// would only turn overload into latency for everyone). A call holds its
/// slot until its response body ends, so an open stream counts as one.
#[derive(Clone)]
pub struct InFlightLimitLayer {
    slots: Arc<Semaphore>,
    limit: usize,
}

impl InFlightLimitLayer {
    /// At most `limit` calls at once.
    pub fn new(limit: usize) -> Self {
        InFlightLimitLayer {
            slots: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }
}

impl<S> tower_layer::Layer<S> for InFlightLimitLayer {
    type Service = InFlightLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InFlightLimit {
            inner,
            slots: self.slots.clone(),
            limit: self.limit,
        }
    }
}

/// The service [`InFlightLimitLayer`] makes.
#[derive(Clone)]
pub struct InFlightLimit<S> {
    inner: S,
    slots: Arc<Semaphore>,
    limit: usize,
}

type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

impl<S, ReqBody, ResBody> tower_service::Service<http::Request<ReqBody>> for InFlightLimit<S>
where
    S: tower_service::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    ResBody: Default + Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<HeldBody<ResBody>>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let path = request.uri().path();
        let permit = if EXEMPT_PREFIXES.iter().any(|p| path.starts_with(p)) {
            None
        } else {
            match self.slots.clone().try_acquire_owned() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    tracing::warn!(path, limit = self.limit, "call shed: in-flight limit");
                    let status = Status::resource_exhausted(format!(
                        "limits.max_in_flight: the server already has {} calls in flight; retry with back-off",
                        self.limit
                    ));
                    let response = status.into_http::<ResBody>().map(|body| HeldBody {
                        inner: body,
                        _permit: None,
                    });
                    return Box::pin(async move { Ok(response) });
                }
            }
        };
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await?;
            Ok(response.map(|body| HeldBody {
                inner: body,
                _permit: permit,
            }))
        })
    }
}

/// Rewrites tonic's `OUT_OF_RANGE` answer to a unary request over the
/// message size limit into `RESOURCE_EXHAUSTED` naming the setting (see
/// [`super::status::over_message_limit`]; streams map it where they read).
#[derive(Clone, Default)]
pub struct MessageLimitLayer;

impl<S> tower_layer::Layer<S> for MessageLimitLayer {
    type Service = MessageLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        MessageLimit { inner }
    }
}

/// The service [`MessageLimitLayer`] makes.
#[derive(Clone)]
pub struct MessageLimit<S> {
    inner: S,
}

impl<S, ReqBody, ResBody> tower_service::Service<http::Request<ReqBody>> for MessageLimit<S>
where
    S: tower_service::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<ReqBody>) -> Self::Future {
        let call = self.inner.call(request);
        Box::pin(async move {
            let response = call.await?;
            // Only a trailers-only answer carries its status in the headers.
            let refused = response
                .headers()
                .get("grpc-status")
                .is_some_and(|code| code.as_bytes() == b"11");
            if refused && let Some(status) = Status::from_header_map(response.headers()) {
                let mapped = super::status::over_message_limit(status);
                if mapped.code() != tonic::Code::OutOfRange {
                    return Ok(mapped.into_http());
                }
            }
            Ok(response)
        })
    }
}

/// A response body that holds its call's in-flight slot until it is dropped.
pub struct HeldBody<B> {
    inner: B,
    _permit: Option<OwnedSemaphorePermit>,
}

impl<B> http_body::Body for HeldBody<B>
where
    B: http_body::Body + Unpin,
{
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The answer to a call whose handler panicked: `INTERNAL`, and a log line
/// with the panic message. The process and every other call carry on.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> http::Response<tonic::body::Body> {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked; answered INTERNAL");
    Status::internal("internal error: the handler failed; the failure is logged").into_http()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_layer::Layer;
    use tower_service::Service;

    fn code(response: &http::Response<impl Sized>) -> Option<String> {
        response
            .headers()
            .get("grpc-status")
            .map(|v| v.to_str().unwrap_or("").to_string())
    }

    /// A service whose calls finish one per permit the test adds; health
    /// checks finish at once.
    #[derive(Clone)]
    struct Gate(Arc<Semaphore>);

    impl Service<http::Request<()>> for Gate {
        type Response = http::Response<tonic::body::Body>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<Result<Self::Response, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: http::Request<()>) -> Self::Future {
            let gate = self.0.clone();
            let health = request.uri().path().starts_with("/grpc.health");
            Box::pin(async move {
                if !health {
                    gate.acquire().await.expect("open").forget();
                }
                Ok(http::Response::new(tonic::body::Body::default()))
            })
        }
    }

    fn request(path: &str) -> http::Request<()> {
        http::Request::builder()
            .uri(path)
            .body(())
            .expect("request")
    }

    const SCORE: &str = "/claimsignal.v1.Matcher/Score";

    #[tokio::test]
    async fn calls_over_the_limit_are_shed_until_a_slot_frees() {
        let gate = Arc::new(Semaphore::new(0));
        let mut service = InFlightLimitLayer::new(1).layer(Gate(gate.clone()));
        // `call` takes the slot before the future runs.
        let first = tokio::spawn(service.call(request(SCORE)));

        let shed = service.call(request(SCORE)).await.expect("infallible");
        assert_eq!(code(&shed).as_deref(), Some("8"), "RESOURCE_EXHAUSTED");
        let message = shed.headers().get("grpc-message").expect("a message");
        assert!(message.to_str().unwrap_or("").contains("max_in_flight"));

        let health = service
            .call(request("/grpc.health.v1.Health/Check"))
            .await
            .expect("infallible");
        assert_eq!(code(&health), None, "health is not shed while full");

        // The first call ends and its body is dropped: its slot is free.
        gate.add_permits(1);
        drop(first.await.expect("joined").expect("infallible"));
        gate.add_permits(1);
        let again = service.call(request(SCORE)).await.expect("infallible");
        assert_eq!(code(&again), None, "served once the slot is free");
    }

    /// A handler with a bug.
    #[derive(Clone)]
    struct Panics;

    impl Service<http::Request<()>> for Panics {
        type Response = http::Response<tonic::body::Body>;
        type Error = std::convert::Infallible;
        type Future = BoxFuture<Result<Self::Response, Self::Error>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _: http::Request<()>) -> Self::Future {
            Box::pin(async { panic!("a bug in a handler") })
        }
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_internal_and_the_service_lives_on() {
        let mut service = tower_http::catch_panic::CatchPanicLayer::custom(panic_response)
            .layer(InFlightLimitLayer::new(1).layer(Panics));
        for _ in 0..2 {
            let response = service.call(request(SCORE)).await.expect("answered");
            assert_eq!(code(&response).as_deref(), Some("13"), "INTERNAL");
        }
    }

    #[test]
    fn a_panic_becomes_internal_with_a_plain_message() {
        let response = panic_response(Box::new("index out of bounds".to_string()));
        assert_eq!(code(&response).as_deref(), Some("13"), "INTERNAL");
        let message = response.headers().get("grpc-message").expect("a message");
        assert!(
            !message
                .to_str()
                .unwrap_or("")
                .contains("index out of bounds")
        );
    }
}
