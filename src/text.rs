//! Small text helpers shared by the claim importers, the index and matching.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns `text` lowercased with accents removed ("Não é" -> "nao e").
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Returns the words of folded text: its runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Returns `text` with runs of whitespace (including newlines and
/// non-breaking spaces) collapsed to single spaces, trimmed.
pub fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Returns the primary language subtag of a BCP 47 tag, lowercased
/// (`pt-BR` -> `pt`, `EN` -> `en`); empty for an empty tag.
pub fn primary_language(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Returns at most `max_chars` characters of `text`, cut at a character
/// boundary, with an ellipsis when cut.
pub fn truncate_chars(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Parses an RFC 3339 timestamp, a date-time without zone (taken as UTC) or
/// a plain `YYYY-MM-DD` date (midnight UTC).
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(at.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
}

/// Removes `<...>` markup (WebVTT cue tags, `<i>`, `<font ...>`); a `<`
/// that never closes is kept as text.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match after.find('>') {
            Some(close) if !after[1..close].contains('<') && close > 1 => {
                out.push(' ');
                rest = &after[close + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(
            fold("Não É Verdade, Engañoso, Plutôt"),
            "nao e verdade, enganoso, plutot"
        );
    }

    #[test]
    fn squashes_whitespace() {
        assert_eq!(squash_whitespace("  a\n\tb\u{a0} c  "), "a b c");
    }

    #[test]
    fn primary_language_of_tags() {
        assert_eq!(primary_language("pt-BR"), "pt");
        assert_eq!(primary_language("ES"), "es");
        assert_eq!(primary_language(""), "");
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate_chars("ação", 2), "aç…");
        assert_eq!(truncate_chars("abc", 3), "abc");
    }
}
