//! schema.org ClaimReview JSON-LD: a single object, an array, an `@graph`,
//! a `DataFeed` (`dataFeedElement[].item[]`), and Google Fact Check Tools
//! `claims:search` responses. Every ClaimReview found becomes a claim or a
//! refusal that names its JSON path; other objects are ignored.

use serde_json::{Map, Value};

use super::fields::{field, join, kind};
use super::load::{
    Dropped, LoadDefaults, MAX_RECORD_BYTES, ParsedClaim, ParsedFile, Rejection, warnings,
};
use super::model::Claim;
use super::normalize::{derived_id, normalize};
use super::rating::{lenient_date, rating};
use super::verdict::Verdict;

/// Parses a JSON-LD document (already decoded) into claims; `prefix` names
/// where the document sits (empty, or `script[2]` inside an HTML page).
pub fn parse_value(
    document: &Value,
    prefix: &str,
    defaults: &LoadDefaults,
    parsed: &mut ParsedFile,
) {
    let mut found = Vec::new();
    collect(document, prefix.to_string(), &mut found);
    for (path, object) in found {
        let raw = serde_json::to_string(object).unwrap_or_default();
        let mut dropped = Dropped::new();
        let result = if raw.len() > MAX_RECORD_BYTES {
            Err((
                String::new(),
                format!(
                    "record is {} bytes, over the limit of {MAX_RECORD_BYTES}",
                    raw.len()
                ),
            ))
        } else {
            claim_from_review(object, defaults, &mut dropped)
        };
        match result {
            Ok(claim) => {
                parsed
                    .warnings
                    .extend(warnings(0, &path, &claim.id, dropped));
                parsed.claims.push(ParsedClaim {
                    line: 0,
                    position: path,
                    claim,
                    raw,
                });
            }
            Err((claim_id, reason)) => parsed.rejections.push(Rejection {
                line: 0,
                position: path,
                claim_id,
                reason,
            }),
        }
    }
}

fn has_type(object: &Map<String, Value>, wanted: &str) -> bool {
    let matches = |v: &Value| {
        v.as_str()
            .is_some_and(|t| t == wanted || t.ends_with(&format!("/{wanted}")))
    };
    match object.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(value) => matches(value),
        None => false,
    }
}

/// Finds ClaimReview objects with their paths.
fn collect<'a>(value: &'a Value, path: String, found: &mut Vec<(String, &'a Map<String, Value>)>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, join(&path, &format!("[{i}]")), found);
            }
        }
        Value::Object(object) => {
            if has_type(object, "ClaimReview") {
                let shown = if path.is_empty() {
                    "$".to_string()
                } else {
                    path
                };
                found.push((shown, object));
                return;
            }
            if let Some(graph) = object.get("@graph") {
                collect(graph, join(&path, "@graph"), found);
            }
            if let Some(Value::Array(elements)) = object.get("dataFeedElement") {
                for (i, element) in elements.iter().enumerate() {
                    let element_path = join(&path, &format!("dataFeedElement[{i}]"));
                    match element.get("item") {
                        Some(Value::Array(items)) => {
                            for (j, item) in items.iter().enumerate() {
                                collect(item, format!("{element_path}.item[{j}]"), found);
                            }
                        }
                        Some(item) => collect(item, format!("{element_path}.item"), found),
                        None => collect(element, element_path, found),
                    }
                }
            }
        }
        _ => {}
    }
}

/// A single value or a list of them, as JSON-LD allows.
fn one_or_many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    }
}

/// Names of Person/Organization values (objects with `name`, or plain text).
fn names(value: Option<&Value>) -> Vec<String> {
    one_or_many(value)
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// URLs of appearances: plain URLs or CreativeWork objects with `url`.
fn urls(value: Option<&Value>) -> Vec<String> {
    one_or_many(value)
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("url").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .collect()
}

/// Builds a claim from one ClaimReview; on refusal returns the claim id (if
/// known) and the reason.
fn claim_from_review(
    review: &Map<String, Value>,
    defaults: &LoadDefaults,
    dropped: &mut Dropped,
) -> Result<Claim, (String, String)> {
    let identifier = field(review, "identifier", "").map_err(|r| (String::new(), r))?;
    let id = identifier
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|i| format!("{}:{i}", defaults.partner));
    let known_id = id.clone().unwrap_or_default();
    build(review, id, defaults, dropped).map_err(|reason| (known_id, reason))
}

