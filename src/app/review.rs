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
use crate::hits::{Hit, HitFilter, ReviewInput};

const MAX_PAGE: usize = 1000;
const DEFAULT_PAGE: usize = 100;
/// Hits read from the store per step of an export.
const EXPORT_BATCH: usize = 500;
/// Most values one list of a hit filter may hold.
pub const MAX_FILTER_VALUES: usize = 100;

/// A page of hits.
#[derive(Debug, Clone)]
pub struct HitPage {
    /// In id order.
    pub hits: Vec<Hit>,
    /// The id the next page starts after, when there may be one. Ids only
    /// grow, so a page ending at id N stays valid while new hits arrive.
    pub next_after: Option<u64>,
}

/// Refuses a filter with a list over [`MAX_FILTER_VALUES`], naming it.
pub(super) fn check_filter(filter: &HitFilter) -> Result<()> {
    let lists = [
        ("markets", filter.markets.len()),
        ("partners", filter.partners.len()),
        ("verdicts", filter.verdicts.len()),
        ("levels", filter.levels.len()),
        ("elections", filter.elections.len()),
        ("languages", filter.languages.len()),
        ("sources", filter.sources.len()),
        ("outcomes", filter.outcomes.len()),
    ];
    match lists.iter().find(|(_, n)| *n > MAX_FILTER_VALUES) {
        Some((name, count)) => Err(Error::invalid(format!(
            "`filter.{name}` has {count} values, over the limit of {MAX_FILTER_VALUES}"
        ))),
        None => Ok(()),
    }
}

impl App {
    /// Records `who`'s review and returns the hit with it.
    pub async fn review_hit(
        self: &Arc<Self>,
        who: &Principal,
        mut review: ReviewInput,
    ) -> Result<Hit> {
        if review.reviewer.trim().is_empty() {
            review.reviewer.clone_from(&who.name);
        }
        let hit_id = review.hit_id;
        self.hits.review(review).await?;
        let hit = self
            .blocking(move |app| {
                app.hits
                    .get(hit_id)?
                    .ok_or_else(|| Error::not_found(format!("hit {hit_id}")))
            })
            .await?;
        let outcome = hit.review.as_ref().map_or("", |r| r.outcome.as_str());
        let detail = format!("hit={} outcome={outcome}", hit.id);
        self.audit(who, "hits.review", detail).await;
        Ok(hit)
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
            .blocking(move |app| app.hits.list(&filter, after_id, limit))
            .await?;
        let next_after = match hits.last() {
            Some(last) if hits.len() == limit => Some(last.id),
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
    ) -> Result<impl Stream<Item = Result<Hit>> + Send + 'static> {
        check_filter(&filter)?;
        let app = self.clone();
        let (hits_tx, hits_rx) = mpsc::channel(EXPORT_BATCH);
        tokio::spawn(async move {
            let mut after_id = 0;
            loop {
                let batch = {
                    let filter = filter.clone();
                    app.blocking(move |app| app.hits.list(&filter, after_id, EXPORT_BATCH))
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
                    after_id = hit.id;
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
