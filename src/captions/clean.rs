//! Cleaning caption and post text before matching: markup, entities, links
//! and emoji go; the words stay, including those of handles and hashtags,
//! and words disguised to slip past filters are read as meant
//! (`disguise.rs`).

use crate::text::squash_whitespace;

/// Returns `text` with cue tags and HTML markup removed, entities decoded,
/// links dropped, handles and hashtags split into words ("#StopTheSteal" ->
/// "Stop The Steal", "@IlhanMN" -> "Ilhan MN": a handle is usually the name
/// of the person or body a post is about, and claims name them in words),
/// emoji and other symbols turned into spaces, and whitespace squashed.
/// Disguised words are read as meant first ("urn4s", "f r a u d e",
/// "mentiraaaa": `disguise.rs`).
pub fn clean_text(text: &str) -> String {
    let without_tags = crate::text::strip_tags(text);
    let decoded = html_escape::decode_html_entities(&without_tags);
    // Before symbols turn into spaces: "fr@ude" and "u-r-n-a" are words.
    let decoded = super::disguise::undisguised(&decoded);
    // The words, one space apart, symbols turned into spaces as they go.
    let mut kept = String::with_capacity(decoded.len());
    let mut push = |word: &str| {
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.extend(word.chars().map(|c| if keeps(c) { c } else { ' ' }));
    };
    for word in decoded.split_whitespace() {
        let word = without_url(word);
        if word.is_empty() {
            continue;
        }
        match word.strip_prefix('@').or_else(|| word.strip_prefix('#')) {
            Some(name) => push(&split_hashtag(name)),
            None => push(word),
        }
    }
    squash_whitespace(&kept)
}

/// `word` up to where a link starts: "https://...", "www....", or a bare
/// link such as "pic.twitter.com/abc" or "t.co/abc" (a dotted host
/// followed by a path); a link glued to the word before it
/// ("racist.https://t.co/x") leaves that word.
fn without_url(word: &str) -> &str {
    // Every link has a slash or a dot; most words have neither.
    if !word.contains(['/', '.']) {
        return word;
    }
    let lower = word.to_ascii_lowercase();
    let scheme = ["http://", "https://", "www."]
        .iter()
        .filter_map(|s| lower.find(s))
        .min();
    if let Some(at) = scheme {
        return &word[..at];
    }
    match word.split_once('/') {
        Some((host, _)) if is_host(host) => "",
        _ => word,
    }
}

/// Whether `text` reads as a host name: dot-separated labels of ASCII
/// letters, digits and hyphens, the last all letters ("t.co",
/// "pic.twitter.com"), not a number ("1.5/2") or a date.
fn is_host(text: &str) -> bool {
    let mut labels = text.split('.');
    let Some(tld) = text.rsplit('.').next() else {
        return false;
    };
    text.contains('.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && labels.all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
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
        let text = "<v Ana>As urnas &amp; os votos</v> foram fraudados!! 🔥🔥 @TSEjusBR https://t.co/x #FraudeNasUrnas2022";
        assert_eq!(
            clean_text(text),
            "As urnas & os votos foram fraudados!! TSEjus BR Fraude Nas Urnas 2022"
        );
    }

    #[test]
    fn drops_links_with_or_without_scheme() {
        assert_eq!(
            clean_text("Ballots found in a river pic.twitter.com/AbC123 t.co/x1 www.example.org"),
            "Ballots found in a river"
        );
        // A link glued to the word before it leaves the word.
        assert_eq!(
            clean_text("it is rigged.https://t.co/abc so vote"),
            "it is rigged. so vote"
        );
        // Numbers, dates, abbreviations and "and/or" are words, not hosts.
        assert_eq!(
            clean_text("turnout 1.5/2 on 10.11/12 in the U.S./Mexico and/or"),
            "turnout 1.5/2 on 10.11/12 in the U.S./Mexico and/or"
        );
    }

    #[test]
    fn handles_become_words() {
        assert_eq!(
            clean_text("Thanks @realDonaldTrump and @kpu_ri, cc @ (nobody)"),
            "Thanks real Donald Trump and kpu ri, cc (nobody)"
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
