//! `claimsignal.v1.Matcher`: each request decoded, scored by one call
//! into the application layer (`app/score.rs`), its answer encoded. A
//! stream also ends when the caller goes silent, its token is revoked or
//! the server stops.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use futures::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::auth::{bearer, caller, deadline, turn_of};
use super::convert::matcher::{score_input, score_response};
use super::status::{code_name, inbound_status, to_status};
use super::telemetry::CallFacts;
use crate::app::{App, StreamCaller};
use crate::error::{Error, Result};
use crate::proto::v1 as pb;

/// The Matcher service.
pub struct MatcherService {
    app: Arc<App>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl MatcherService {
    /// Returns the service over `app`; its open streams end once
    /// `stopping` turns true.
    pub fn new(app: Arc<App>, stopping: tokio::sync::watch::Receiver<bool>) -> Self {
        MatcherService { app, stopping }
    }
}

/// Decodes, scores (in `turn`'s turn) and encodes one request.
async fn score(
    app: &Arc<App>,
    request: pb::ScoreRequest,
    deadline: Option<Instant>,
    turn: &str,
) -> Result<pb::ScoreResponse> {
    let input = score_input(request)?;
    let (request_id, video_id) = (input.request_id.clone(), input.video_id.clone());
    let scored = app.score(input, deadline, turn).await?;
    Ok(score_response(request_id, video_id, scored))
}

type ScoreStream = Pin<Box<dyn Stream<Item = Result<pb::ScoreResponse, Status>> + Send>>;

#[tonic::async_trait]
impl pb::matcher_server::Matcher for MatcherService {
    async fn score(
        &self,
        request: Request<pb::ScoreRequest>,
    ) -> Result<Response<pb::ScoreResponse>, Status> {
        let deadline = deadline(request.metadata());
        let turn = turn_of(&request)?;
        let response = score(&self.app, request.into_inner(), deadline, &turn)
            .await
            .map_err(to_status)?;
        // What the call's log line says of it (see `telemetry.rs`).
        let facts = CallFacts {
            request_id: response.request_id.clone(),
            video_id: response.video_id.clone(),
            matches: response.matches.len(),
        };
        let mut response = Response::new(response);
        response.extensions_mut().insert(facts);
        Ok(response)
    }

    type ScoreStreamStream = ScoreStream;

    async fn score_stream(
        &self,
        request: Request<Streaming<pb::ScoreRequest>>,
    ) -> Result<Response<Self::ScoreStreamStream>, Status> {
        let turn: Arc<str> = turn_of(&request)?.into();
        let mut who = StreamCaller::new(
            self.app.clone(),
            bearer(request.metadata())?,
            caller(&request)?,
        );
        // A stream's deadline bounds every request sent on it.
        let stream_deadline = deadline(request.metadata());
        let app = self.app.clone();
        let policy = self.app.stream_policy();
        let idle = policy.idle;
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
                Err(_elapsed) => Err(Some(to_status(Error::DeadlineExceeded(format!(
                    "ScoreStream sent nothing for {} s (limits.score_stream_idle_seconds); open a new stream when there is work",
                    idle.as_secs()
                ))))),
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
                    who.still_valid().map_err(to_status)?;
                    Ok((who.admit_message().map_err(to_status), request))
                });
                let (app, turn) = (app.clone(), turn.clone());
                async move {
                    let (admitted, request) = admitted?;
                    let (request_id, video_id) =
                        (request.request_id.clone(), request.video_id.clone());
                    let scored = match admitted {
                        Ok(()) => score(&app, request, stream_deadline, &turn)
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
            .buffer_unordered(policy.concurrency);
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
                    Err(Some(to_status(Error::Unavailable(
                        "the server is shutting down; reopen the stream on another replica".into(),
                    )))),
                    (inbound, stopping, true),
                ),
            })
        },
    )
}
