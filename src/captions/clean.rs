//! Cleaning caption and post text before matching: markup, entities, URLs,
//! handles, hashtags and emoji go; the words stay.

use crate::text::squash_whitespace;

/// Returns `text` with cue tags and HTML markup removed, entities decoded,
/// URLs and @handles dropped, hashtags split into words ("#StopTheSteal" ->
/// "Stop The Steal"), emoji and other symbols turned into spaces, and
/// whitespace squashed.
pub fn clean_text(text: &str) -> String {
    let without_tags = strip_tags(text);
    let decoded = html_escape::decode_html_entities(&without_tags);
    let mut words = Vec::new();
    for word in decoded.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
        {
            continue;
        }
        if word.starts_with('@') && word.len() > 1 {
            continue;
        }
        if let Some(tag) = word.strip_prefix('#') {
            words.push(split_hashtag(tag));
            continue;
        }
        words.push(word.to_string());
    }
    let joined = words.join(" ");
    let symbols_as_spaces: String = joined
        .chars()
        .map(|c| if keeps(c) { c } else { ' ' })
        .collect();
    squash_whitespace(&symbols_as_spaces)
}

/// Letters, digits, whitespace and the punctuation that carries meaning
/// for sentences and numbers survive; emoji and other symbols do not.
fn keeps(c: char) -> bool {
    c.is_alphanumeric()
        || c.is_whitespace()
        || matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '\''
                | '"'
                | '’'
                | '‘'
                | '“'
                | '”'
                | '«'
                | '»'
                | '-'
                | '–'
                | '—'
                | '('
                | ')'
                | '%'
                | '$'
                | '€'
                | '£'
                | '/'
                | '&'
                | '…'
                | '¿'
                | '¡'
        )
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

/// Splits a hashtag at case changes, digits and underscores.
fn split_hashtag(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len() + 4);
    let mut prev: Option<char> = None;
    for c in tag.chars() {
        if c == '_' {
            out.push(' ');
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let case_change = p.is_lowercase() && c.is_uppercase();
            let digit_change = p.is_ascii_digit() != c.is_ascii_digit();
            if case_change || digit_change {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn removes_noise_and_keeps_words() {
        let text = "<v Ana>As urnas &amp; os votos</v> foram fraudados!! 🔥🔥 @fulano https://t.co/x #FraudeNasUrnas2022";
        assert_eq!(
            clean_text(text),
            "As urnas & os votos foram fraudados!! Fraude Nas Urnas 2022"
        );
    }

    #[test]
    fn decodes_entities_and_drops_stray_symbols() {
        assert_eq!(clean_text("turnout < 50% &lt;b&gt;"), "turnout 50% b");
        assert_eq!(
            clean_text("l&#39;élection &eacute;tait truqu&eacute;e"),
            "l'élection était truquée"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_never_grows_much(text in ".{0,300}") {
            let cleaned = clean_text(&text);
            prop_assert!(cleaned.len() <= text.len() * 2 + 8);
        }
    }
}
