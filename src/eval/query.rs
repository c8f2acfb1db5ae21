//! One query as the server sees it: its scope and windows, the claims
//! ranked for it, and which decisions are decisions on it. Shared by
//! `eval` (per query and whole transcripts) and `train`, so the model is
//! fitted on what it is measured on.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::data::{Query, Transcript, Transcripts};
use crate::captions::Window;
use crate::error::Result;
use crate::index::ClaimIndex;
use crate::matcher::{ClaimMatch, Content, Level, Matcher, Scope};

/// Matches returned per query by the server by default (every match at
/// or above the minimum confidence, up to the API's limit).
pub(crate) const RETURNED: usize = crate::matcher::MAX_MATCHES;

/// Returns `part / whole`, or 0 when there is nothing to divide by.
pub(crate) fn ratio(part: usize, whole: usize) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// Returns whether a match is of claim `id`: its own or one it lists.
pub(crate) fn lists(found: &ClaimMatch, id: &str) -> bool {
    found.claim.id == id || found.duplicates.iter().any(|d| d.id == id)
}

/// Returns whether a match is relevant: its claim or one of the
/// duplicates it lists (one match, one decision for the platform).
pub(crate) fn is_relevant(found: &ClaimMatch, relevant: &HashSet<String>) -> bool {
    relevant.contains(&found.claim.id) || found.duplicates.iter().any(|d| relevant.contains(&d.id))
}

/// The claims ranked for one query, best first.
#[derive(Debug, Default)]
pub struct Ranked {
    /// The matches, in the order the query's windows rank them, each with
    /// the confidence, decision and span the server gives it.
    pub matches: Vec<ClaimMatch>,
    /// The transcript line of a query matched inside its transcript.
    pub line: Option<u64>,
}

impl Ranked {
    /// Returns whether a match's decision is one on the query: always for
    /// a query sent alone; inside a transcript, when the span the server
    /// gives the match, or another stretch it lists as saying the claim
    /// again, covers the query's line. A claim found through a
    /// window that also covers the next sentence, but said in that
    /// sentence, is the server's decision on that sentence, not on this
    /// one: a platform acts on the span, and the next sentence's query
    /// counts it.
    pub fn decides(&self, found: &ClaimMatch) -> bool {
        self.level_of(found).is_some()
    }

    /// Returns the decision a match makes on the query, if it makes one:
    /// its level for a query sent alone; inside a transcript, the highest
    /// level of its span and the stretches it lists that cover the line.
    pub fn level_of(&self, found: &ClaimMatch) -> Option<Level> {
        match self.line {
            None => Some(found.level),
            Some(line) => level_at(found, line),
        }
    }

    /// Returns the highest decision of the query's matches.
    pub fn decision(&self) -> Level {
        self.matches
            .iter()
            .filter_map(|m| self.level_of(m))
            .max()
            .unwrap_or(Level::None)
    }
}

/// Returns the decision a match makes on transcript line `line`: the
/// highest level of its span and of the other stretches it lists that
/// cover the line, or `None` when none does.
pub(crate) fn level_at(found: &ClaimMatch, line: u64) -> Option<Level> {
    let span = Transcript::span_covers(found.start_ms, found.end_ms, line).then_some(found.level);
    let also = found
        .also_said
        .iter()
        .filter(|said| Transcript::span_covers(said.start_ms, said.end_ms, line))
        .map(|said| said.level);
    span.into_iter().chain(also).max()
}

