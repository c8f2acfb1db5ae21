//! JSON Lines importer: one claim object per line, in the service's own
//! claim schema or the evaluation sets' `claims.jsonl` shape.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::load::{
    Dropped, LoadDefaults, MAX_RECORD_BYTES, ParsedClaim, ParsedFile, Record, Rejection, warnings,
};
use super::model::Claim;
use super::normalize::normalize;
use super::verdict::Verdict;
use crate::text::parse_date;

/// Parses a JSON Lines file. Every line is judged on its own: a bad line is
/// refused with its number and reason, and the others still load. Blank
/// lines are skipped.
pub fn parse(bytes: &[u8], defaults: &LoadDefaults) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    parse_each(bytes, defaults, |record| {
        parsed.push(record);
        true
    });
    parsed
}

/// Returns the number of records (non-blank lines) of a JSON Lines file.
pub fn count_records(bytes: &[u8]) -> usize {
    body(bytes)
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .count()
}

fn body(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Reads a JSON Lines file a record at a time, in file order, handing
/// each to `visit` until it returns false: a load holds one batch of
/// records at a time, however large the file.
pub fn parse_each(bytes: &[u8], defaults: &LoadDefaults, mut visit: impl FnMut(Record) -> bool) {
    for (index, raw_line) in body(bytes).split(|b| *b == b'\n').enumerate() {
        let line_no = index as u64 + 1;
        let raw_line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if !visit(read_line(line_no, raw_line, defaults)) {
            return;
        }
    }
}

fn read_line(line_no: u64, raw_line: &[u8], defaults: &LoadDefaults) -> Record {
    let reject = |claim_id: String, reason: String| {
        Record::Refused(Rejection {
            line: line_no,
            position: format!("line {line_no}"),
            claim_id,
            reason,
        })
    };
    if raw_line.len() > MAX_RECORD_BYTES {
        let reason = format!(
            "record is {} bytes, over the limit of {MAX_RECORD_BYTES}",
            raw_line.len()
        );
        return reject(String::new(), reason);
    }
    let line = match std::str::from_utf8(raw_line) {
        Ok(line) => line,
        Err(err) => {
            let reason = format!(
                "line is not valid UTF-8 (bad byte at column {}); re-save the file as UTF-8",
                err.valid_up_to() + 1
            );
            return reject(String::new(), reason);
        }
    };
    let object = match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(object)) => object,
        Ok(other) => {
            let reason = format!("expected a JSON object, found {}", type_name(&other));
            return reject(String::new(), reason);
        }
        Err(err) => return reject(String::new(), format!("not valid JSON: {err}")),
    };
    match claim_from_object(&object, defaults) {
        Ok((claim, dropped)) => {
            let position = format!("line {line_no}");
            let warnings = warnings(line_no, &position, &claim.id, dropped);
            let parsed = ParsedClaim {
                position,
                line: line_no,
                claim,
                raw: line.to_string(),
            };
            Record::Claim(parsed, warnings)
        }
        Err((claim_id, reason)) => reject(claim_id, reason),
    }
}

/// Builds a claim from one JSON object, with the optional fields it was
/// built without; on refusal returns the claim id (if known) and the
/// reason.
pub fn claim_from_object(
    object: &Map<String, Value>,
    defaults: &LoadDefaults,
) -> Result<(Claim, Dropped), (String, String)> {
    let fields = Fields(object);
    let explicit_id = fields
        .string(&["id"])
        .map_err(|reason| (String::new(), reason))?;
    let known_id = explicit_id.clone().unwrap_or_default();
    let mut dropped = Dropped::new();
    build_claim(&fields, explicit_id, defaults, &mut dropped)
        .map(|claim| (claim, dropped))
        .map_err(|reason| (known_id, reason))
}

/// Returns `field`'s date, or `None` with a warning when it is not one:
/// when a claim was made or checked is worth a warning, not the claim.
/// (A broken validity bound still refuses the record: leaving it out would
/// widen where the claim matches.)
fn lenient_date(fields: &Fields<'_>, name: &str, dropped: &mut Dropped) -> Option<DateTime<Utc>> {
    fields.date(&[name]).unwrap_or_else(|reason| {
        dropped.push((name.to_string(), format!("{reason}; the date is left out")));
        None
    })
}

