//! Reviewers' decisions on hits, and the hit log read back: pages for a
//! reviewer's queue, a flat-memory export for a platform's pipeline.
//!
//! Limits: filters of at most [`MAX_FILTER_VALUES`] values per list, pages
//! of at most 1,000 hits (100 unless asked), exports read 500 hits at a
//! time only as fast as the client takes them. Policy: a review is signed
//! with the caller's token name unless it names a reviewer. Audit:
//! `hits.review`.

use std::sync::Arc;

use futures::Stream;
use tokio::sync::mpsc;

use super::{App, page_size};
use crate::auth::Principal;
use crate::error::{Error, Result};
use std::collections::HashMap;

use crate::hits::{Action, Hit, HitFilter, Outcome, Review, ReviewInput};

const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;
/// Hits read from the store per step of an export.
const EXPORT_BATCH: usize = 500;
/// Most values one list of a hit filter may hold.
pub const MAX_FILTER_VALUES: usize = 100;

/// A hit as a reviewer sees it: with the claim's text and fact-check,
/// and (from `get_hit`) every review it had.
#[derive(Debug, Clone)]
pub struct HitView {
    /// The hit, with its latest review.
    pub hit: Hit,
    /// The claim as the partner wrote it (empty if the claim is gone).
    pub claim_text: String,
    /// The fact-check's URL.
    pub review_url: String,
    /// Every review, oldest first (only from `get_hit`).
    pub history: Vec<Review>,
}

/// A page of hits.
#[derive(Debug, Clone)]
pub struct HitPage {
    /// In id order.
    pub hits: Vec<HitView>,
    /// The id the next page starts after, when there may be one. Ids only
    /// grow, so a page ending at id N stays valid while new hits arrive.
    pub next_after: Option<u64>,
}

/// Refuses a filter with a list over [`MAX_FILTER_VALUES`], naming it,
/// and a period that ends before it starts (it would select nothing,
/// silently).
pub(super) fn check_filter(filter: &HitFilter) -> Result<()> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(Error::invalid(format!(
            "the period ends ({}) before it starts ({}): swap `from` and `to`",
            to.to_rfc3339(),
            from.to_rfc3339()
        )));
    }
    let lists = [
        ("markets", filter.markets.len()),
        ("partners", filter.partners.len()),
        ("verdicts", filter.verdicts.len()),
        ("levels", filter.levels.len()),
        ("elections", filter.elections.len()),
        ("languages", filter.languages.len()),
        ("sources", filter.sources.len()),
        ("outcomes", filter.outcomes.len()),
        ("video_ids", filter.video_ids.len()),
    ];
    match lists.iter().find(|(_, n)| *n > MAX_FILTER_VALUES) {
        Some((name, count)) => Err(Error::invalid(format!(
            "`filter.{name}` has {count} values, over the limit of {MAX_FILTER_VALUES}"
        ))),
        None => Ok(()),
    }
}

/// Refuses a review that contradicts itself: a rejected hit is a false
/// match, and no action is taken on its video for it.
fn check_review(review: &ReviewInput) -> Result<()> {
    if review.outcome == Outcome::Rejected && review.action != Action::None {
        return Err(Error::invalid(format!(
            "a rejected hit is a false match: no action is taken on its video (got `{}`); record the action with a confirmation",
            review.action.as_str()
        )));
    }
    Ok(())
}

impl App {
    /// Records `who`'s review and returns the hit with it.
    pub async fn review_hit(
        self: &Arc<Self>,
        who: &Principal,
        mut review: ReviewInput,
    ) -> Result<HitView> {
        check_review(&review)?;
        if review.reviewer.trim().is_empty() {
            review.reviewer.clone_from(&who.name);
        }
        let hit_id = review.hit_id;
        self.hits.review(review).await?;
        let view = self
            .blocking(move |app| app.hit_view(hit_id, false))
            .await?;
        let outcome = view.hit.review.as_ref().map_or("", |r| r.outcome.as_str());
        let detail = format!("hit={} outcome={outcome}", view.hit.id);
        self.audit(who, "hits.review", detail).await;
        Ok(view)
    }

    /// Returns one hit with its claim and every review it had.
    pub async fn get_hit(self: &Arc<Self>, hit_id: u64) -> Result<HitView> {
        self.blocking(move |app| app.hit_view(hit_id, true)).await
    }

