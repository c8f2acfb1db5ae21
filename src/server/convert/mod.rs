//! Conversions between the proto messages and the domain types, one
//! file per service; this one holds what every service shares (times,
//! verdicts, levels, sources, stances, page tokens). Input conversions
//! return `Error::InvalidArgument` naming the field and the reason.

pub mod admin;
pub mod claims;
pub mod matcher;
pub mod reports;

use chrono::{DateTime, Utc};
use prost_types::Timestamp;

use crate::error::{Error, Result};
use crate::proto::v1 as pb;
use crate::vocab::{ContentSource, Level, Stance, Verdict};

/// Returns the proto timestamp of a time.
pub fn timestamp(at: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: at.timestamp(),
        nanos: at.timestamp_subsec_nanos() as i32,
    }
}

/// Returns the time of a proto timestamp, or an error naming the field.
pub fn from_timestamp(ts: &Timestamp, field: &str) -> Result<DateTime<Utc>> {
    u32::try_from(ts.nanos)
        .ok()
        .and_then(|nanos| DateTime::from_timestamp(ts.seconds, nanos))
        .ok_or_else(|| Error::invalid(format!("`{field}` is not a valid timestamp")))
}

pub(super) fn opt_time(ts: Option<&Timestamp>, field: &str) -> Result<Option<DateTime<Utc>>> {
    ts.map(|ts| from_timestamp(ts, field)).transpose()
}

/// Returns the proto value of a verdict.
pub fn verdict_to_proto(verdict: Verdict) -> pb::Verdict {
    match verdict {
        Verdict::False => pb::Verdict::False,
        Verdict::MostlyFalse => pb::Verdict::MostlyFalse,
        Verdict::Misleading => pb::Verdict::Misleading,
        Verdict::MissingContext => pb::Verdict::MissingContext,
        Verdict::Unproven => pb::Verdict::Unproven,
        Verdict::Satire => pb::Verdict::Satire,
        Verdict::Mixed => pb::Verdict::Mixed,
        Verdict::MostlyTrue => pb::Verdict::MostlyTrue,
        Verdict::True => pb::Verdict::True,
        Verdict::Other => pb::Verdict::Other,
    }
}

/// Returns the verdict of a proto value (`None` for unspecified).
pub fn verdict_from_proto(value: i32) -> Result<Option<Verdict>> {
    let verdict = pb::Verdict::try_from(value)
        .map_err(|_| Error::invalid(format!("unknown verdict {value}")))?;
    Ok(Verdict::ALL
        .into_iter()
        .find(|v| verdict_to_proto(*v) == verdict))
}

/// Returns the proto value of a level.
pub fn level_to_proto(level: Level) -> pb::MatchLevel {
    match level {
        Level::None => pb::MatchLevel::None,
        Level::Review => pb::MatchLevel::Review,
        Level::Auto => pb::MatchLevel::Auto,
    }
}

pub(super) fn level_from_proto(value: i32) -> Result<Level> {
    match pb::MatchLevel::try_from(value) {
        Ok(pb::MatchLevel::None) => Ok(Level::None),
        Ok(pb::MatchLevel::Review) => Ok(Level::Review),
        Ok(pb::MatchLevel::Auto) => Ok(Level::Auto),
        Err(_) => Err(Error::invalid(format!("unknown match level {value}"))),
    }
}

/// Returns the proto value of a content source.
pub fn source_to_proto(source: ContentSource) -> pb::ContentSource {
    match source {
        ContentSource::Unspecified => pb::ContentSource::Unspecified,
        ContentSource::Caption => pb::ContentSource::Caption,
        ContentSource::SpeechTranscript => pb::ContentSource::SpeechTranscript,
        ContentSource::Ocr => pb::ContentSource::Ocr,
        ContentSource::Description => pb::ContentSource::Description,
    }
}

pub(super) fn source_from_proto(value: i32) -> Result<ContentSource> {
    let source = pb::ContentSource::try_from(value)
        .map_err(|_| Error::invalid(format!("unknown content source {value}")))?;
    Ok(ContentSource::ALL
        .into_iter()
        .find(|s| source_to_proto(*s) == source)
        .unwrap_or_default())
}

/// Returns the proto stance.
pub fn stance_to_proto(stance: Stance) -> pb::Stance {
    match stance {
        Stance::Repeats => pb::Stance::Repeats,
        Stance::Refutes => pb::Stance::Refutes,
        Stance::Unclear => pb::Stance::Unclear,
    }
}

/// Returns an opaque page token for a position.
pub fn page_token(kind: &str, position: &str) -> String {
    format!("{kind}:{position}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Returns the position of an opaque page token of `kind`.
pub fn page_position(kind: &str, token: &str) -> Result<String> {
    let invalid = || Error::invalid("`page_token` is not a token this service issued");
    if !token.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(token.get(i..i + 2).ok_or_else(invalid)?, 16).map_err(|_| invalid())
        })
        .collect::<Result<Vec<u8>>>()?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    text.strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix(':'))
        .map(str::to_string)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_round_trip_and_refuse_forgeries() {
        let token = page_token("claims", "snopes:abc");
        assert_eq!(page_position("claims", &token).unwrap(), "snopes:abc");
        assert!(page_position("hits", &token).is_err());
        assert!(page_position("claims", "zz").is_err());
        assert!(page_position("claims", "abc").is_err());
    }

    #[test]
    fn timestamps_round_trip() {
        let at = DateTime::parse_from_rfc3339("2022-10-02T12:30:00.5Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(from_timestamp(&timestamp(at), "t").unwrap(), at);
        assert!(
            from_timestamp(
                &Timestamp {
                    seconds: 0,
                    nanos: -1
                },
                "t"
            )
            .is_err()
        );
    }
}
