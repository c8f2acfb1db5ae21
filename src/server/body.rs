//! The bodies the admission layer wraps: requests read through a
//! [`FrameReader`] with a deadline, responses that hold their call's slot.

use std::pin::Pin;
use std::task::{Context, Poll};

use tonic::Status;
use tonic::body::Body;

use super::status::to_status;
use super::wire::{FrameReader, Refusal};
use crate::error::Error;

/// A request body read through a [`FrameReader`], with a deadline for the
/// whole body of a unary call.
pub struct GuardedBody {
    inner: Body,
    reader: FrameReader,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    body_seconds: u64,
    unary: bool,
    finished: bool,
}

impl GuardedBody {
    /// Returns `inner` read through `reader`; with a `deadline` (unary
    /// calls), the whole body must arrive before it.
    pub fn new(
        inner: Body,
        reader: FrameReader,
        deadline: Option<Pin<Box<tokio::time::Sleep>>>,
        body_seconds: u64,
        unary: bool,
    ) -> Self {
        GuardedBody {
            inner,
            reader,
            deadline,
            body_seconds,
            unary,
            finished: false,
        }
    }

    fn fail(
        &mut self,
        status: Status,
    ) -> Poll<Option<Result<http_body::Frame<prost::bytes::Bytes>, Status>>> {
        self.finished = true;
        self.deadline = None;
        Poll::Ready(Some(Err(status)))
    }
}

impl http_body::Body for GuardedBody {
    type Data = prost::bytes::Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.finished {
            return Poll::Ready(None);
        }
        if let Some(deadline) = self.deadline.as_mut()
            && deadline.as_mut().poll(cx).is_ready()
        {
            let seconds = self.body_seconds;
            return self.fail(to_status(Error::DeadlineExceeded(format!(
                "the request body did not arrive within {seconds} s (limits.request_body_seconds)"
            ))));
        }
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref()
                    && let Err(refusal) = self.reader.feed(data)
                {
                    let status = match refusal {
                        Refusal::TooLarge(reason) => to_status(Error::ResourceExhausted(reason)),
                        Refusal::Malformed(reason) => to_status(Error::InvalidArgument(reason)),
                    };
                    return self.fail(status);
                }
                if self.unary && self.reader.messages() > 0 && self.reader.at_boundary() {
                    // The one message is here: no deadline for what follows.
                    self.deadline = None;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(status))) => self.fail(status),
            Poll::Ready(None) => {
                self.finished = true;
                self.deadline = None;
                if !self.reader.at_boundary() {
                    return self.fail(to_status(Error::invalid(
                        "the request body ends inside a message",
                    )));
                }
                if self.unary && self.reader.messages() == 0 {
                    return self.fail(to_status(Error::invalid("the request carries no message")));
                }
                Poll::Ready(None)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.finished || self.inner.is_end_stream()
    }
}

/// What a response body's guard is told of the answer.
pub trait Observe {
    /// The answer's `grpc-status`, read from its trailers.
    fn status(&mut self, code: &[u8]);
}

/// A response body that holds a guard (its call's slot and record) until
/// it is dropped, so an open stream holds one slot for its whole life; the
/// guard reads the status the trailers carry.
pub struct HeldBody<B, G> {
    inner: B,
    guard: Option<G>,
}

impl<B, G> HeldBody<B, G> {
    /// Returns `inner`, holding `guard` until it is dropped.
    pub fn new(inner: B, guard: Option<G>) -> Self {
        HeldBody { inner, guard }
    }
}

impl<B, G> http_body::Body for HeldBody<B, G>
where
    B: http_body::Body + Unpin,
    G: Observe + Unpin,
{
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(code) = frame.trailers_ref().and_then(|t| t.get("grpc-status"))
            && let Some(guard) = self.guard.as_mut()
        {
            guard.status(code.as_bytes());
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
