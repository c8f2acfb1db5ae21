//! `claimsignal.v1.Claims`: claims, loads and searches.

use super::{opt_time, page_position, timestamp, verdict_from_proto, verdict_to_proto};
use crate::app::{ClaimQuery, LoadRequest, SearchQuery};
use crate::claims::load::{LoadDefaults, LoadOptions, LoadReport, RecordStatus, WriteStatus};
use crate::claims::market::{parse_market, parse_markets};
use crate::claims::{Claim, ClaimFilter, ClaimFormat, ClaimStatus, Verdict};
use crate::error::{Error, Result};
use crate::proto::v1 as pb;

/// Returns the proto form of a stored claim.
pub fn claim_to_proto(claim: Claim) -> pb::Claim {
    let topic = crate::claims::topic::or_assigned(&claim.topic, &claim.text);
    pb::Claim {
        id: claim.id,
        partner: claim.partner,
        text: claim.text,
        title: claim.title,
        language: claim.language,
        verdict: verdict_to_proto(claim.verdict) as i32,
        rating_text: claim.rating_text,
        review_url: claim.review_url,
        claimant: claim.claimant,
        claim_date: claim.claim_date.map(timestamp),
        review_date: claim.review_date.map(timestamp),
        markets: claim.markets,
        elections: claim.elections,
        valid_from: claim.valid_from.map(timestamp),
        valid_until: claim.valid_until.map(timestamp),
        keywords: claim.keywords,
        appearances: claim.appearances,
        explanation: claim.explanation,
        status: match claim.status {
            ClaimStatus::Active => pb::ClaimStatus::Active,
            ClaimStatus::Retracted => pb::ClaimStatus::Retracted,
        } as i32,
        sequence: claim.sequence,
        updated_at: claim.updated_at.map(timestamp),
        topic,
    }
}

/// Returns the domain claim of an `UpsertClaim` request (not yet normalised).
pub fn claim_from_proto(claim: pb::Claim) -> Result<Claim> {
    let verdict = match verdict_from_proto(claim.verdict)? {
        Some(verdict) => verdict,
        None => Verdict::from_rating(&claim.rating_text),
    };
    Ok(Claim {
        id: claim.id,
        partner: claim.partner,
        text: claim.text,
        title: claim.title,
        language: claim.language,
        verdict,
        rating_text: claim.rating_text,
        review_url: claim.review_url,
        claimant: claim.claimant,
        claim_date: opt_time(claim.claim_date.as_ref(), "claim_date")?,
        review_date: opt_time(claim.review_date.as_ref(), "review_date")?,
        markets: claim.markets,
        elections: claim.elections,
        valid_from: opt_time(claim.valid_from.as_ref(), "valid_from")?,
        valid_until: opt_time(claim.valid_until.as_ref(), "valid_until")?,
        keywords: claim.keywords,
        appearances: claim.appearances,
        explanation: claim.explanation,
        topic: claim.topic,
        ..Claim::default()
    })
}

/// Returns the load a header asks for (the partner may be empty when the
/// caller's token implies it).
pub fn load_request(header: &pb::LoadHeader) -> Result<LoadRequest> {
    let format = match pb::ClaimFormat::try_from(header.format) {
        Ok(pb::ClaimFormat::Unspecified) => ClaimFormat::Auto,
        Ok(pb::ClaimFormat::Jsonl) => ClaimFormat::Jsonl,
        Ok(pb::ClaimFormat::ClaimReview) => ClaimFormat::JsonLd,
        Ok(pb::ClaimFormat::Html) => ClaimFormat::Html,
        Ok(pb::ClaimFormat::FactCheckTools) => ClaimFormat::FactCheckTools,
        Ok(pb::ClaimFormat::Csv) => ClaimFormat::Csv,
        Err(_) => {
            return Err(Error::invalid(format!(
                "unknown claim format {}",
                header.format
            )));
        }
    };
    let defaults = LoadDefaults {
        partner: header.partner.trim().to_string(),
        language: header.default_language.clone(),
        markets: parse_markets(&header.markets)?,
        elections: header.elections.clone(),
        valid_from: opt_time(header.valid_from.as_ref(), "valid_from")?,
        valid_until: opt_time(header.valid_until.as_ref(), "valid_until")?,
        // Filled in from the server's configuration when the load begins.
        rating_overrides: Default::default(),
    };
    Ok(LoadRequest {
        format,
        defaults,
        options: LoadOptions {
            replace: header.replace,
            every_record: header.every_record,
            replace_metadata: header.replace_metadata,
            dry_run: header.dry_run,
        },
    })
}

