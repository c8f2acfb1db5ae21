//! `claimsignal.v1.Claims`: thin adapter over the engine.

use std::sync::Arc;

use tonic::{Request, Response, Status, Streaming};

use super::auth::{audit, caller};
use super::convert::{self, claim_to_proto, page_position, page_token};
use super::status::{inbound_status, to_status};
use crate::claims::load::LoadOptions;
use crate::claims::normalize::normalize;
use crate::claims::{ClaimFilter, ClaimFormat, LoadDefaults};
use crate::engine::Engine;
use crate::error::Error;
use crate::matcher::{Content, ContentSource, ScoreInput};
use crate::proto::v1 as pb;

const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;
const MAX_SEARCH: usize = 100;

/// The Claims service.
pub struct ClaimsService {
    engine: Arc<Engine>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl ClaimsService {
    /// Returns the service over `engine`; a load still receiving its file
    /// when `stopping` turns true is refused.
    pub fn new(engine: Arc<Engine>, stopping: tokio::sync::watch::Receiver<bool>) -> Self {
        ClaimsService { engine, stopping }
    }
}

fn page_size(requested: u32) -> usize {
    match requested as usize {
        0 => DEFAULT_PAGE,
        n => n.min(MAX_PAGE),
    }
}

#[tonic::async_trait]
impl pb::claims_server::Claims for ClaimsService {
    async fn load_claims(
        &self,
        request: Request<Streaming<pb::LoadClaimsRequest>>,
    ) -> Result<Response<pb::LoadClaimsResponse>, Status> {
        let who = caller(&request)?;
        let mut stream = request.into_inner();
        let limit = self.engine.config().limits.max_load_bytes;
        let idle = std::time::Duration::from_secs(self.engine.config().limits.stream_idle_seconds);
        let stopping = self.stopping.clone();
        let next = async |stream: &mut Streaming<pb::LoadClaimsRequest>| {
            let mut stopping = stopping.clone();
            tokio::select! {
                biased;
                _ = stopping.wait_for(|stop| *stop) => Err(Status::unavailable(
                    "the server is shutting down; nothing of this load was written, send it again",
                )),
                message = tokio::time::timeout(idle, stream.message()) => match message {
                    Ok(message) => message.map_err(inbound_status),
                    Err(_) => Err(Status::deadline_exceeded(format!(
                        "LoadClaims sent nothing for {} s; send the file faster or in larger chunks",
                        idle.as_secs()
                    ))),
                },
            }
        };
        let header = match next(&mut stream).await? {
            Some(pb::LoadClaimsRequest {
                item: Some(pb::load_claims_request::Item::Header(header)),
            }) => header,
            _ => {
                return Err(Status::invalid_argument(
                    "the first message of LoadClaims must be a header",
                ));
            }
        };
        let mut header = header;
        if let Some(partner) = who.bound_partner() {
            if !header.partner.trim().is_empty() && header.partner.trim() != partner {
                return Err(Status::permission_denied(format!(
                    "this token loads claims for {partner:?} only, not {:?}",
                    header.partner.trim()
                )));
            }
            header.partner = partner.to_string();
        }
        let defaults = convert::load_defaults(&header).map_err(to_status)?;
        let format = match pb::ClaimFormat::try_from(header.format) {
            Ok(pb::ClaimFormat::Unspecified) => ClaimFormat::Auto,
            Ok(pb::ClaimFormat::Jsonl) => ClaimFormat::Jsonl,
            Ok(pb::ClaimFormat::ClaimReview) => ClaimFormat::JsonLd,
            Ok(pb::ClaimFormat::Html) => ClaimFormat::Html,
            Ok(pb::ClaimFormat::FactCheckTools) => ClaimFormat::FactCheckTools,
            Ok(pb::ClaimFormat::Csv) => ClaimFormat::Csv,
            Err(_) => {
                return Err(Status::invalid_argument(format!(
                    "unknown claim format {}",
                    header.format
                )));
            }
        };
        let mut bytes = Vec::new();
        while let Some(message) = next(&mut stream).await? {
            match message.item {
                Some(pb::load_claims_request::Item::Chunk(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        return Err(Status::resource_exhausted(format!(
                            "file is over max_load_bytes ({limit} bytes)"
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Some(pb::load_claims_request::Item::Header(_)) => {
                    return Err(Status::invalid_argument(
                        "LoadClaims takes one header, before the chunks",
                    ));
                }
                None => {}
            }
        }
        let partner = defaults.partner.clone();
        let report = self
            .engine
            .load(
                bytes,
                format,
                defaults,
                LoadOptions {
                    replace: header.replace,
                    every_record: header.every_record,
                },
            )
            .await
            .map_err(to_status)?;
        audit(
            &self.engine,
            &who,
            "claims.load",
            format!(
                "partner={partner} inserted={} updated={} unchanged={} retracted={} rejected={}",
                report.inserted,
                report.updated,
                report.unchanged,
                report.retracted,
                report.rejected
            ),
        )
        .await;
        Ok(Response::new(convert::load_report_to_proto(report)))
    }

    async fn upsert_claim(
        &self,
        request: Request<pb::UpsertClaimRequest>,
    ) -> Result<Response<pb::UpsertClaimResponse>, Status> {
        let who = caller(&request)?;
        let claim = request
            .into_inner()
            .claim
            .ok_or_else(|| Status::invalid_argument("`claim` is missing"))?;
        let mut claim = convert::claim_from_proto(claim).map_err(to_status)?;
        if let Some(partner) = who.bound_partner() {
            if !claim.partner.trim().is_empty() && claim.partner.trim() != partner {
                return Err(Status::permission_denied(format!(
                    "this token writes claims for {partner:?} only"
                )));
            }
            claim.partner = partner.to_string();
        }
        if claim.partner.trim().is_empty() {
            return Err(Status::invalid_argument("`claim.partner` is missing"));
        }
        let defaults = LoadDefaults {
            partner: claim.partner.trim().to_string(),
            ..LoadDefaults::default()
        };
        let claim =
            normalize(claim, &defaults).map_err(|reason| to_status(Error::invalid(reason)))?;
        let (stored, status) = self.engine.upsert(claim).await.map_err(to_status)?;
        audit(
            &self.engine,
            &who,
            "claims.upsert",
            format!("id={} status={status:?}", stored.id),
        )
        .await;
        Ok(Response::new(pb::UpsertClaimResponse {
            claim: Some(claim_to_proto(stored)),
            status: convert::write_status_to_proto(status) as i32,
        }))
    }

    async fn retract_claim(
        &self,
        request: Request<pb::RetractClaimRequest>,
    ) -> Result<Response<pb::RetractClaimResponse>, Status> {
        let who = caller(&request)?;
        let request = request.into_inner();
        if request.id.trim().is_empty() {
            return Err(Status::invalid_argument("`id` is missing"));
        }
        let (claim, changed) = self
            .engine
            .retract(request.id, who.bound_partner().map(str::to_string))
            .await
            .map_err(to_status)?;
        audit(
            &self.engine,
            &who,
            "claims.retract",
            format!("id={} changed={changed}", claim.id),
        )
        .await;
        Ok(Response::new(pb::RetractClaimResponse {
            claim: Some(claim_to_proto(claim)),
            changed,
        }))
    }

    async fn get_claim(
        &self,
        request: Request<pb::GetClaimRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        let claim = self
            .engine
            .get_claim(request.into_inner().id)
            .await
            .map_err(to_status)?;
        Ok(Response::new(claim_to_proto(claim)))
    }

    async fn list_claims(
        &self,
        request: Request<pb::ListClaimsRequest>,
    ) -> Result<Response<pb::ListClaimsResponse>, Status> {
        let who = caller(&request)?;
        let mut request = request.into_inner();
        // A partner lists its own claims.
        if let Some(partner) = who.bound_partner() {
            request.partner = partner.to_string();
        }
        let after_id = match request.page_token.as_str() {
            "" => String::new(),
            token => page_position("claims", token).map_err(to_status)?,
        };
        let non_empty = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let market = match non_empty(request.market) {
            Some(code) => Some(crate::claims::market::parse_market(&code).map_err(to_status)?),
            None => None,
        };
        let filter = ClaimFilter {
            partner: non_empty(request.partner),
            market,
            language: non_empty(request.language).map(|l| crate::text::primary_language(&l)),
            include_retracted: request.include_retracted,
        };
        let limit = page_size(request.page_size);
        let claims = self
            .engine
            .list_claims(filter, after_id, limit)
            .await
            .map_err(to_status)?;
        let next_page_token = match claims.last() {
            Some(last) if claims.len() == limit => page_token("claims", &last.id),
            _ => String::new(),
        };
        Ok(Response::new(pb::ListClaimsResponse {
            claims: claims.into_iter().map(claim_to_proto).collect(),
            next_page_token,
        }))
    }

    async fn search_claims(
        &self,
        request: Request<pb::SearchClaimsRequest>,
    ) -> Result<Response<pb::SearchClaimsResponse>, Status> {
        let deadline = super::matcher::deadline(request.metadata());
        let request = request.into_inner();
        if request.query.trim().is_empty() {
            return Err(Status::invalid_argument("`query` is empty"));
        }
        let market = match request.market.trim() {
            "" => String::new(),
            code => crate::claims::market::parse_market(code).map_err(to_status)?,
        };
        let limit = match request.limit as usize {
            0 => 10,
            n => n.min(MAX_SEARCH),
        };
        let input = ScoreInput {
            request_id: String::new(),
            video_id: String::new(),
            market,
            language: request.language,
            observed_at: chrono::Utc::now(),
            observed_stated: false,
            view_count: 0,
            source: ContentSource::Unspecified,
            content: Content::Text(request.query),
            min_confidence: Some(0.0),
            max_matches: limit,
            dry_run: true,
            deadline,
        };
        let results = self
            .engine
            .search_claims(input, limit)
            .await
            .map_err(to_status)?;
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
