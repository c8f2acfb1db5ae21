//! The evaluation layout: `claims.jsonl`, `queries.<split>.jsonl`,
//! `qrels.<split>.tsv`, and debate `transcripts/<doc>.tsv`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::captions::{self, Segment, Window};
use crate::claims::jsonl;
use crate::claims::normalize::scoped_id;
use crate::claims::{ClaimStore, LoadDefaults};
use crate::error::{Error, Result};
use crate::index::ClaimIndex;

/// Milliseconds given to each transcript line, so a line maps to a time span.
pub const LINE_MS: u64 = 10_000;

/// One query.
#[derive(Debug, Clone, Deserialize)]
pub struct Query {
    /// Query id (`<doc>_<line>` for debate sentences).
    pub id: String,
    /// The text.
    pub text: String,
    /// Its language.
    #[serde(default)]
    pub lang: String,
    /// When it was said or posted, if the record says (a date or RFC 3339).
    #[serde(default)]
    pub observed_at: Option<String>,
}

impl Query {
    /// When the query was said or posted, as a caller would state it:
    /// the record's `observed_at`; else the date that starts a debate
    /// id (`20160926_first_presidential_debate_0042`); else the date
    /// that ends an embedded post ("... — Name (@handle) May 5, 2020").
    pub fn observed_ms(&self) -> Option<i64> {
        let at = match &self.observed_at {
            Some(text) => crate::text::parse_date(text),
            None => id_date(&self.id).or_else(|| embed_date(&self.text)),
        };
        at.map(|at| at.timestamp_millis())
    }
}

/// The `YYYYMMDD_` date a debate or speech id starts with.
fn id_date(id: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let (day, _) = id.split_once('_')?;
    if day.len() != 8 {
        return None;
    }
    let date = chrono::NaiveDate::parse_from_str(day, "%Y%m%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// The date at the end of a post quoted the way embeds print it:
/// `— Author (@handle) Month D, YYYY`.
fn embed_date(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let (_, signature) = text.trim_end().rsplit_once('—')?;
    let (_, date) = signature.rsplit_once(')')?;
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%B %d, %Y").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|err| Error::invalid(format!("cannot read {}: {err}", path.display())))
}

/// Reads a queries file.
pub fn read_queries(path: &Path) -> Result<Vec<Query>> {
    read(path)?
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let refuse = |reason: String| {
                Error::invalid(format!("{} line {}: {reason}", path.display(), i + 1))
            };
            let query: Query = serde_json::from_str(line).map_err(|err| refuse(err.to_string()))?;
            if let Some(text) = &query.observed_at
                && crate::text::parse_date(text).is_none()
            {
                return Err(refuse(format!(
                    "observed_at {text:?} is not a date (RFC 3339 or YYYY-MM-DD)"
                )));
            }
            Ok(query)
        })
        .collect()
}

/// The partner that owns the claims of an evaluation set: their stored ids
/// are `eval:<id in the set>`.
pub const EVAL_PARTNER: &str = "eval";

/// Reads a qrels file: query id -> relevant claim ids, as stored (in the
/// namespace of [`EVAL_PARTNER`]).
pub fn read_qrels(path: &Path) -> Result<HashMap<String, HashSet<String>>> {
    let mut qrels: HashMap<String, HashSet<String>> = HashMap::new();
    for (i, line) in read(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (query, claim) = line.split_once('\t').ok_or_else(|| {
            Error::invalid(format!(
                "{} line {}: expected query<TAB>claim",
                path.display(),
                i + 1
            ))
        })?;
        qrels
            .entry(query.trim().to_string())
            .or_default()
            .insert(scoped_id(EVAL_PARTNER, claim.trim()));
    }
    Ok(qrels)
}

/// Loads a claims file into an in-memory store and index.
pub fn build_index(claims: &Path) -> Result<(ClaimStore, ClaimIndex)> {
    let bytes = std::fs::read(claims)
        .map_err(|err| Error::invalid(format!("cannot read {}: {err}", claims.display())))?;
    let store = ClaimStore::open_in_memory()?;
    let parsed = jsonl::parse(
        &bytes,
        &LoadDefaults {
            partner: EVAL_PARTNER.into(),
            ..LoadDefaults::default()
        },
    );
    if let Some(first) = parsed.rejections.first() {
        tracing::warn!(rejected = parsed.rejections.len(), first = %first.reason, "some claims refused");
    }
    store.write_batch(&parsed.claims)?;
    let index = ClaimIndex::in_memory(&store)?;
    Ok((store, index))
}

/// A transcript, split into windows exactly as the server would split it.
pub struct Transcript {
    windows: Vec<Window>,
}

impl Transcript {
    /// Returns every window of the transcript, in order: what the server
    /// matches when the whole transcript is sent.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// Returns whether a span (ms) covers any part of line `line`.
    pub fn span_covers(start_ms: u64, end_ms: u64, line: u64) -> bool {
        let (start, end) = (line * LINE_MS, line * LINE_MS + LINE_MS - 1);
        start_ms <= end && end_ms >= start
    }

