//! Who calls and until when: the bearer token of the `authorization`
//! metadata (authenticated by the admission layer before the call is
//! decoded, see `admission.rs`, and handed to handlers in the request's
//! extensions), and the deadline of the caller's `grpc-timeout`.

use std::time::{Duration, Instant};

use tonic::Status;
use tonic::metadata::MetadataMap;

use super::status::to_status;
use crate::auth::Principal;
use crate::error::Error;

fn unauthenticated(reason: &str) -> Status {
    to_status(Error::Unauthenticated(reason.into()))
}

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
        .map_err(|_| unauthenticated("the authorization header is not text"))?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .ok_or_else(|| unauthenticated("the authorization header must be `Bearer <token>`"))?;
    Ok(Some(token.trim().to_string()))
}

/// Returns the caller the admission layer authenticated for this call.
pub fn caller<T>(request: &tonic::Request<T>) -> Result<Principal, Status> {
    request
        .extensions()
        .get::<Principal>()
        .cloned()
        .ok_or_else(|| unauthenticated("the call was not authenticated"))
}

/// Returns whose turn on the scoring threads a call takes (see
/// `app/turns.rs`): its token's name, as the admission layer counts its
/// calls; on an open service, where every caller is `anonymous`, its
/// address.
pub fn turn_of<T>(request: &tonic::Request<T>) -> Result<String, Status> {
    let principal = caller(request)?;
    Ok(match request.remote_addr() {
        Some(addr) if principal == Principal::anonymous() => format!("address {}", addr.ip()),
        _ => format!("token {}", principal.name),
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
