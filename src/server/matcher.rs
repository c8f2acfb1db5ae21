//! `claimsignal.v1.Matcher`: thin adapter over the engine.

use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::auth::StreamCaller;
use super::convert::{self, decision_to_proto, match_to_proto};
use super::status::{code_name, inbound_status, to_status};
use crate::engine::{Engine, Scored};
use crate::error::Result;
use crate::proto::v1 as pb;

/// Requests of one `ScoreStream` scored at the same time; responses go
/// out as they finish, each carrying its request id.
const STREAM_CONCURRENCY: usize = 16;

/// The Matcher service.
pub struct MatcherService {
    engine: Arc<Engine>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl MatcherService {
    /// Returns the service over `engine`; its open streams end once
    /// `stopping` turns true.
    pub fn new(engine: Arc<Engine>, stopping: tokio::sync::watch::Receiver<bool>) -> Self {
        MatcherService { engine, stopping }
    }
}

async fn score(
    engine: &Arc<Engine>,
    request: pb::ScoreRequest,
    deadline: Option<Instant>,
) -> Result<pb::ScoreResponse> {
    let input = convert::score_input(request)?;
    let (request_id, video_id) = (input.request_id.clone(), input.video_id.clone());
    let Scored { outcome, hit_ids } = engine.score(input, deadline).await?;
    let decision = decision_to_proto(outcome.decision()) as i32;
    let confidence = outcome.confidence();
    Ok(pb::ScoreResponse {
        request_id,
        video_id,
        decision,
        confidence,
        language: outcome.language,
        matches: outcome
            .matches
            .into_iter()
            .zip(hit_ids)
            .map(|(m, id)| match_to_proto(m, id))
            .collect(),
        error: None,
    })
}

/// Returns when the caller's `grpc-timeout` runs out, if it sent one
/// (`<digits><unit>`, unit one of H M S m u n).
pub fn deadline(metadata: &tonic::metadata::MetadataMap) -> Option<Instant> {
    let text = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = text.split_at(text.len().checked_sub(1)?);
    let amount: u64 = digits.parse().ok()?;
    let timeout = match unit {
        "H" => Duration::from_secs(amount.checked_mul(3600)?),
        "M" => Duration::from_secs(amount.checked_mul(60)?),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    };
    Instant::now().checked_add(timeout)
}

type ScoreStream = Pin<Box<dyn Stream<Item = Result<pb::ScoreResponse, Status>> + Send>>;

#[tonic::async_trait]
impl pb::matcher_server::Matcher for MatcherService {
    async fn score(
        &self,
        request: Request<pb::ScoreRequest>,
    ) -> Result<Response<pb::ScoreResponse>, Status> {
        let deadline = deadline(request.metadata());
        let response = score(&self.engine, request.into_inner(), deadline)
            .await
            .map_err(to_status)?;
        Ok(Response::new(response))
    }

    type ScoreStreamStream = ScoreStream;