    fn hit_view(&self, hit_id: u64, history: bool) -> Result<HitView> {
        let hit = self
            .hits
            .get(hit_id)?
            .ok_or_else(|| Error::not_found(format!("hit {hit_id}")))?;
        let mut views = self.views(vec![hit])?;
        let mut view = views
            .pop()
            .ok_or_else(|| Error::Internal("no view".into()))?;
        if history {
            view.history = self.hits.review_history(hit_id)?;
        }
        Ok(view)
    }

    /// Returns the hits with their claims' text and fact-check (each
    /// claim read once).
    fn views(&self, hits: Vec<Hit>) -> Result<Vec<HitView>> {
        let mut claims: HashMap<String, (String, String)> = HashMap::new();
        hits.into_iter()
            .map(|hit| {
                let id = hit.hit.claim_id.clone();
                let (claim_text, review_url) = match claims.get(&id) {
                    Some(known) => known.clone(),
                    None => {
                        let found = self
                            .claims
                            .get(&id)?
                            .map(|c| (c.text, c.review_url))
                            .unwrap_or_default();
                        claims.insert(id, found.clone());
                        found
                    }
                };
                Ok(HitView {
                    hit,
                    claim_text,
                    review_url,
                    history: Vec::new(),
                })
            })
            .collect()
    }

    /// Returns a page of hits passing `filter` after `after_id`.
    pub async fn list_hits(
        self: &Arc<Self>,
        filter: HitFilter,
        after_id: u64,
        page: usize,
    ) -> Result<HitPage> {
        check_filter(&filter)?;
        let limit = page_size(page, DEFAULT_PAGE, MAX_PAGE);
        let hits = self
            .blocking(move |app| app.views(app.hits.list(&filter, after_id, limit)?))
            .await?;
        let next_after = match hits.last() {
            Some(last) if hits.len() == limit => Some(last.hit.id),
            _ => None,
        };
        Ok(HitPage { hits, next_after })
    }

    /// Returns every hit passing `filter`, in id order, read from the
    /// store a batch at a time as the receiver takes them (a small
    /// channel: memory stays flat however many there are).
    pub fn export_hits(
        self: &Arc<Self>,
        filter: HitFilter,
    ) -> Result<impl Stream<Item = Result<HitView>> + Send + 'static> {
        check_filter(&filter)?;
        let app = self.clone();
        let (hits_tx, hits_rx) = mpsc::channel(EXPORT_BATCH);
        tokio::spawn(async move {
            let mut after_id = 0;
            loop {
                let batch = {
                    let filter = filter.clone();
                    app.blocking(move |app| {
                        app.views(app.hits.list(&filter, after_id, EXPORT_BATCH)?)
                    })
                    .await
                };
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(err) => {
                        let _ = hits_tx.send(Err(err)).await;
                        return;
                    }
                };
                let done = batch.len() < EXPORT_BATCH;
                for hit in batch {
                    after_id = hit.hit.id;
                    if hits_tx.send(Ok(hit)).await.is_err() {
                        return;
                    }
                }
                if done {
                    return;
                }
            }
        });
        Ok(tokio_stream::wrappers::ReceiverStream::new(hits_rx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_false_match_is_not_marked_as_taken_down() {
        let review = |outcome, action| ReviewInput {
            hit_id: 1,
            outcome,
            action,
            reviewer: "ana".into(),
            note: String::new(),
            view_count: None,
        };
        let err = check_review(&review(Outcome::Rejected, Action::Removed)).unwrap_err();
        assert!(err.to_string().contains("false match"), "{err}");
        assert!(check_review(&review(Outcome::Rejected, Action::None)).is_ok());
        assert!(check_review(&review(Outcome::Confirmed, Action::Removed)).is_ok());
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused_not_empty() {
        let day = |d: &str| crate::text::parse_date(d);
        let backwards = HitFilter {
            from: day("2022-11-01"),
            to: day("2022-08-01"),
            ..HitFilter::default()
        };
        let err = check_filter(&backwards).unwrap_err();
        assert!(err.to_string().contains("swap"), "{err}");
        let forwards = HitFilter {
            from: day("2022-08-01"),
            to: day("2022-11-01"),
            ..HitFilter::default()
        };
        assert!(check_filter(&forwards).is_ok());
    }
}
