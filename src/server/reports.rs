//! `claimsignal.v1.Reports`: thin adapter over the engine.

use std::pin::Pin;
use std::sync::Arc;

use futures::Stream;
use tokio::sync::mpsc;
use tonic::{Request, Response, Status};

use super::auth::{audit, caller};
use super::convert::{self, hit_to_proto, page_position, page_token};
use super::status::to_status;
use crate::engine::Engine;
use crate::hits::ReviewInput;
use crate::proto::v1 as pb;

const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;
/// Hits read from the store per step of an export.
const EXPORT_BATCH: usize = 500;

/// The Reports service.
pub struct ReportsService {
    engine: Arc<Engine>,
}

impl ReportsService {
    /// Returns the service over `engine`.
    pub fn new(engine: Arc<Engine>) -> Self {
        ReportsService { engine }
    }
}

type HitStream = Pin<Box<dyn Stream<Item = Result<pb::Hit, Status>> + Send>>;

#[tonic::async_trait]
impl pb::reports_server::Reports for ReportsService {
    async fn review_hit(
        &self,
        request: Request<pb::ReviewHitRequest>,
    ) -> Result<Response<pb::Hit>, Status> {
        let who = caller(&request)?;
        let request = request.into_inner();
        let review = ReviewInput {
            hit_id: convert::hit_id(&request.hit_id).map_err(to_status)?,
            outcome: convert::outcome_from_proto(request.outcome).map_err(to_status)?,
            action: convert::action_from_proto(request.action).map_err(to_status)?,
            reviewer: if request.reviewer.trim().is_empty() {
                who.name.clone()
            } else {
                request.reviewer
            },
            note: request.note,
        };
        let hit = self.engine.review(review).await.map_err(to_status)?;
        let outcome = hit.review.as_ref().map_or("", |r| r.outcome.as_str());
        audit(
            &self.engine,
            &who,
            "hits.review",
            format!("hit={} outcome={outcome}", hit.id),
        )
        .await;
        Ok(Response::new(hit_to_proto(hit)))
    }

    async fn list_hits(
        &self,
        request: Request<pb::ListHitsRequest>,
    ) -> Result<Response<pb::ListHitsResponse>, Status> {
        let request = request.into_inner();
        let filter = convert::hit_filter(request.filter).map_err(to_status)?;
        let after_id = match request.page_token.as_str() {
            "" => 0,
            token => page_position("hits", token)
                .and_then(|p| convert::hit_id(&p))
                .map_err(to_status)?,
        };
        let limit = match request.page_size as usize {
            0 => DEFAULT_PAGE,
            n => n.min(MAX_PAGE),
        };
        let hits = self
            .engine
            .list_hits(filter, after_id, limit)
            .await
            .map_err(to_status)?;
        // Ids only grow, so a page ending at id N stays valid while new hits arrive.
        let next_page_token = match hits.last() {
            Some(last) if hits.len() == limit => page_token("hits", &last.id.to_string()),
            _ => String::new(),
        };
        Ok(Response::new(pb::ListHitsResponse {
            hits: hits.into_iter().map(hit_to_proto).collect(),
            next_page_token,
        }))
    }

    type ExportHitsStream = HitStream;

    async fn export_hits(
        &self,
        request: Request<pb::ExportHitsRequest>,
    ) -> Result<Response<HitStream>, Status> {
        let filter = convert::hit_filter(request.into_inner().filter).map_err(to_status)?;
        let engine = self.engine.clone();
        // A small channel: the store is read a batch at a time, only as
        // fast as the client takes hits, so memory stays flat.
        let (hits_tx, hits_rx) = mpsc::channel(EXPORT_BATCH);
        tokio::spawn(async move {
            let mut after_id = 0;
            loop {
                let batch = match engine
                    .list_hits(filter.clone(), after_id, EXPORT_BATCH)
                    .await
                {
                    Ok(batch) => batch,
                    Err(err) => {
                        let _ = hits_tx.send(Err(to_status(err))).await;
                        return;
                    }
                };
                let done = batch.len() < EXPORT_BATCH;
                for hit in batch {
                    after_id = hit.id;
                    if hits_tx.send(Ok(hit_to_proto(hit))).await.is_err() {
                        return;
                    }
                }
                if done {
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(hits_rx),
        )))
    }

    async fn summarize(
        &self,
        request: Request<pb::SummarizeRequest>,
    ) -> Result<Response<pb::SummarizeResponse>, Status> {
        let request = request.into_inner();
        let filter = convert::hit_filter(request.filter).map_err(to_status)?;
        let groups = convert::group_by(&request.group_by).map_err(to_status)?;
        let top = match request.top_claims {
            0 => 10,
            n => (n as usize).min(100),
        };
        let summary = self
            .engine
            .summarize(filter, groups, top)
            .await
            .map_err(to_status)?;
        Ok(Response::new(convert::summary_to_proto(summary)))
    }
}
