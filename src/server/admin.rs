//! `claimsignal.v1.Admin`: tokens, the audit trail and the replica's
//! status, admins only. Each handler decodes, makes one call into the
//! application layer (`app/tokens.rs`, `App::status`) and encodes the
//! answer.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::auth::caller;
use super::convert::admin::{audit_entry_to_proto, token_to_proto};
use super::status::to_status;
use crate::app::App;
use crate::proto::v1 as pb;

/// The Admin service.
pub struct AdminService {
    app: Arc<App>,
}

impl AdminService {
    /// Returns the service over `app`.
    pub fn new(app: Arc<App>) -> Self {
        AdminService { app }
    }
}

#[tonic::async_trait]
impl pb::admin_server::Admin for AdminService {
    async fn create_token(
        &self,
        request: Request<pb::CreateTokenRequest>,
    ) -> Result<Response<pb::CreateTokenResponse>, Status> {
        let who = caller(&request)?;
        let request = request.into_inner();
        let (token, secret) = self
            .app
            .create_token(&who, request.name, request.roles, request.partner)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::CreateTokenResponse {
            token: Some(token_to_proto(token)),
            secret,
        }))
    }

    async fn list_tokens(
        &self,
        _request: Request<pb::ListTokensRequest>,
    ) -> Result<Response<pb::ListTokensResponse>, Status> {
        let tokens = self.app.list_tokens().await.map_err(to_status)?;
        Ok(Response::new(pb::ListTokensResponse {
            tokens: tokens.into_iter().map(token_to_proto).collect(),
        }))
    }

    async fn revoke_token(
        &self,
        request: Request<pb::RevokeTokenRequest>,
    ) -> Result<Response<pb::Token>, Status> {
        let who = caller(&request)?;
        let id = request.into_inner().id;
        let token = self.app.revoke_token(&who, id).await.map_err(to_status)?;
        Ok(Response::new(token_to_proto(token)))
    }

    async fn list_audit(
        &self,
        request: Request<pb::ListAuditRequest>,
    ) -> Result<Response<pb::ListAuditResponse>, Status> {
        let limit = request.into_inner().limit as usize;
        let entries = self.app.audit_trail(limit).await.map_err(to_status)?;
        Ok(Response::new(pb::ListAuditResponse {
            entries: entries.into_iter().map(audit_entry_to_proto).collect(),
        }))
    }

    async fn get_status(
        &self,
        _request: Request<pb::GetStatusRequest>,
    ) -> Result<Response<pb::ServiceStatus>, Status> {
        let status = self.app.status().await.map_err(to_status)?;
        let (kernel, texts) = status.meaning.unwrap_or(("", 0));
        Ok(Response::new(pb::ServiceStatus {
            serving: status.problem.is_none(),
            problem: status.problem.unwrap_or_default(),
            claims_indexed: status.vitals.claims_indexed,
            store_sequence: status.vitals.store_sequence,
            index_lag_changes: status.vitals.index_lag,
            vector_lag_changes: status.vitals.vector_lag,
            meaning: status.meaning.is_some(),
            encoder_kernel: kernel.to_owned(),
            claim_texts_embedded: texts,
            vector_changes_per_second: status.vitals.vector_rate.unwrap_or(0.0),
            vector_eta_seconds: status.vector_eta_seconds,
        }))
    }
}
