//! The one place where library errors become gRPC statuses.

use tonic::{Code, Status};

use crate::error::Error;

/// Returns the gRPC status for an error. Internal details are logged, not
/// sent: the caller gets the kind and a short reason.
pub fn to_status(err: Error) -> Status {
    match err {
        Error::InvalidArgument(reason) => Status::invalid_argument(reason),
        Error::NotFound(what) => Status::not_found(format!("{what} not found")),
        Error::PermissionDenied(reason) => Status::permission_denied(reason),
        Error::Unauthenticated(reason) => Status::unauthenticated(reason),
        Error::ResourceExhausted(reason) => Status::resource_exhausted(reason),
        Error::Unavailable(reason) => Status::unavailable(reason),
        Error::DeadlineExceeded(reason) => Status::deadline_exceeded(reason),
        other => {
            tracing::error!(error = %other, "request failed");
            Status::internal("internal error; see the server log")
        }
    }
}

/// Returns the status to send for a failure reading a request message.
/// tonic refuses a message over `max_decoding_message_size` with
/// `OUT_OF_RANGE` (callers are told `RESOURCE_EXHAUSTED`, naming the
/// setting), and a message that does not decode, or a unary call with no
/// message, with `INTERNAL`: both are the caller's input, so
/// `INVALID_ARGUMENT`. Any other status is returned as it is.
pub fn inbound_status(status: Status) -> Status {
    const TONIC_TOO_LARGE: &str = "decoded message length too large";
    const DECODE_FAILED: &str = "failed to decode Protobuf message";
    const NO_MESSAGE: &str = "Missing request message";
    match status.code() {
        Code::OutOfRange if status.message().contains(TONIC_TOO_LARGE) => {
            let detail = status.message().trim_start_matches("Error, ").replacen(
                TONIC_TOO_LARGE,
                "message too large",
                1,
            );
            Status::resource_exhausted(format!("{detail} (limits.max_message_bytes)"))
        }
        Code::Internal if status.message().starts_with(DECODE_FAILED) => {
            Status::invalid_argument(format!("the message does not decode: {}", status.message()))
        }
        Code::Internal if status.message().starts_with(NO_MESSAGE) => {
            Status::invalid_argument("the request carries no message")
        }
        _ => status,
    }
}

/// Returns the name of a gRPC code as grpc-status documents it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_codes() {
        assert_eq!(to_status(Error::invalid("x")).code(), Code::InvalidArgument);
        assert_eq!(
            to_status(Error::not_found("claim \"a\"")).message(),
            "claim \"a\" not found"
        );
        assert_eq!(
            to_status(Error::PermissionDenied("x".into())).code(),
            Code::PermissionDenied
        );
        assert_eq!(
            to_status(Error::ResourceExhausted("x".into())).code(),
            Code::ResourceExhausted
        );
        let undecodable = inbound_status(Status::internal(
            "failed to decode Protobuf message: invalid wire type",
        ));
        assert_eq!(undecodable.code(), Code::InvalidArgument);
        let internal = to_status(Error::Internal("secret detail".into()));
        assert_eq!(internal.code(), Code::Internal);
        assert!(!internal.message().contains("secret"));
    }
}