/// Returns the answer to a load: its counts, the refusals it listed (see
/// [`crate::claims::load::MAX_LISTED_REJECTIONS`]) and, when the load
/// asked for them, every record's outcome.
pub fn load_report_to_proto(report: LoadReport) -> pb::LoadClaimsResponse {
    let listed = report.rejections.len() as u64;
    pb::LoadClaimsResponse {
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
        rejections_omitted: report.rejected.saturating_sub(listed),
        warned: report.warned,
        warnings: report
            .warnings
            .into_iter()
            .map(|w| pb::RecordWarning {
                line: w.line,
                position: w.position,
                claim_id: w.claim_id,
                field: w.field,
                message: w.message,
            })
            .collect(),
        rejections: report
            .rejections
            .into_iter()
            .map(|r| pb::RecordRejection {
                line: r.line,
                position: r.position,
                claim_id: r.claim_id,
                reason: r.reason,
            })
            .collect(),
        sequence: report.sequence,
        retracted: report.retracted,
        records: report
            .records
            .into_iter()
            .map(|r| pb::RecordReport {
                line: r.line,
                position: r.position,
                claim_id: r.claim_id,
                status: match r.status {
                    RecordStatus::Inserted => pb::RecordStatus::Inserted,
                    RecordStatus::Updated => pb::RecordStatus::Updated,
                    RecordStatus::Unchanged => pb::RecordStatus::Unchanged,
                    RecordStatus::Retracted => pb::RecordStatus::Retracted,
                    RecordStatus::Rejected => pb::RecordStatus::Rejected,
                } as i32,
                reason: r.reason,
                changed: r.changed,
            })
            .collect(),
    }
}

/// Returns the proto status of a write.
pub fn write_status_to_proto(status: WriteStatus) -> pb::RecordStatus {
    match status {
        WriteStatus::Inserted => pb::RecordStatus::Inserted,
        WriteStatus::Updated => pb::RecordStatus::Updated,
        WriteStatus::Unchanged => pb::RecordStatus::Unchanged,
    }
}

/// Returns the position a page token stands for ("" for none).
fn after(kind: &str, token: &str) -> Result<String> {
    match token {
        "" => Ok(String::new()),
        token => page_position(kind, token),
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// Returns the page of claims a list request asks for.
pub fn claim_query(request: pb::ListClaimsRequest) -> Result<ClaimQuery> {
    let market = match non_empty(request.market) {
        Some(code) => Some(parse_market(&code)?),
        None => None,
    };
    Ok(ClaimQuery {
        filter: ClaimFilter {
            partner: non_empty(request.partner),
            market,
            language: non_empty(request.language).map(|l| crate::text::primary_language(&l)),
            include_retracted: request.include_retracted,
        },
        after_id: after("claims", &request.page_token)?,
        page_size: request.page_size as usize,
    })
}

/// Returns the search a request asks for.
pub fn search_query(
    request: pb::SearchClaimsRequest,
    deadline: Option<std::time::Instant>,
) -> Result<SearchQuery> {
    let market = match request.market.trim() {
        "" => String::new(),
        code => parse_market(code)?,
    };
    Ok(SearchQuery {
        text: request.query,
        market,
        language: request.language,
        limit: request.limit as usize,
        deadline,
    })
}
