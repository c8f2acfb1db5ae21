//! `claimsignal.v1.Admin`: tokens and the audit trail, admins only.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::auth::{audit, authorize};
use super::convert::timestamp;
use super::status::to_status;
use crate::auth::{Role, TokenInfo};
use crate::engine::Engine;
use crate::proto::v1 as pb;

/// The Admin service.
pub struct AdminService {
    engine: Arc<Engine>,
}

impl AdminService {
    /// Returns the service over `engine`.
    pub fn new(engine: Arc<Engine>) -> Self {
        AdminService { engine }
    }
}

fn token_to_proto(token: TokenInfo) -> pb::Token {
    pb::Token {
        id: token.id,
        name: token.name,
        roles: token.roles.iter().map(|r| r.as_str().to_string()).collect(),
        partner: token.partner.unwrap_or_default(),
        revoked: token.revoked_ms.is_some(),
    }
}

#[tonic::async_trait]
impl pb::admin_server::Admin for AdminService {
    async fn create_token(
        &self,
        request: Request<pb::CreateTokenRequest>,
    ) -> Result<Response<pb::CreateTokenResponse>, Status> {
        let who = authorize(&self.engine, request.metadata(), &[Role::Admin])?;
        let request = request.into_inner();
        let roles = request
            .roles
            .iter()
            .map(|r| {
                Role::from_name(r)
                    .ok_or_else(|| Status::invalid_argument(format!("{r:?} is not a role")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let partner = Some(request.partner.trim()).filter(|p| !p.is_empty());
        let (token, secret) = self
            .engine
            .auth()
            .create(&request.name, &roles, partner, &who.name)
            .map_err(to_status)?;
        Ok(Response::new(pb::CreateTokenResponse {
            token: Some(token_to_proto(token)),
            secret,
        }))
    }

    async fn list_tokens(
        &self,
        request: Request<pb::ListTokensRequest>,
    ) -> Result<Response<pb::ListTokensResponse>, Status> {
        authorize(&self.engine, request.metadata(), &[Role::Admin])?;
        let tokens = self.engine.auth().list().map_err(to_status)?;
        Ok(Response::new(pb::ListTokensResponse {
            tokens: tokens.into_iter().map(token_to_proto).collect(),
        }))
    }

    async fn revoke_token(
        &self,
        request: Request<pb::RevokeTokenRequest>,
    ) -> Result<Response<pb::Token>, Status> {
        let who = authorize(&self.engine, request.metadata(), &[Role::Admin])?;
        let id = request.into_inner().id;
        self.engine
            .auth()
            .revoke(id, &who.name)
            .map_err(to_status)?;
        let token = self
            .engine
            .auth()
            .list()
            .map_err(to_status)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| Status::not_found(format!("token {id} not found")))?;
        audit(&self.engine, &who, "admin.revoke", &format!("id={id}"));
        Ok(Response::new(token_to_proto(token)))
    }

    async fn list_audit(
        &self,
        request: Request<pb::ListAuditRequest>,
    ) -> Result<Response<pb::ListAuditResponse>, Status> {
        authorize(&self.engine, request.metadata(), &[Role::Admin])?;
        let limit = match request.into_inner().limit {
            0 => 100,
            n => (n as usize).min(10_000),
        };
        let entries = self.engine.auth().audit_trail(limit).map_err(to_status)?;
        Ok(Response::new(pb::ListAuditResponse {
            entries: entries
                .into_iter()
                .map(|(at_ms, actor, action, detail)| pb::AuditEntry {
                    at: chrono::DateTime::from_timestamp_millis(at_ms).map(timestamp),
                    actor,
                    action,
                    detail,
                })
                .collect(),
        }))
    }
}
