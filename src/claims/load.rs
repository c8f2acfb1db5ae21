//! What a load is: the partner's defaults, and the per-record outcome.

use chrono::{DateTime, Utc};

use super::model::Claim;

/// The longest claim text accepted, in characters. Real claims are a
/// sentence or two; anything longer is a misplaced article body.
pub const MAX_CLAIM_TEXT_CHARS: usize = 5_000;

/// The longest claim id accepted, in bytes.
pub const MAX_CLAIM_ID_BYTES: usize = 256;

/// Defaults a load applies to records that lack their own values.
#[derive(Debug, Clone, Default)]
pub struct LoadDefaults {
    /// The partner that owns every claim of the load.
    pub partner: String,
    /// Language for records without one (else detected from the text).
    pub language: String,
    /// Markets for records without any.
    pub markets: Vec<String>,
    /// Elections for records without any.
    pub elections: Vec<String>,
    /// Validity window start for records without one.
    pub valid_from: Option<DateTime<Utc>>,
    /// Validity window end for records without one.
    pub valid_until: Option<DateTime<Utc>>,
    /// The partner's own rating words mapped to verdicts (folded words),
    /// applied before the built-in mapping.
    pub rating_overrides: std::collections::HashMap<String, super::verdict::Verdict>,
}

/// The largest single record accepted, in bytes of its JSON or CSV row.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// A record of a file that was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 1-based line for line formats, else 0.
    pub line: u64,
    /// Where the record is, in words (`line 12`).
    pub position: String,
    /// The claim id when it could be derived, else empty.
    pub claim_id: String,
    /// Why it was refused, in plain words.
    pub reason: String,
}

/// A record that parsed into a claim, with where it came from.
#[derive(Debug, Clone)]
pub struct ParsedClaim {
    /// 1-based line for line formats, else 0.
    pub line: u64,
    /// Where the record is, in words (`line 12`, `dataFeedElement[3].item[0]`).
    pub position: String,
    /// The claim, with defaults applied.
    pub claim: Claim,
    /// The record as the partner sent it.
    pub raw: String,
}

/// A parsed file: the claims it holds and the records it refused.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Good records, in file order.
    pub claims: Vec<ParsedClaim>,
    /// Refused records, in file order.
    pub rejections: Vec<Rejection>,
    /// What the records kept were loaded without (a broken date, a broken
    /// rating), and what the file was read despite (bad UTF-8).
    pub warnings: Vec<Warning>,
}

/// One record of a file, as a parser reads it.
// Records pass one at a time from the parser into a batch's vectors: a
// box would only add an allocation per claim.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Record {
    /// A usable claim, with what it was loaded without.
    Claim(ParsedClaim, Vec<Warning>),
    /// A refused record.
    Refused(Rejection),
}

impl ParsedFile {
    /// Adds a record.
    pub fn push(&mut self, record: Record) {
        match record {
            Record::Claim(claim, warnings) => {
                self.claims.push(claim);
                self.warnings.extend(warnings);
            }
            Record::Refused(rejection) => self.rejections.push(rejection),
        }
    }

    /// Returns the number of records.
    pub fn len(&self) -> usize {
        self.claims.len() + self.rejections.len()
    }

    /// Returns true when the file held no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Refusals a load's report lists unless every record is asked for (all
/// of them are counted): a stock gRPC client refuses answers over 4 MiB,
/// and a partner told a committed load failed would load it again.
pub const MAX_LISTED_REJECTIONS: usize = 1_000;

/// What a load's caller asks of it besides the claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Retract the partner's claims the file no longer holds.
    pub replace: bool,
    /// Report every record's outcome (else the counts and the first
    /// refusals).
    pub every_record: bool,
    /// Take each record's markets, elections and validity as they are,
    /// empty included (else what a record leaves unsaid of them is kept
    /// from the stored claim: see `reload`).
    pub replace_metadata: bool,
    /// Report what the load would do, writing nothing.
    pub dry_run: bool,
}

/// What the store did with one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStatus {
    /// A new claim.
    Inserted,
    /// An existing claim whose content changed, or that was retracted.
    Updated,
    /// An existing active claim with the same content.
    Unchanged,
}

/// A loaded record with something the partner may want to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line for line formats, else 0.
    pub line: u64,
    /// Where the record is.
    pub position: String,
    /// The claim id.
    pub claim_id: String,
    /// The field it is about.
    pub field: String,
    /// What to fix, in plain words.
    pub message: String,
}