/// Ranks claims for one query as the server would: inside its transcript
/// when there is one, else as plain text.
///
/// Inside a transcript, the claims found through the windows covering the
/// query's line are ranked by how well those windows match them, and each
/// takes the confidence, the decision and the spans the server gives it
/// when it sees the stretch of transcript around the line (every window
/// sharing a sentence with those): the claim's best window there, fitted
/// to the sentences that say it. Ranking by the server's confidence
/// instead lets a neighbour's words lift claims the line does not repeat
/// (debates MAP@5 0.545 -> 0.519 on dev, 0.623 -> 0.615 on train).
pub fn rank_query(
    matcher: &Matcher,
    index: &ClaimIndex,
    query: &Query,
    transcripts: Option<&mut Transcripts>,
    dating: Dating,
) -> Result<Ranked> {
    let mut scope = query_scope(query, dating);
    let (windows, language, placed) = query_windows(matcher, query, transcripts)?;
    // Judged as the server judges it: a line inside its whole transcript,
    // a post as the short content it is.
    scope.short_video = match &placed {
        Some((transcript, _)) => crate::matcher::is_short_video(transcript.windows()),
        None => crate::matcher::is_short_video(&windows),
    };
    let mut matches = matcher.rank_windows(index, &windows, &language, &scope, 0.0)?;
    let Some((transcript, line)) = placed else {
        return Ok(Ranked {
            matches,
            line: None,
        });
    };
    let around = transcript.windows_around(line);
    let around = matcher.rank_windows(index, &around, &language, &scope, 0.0)?;
    let served: HashMap<&str, &ClaimMatch> = around
        .iter()
        .flat_map(|m| {
            std::iter::once(&m.claim)
                .chain(&m.duplicates)
                .map(move |claim| (claim.id.as_str(), m))
        })
        .collect();
    for found in &mut matches {
        if let Some(served) = served.get(found.claim.id.as_str()) {
            found.level = served.level;
            found.confidence = served.confidence;
            found.start_ms = served.start_ms;
            found.end_ms = served.end_ms;
            found.excerpt.clone_from(&served.excerpt);
            found.also_said.clone_from(&served.also_said);
            found.stance = served.stance;
            found.stance_cues.clone_from(&served.stance_cues);
        }
    }
    Ok(Ranked {
        matches,
        line: Some(line),
    })
}

/// When the queries of an evaluation say they were made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dating {
    /// Match as if no query said when it was made (what a caller that
    /// sends no `observed_at` gets).
    pub undated: bool,
    /// Days added to each query's own date: the same post seen that much
    /// later (or earlier), as a platform rescanning old falsehoods sees it.
    pub offset_days: i64,
}

/// Returns the scope a caller would send a query in: dated when the query
/// says when it was made (shifted by `dating.offset_days`), unless
/// `dating.undated`.
pub fn query_scope(query: &Query, dating: Dating) -> Scope {
    let observed = query
        .observed_ms()
        .filter(|_| !dating.undated)
        .map(|ms| ms.saturating_add(dating.offset_days.saturating_mul(86_400_000)));
    Scope {
        // Set for a transcript's line from its whole transcript.
        short_video: false,
        market: String::new(),
        observed_ms: observed.unwrap_or_else(|| chrono::Utc::now().timestamp_millis()),
        dated: observed.is_some(),
        deadline: None,
    }
}

/// The transcript a query was found in, and its line there.
pub type Placed = (Arc<Transcript>, u64);

/// Returns the windows a query is matched through, their language, and
/// the transcript and line they come from: the windows covering the
/// query's line in its transcript when there is one (language: the
/// query's, else English), else the query text as the server would
/// window it. Shared by `eval` and `train`, so the model is fitted on what
/// it is measured on.
pub fn query_windows(
    matcher: &Matcher,
    query: &Query,
    transcripts: Option<&mut Transcripts>,
) -> Result<(Vec<Window>, String, Option<Placed>)> {
    let language = crate::text::primary_language(&query.lang);
    if let Some(transcripts) = transcripts
        && let Some((transcript, line)) = transcripts.locate(&query.id)?
    {
        let windows = transcript.windows_covering(line);
        if !windows.is_empty() {
            let language = if language.is_empty() {
                "en".to_string()
            } else {
                language
            };
            return Ok((windows, language, Some((transcript, line))));
        }
    }
    let prepared = matcher.prepare(&Content::Text(query.text.clone()), &language, "")?;
    Ok((prepared.windows, prepared.language, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_dated_as_stated_shifted_or_not_at_all() {
        let query = Query {
            id: "20160926_first_debate_0042".into(),
            text: "x".into(),
            lang: "en".into(),
            observed_at: Some("2022-09-03".into()),
        };
        let stated = query_scope(&query, Dating::default());
        assert!(stated.dated);
        let later = query_scope(
            &query,
            Dating {
                undated: false,
                offset_days: 540,
            },
        );
        assert!(later.dated);
        assert_eq!(later.observed_ms - stated.observed_ms, 540 * 86_400_000);
        let undated = query_scope(
            &query,
            Dating {
                undated: true,
                offset_days: 540,
            },
        );
        assert!(!undated.dated, "--undated wins over an offset");
    }
}