fn build_claim(
    fields: &Fields<'_>,
    explicit_id: Option<String>,
    defaults: &LoadDefaults,
    dropped: &mut Dropped,
) -> Result<Claim, String> {
    if let Some(partner) = fields.string(&["partner"])?
        && !partner.is_empty()
        && partner != defaults.partner
    {
        return Err(format!(
            "record belongs to partner {partner:?}, but this load is for {:?}",
            defaults.partner
        ));
    }
    let rating_field = fields
        .string(&["rating_text", "rating"])?
        .unwrap_or_default();
    let verdict_field = fields.string(&["verdict"])?.unwrap_or_default();
    let (verdict, rating_text) = match Verdict::from_name(verdict_field.trim()) {
        Some(verdict) if !rating_field.is_empty() => (verdict, rating_field),
        // A bare verdict name that is also a rating word ("false") keeps it as wording.
        Some(verdict) => (verdict, verdict_field),
        None if !verdict_field.is_empty() => (Verdict::from_rating(&verdict_field), verdict_field),
        None => (Verdict::from_rating(&rating_field), rating_field),
    };
    // The evaluation sets' `date` is free text: when the claim was made
    // ("stated on October 22, 2019 in a speech:", PolitiFact) or when it
    // was checked ("26 May 2015", Snopes). Read a date from it when there
    // is one, and keep the wording in the raw record either way.
    let loose_date = fields.string(&["date"])?.map(|text| {
        let stated = text.trim_start().to_lowercase().starts_with("stated on");
        (stated, parse_loose_date(&text))
    });
    let claim_date = match lenient_date(fields, "claim_date", dropped) {
        Some(date) => Some(date),
        None => loose_date.and_then(|(stated, date)| date.filter(|_| stated)),
    };
    let review_date = match lenient_date(fields, "review_date", dropped) {
        Some(date) => Some(date),
        None => loose_date.and_then(|(stated, date)| date.filter(|_| !stated)),
    };
    let claim = Claim {
        id: explicit_id.unwrap_or_default(),
        partner: defaults.partner.clone(),
        text: fields.string(&["text", "claim_text"])?.unwrap_or_default(),
        title: fields.string(&["title"])?.unwrap_or_default(),
        language: fields
            .string(&["language", "lang", "inLanguage"])?
            .unwrap_or_default(),
        verdict,
        rating_text,
        review_url: fields
            .string(&["review_url", "url", "source_url"])?
            .unwrap_or_default(),
        claimant: fields.string(&["claimant", "speaker"])?.unwrap_or_default(),
        claim_date,
        review_date,
        markets: fields.strings(&["markets", "market"])?.unwrap_or_default(),
        elections: fields
            .strings(&["elections", "election"])?
            .unwrap_or_default(),
        valid_from: fields.date(&["valid_from"])?,
        valid_until: fields.date(&["valid_until"])?,
        keywords: fields.strings(&["keywords"])?.unwrap_or_default(),
        topic: fields.string(&["topic", "category"])?.unwrap_or_default(),
        appearances: fields.strings(&["appearances"])?.unwrap_or_default(),
        explanation: fields.string(&["explanation"])?.unwrap_or_default(),
        ..Claim::default()
    };
    normalize(claim, defaults)
}

/// Typed access to a record's fields, with refusals that name the field.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    /// The first present, non-null field among `names`.
    fn first(&self, names: &[&str]) -> Option<(String, &Value)> {
        names.iter().find_map(|name| match self.0.get(*name) {
            None | Some(Value::Null) => None,
            Some(value) => Some((name.to_string(), value)),
        })
    }

    fn string(&self, names: &[&str]) -> Result<Option<String>, String> {
        match self.first(names) {
            None => Ok(None),
            Some((_, Value::String(s))) => Ok(Some(s.clone())),
            Some((name, other)) => Err(format!(
                "field `{name}` must be a string, found {}",
                type_name(other)
            )),
        }
    }

    /// A list of strings; a single string is a list of one.
    fn strings(&self, names: &[&str]) -> Result<Option<Vec<String>>, String> {
        match self.first(names) {
            None => Ok(None),
            Some((_, Value::String(s))) => Ok(Some(vec![s.clone()])),
            Some((name, Value::Array(items))) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(format!(
                        "field `{name}[{i}]` must be a string, found {}",
                        type_name(other)
                    )),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some((name, other)) => Err(format!(
                "field `{name}` must be a string or a list of strings, found {}",
                type_name(other)
            )),
        }
    }

    fn date(&self, names: &[&str]) -> Result<Option<DateTime<Utc>>, String> {
        let Some(text) = self.string(names)? else {
            return Ok(None);
        };
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_date(&text).map(Some).ok_or_else(|| {
            format!(
                "field `{}` is not a date: {text:?} (expected RFC 3339 or YYYY-MM-DD)",
                names[0]
            )
        })
    }
}

/// Finds a date inside free text such as "26 May 2015" or "stated on
/// October 22, 2019 in a speech:".
fn parse_loose_date(text: &str) -> Option<DateTime<Utc>> {
    if let Some(at) = parse_date(text) {
        return Some(at);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).find_map(|w| {
        let candidate = format!("{} {} {}", w[0], w[1], w[2]);
        let candidate = candidate.trim_end_matches(|c: char| !c.is_ascii_digit());
        ["%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y"]
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(candidate, format).ok())
            .and_then(|date| date.and_hms_opt(0, 0, 0))
            .map(|at| at.and_utc())
    })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
