//! The caller of a gRPC call: authenticated from the `authorization`
//! metadata by the admission layer before the call is decoded (see
//! `admission.rs`), handed to handlers in the request's extensions, and
//! checked again on every message of a stream.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tonic::Status;
use tonic::metadata::MetadataMap;

use super::status::to_status;
use crate::auth::Principal;
use crate::engine::Engine;

/// How long a stream goes on trusting its caller's token before checking
/// that it was not revoked.
const RECHECK_EVERY: Duration = Duration::from_secs(1);

/// Returns the bearer token of the `authorization` header, if any.
pub fn bearer(metadata: &MetadataMap) -> Result<Option<String>, Status> {
    bearer_of(metadata.get("authorization").map(|value| value.as_bytes()))
}

/// Returns the bearer token of an `authorization` header's value.
pub fn bearer_of(value: Option<&[u8]>) -> Result<Option<String>, Status> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = std::str::from_utf8(value)
        .map_err(|_| Status::unauthenticated("the authorization header is not text"))?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .ok_or_else(|| {
            Status::unauthenticated("the authorization header must be `Bearer <token>`")
        })?;
    Ok(Some(token.trim().to_string()))
}

/// Returns the caller the admission layer authenticated for this call.
pub fn caller<T>(request: &tonic::Request<T>) -> Result<Principal, Status> {
    request
        .extensions()
        .get::<Principal>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("the call was not authenticated"))
}

/// The caller of a stream, admitted again for every message: its rate
/// limit counts each message as a call, and a token revoked while the
/// stream is open stops working within a second.
pub struct StreamCaller {
    engine: Arc<Engine>,
    token: Option<String>,
    principal: Principal,
    checked: Instant,
}

impl StreamCaller {
    /// Returns the caller of the stream `request` opens.
    pub fn new<T>(engine: Arc<Engine>, request: &tonic::Request<T>) -> Result<Self, Status> {
        Ok(StreamCaller {
            engine,
            token: bearer(request.metadata())?,
            principal: caller(request)?,
            checked: Instant::now(),
        })
    }

    /// Checks the token again when the last check is over a second old;
    /// an error means the stream must end.
    pub fn still_valid(&mut self) -> Result<(), Status> {
        if self.checked.elapsed() < RECHECK_EVERY {
            return Ok(());
        }
        let now = self
            .engine
            .auth()
            .authenticate(self.token.as_deref())
            .map_err(to_status)?;
        if now.roles != self.principal.roles || now.partner != self.principal.partner {
            return Err(Status::unauthenticated(
                "the token's roles changed while the stream was open; open a new one",
            ));
        }
        self.checked = Instant::now();
        Ok(())
    }

    /// Takes one call from the caller's rate limit; an error refuses this
    /// message only.
    pub fn admit_message(&self) -> Result<(), Status> {
        if self.principal.rate_limited() {
            self.engine
                .rate()
                .admit(&self.principal.name)
                .map_err(to_status)?;
        }
        Ok(())
    }
}

/// Records a change in the audit trail, off the async runtime (the write
/// is fsynced); a failure is logged, not fatal to a change that is already
/// durable.
pub async fn audit(engine: &Arc<Engine>, who: &Principal, action: &'static str, detail: String) {
    let (engine, actor) = (engine.clone(), who.name.clone());
    let written =
        tokio::task::spawn_blocking(move || engine.auth().audit(&actor, action, &detail)).await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(err)) => tracing::error!(error = %err, action, "audit trail write failed"),
        Err(err) => tracing::error!(error = %err, action, "audit trail task failed"),
    }
}
