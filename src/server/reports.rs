//! `claimsignal.v1.Reports`: each handler decodes, makes one call into the
//! application layer (`app/review.rs`, `app/report.rs`) and encodes the
//! answer.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use tonic::{Request, Response, Status};

use super::auth::caller;
use super::convert::reports::{
    group_by, hit_filter, hit_id, hit_to_proto, review_input, summary_to_proto,
};
use super::convert::{page_position, page_token};
use super::status::to_status;
use crate::app::App;
use crate::proto::v1 as pb;

/// The Reports service.
pub struct ReportsService {
    app: Arc<App>,
}

impl ReportsService {
    /// Returns the service over `app`.
    pub fn new(app: Arc<App>) -> Self {
        ReportsService { app }
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
        let review = review_input(request.into_inner()).map_err(to_status)?;
        let hit = self.app.review_hit(&who, review).await.map_err(to_status)?;
        Ok(Response::new(hit_to_proto(hit)))
    }

    async fn get_hit(
        &self,
        request: Request<pb::GetHitRequest>,
    ) -> Result<Response<pb::Hit>, Status> {
        let id = hit_id(&request.into_inner().hit_id).map_err(to_status)?;
        let hit = self.app.get_hit(id).await.map_err(to_status)?;
        Ok(Response::new(hit_to_proto(hit)))
    }

    async fn list_hits(
        &self,
        request: Request<pb::ListHitsRequest>,
    ) -> Result<Response<pb::ListHitsResponse>, Status> {
        let request = request.into_inner();
        let filter = hit_filter(request.filter).map_err(to_status)?;
        let after_id = match request.page_token.as_str() {
            "" => 0,
            token => page_position("hits", token)
                .and_then(|p| hit_id(&p))
                .map_err(to_status)?,
        };
        let page = self
            .app
            .list_hits(filter, after_id, request.page_size as usize)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::ListHitsResponse {
            hits: page.hits.into_iter().map(hit_to_proto).collect(),
            next_page_token: page
                .next_after
                .map(|id| page_token("hits", &id.to_string()))
                .unwrap_or_default(),
        }))
    }

    type ExportHitsStream = HitStream;

    async fn export_hits(
        &self,
        request: Request<pb::ExportHitsRequest>,
    ) -> Result<Response<HitStream>, Status> {
        let filter = hit_filter(request.into_inner().filter).map_err(to_status)?;
        let hits = self.app.export_hits(filter).map_err(to_status)?;
        Ok(Response::new(Box::pin(
            hits.map(|hit| hit.map(hit_to_proto).map_err(to_status)),
        )))
    }

    async fn summarize(
        &self,
        request: Request<pb::SummarizeRequest>,
    ) -> Result<Response<pb::SummarizeResponse>, Status> {
        let request = request.into_inner();
        let filter = hit_filter(request.filter).map_err(to_status)?;
        let groups = group_by(&request.group_by).map_err(to_status)?;
        let summary = self
            .app
            .summarize(filter, groups, request.top_claims as usize)
            .await
            .map_err(to_status)?;
        Ok(Response::new(summary_to_proto(summary)))
    }
}
