//! A partner's load: a file of claims, judged record by record, written
//! in batches, and in the index when the load returns.
//!
//! Limits: `limits.max_load_bytes` for the file (checked as it arrives,
//! in [`Upload::push`]), `limits.max_claims_per_load` records (in the
//! importers), `limits.stream_idle_seconds` between chunks (read by the
//! handler from [`App::load_idle`]). Policy: a partner token loads for its
//! own partner only; an admin names the partner. Audit: `claims.load`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::App;
use crate::auth::Principal;
use crate::claims::ClaimFormat;
use crate::claims::Verdict;
use crate::claims::load::{
    LoadDefaults, LoadOptions, LoadReport, ParsedClaim, RecordOutcome, RecordStatus, Rejection,
    Warning, WriteStatus,
};
use crate::claims::reload::WriteOptions;
use crate::error::{Error, Result};

/// Claims written to the store per transaction during a load.
const LOAD_BATCH: usize = 10_000;

/// A load as its header asks for it.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    /// The file's format.
    pub format: ClaimFormat,
    /// Defaults for records that do not say; `partner` may be empty when
    /// the caller's token implies it.
    pub defaults: LoadDefaults,
    /// Replace the partner's claims, report every record.
    pub options: LoadOptions,
}

/// A load whose file is arriving: the header was accepted, the chunks
/// are gathered up to `limits.max_load_bytes`.
#[derive(Debug)]
pub struct Upload {
    request: LoadRequest,
    who: Principal,
    bytes: Vec<u8>,
    limit: usize,
}

impl Upload {
    /// Appends a chunk of the file, or refuses a file over the limit.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        if self.bytes.len() + chunk.len() > self.limit {
            return Err(Error::ResourceExhausted(format!(
                "file is over max_load_bytes ({} bytes)",
                self.limit
            )));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }
}

impl App {
    /// How long a load may go without sending a chunk.
    pub fn load_idle(&self) -> Duration {
        Duration::from_secs(self.config.limits.stream_idle_seconds)
    }

    /// Accepts a load's header from `who`: the partner it loads for (a
    /// partner token's own; refused when the header names another), that
    /// partner's rating words from the configuration.
    pub fn begin_load(&self, who: &Principal, mut request: LoadRequest) -> Result<Upload> {
        let named = request.defaults.partner.trim().to_string();
        if let Some(partner) = who.bound_partner() {
            if !named.is_empty() && named != partner {
                return Err(Error::PermissionDenied(format!(
                    "this token loads claims for {partner:?} only, not {named:?}"
                )));
            }
            request.defaults.partner = partner.to_string();
        } else {
            request.defaults.partner = named;
        }
        if request.defaults.partner.is_empty() {
            return Err(Error::invalid(
                "the load names no partner: name one (`--partner`), or load with the partner's own token",
            ));
        }
        crate::claims::normalize::validate_partner(&request.defaults.partner)
            .map_err(Error::invalid)?;
        request.defaults.rating_overrides =
            self.config.rating_overrides(&request.defaults.partner)?;
        Ok(Upload {
            request,
            who: who.clone(),
            bytes: Vec::new(),
            limit: self.config.limits.max_load_bytes,
        })
    }

    /// Loads the file of `upload`. Records are judged one by one; the
    /// index reflects the load when this returns. With `replace`, the
    /// partner's claims the file no longer holds are retracted.
    pub async fn finish_load(self: &Arc<Self>, upload: Upload) -> Result<LoadReport> {
        let Upload {
            request,
            who,
            bytes,
            ..
        } = upload;
        let partner = request.defaults.partner.clone();
        let (report, retopics) = self
            .blocking(move |app| app.load_blocking(&bytes, &request))
            .await?;
        // Hits already logged for a claim follow its new topic, so a
        // report grouped by topic counts them where the partner put them.
        self.hits.retopic(retopics).await?;
        let detail = format!(
            "partner={partner} inserted={} updated={} unchanged={} retracted={} rejected={}",
            report.inserted, report.updated, report.unchanged, report.retracted, report.rejected
        );
        self.audit(&who, "claims.load", detail).await;
        Ok(report)
    }

