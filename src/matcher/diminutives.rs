//! Words said small: "o votinho", "um dinheirinho", "a portinha", "la
//! tiendita", "un papelito", "la boletita". Creators in Brazil and Mexico
//! say many words so, checks never do, and the stemmers leave the ending
//! on ("votinh", "tiendit"), so a caption full of them shares no word
//! with the check it retells.
//!
//! No list of diminutives would be long enough, and many words only look
//! like one ("carinho" is affection, not a small "caro"; "distrito" is no
//! small "distro"). So a word is read as its plain form only when the
//! claims themselves decide: the word, as the stemmer reads it, is in no
//! claim of the content's language, and one plain form it could be
//! ("voto", "porta", "papel", "tienda") is. The plain form is read beside
//! the window's words, as the usual names of nicknames are
//! (`nicknames::read_windows`); the excerpt keeps the creator's words.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::text::words;

/// The shortest plain form read (letters): "po" from "pozinho" is not a
/// word worth a match.
const MIN_PLAIN: usize = 3;

/// The plain forms `word` (in lower case) could be the diminutive of, most
/// likely first, in Portuguese or Spanish; none for other languages.
pub(super) fn plain_forms(word: &str, language: &str) -> Vec<String> {
    let (word, plural) = match word.strip_suffix('s') {
        Some(singular) => (singular, "s"),
        None => (word, ""),
    };
    // (ending, what it was before the ending): "votinho" is "vot" + "o",
    // "papelzinho" "papel", "tiendita" "tiend" + "a", "poquito" "poco".
    let endings: &[(&str, &[&str])] = match language {
        "pt" => &[
            ("zinho", &[""]),
            ("zinha", &[""]),
            ("quinho", &["co"]),
            ("quinha", &["ca"]),
            ("guinho", &["go"]),
            ("guinha", &["ga"]),
            ("inho", &["o", "e"]),
            ("inha", &["a"]),
        ],
        "es" => &[
            ("cito", &["", "e"]),
            ("cita", &["", "e"]),
            ("quito", &["co"]),
            ("quita", &["ca"]),
            ("guito", &["go"]),
            ("guita", &["ga"]),
            ("ito", &["o", ""]),
            ("ita", &["a", ""]),
        ],
        _ => &[],
    };
    let Some((stem, befores)) = endings
        .iter()
        .find_map(|(ending, befores)| Some((word.strip_suffix(ending)?, *befores)))
    else {
        return Vec::new();
    };
    if stem.chars().count() < 2 {
        return Vec::new();
    }
    befores
        .iter()
        .map(|before| format!("{stem}{before}{plural}"))
        .filter(|plain| plain.chars().count() >= MIN_PLAIN)
        .collect()
}

/// What the claims of one language hold, asked once per word a request.
pub(super) struct ClaimWords<'a> {
    searcher: &'a Searcher,
    field: Field,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    language: &'a str,
    held: HashMap<String, bool>,
    plain: HashMap<String, Option<String>>,
}

impl<'a> ClaimWords<'a> {
    /// Returns the claims' words in `field`, the stemmed field of
    /// `language`.
    pub(super) fn new(searcher: &'a Searcher, field: Field, language: &'a str) -> Self {
        ClaimWords {
            searcher,
            field,
            analyzer: crate::index::analysis::stem_analyzer(language),
            language,
            held: HashMap::default(),
            plain: HashMap::default(),
        }
    }

    /// Whether some claim holds `word` as the stemmer reads it (a stop
    /// word, which no claim holds, counts as held: it is no diminutive).
    fn holds(&mut self, word: &str) -> Result<bool> {
        let Some(term) = crate::index::analysis::terms(&mut self.analyzer, word).pop() else {
            return Ok(true);
        };
        if let Some(held) = self.held.get(&term) {
            return Ok(*held);
        }
        let key = Term::from_field_text(self.field, &term);
        let mut held = false;
        for segment in self.searcher.segment_readers() {
            if segment.inverted_index(self.field)?.doc_freq(&key)? > 0 {
                held = true;
                break;
            }
        }
        self.held.insert(term, held);
        Ok(held)
    }

    /// The plain form of `word` (in lower case) the claims hold when they
    /// do not hold the word itself.
    fn plain_of(&mut self, word: &str) -> Result<Option<String>> {
        let forms = plain_forms(word, self.language);
        if forms.is_empty() {
            return Ok(None);
        }
        if let Some(known) = self.plain.get(word) {
            return Ok(known.clone());
        }
        let mut found = None;
        if !self.holds(word)? {
            for form in forms {
                if self.holds(&form)? {
                    found = Some(form);
                    break;
                }
            }
        }
        self.plain.insert(word.to_string(), found.clone());
        Ok(found)
    }

    /// Returns `text` with the plain forms of its diminutives after it,
    /// or `text` itself when it says none.
    pub(super) fn with_plain_forms<'t>(&mut self, text: Cow<'t, str>) -> Result<Cow<'t, str>> {
        // The stemmer reads accents: "pãozinho" is "pão".
        let lower = text.to_lowercase();
        let mut plain: Vec<String> = Vec::new();
        for word in words(&lower) {
            if let Some(form) = self.plain_of(word)?
                && !plain.contains(&form)
            {
                plain.push(form);
            }
        }
        if plain.is_empty() {
            return Ok(text);
        }
        Ok(Cow::Owned(format!("{text} ({})", plain.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diminutive_could_be_these_plain_words() {
        for (word, language, plain) in [
            ("votinho", "pt", "voto"),
            ("portinha", "pt", "porta"),
            ("papelzinho", "pt", "papel"),
            ("dinheirinho", "pt", "dinheiro"),
            ("votinhos", "pt", "votos"),
            ("pouquinho", "pt", "pouco"),
            ("tiendita", "es", "tienda"),
            ("papelito", "es", "papel"),
            ("boletitas", "es", "boletas"),
            ("poquito", "es", "poco"),
            ("cafecito", "es", "cafe"),
        ] {
            assert!(
                plain_forms(word, language).contains(&plain.to_string()),
                "{word}: {:?}",
                plain_forms(word, language)
            );
        }
        // Too short to be read, no diminutive, or a language without them.
        for (word, language) in [
            ("pinho", "pt"),
            ("voto", "pt"),
            ("tiendita", "id"),
            ("sozinho", "pt"),
        ] {
            assert!(plain_forms(word, language).is_empty(), "{word}");
        }
    }
}