/// The fields of a kept record that were unusable and left out: (field,
/// what was wrong). Importers collect them; [`warnings`] reports them.
pub type Dropped = Vec<(String, String)>;

/// Returns the warnings of a kept record's dropped fields.
pub fn warnings(line: u64, position: &str, claim_id: &str, dropped: Dropped) -> Vec<Warning> {
    dropped
        .into_iter()
        .map(|(field, message)| Warning {
            line,
            position: position.to_string(),
            claim_id: claim_id.to_string(),
            field,
            message,
        })
        .collect()
}

/// What the store did with one claim, and the fields a rewrite changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Inserted, updated or unchanged.
    pub status: WriteStatus,
    /// For an update, the fields that changed (see `reload::changed_fields`).
    pub changed: Vec<String>,
}

/// Counts and refusals of a whole load.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// New claims.
    pub inserted: u64,
    /// Changed claims.
    pub updated: u64,
    /// Claims already present with the same content.
    pub unchanged: u64,
    /// Claims of the partner retracted because the file (loaded with
    /// `replace`) no longer holds them.
    pub retracted: u64,
    /// Refused records.
    pub rejected: u64,
    /// The refused records: every one when the load asked for every
    /// record, else the first [`MAX_LISTED_REJECTIONS`].
    pub rejections: Vec<Rejection>,
    /// What happened to every record, in file order where lines are known,
    /// when the load asked for every record; else empty.
    pub records: Vec<RecordOutcome>,
    /// Loaded records with something to fix, the first
    /// `MAX_LISTED_REJECTIONS` of them.
    pub warnings: Vec<Warning>,
    /// Every loaded record with something to fix.
    pub warned: u64,
    /// The claim store's change sequence after the load.
    pub sequence: u64,
}

/// What happened to one record of a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordStatus {
    /// A new claim.
    Inserted,
    /// A changed claim.
    Updated,
    /// Already present, same content.
    Unchanged,
    /// Retracted by a `replace` load.
    Retracted,
    /// Refused.
    Rejected,
}

impl RecordStatus {
    /// Returns the snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Inserted => "inserted",
            RecordStatus::Updated => "updated",
            RecordStatus::Unchanged => "unchanged",
            RecordStatus::Retracted => "retracted",
            RecordStatus::Rejected => "rejected",
        }
    }
}

/// One record's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOutcome {
    /// 1-based line, or 0.
    pub line: u64,
    /// Where the record is.
    pub position: String,
    /// The claim id, when known.
    pub claim_id: String,
    /// What happened.
    pub status: RecordStatus,
    /// Why, for refusals.
    pub reason: String,
    /// For an update, the fields that changed.
    pub changed: Vec<String>,
}

impl LoadReport {
    /// Counts a warning, listing the first `MAX_LISTED_REJECTIONS`.
    pub fn warn(&mut self, warning: Warning) {
        self.warned += 1;
        if self.warnings.len() < MAX_LISTED_REJECTIONS {
            self.warnings.push(warning);
        }
    }

    /// Counts a refused record, listing it as `options` ask.
    pub fn refuse(&mut self, rejection: Rejection, options: LoadOptions) {
        self.rejected += 1;
        if options.every_record {
            self.records.push(RecordOutcome {
                line: rejection.line,
                position: rejection.position.clone(),
                claim_id: rejection.claim_id.clone(),
                status: RecordStatus::Rejected,
                reason: rejection.reason.clone(),
                changed: Vec::new(),
            });
        }
        if options.every_record || self.rejections.len() < MAX_LISTED_REJECTIONS {
            self.rejections.push(rejection);
        }
    }

    /// Counts a record the store took (or a claim a replace retracted),
    /// listing it when every record is asked for.
    pub fn took(&mut self, outcome: RecordOutcome, options: LoadOptions) {
        match outcome.status {
            RecordStatus::Inserted => self.inserted += 1,
            RecordStatus::Updated => self.updated += 1,
            RecordStatus::Unchanged => self.unchanged += 1,
            RecordStatus::Retracted => self.retracted += 1,
            RecordStatus::Rejected => self.rejected += 1,
        }
        if options.every_record {
            self.records.push(outcome);
        }
    }
}
