//! Counts for the election-integrity section of a transparency report:
//! hits grouped as asked, the claims repeated most with their text and
//! fact-check. The counting itself is `report::summarize`, over the hit
//! log's `for_each_counted`.
//!
//! Limits: the hit filter's (see `review.rs`), at most 100 top claims (10
//! unless asked).

use std::sync::Arc;

use super::{App, page_size};
use crate::error::Result;
use crate::hits::HitFilter;
use crate::report::{GroupBy, Summary, add_scanned, summarize};

const MAX_TOP_CLAIMS: usize = 100;
const DEFAULT_TOP_CLAIMS: usize = 10;

impl App {
    /// Summarises the hits passing `filter` by `groups`, with the `top`
    /// claims repeated most (0 for the default) and their text.
    pub async fn summarize(
        self: &Arc<Self>,
        filter: HitFilter,
        groups: Vec<GroupBy>,
        top: usize,
    ) -> Result<Summary> {
        super::review::check_filter(&filter)?;
        let top = page_size(top, DEFAULT_TOP_CLAIMS, MAX_TOP_CLAIMS);
        self.blocking(move |app| {
            let mut summary = summarize(&app.hits, &filter, &groups, top)?;
            add_scanned(&mut summary, &groups, &app.hits.scan_counts(&filter)?);
            summary.review_threshold = app.config.matching.review_threshold;
            summary.auto_threshold = app.config.matching.auto_threshold;
            for top_claim in &mut summary.top_claims {
                if let Some(claim) = app.claims.get(&top_claim.claim_id)? {
                    top_claim.text = claim.text;
                    top_claim.review_url = claim.review_url;
                }
            }
            Ok(summary)
        })
        .await
    }
}