    /// Returns the windows that overlap line `line`.
    pub fn windows_covering(&self, line: u64) -> Vec<Window> {
        self.windows
            .iter()
            .filter(|w| Transcript::span_covers(w.start_ms, w.end_ms, line))
            .cloned()
            .collect()
    }

    /// Returns the windows that share a sentence with a window covering
    /// line `line`: the stretch of the transcript in which the server
    /// chooses, for each claim, the window that says it best.
    pub fn windows_around(&self, line: u64) -> Vec<Window> {
        let covering = self
            .windows
            .iter()
            .filter(|w| Transcript::span_covers(w.start_ms, w.end_ms, line));
        let (first, last) = covering.fold((usize::MAX, 0), |(first, last), w| {
            (first.min(w.first), last.max(w.last))
        });
        self.windows
            .iter()
            .filter(|w| w.first <= last && w.last >= first)
            .cloned()
            .collect()
    }
}

/// Debate transcripts of a directory, read on first use.
pub struct Transcripts {
    dir: PathBuf,
    /// Whether segments carry the transcript's speakers.
    named: bool,
    cache: HashMap<String, Option<Arc<Transcript>>>,
}

impl Transcripts {
    /// Returns transcripts read from `dir`, with their speakers.
    pub fn new(dir: &Path) -> Self {
        Transcripts {
            dir: dir.to_path_buf(),
            named: true,
            cache: HashMap::new(),
        }
    }

    /// Returns transcripts read from `dir`, with their speakers when
    /// `named`, else as captions that do not say who speaks (SRT) would
    /// carry them.
    pub fn at(dir: &Path, named: bool) -> Self {
        Transcripts {
            named,
            ..Transcripts::new(dir)
        }
    }

    /// Returns the transcript and line of a `<doc>_<line>` query id, when
    /// that transcript exists.
    pub fn locate(&mut self, query_id: &str) -> Result<Option<(Arc<Transcript>, u64)>> {
        let Some((doc, line)) = query_id.rsplit_once('_') else {
            return Ok(None);
        };
        let Ok(line) = line.parse::<u64>() else {
            return Ok(None);
        };
        if !self.cache.contains_key(doc) {
            let path = self.dir.join(format!("{doc}.tsv"));
            let transcript = if path.exists() {
                Some(Arc::new(read_transcript(&path, self.named)?))
            } else {
                None
            };
            self.cache.insert(doc.to_string(), transcript);
        }
        Ok(self.cache.get(doc).cloned().flatten().map(|t| (t, line)))
    }
}

/// Reads `line<TAB>speaker<TAB>sentence` into timed segments, one per
/// line, naming the speaker when `named`.
fn read_transcript(path: &Path, named: bool) -> Result<Transcript> {
    let mut segments = Vec::new();
    for row in read(path)?.lines() {
        let mut fields = row.splitn(3, '\t');
        let (Some(line), Some(speaker), Some(text)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Ok(line) = line.trim().parse::<u64>() else {
            continue;
        };
        segments.push(Segment {
            start_ms: line * LINE_MS,
            end_ms: line * LINE_MS + LINE_MS - 1,
            text: text.to_string(),
            speaker: named.then(|| speaker.to_string()),
        });
    }
    let sentences = captions::sentences(&segments);
    Ok(Transcript {
        windows: captions::windows(&sentences),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(id: &str, text: &str, observed_at: Option<&str>) -> Query {
        Query {
            id: id.into(),
            text: text.into(),
            lang: "en".into(),
            observed_at: observed_at.map(String::from),
        }
    }

    fn day(text: &str) -> Option<i64> {
        crate::text::parse_date(text).map(|at| at.timestamp_millis())
    }

    #[test]
    fn queries_are_dated_as_a_caller_would_date_them() {
        let post =
            "Ballots were burned in Ohio https://t.co/x — Some One (@someone) February 25, 2016";
        assert_eq!(
            query("tweet-1", post, None).observed_ms(),
            day("2016-02-25")
        );
        assert_eq!(
            query("20160926_first_debate_0042", "We will win.", None).observed_ms(),
            day("2016-09-26")
        );
        // A stated date wins over the id's.
        assert_eq!(
            query("20160926_first_debate_0042", "x", Some("2017-01-02")).observed_ms(),
            day("2017-01-02")
        );
        assert_eq!(
            query("tweet-2", "No date — just a dash", None).observed_ms(),
            None
        );
        assert_eq!(
            query("2016_x_1", "Short id prefix", None).observed_ms(),
            None
        );
    }

    #[test]
    fn a_query_with_an_unreadable_date_is_refused_by_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("queries.jsonl");
        let lines = concat!(
            r#"{"id": "a", "text": "fine"}"#,
            "\n",
            r#"{"id": "b", "text": "x", "observed_at": "last Tuesday"}"#,
            "\n",
        );
        std::fs::write(&path, lines).expect("written");
        let err = read_queries(&path).expect_err("refused").to_string();
        assert!(
            err.contains("line 2") && err.contains("last Tuesday"),
            "{err}"
        );
    }
}