fn build(
    review: &Map<String, Value>,
    id: Option<String>,
    defaults: &LoadDefaults,
    dropped: &mut Dropped,
) -> Result<Claim, String> {
    let text = field(review, "claimReviewed", "")?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err("claimReviewed is missing".to_string());
    }
    let item = match review.get("itemReviewed") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(item)) => item.clone(),
        Some(other) => {
            return Err(format!(
                "itemReviewed must be an object, found {}",
                kind(other)
            ));
        }
    };
    let (verdict, rating_text) = rating(review, dropped)?;
    let explanation = match review.get("reviewRating") {
        Some(Value::Object(rating)) => {
            field(rating, "ratingExplanation", "reviewRating")?.unwrap_or_default()
        }
        _ => String::new(),
    };
    let review_url = field(review, "url", "")?.unwrap_or_default();
    let mut appearances = urls(item.get("appearance"));
    appearances.extend(urls(item.get("firstAppearance")));
    let keywords = match review.get("keywords") {
        Some(Value::String(s)) => s
            .split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        other => one_or_many(other)
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    };
    let clean = |s: String| crate::text::strip_tags(&html_escape::decode_html_entities(&s));
    let claim = Claim {
        id: id.unwrap_or_else(|| derived_id(&defaults.partner, &review_url, &text)),
        partner: defaults.partner.clone(),
        text,
        title: clean(
            field(review, "headline", "")?
                .or(field(review, "name", "")?)
                .unwrap_or_default(),
        ),
        language: field(review, "inLanguage", "")?.unwrap_or_default(),
        verdict,
        rating_text,
        review_url,
        claimant: names(item.get("author")).join(", "),
        claim_date: lenient_date(&item, "datePublished", "itemReviewed", dropped),
        review_date: lenient_date(review, "datePublished", "", dropped),
        keywords,
        appearances,
        explanation,
        ..Claim::default()
    };
    normalize(claim, defaults)
}

/// Parses a Google Fact Check Tools `claims:search` response: one claim per
/// review, at `claims[i].claimReview[j]`.
pub fn parse_fact_check_tools(document: &Value, defaults: &LoadDefaults, parsed: &mut ParsedFile) {
    let claims = document
        .get("claims")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, entry) in claims.iter().enumerate() {
        let Value::Object(entry) = entry else {
            parsed.rejections.push(Rejection {
                line: 0,
                position: format!("claims[{i}]"),
                claim_id: String::new(),
                reason: format!("expected an object, found {}", kind(entry)),
            });
            continue;
        };
        let reviews = one_or_many(entry.get("claimReview"));
        if reviews.is_empty() {
            parsed.rejections.push(Rejection {
                line: 0,
                position: format!("claims[{i}]"),
                claim_id: String::new(),
                reason: "claimReview is missing".into(),
            });
        }
        for (j, review) in reviews.into_iter().enumerate() {
            let position = format!("claims[{i}].claimReview[{j}]");
            let raw = serde_json::json!({ "claim": entry, "review": review }).to_string();
            let mut dropped = Dropped::new();
            match fact_check_tools_claim(entry, review, defaults, &mut dropped) {
                Ok(claim) => {
                    parsed
                        .warnings
                        .extend(warnings(0, &position, &claim.id, dropped));
                    parsed.claims.push(ParsedClaim {
                        line: 0,
                        position,
                        claim,
                        raw,
                    });
                }
                Err(reason) => parsed.rejections.push(Rejection {
                    line: 0,
                    position,
                    claim_id: String::new(),
                    reason,
                }),
            }
        }
    }
}

fn fact_check_tools_claim(
    entry: &Map<String, Value>,
    review: &Value,
    defaults: &LoadDefaults,
    dropped: &mut Dropped,
) -> Result<Claim, String> {
    let Value::Object(review) = review else {
        return Err(format!(
            "claimReview entries must be objects, found {}",
            kind(review)
        ));
    };
    let text = field(entry, "text", "")?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err("text is missing".into());
    }
    let review_url = field(review, "url", "")?.unwrap_or_default();
    let rating_text = field(review, "textualRating", "")?.unwrap_or_default();
    let claim = Claim {
        id: derived_id(&defaults.partner, &review_url, &text),
        partner: defaults.partner.clone(),
        verdict: Verdict::from_rating(&rating_text),
        rating_text,
        title: field(review, "title", "")?.unwrap_or_default(),
        language: field(review, "languageCode", "")?.unwrap_or_default(),
        review_url,
        claimant: field(entry, "claimant", "")?.unwrap_or_default(),
        claim_date: lenient_date(entry, "claimDate", "", dropped),
        review_date: lenient_date(review, "reviewDate", "", dropped),
        text,
        ..Claim::default()
    };
    normalize(claim, defaults)
}

#[cfg(test)]
mod tests;
