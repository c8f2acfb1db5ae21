//! One claim at a time: written, retracted, read, listed, searched.
//!
//! Policy: a partner token writes, retracts and lists its own partner's
//! claims only. Limits: pages of at most 1,000 claims (100 unless asked),
//! searches of at most 100 results (10 unless asked). Audit:
//! `claims.upsert`, `claims.retract`.

use std::sync::Arc;

use super::{App, page_size};
use crate::auth::Principal;
use crate::claims::load::{LoadDefaults, ParsedClaim, WriteStatus};
use crate::claims::normalize::{normalize, scoped_id};
use crate::claims::{Claim, ClaimFilter};
use crate::error::{Error, Result};
use crate::matcher::{Content, ContentSource, ScoreInput};

const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;
const MAX_SEARCH: usize = 100;
const DEFAULT_SEARCH: usize = 10;

/// A page of claims asked for.
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    /// Which claims (a partner token's own partner replaces `partner`).
    pub filter: ClaimFilter,
    /// The page starts after this claim id ("" for the first).
    pub after_id: String,
    /// Claims per page (0 for the default).
    pub page_size: usize,
}

/// A page of claims.
#[derive(Debug, Clone)]
pub struct ClaimPage {
    /// In id order.
    pub claims: Vec<Claim>,
    /// The id the next page starts after, when there may be one.
    pub next_after: Option<String>,
}

/// A free-text search over the active claims.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The text.
    pub text: String,
    /// Market code, or empty for any.
    pub market: String,
    /// Language of the text, or empty to detect.
    pub language: String,
    /// Results wanted (0 for the default).
    pub limit: usize,
    /// When the caller stops waiting.
    pub deadline: Option<std::time::Instant>,
}

impl App {
    /// Inserts or replaces one claim for `who` (a partner token writes its
    /// own partner's claims).
    pub async fn upsert_claim(
        self: &Arc<Self>,
        who: &Principal,
        mut claim: Claim,
    ) -> Result<(Claim, WriteStatus)> {
        if let Some(partner) = who.bound_partner() {
            if !claim.partner.trim().is_empty() && claim.partner.trim() != partner {
                return Err(Error::PermissionDenied(format!(
                    "this token writes claims for {partner:?} only"
                )));
            }
            claim.partner = partner.to_string();
        }
        if claim.partner.trim().is_empty() {
            return Err(Error::invalid("`claim.partner` is missing"));
        }
        let defaults = LoadDefaults {
            partner: claim.partner.trim().to_string(),
            ..LoadDefaults::default()
        };
        let claim = normalize(claim, &defaults).map_err(Error::invalid)?;
        let (stored, status) = self.blocking(move |app| app.write_one(claim)).await?;
        if status == WriteStatus::Updated {
            // The topic may have changed: the claim's hits follow it.
            self.hits
                .retopic(vec![(stored.id.clone(), stored.topic.clone())])
                .await?;
        }
        let detail = format!("id={} status={status:?}", stored.id);
        self.audit(who, "claims.upsert", detail).await;
        Ok((stored, status))
    }

    fn write_one(&self, claim: Claim) -> Result<(Claim, WriteStatus)> {
        let id = claim.id.clone();
        let parsed = ParsedClaim {
            position: String::new(),
            line: 0,
            raw: serde_json::to_string(&claim).unwrap_or_default(),
            claim,
        };
        let outcome = self
            .claims
            .write_batch(std::slice::from_ref(&parsed))?
            .pop();
        let status = match outcome {
            Some(Ok(written)) => written.status,
            Some(Err(reason)) => return Err(Error::PermissionDenied(reason)),
            None => return Err(Error::Internal("store returned no outcome".into())),
        };
        self.index.catch_up(&self.claims)?;
        self.wake_embedder();
        let stored = self
            .claims
            .get(&id)?
            .ok_or_else(|| Error::Internal(format!("claim {id:?} missing after upsert")))?;
        Ok((stored, status))
    }

    /// Retracts a claim for `who` (a partner token only its own partner's);
    /// matching stops finding it before this returns. Returns the claim
    /// and whether it changed.
    pub async fn retract_claim(
        self: &Arc<Self>,
        who: &Principal,
        id: String,
    ) -> Result<(Claim, bool)> {
        if id.trim().is_empty() {
            return Err(Error::invalid("`id` is missing"));
        }
        let partner = who.bound_partner().map(str::to_string);
        let (claim, changed) = self
            .blocking(move |app| {
                // A partner names its claims by its own ids or by their
                // stored ids; another partner's claim is refused as such.
                let scoped = partner
                    .as_deref()
                    .map(|partner| scoped_id(partner, &id))
                    .filter(|scoped| *scoped != id);
                let result = match scoped {
                    Some(scoped) => match app.claims.retract(&scoped, partner.as_deref()) {
                        Err(Error::NotFound(_)) => app.claims.retract(&id, partner.as_deref()),
                        other => other,
                    },
                    None => app.claims.retract(&id, partner.as_deref()),
                }?;
                app.index.catch_up(&app.claims)?;
                app.wake_embedder();
                tracing::info!(claim = %id, changed = result.1, "claim retracted");
                Ok(result)
            })
            .await?;
        let detail = format!("id={} changed={changed}", claim.id);
        self.audit(who, "claims.retract", detail).await;
        Ok((claim, changed))
    }

    /// Returns a claim, retracted or not.
    pub async fn get_claim(self: &Arc<Self>, id: String) -> Result<Claim> {
        self.blocking(move |app| {
            app.claims
                .get(&id)?
                .ok_or_else(|| Error::not_found(format!("claim {id:?}")))
        })
        .await
    }

    /// Returns a page of claims for `who` (a partner token lists its own).
    pub async fn list_claims(
        self: &Arc<Self>,
        who: &Principal,
        mut query: ClaimQuery,
    ) -> Result<ClaimPage> {
        if let Some(partner) = who.bound_partner() {
            query.filter.partner = Some(partner.to_string());
        }
        let limit = page_size(query.page_size, DEFAULT_PAGE, MAX_PAGE);
        let claims = self
            .blocking(move |app| app.claims.list(&query.filter, &query.after_id, limit))
            .await?;
        let next_after = match claims.last() {
            Some(last) if claims.len() == limit => Some(last.id.clone()),
            _ => None,
        };
        Ok(ClaimPage { claims, next_after })
    }

    /// Ranks active claims for a free-text query, by retrieval score.
    pub async fn search_claims(self: &Arc<Self>, query: SearchQuery) -> Result<Vec<(Claim, f32)>> {
        if query.text.trim().is_empty() {
            return Err(Error::invalid("`query` is empty"));
        }
        let limit = page_size(query.limit, DEFAULT_SEARCH, MAX_SEARCH);
        let input = ScoreInput {
            request_id: String::new(),
            video_id: String::new(),
            market: query.market,
            language: query.language,
            observed_at: chrono::Utc::now(),
            observed_stated: false,
            view_count: 0,
            source: ContentSource::Unspecified,
            content: Content::Text(query.text),
            min_confidence: Some(0.0),
            max_matches: limit,
            dry_run: true,
            deadline: query.deadline,
        };
        self.blocking(move |app| {
            let mut ranked = app.matcher.rank(&app.index, &input)?.matches;
            ranked.sort_by(|a, b| b.bm25.total_cmp(&a.bm25));
            let mut results = Vec::new();
            for found in ranked.into_iter().take(limit) {
                if let Some(claim) = app.claims.get(&found.claim.id)? {
                    results.push((claim, found.bm25));
                }
            }
            Ok(results)
        })
        .await
    }
}
