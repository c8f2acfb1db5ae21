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
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::text::words;

/// Letters every diminutive `plain_forms` reads in a language holds (in
/// lower case; a word in capitals is lowered before matching reads it).
fn marks(language: &str) -> &'static [&'static str] {
    match language {
        "pt" => &["inh"],
        "es" => &["ito", "ita"],
        _ => &[],
    }
}

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

/// The plain form the claims hold of each word that could be a
/// diminutive, by language and word (lower case): kept per thread for
/// one state of the index (`cache.rs`), so a word is looked up once, not
/// once a request.
pub type PlainMemo = HashMap<(&'static str, String), Option<String>>;

/// What the claims of one language hold. The index is read only for
/// content that says a word that could be a diminutive and that was not
/// looked up before.
pub(super) struct ClaimWords<'a> {
    searcher: &'a Searcher,
    field: Field,
    language: &'static str,
    analyzer: Option<TextAnalyzer>,
    memo: &'a mut PlainMemo,
}

impl<'a> ClaimWords<'a> {
    /// Returns the words the claims hold in `field`, the stemmed field of
    /// `language` (pt or es), read from `searcher`, remembering into
    /// `memo`, which must only ever hold what this searcher's index state
    /// says.
    pub(super) fn new(
        searcher: &'a Searcher,
        field: Field,
        language: &'static str,
        memo: &'a mut PlainMemo,
    ) -> Self {
        ClaimWords {
            searcher,
            field,
            language,
            analyzer: None,
            memo,
        }
    }

    /// Whether some claim holds `word` as the stemmer reads it (a stop
    /// word, which no claim holds, counts as held: it is no diminutive).
    fn holds(&mut self, word: &str) -> Result<bool> {
        let language = self.language;
        let analyzer = self
            .analyzer
            .get_or_insert_with(|| crate::index::analysis::stem_analyzer(language));
        let Some(term) = crate::index::analysis::terms(analyzer, word).pop() else {
            return Ok(true);
        };
        let key = Term::from_field_text(self.field, &term);
        for segment in self.searcher.segment_readers() {
            if segment.inverted_index(self.field)?.doc_freq(&key)? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The plain form of `word` (in lower case) the claims hold when they
    /// do not hold the word itself.
    fn plain_of(&mut self, word: &str) -> Result<Option<String>> {
        let forms = plain_forms(word, self.language);
        if forms.is_empty() {
            return Ok(None);
        }
        if let Some(known) = self.memo.get(&(self.language, word.to_string())) {
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
        self.memo
            .insert((self.language, word.to_string()), found.clone());
        Ok(found)
    }

    /// Returns `text` with the plain forms of its diminutives after it,
    /// or `text` itself when it says none.
    pub(super) fn with_plain_forms<'t>(&mut self, text: Cow<'t, str>) -> Result<Cow<'t, str>> {
        // The stemmer reads accents: "pãozinho" is "pão". Most texts say
        // no word with a diminutive's ending: they are not copied.
        if !marks(self.language).iter().any(|mark| text.contains(mark)) {
            return Ok(text);
        }
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
