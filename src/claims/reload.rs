//! A claim written again over the one stored under its id: what the new
//! record leaves unsaid about where and when the claim applies is kept
//! from the stored claim (and a topic the partner gave), and what
//! changed is named.
//!
//! A partner reloading last month's feed without `--market` or
//! `--valid-from/--valid-until` used to wipe the claims' markets and
//! validity window: the claims then matched in every market, forever, in
//! the middle of an election. Markets, elections and the validity window
//! are kept unless the record (or the load's defaults) says them, or the
//! load asks to replace them (`--replace-metadata`).

use std::borrow::Cow;

use super::load::{ParsedClaim, WriteStatus, Written};
use super::model::{Claim, ClaimStatus};

/// How a write treats what a record leaves unsaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// Take the record as it is: a scope field it leaves empty is emptied.
    pub replace_metadata: bool,
    /// Judge every claim and report what writing it would do, without
    /// writing anything.
    pub dry_run: bool,
}

/// Returns `incoming` with the scope fields it leaves unsaid taken from
/// `stored` (unless `options.replace_metadata`).
pub fn keep_unsaid(mut incoming: Claim, stored: Option<&Claim>, options: WriteOptions) -> Claim {
    let Some(stored) = stored else {
        return incoming;
    };
    if options.replace_metadata {
        return incoming;
    }
    if incoming.markets.is_empty() {
        incoming.markets.clone_from(&stored.markets);
    }
    if incoming.elections.is_empty() {
        incoming.elections.clone_from(&stored.elections);
    }
    if incoming.valid_from.is_none() {
        incoming.valid_from = stored.valid_from;
    }
    if incoming.valid_until.is_none() {
        incoming.valid_until = stored.valid_until;
    }
    // A topic the partner gave is kept over one the service assigned.
    if !incoming.topic_given && stored.topic_given {
        incoming.topic.clone_from(&stored.topic);
        incoming.topic_given = true;
    }
    incoming
}

/// Returns the names of the fields that differ between the stored claim
/// and the one written over it, in the order of the claim's fields.
pub fn changed_fields(stored: &Claim, written: &Claim) -> Vec<String> {
    let differs: [(&str, bool); 18] = [
        ("text", stored.text != written.text),
        ("title", stored.title != written.title),
        ("language", stored.language != written.language),
        ("verdict", stored.verdict != written.verdict),
        ("rating_text", stored.rating_text != written.rating_text),
        ("review_url", stored.review_url != written.review_url),
        ("claimant", stored.claimant != written.claimant),
        ("claim_date", stored.claim_date != written.claim_date),
        ("review_date", stored.review_date != written.review_date),
        ("markets", stored.markets != written.markets),
        ("elections", stored.elections != written.elections),
        ("valid_from", stored.valid_from != written.valid_from),
        ("valid_until", stored.valid_until != written.valid_until),
        ("keywords", stored.keywords != written.keywords),
        ("topic", stored.topic != written.topic),
        ("appearances", stored.appearances != written.appearances),
        ("explanation", stored.explanation != written.explanation),
        ("status", stored.status != written.status),
    ];
    differs
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name.to_string())
        .collect()
}

/// Returns the claim a stored row holds, with its status.
pub(super) fn stored_claim(content: &str, status: i64) -> Option<Claim> {
    let mut claim: Claim = serde_json::from_str(content).ok()?;
    claim.status = ClaimStatus::from_i64(status)?;
    Some(claim)
}

/// Returns the claim to write for `parsed` over what is stored under its
/// id (see `keep_unsaid`), with its content fingerprint. A new claim, or
/// one whose metadata is replaced, is written as parsed, not copied.
pub(super) fn to_write<'a>(
    parsed: &'a ParsedClaim,
    stored: Option<&Claim>,
    options: WriteOptions,
) -> (Cow<'a, Claim>, String) {
    let claim = match stored {
        Some(stored) if !options.replace_metadata => {
            Cow::Owned(keep_unsaid(parsed.claim.clone(), Some(stored), options))
        }
        _ => Cow::Borrowed(&parsed.claim),
    };
    let content = claim.content_fingerprint();
    (claim, content)
}

/// Returns the outcome of a claim written over `stored`.
pub(super) fn written(
    status: WriteStatus,
    stored: Option<&Claim>,
    claim: &Claim,
) -> Result<Written, String> {
    let changed = match stored {
        Some(stored) => {
            let now = Claim {
                status: ClaimStatus::Active,
                sequence: stored.sequence,
                updated_at: stored.updated_at,
                ..claim.clone()
            };
            changed_fields(stored, &now)
        }
        None => Vec::new(),
    };
    Ok(Written { status, changed })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::claims::ClaimStatus;

    fn stored() -> Claim {
        Claim {
            id: "aosfatos:urnas-1".into(),
            partner: "aosfatos".into(),
            text: "As urnas eletrônicas podem ser hackeadas pela internet".into(),
            markets: vec!["BR".into()],
            elections: vec!["br-2022-general".into()],
            valid_from: Some(Utc.with_ymd_and_hms(2022, 8, 16, 0, 0, 0).unwrap()),
            valid_until: Some(Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap()),
            ..Claim::default()
        }
    }

    #[test]
    fn a_reload_that_says_nothing_of_scope_keeps_the_stored_scope() {
        let reloaded = Claim {
            markets: Vec::new(),
            elections: Vec::new(),
            valid_from: None,
            valid_until: None,
            ..stored()
        };
        let written = keep_unsaid(reloaded, Some(&stored()), WriteOptions::default());
        assert_eq!(written, stored());
        assert!(changed_fields(&stored(), &written).is_empty());
    }

    #[test]
    fn what_a_reload_says_wins_and_is_named() {
        let reloaded = Claim {
            markets: vec!["PT".into()],
            valid_until: None,
            ..stored()
        };
        let written = keep_unsaid(reloaded, Some(&stored()), WriteOptions::default());
        assert_eq!(written.markets, ["PT"]);
        assert_eq!(written.valid_until, stored().valid_until);
        assert_eq!(changed_fields(&stored(), &written), ["markets"]);
    }

    #[test]
    fn replacing_metadata_takes_the_record_as_it_is() {
        let reloaded = Claim {
            markets: Vec::new(),
            valid_from: None,
            valid_until: None,
            ..stored()
        };
        let options = WriteOptions {
            replace_metadata: true,
            ..WriteOptions::default()
        };
        let written = keep_unsaid(reloaded, Some(&stored()), options);
        assert!(written.markets.is_empty());
        assert_eq!(
            changed_fields(&stored(), &written),
            ["markets", "valid_from", "valid_until"]
        );
        let retracted = Claim {
            status: ClaimStatus::Retracted,
            ..stored()
        };
        assert_eq!(changed_fields(&retracted, &stored()), ["status"]);
    }
}
