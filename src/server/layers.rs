//! Tower layers around every service: statuses for requests tonic could
//! not read, and the answer given when a handler panics (admission is in
//! `admission.rs`).

use std::any::Any;
use std::pin::Pin;
use std::task::{Context, Poll};

use tonic::Status;

type BoxFuture<T> = Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// Rewrites tonic's answers to a unary request it could not read (over
/// the message size limit, undecodable, empty) into the codes that say
/// the caller's input was at fault (see [`super::status::inbound_status`];
/// streams map them where they read).
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
                .is_some_and(|code| code.as_bytes() == b"11" || code.as_bytes() == b"13");
            if refused && let Some(status) = Status::from_header_map(response.headers()) {
                let code = status.code();
                let mapped = super::status::inbound_status(status);
                if mapped.code() != code {
                    return Ok(mapped.into_http());
                }
            }
            Ok(response)
        })
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
    super::status::to_status(crate::error::Error::Internal(format!(
        "a handler panicked: {message}"
    )))
    .into_http()
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

    fn request(path: &str) -> http::Request<()> {
        http::Request::builder()
            .uri(path)
            .body(())
            .expect("request")
    }

    const SCORE: &str = "/claimsignal.v1.Matcher/Score";

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
            .layer(MessageLimitLayer.layer(Panics));
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