    /// Returns the load's report and the claims whose topic changed, with
    /// their new topic.
    fn load_blocking(
        &self,
        bytes: &[u8],
        request: &LoadRequest,
    ) -> Result<(LoadReport, Vec<(String, String)>)> {
        let (defaults, options) = (&request.defaults, request.options);
        let mut report = LoadReport::default();
        // With `replace`, the ids the file holds, refused records'
        // included: a replace keeps the claim of a record broken this time.
        let mut keep: HashSet<String> = HashSet::new();
        let mut valid = 0usize;
        let mut retopics = Vec::new();
        crate::claims::import::parse_in_batches(
            bytes,
            request.format,
            defaults,
            LOAD_BATCH,
            self.config.limits.max_claims_per_load,
            |batch| {
                for rejection in batch.rejections {
                    if options.replace {
                        keep.insert(rejection.claim_id.clone());
                    }
                    report.refuse(rejection, options);
                }
                for warning in batch.warnings {
                    report.warn(warning);
                }
                valid += batch.claims.len();
                for parsed in &batch.claims {
                    if let Some(warning) = unknown_rating(parsed, &defaults.partner) {
                        report.warn(warning);
                    }
                }
                for chunk in batch.claims.chunks(LOAD_BATCH) {
                    let write = WriteOptions {
                        replace_metadata: options.replace_metadata,
                        dry_run: options.dry_run,
                    };
                    let outcomes = self.claims.write_batch_with(chunk, write)?;
                    for (parsed, written) in chunk.iter().zip(outcomes) {
                        if options.replace {
                            keep.insert(parsed.claim.id.clone());
                        }
                        let (status, changed) = match written {
                            Ok(written) => (record_status(written.status), written.changed),
                            Err(reason) => {
                                report.refuse(rejection(parsed, reason), options);
                                continue;
                            }
                        };
                        if !options.dry_run && changed.iter().any(|c| c == "topic") {
                            retopics.push((parsed.claim.id.clone(), parsed.claim.topic.clone()));
                        }
                        let taken = RecordOutcome {
                            line: parsed.line,
                            position: parsed.position.clone(),
                            claim_id: parsed.claim.id.clone(),
                            status,
                            reason: String::new(),
                            changed,
                        };
                        report.took(taken, options);
                    }
                }
                Ok(())
            },
        )?;
        if options.replace {
            // Nothing was written: a file with no valid record has none.
            if valid == 0 {
                return Err(Error::invalid(
                    "refusing to replace the partner's claims with a file that holds no valid record",
                ));
            }
            let retracted = if options.dry_run {
                self.active_ids_but(&defaults.partner, &keep)?
            } else {
                self.claims.retract_all_but(&defaults.partner, &keep)?
            };
            for id in retracted {
                let retracted = RecordOutcome {
                    line: 0,
                    position: "not in the file".into(),
                    claim_id: id,
                    status: RecordStatus::Retracted,
                    reason: String::new(),
                    changed: vec!["status".into()],
                };
                report.took(retracted, options);
            }
        }
        report.rejections.sort_by_key(|r| r.line);
        report
            .records
            .sort_by_key(|r| if r.line == 0 { u64::MAX } else { r.line });
        if !options.dry_run {
            self.index.catch_up(&self.claims)?;
            self.wake_embedder();
        }
        report.sequence = self.index.applied_sequence();
        tracing::info!(
            partner = %defaults.partner,
            inserted = report.inserted,
            updated = report.updated,
            unchanged = report.unchanged,
            retracted = report.retracted,
            rejected = report.rejected,
            "claims loaded"
        );
        Ok((report, retopics))
    }
}

impl App {
    /// Returns the ids of `partner`'s active claims not in `keep`: what a
    /// replacing load would retract.
    fn active_ids_but(&self, partner: &str, keep: &HashSet<String>) -> Result<Vec<String>> {
        const PAGE: usize = 10_000;
        let filter = crate::claims::ClaimFilter {
            partner: Some(partner.to_string()),
            ..Default::default()
        };
        let (mut ids, mut after) = (Vec::new(), String::new());
        loop {
            let page = self.claims.list(&filter, &after, PAGE)?;
            let done = page.len() < PAGE;
            if let Some(last) = page.last() {
                after.clone_from(&last.id);
            }
            ids.extend(
                page.into_iter()
                    .map(|c| c.id)
                    .filter(|id| !keep.contains(id)),
            );
            if done {
                return Ok(ids);
            }
        }
    }
}

/// Returns a warning for a record whose rating wording maps to no verdict
/// (its verdict is `other`: reports count it apart from false claims).
fn unknown_rating(parsed: &ParsedClaim, partner: &str) -> Option<Warning> {
    let claim = &parsed.claim;
    let wording = claim.rating_text.trim();
    if claim.verdict != Verdict::Other || wording.is_empty() {
        return None;
    }
    Some(Warning {
        line: parsed.line,
        position: parsed.position.clone(),
        claim_id: claim.id.clone(),
        field: "rating".into(),
        message: format!(
            "rating {wording:?} is not a wording this service knows, so the verdict is `other`; map it under [ratings.{partner}] in the server's config"
        ),
    })
}

fn record_status(status: WriteStatus) -> RecordStatus {
    match status {
        WriteStatus::Inserted => RecordStatus::Inserted,
        WriteStatus::Updated => RecordStatus::Updated,
        WriteStatus::Unchanged => RecordStatus::Unchanged,
    }
}

fn rejection(parsed: &ParsedClaim, reason: String) -> Rejection {
    Rejection {
        line: parsed.line,
        position: parsed.position.clone(),
        claim_id: parsed.claim.id.clone(),
        reason,
    }
}