    async fn score_stream(
        &self,
        request: Request<Streaming<pb::ScoreRequest>>,
    ) -> Result<Response<Self::ScoreStreamStream>, Status> {
        let mut who = StreamCaller::new(self.engine.clone(), &request)?;
        // A stream's deadline bounds every request sent on it.
        let stream_deadline = deadline(request.metadata());
        let engine = self.engine.clone();
        let idle =
            std::time::Duration::from_secs(self.engine.config().limits.score_stream_idle_seconds);
        // A transport error on the inbound side ends the stream; so does
        // silence longer than `score_stream_idle_seconds` (a caller cannot
        // hold a slot with a stream it never uses), with DEADLINE_EXCEEDED,
        // and a server stop, with UNAVAILABLE once the requests already
        // read are answered. A bad request only gets an error response.
        let inbound = tokio_stream::StreamExt::timeout(request.into_inner(), idle).map(
            move |item| match item {
                Ok(Ok(request)) => Ok(request),
                Ok(Err(status)) if status.code() == tonic::Code::Unknown => Err(None),
                Ok(Err(status)) => Err(Some(inbound_status(status))),
                Err(_elapsed) => Err(Some(Status::deadline_exceeded(format!(
                    "ScoreStream sent nothing for {} s (limits.score_stream_idle_seconds); open a new stream when there is work",
                    idle.as_secs()
                )))),
            },
        );
        let inbound = until_stopping(inbound, self.stopping.clone())
            .scan(false, |ended, item| {
                let next = (!*ended).then(|| {
                    *ended = item.is_err();
                    item
                });
                futures::future::ready(next)
            })
            .filter_map(|item| {
                futures::future::ready(match item {
                    Ok(request) => Some(Ok(request)),
                    Err(Some(status)) => Some(Err(status)),
                    Err(None) => None,
                })
            });
        let responses = inbound
            .map(move |request| {
                // In arrival order, before the requests are scored side by
                // side: a revoked token ends the stream, a caller over its
                // rate gets an error for this request only.
                let admitted = request.and_then(|request| {
                    who.still_valid()?;
                    Ok((who.admit_message(), request))
                });
                let engine = engine.clone();
                async move {
                    let (admitted, request) = admitted?;
                    let (request_id, video_id) =
                        (request.request_id.clone(), request.video_id.clone());
                    let scored = match admitted {
                        Ok(()) => score(&engine, request, stream_deadline)
                            .await
                            .map_err(to_status),
                        Err(status) => Err(status),
                    };
                    Ok(match scored {
                        Ok(response) => response,
                        Err(status) => pb::ScoreResponse {
                            request_id,
                            video_id,
                            error: Some(pb::ScoreError {
                                code: code_name(status.code()).to_string(),
                                message: status.message().to_string(),
                            }),
                            ..Default::default()
                        },
                    })
                }
            })
            .buffer_unordered(STREAM_CONCURRENCY);
        Ok(Response::new(Box::pin(responses)))
    }
}

/// Passes `inbound` on until `stopping` turns true, then ends it with
/// `UNAVAILABLE`: an open stream must not hold a stopping server up.
pub fn until_stopping<T: Send + 'static>(
    inbound: impl Stream<Item = Result<T, Option<Status>>> + Send + 'static,
    stopping: tokio::sync::watch::Receiver<bool>,
) -> impl Stream<Item = Result<T, Option<Status>>> + Send + 'static {
    let inbound = Box::pin(inbound);
    futures::stream::unfold(
        (inbound, stopping, false),
        |(mut inbound, mut stopping, done)| async move {
            if done {
                return None;
            }
            let item = tokio::select! {
                biased;
                _ = stopping.wait_for(|stop| *stop) => None,
                item = inbound.next() => Some(item?),
            };
            Some(match item {
                Some(item) => (item, (inbound, stopping, false)),
                None => (
                    Err(Some(Status::unavailable(
                        "the server is shutting down; reopen the stream on another replica",
                    ))),
                    (inbound, stopping, true),
                ),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_timeout(value: &str) -> tonic::metadata::MetadataMap {
        let mut metadata = tonic::metadata::MetadataMap::new();
        metadata.insert("grpc-timeout", value.parse().expect("ascii"));
        metadata
    }

    #[test]
    fn reads_grpc_timeouts() {
        let now = Instant::now();
        let in_100ms = deadline(&with_timeout("100m")).expect("a deadline");
        assert!(
            in_100ms >= now + Duration::from_millis(100) && in_100ms < now + Duration::from_secs(5)
        );
        assert!(deadline(&with_timeout("2S")).expect("a deadline") >= now + Duration::from_secs(2));
        assert_eq!(deadline(&with_timeout("10x")), None);
        assert_eq!(deadline(&with_timeout("")), None);
        assert_eq!(deadline(&tonic::metadata::MetadataMap::new()), None);
    }
}
