//! `claimsignal.v1.Matcher`: thin adapter over the engine.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::auth::authorize;
use super::convert::{self, decision_to_proto, match_to_proto};
use super::status::{code_name, to_status};
use crate::auth::Role;
use crate::engine::{Engine, Scored};
use crate::error::Result;
use crate::proto::v1 as pb;

/// Requests of one `ScoreStream` scored at the same time; responses go
/// out as they finish, each carrying its request id.
const STREAM_CONCURRENCY: usize = 16;

/// The Matcher service.
pub struct MatcherService {
    engine: Arc<Engine>,
}

impl MatcherService {
    /// Returns the service over `engine`.
    pub fn new(engine: Arc<Engine>) -> Self {
        MatcherService { engine }
    }
}

async fn score(engine: &Arc<Engine>, request: pb::ScoreRequest) -> Result<pb::ScoreResponse> {
    let input = convert::score_input(request)?;
    let (request_id, video_id) = (input.request_id.clone(), input.video_id.clone());
    let Scored { outcome, hit_ids } = engine.score(input).await?;
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

type ScoreStream = Pin<Box<dyn Stream<Item = Result<pb::ScoreResponse, Status>> + Send>>;

#[tonic::async_trait]
impl pb::matcher_server::Matcher for MatcherService {
    async fn score(
        &self,
        request: Request<pb::ScoreRequest>,
    ) -> Result<Response<pb::ScoreResponse>, Status> {
        authorize(&self.engine, request.metadata(), &[Role::Pipeline])?;
        let response = score(&self.engine, request.into_inner())
            .await
            .map_err(to_status)?;
        Ok(Response::new(response))
    }

    type ScoreStreamStream = ScoreStream;

    async fn score_stream(
        &self,
        request: Request<Streaming<pb::ScoreRequest>>,
    ) -> Result<Response<Self::ScoreStreamStream>, Status> {
        authorize(&self.engine, request.metadata(), &[Role::Pipeline])?;
        let engine = self.engine.clone();
        let requests = request.into_inner();
        // A transport error on the inbound side ends the stream; a bad
        // request only gets an error response.
        let responses = requests
            .take_while(|item| futures::future::ready(item.is_ok()))
            .filter_map(|item| futures::future::ready(item.ok()))
            .map(move |request| {
                let engine = engine.clone();
                async move {
                    let (request_id, video_id) =
                        (request.request_id.clone(), request.video_id.clone());
                    let response = match score(&engine, request).await {
                        Ok(response) => response,
                        Err(err) => {
                            let status = to_status(err);
                            pb::ScoreResponse {
                                request_id,
                                video_id,
                                error: Some(pb::ScoreError {
                                    code: code_name(status.code()).to_string(),
                                    message: status.message().to_string(),
                                }),
                                ..Default::default()
                            }
                        }
                    };
                    Ok(response)
                }
            })
            .buffer_unordered(STREAM_CONCURRENCY);
        Ok(Response::new(Box::pin(responses)))
    }
}
