//! `claimsignal.v1.Claims`: each handler decodes, makes one call into the
//! application layer (`app/load.rs`, `app/claims.rs`) and encodes the
//! answer. A load is a stream: its header begins the load, its chunks go
//! into the upload, and the end of the stream finishes it.

use std::sync::Arc;

use tonic::{Request, Response, Status, Streaming};

use super::auth::{caller, deadline};
use super::convert::claims::{
    claim_from_proto, claim_query, claim_to_proto, load_report_to_proto, load_request,
    search_query, write_status_to_proto,
};
use super::convert::page_token;
use super::status::{inbound_status, to_status};
use crate::app::App;
use crate::error::{Error, Result};
use crate::proto::v1 as pb;

/// The Claims service.
pub struct ClaimsService {
    app: Arc<App>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl ClaimsService {
    /// Returns the service over `app`; a load still receiving its file
    /// when `stopping` turns true is refused.
    pub fn new(app: Arc<App>, stopping: tokio::sync::watch::Receiver<bool>) -> Self {
        ClaimsService { app, stopping }
    }

    /// Returns the next message of a load, or why the load ends: the
    /// server stopping, the caller silent for `limits.stream_idle_seconds`,
    /// a transport error.
    async fn next(
        &self,
        stream: &mut Streaming<pb::LoadClaimsRequest>,
    ) -> Result<Option<pb::load_claims_request::Item>, Status> {
        let idle = self.app.load_idle();
        let mut stopping = self.stopping.clone();
        let message = tokio::select! {
            biased;
            _ = stopping.wait_for(|stop| *stop) => Err(to_status(Error::Unavailable(
                "the server is shutting down; nothing of this load was written, send it again".into(),
            ))),
            message = tokio::time::timeout(idle, stream.message()) => match message {
                Ok(message) => message.map_err(inbound_status),
                Err(_) => Err(to_status(Error::DeadlineExceeded(format!(
                    "LoadClaims sent nothing for {} s; send the file faster or in larger chunks",
                    idle.as_secs()
                )))),
            },
        }?;
        Ok(message
            .map(|m| m.item)
            .map(|item| item.unwrap_or(Chunk(Vec::new()))))
    }
}

use pb::load_claims_request::Item::{Chunk, Header};

#[tonic::async_trait]
impl pb::claims_server::Claims for ClaimsService {
    async fn load_claims(
        &self,
        request: Request<Streaming<pb::LoadClaimsRequest>>,
    ) -> Result<Response<pb::LoadClaimsResponse>, Status> {
        let who = caller(&request)?;
        let mut stream = request.into_inner();
        let Some(Header(header)) = self.next(&mut stream).await? else {
            return Err(to_status(Error::invalid(
                "the first message of LoadClaims must be a header",
            )));
        };
        let load = load_request(&header).map_err(to_status)?;
        let mut upload = self.app.begin_load(&who, load).map_err(to_status)?;
        while let Some(item) = self.next(&mut stream).await? {
            match item {
                Chunk(chunk) => upload.push(&chunk).map_err(to_status)?,
                Header(_) => {
                    return Err(to_status(Error::invalid(
                        "LoadClaims takes one header, before the chunks",
                    )));
                }
            }
        }
        let report = self.app.finish_load(upload).await.map_err(to_status)?;
        Ok(Response::new(load_report_to_proto(report)))
    }

    async fn upsert_claim(
        &self,
        request: Request<pb::UpsertClaimRequest>,
    ) -> Result<Response<pb::UpsertClaimResponse>, Status> {
        let who = caller(&request)?;
        let claim = request
            .into_inner()
            .claim
            .ok_or_else(|| Error::invalid("`claim` is missing"))
            .and_then(claim_from_proto)
            .map_err(to_status)?;
        let (stored, status) = self
            .app
            .upsert_claim(&who, claim)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::UpsertClaimResponse {
            claim: Some(claim_to_proto(stored)),
            status: write_status_to_proto(status) as i32,
        }))
    }

    async fn retract_claim(
        &self,
        request: Request<pb::RetractClaimRequest>,
    ) -> Result<Response<pb::RetractClaimResponse>, Status> {
        let who = caller(&request)?;
        let id = request.into_inner().id;
        let (claim, changed) = self.app.retract_claim(&who, id).await.map_err(to_status)?;
        Ok(Response::new(pb::RetractClaimResponse {
            claim: Some(claim_to_proto(claim)),
            changed,
        }))
    }

    async fn get_claim(
        &self,
        request: Request<pb::GetClaimRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        let id = request.into_inner().id;
        let claim = self.app.get_claim(id).await.map_err(to_status)?;
        Ok(Response::new(claim_to_proto(claim)))
    }

    async fn list_claims(
        &self,
        request: Request<pb::ListClaimsRequest>,
    ) -> Result<Response<pb::ListClaimsResponse>, Status> {
        let who = caller(&request)?;
        let query = claim_query(request.into_inner()).map_err(to_status)?;
        let page = self.app.list_claims(&who, query).await.map_err(to_status)?;
        Ok(Response::new(pb::ListClaimsResponse {
            claims: page.claims.into_iter().map(claim_to_proto).collect(),
            next_page_token: page
                .next_after
                .map(|id| page_token("claims", &id))
                .unwrap_or_default(),
        }))
    }

    async fn search_claims(
        &self,
        request: Request<pb::SearchClaimsRequest>,
    ) -> Result<Response<pb::SearchClaimsResponse>, Status> {
        let deadline = deadline(request.metadata());
        let query = search_query(request.into_inner(), deadline).map_err(to_status)?;
        let results = self.app.search_claims(query).await.map_err(to_status)?;
        Ok(Response::new(pb::SearchClaimsResponse {
            results: results
                .into_iter()
                .map(|(claim, score)| pb::ScoredClaim {
                    claim: Some(claim_to_proto(claim)),
                    score,
                })
                .collect(),
        }))
    }
}
