//! A claim about someone or somewhere the content does not name, when the
//! content names someone or somewhere else.
//!
//! Election rumours are templates: "a candidate for the council is paying
//! R$ 100 by Pix for a photo of the vote" was checked for Porto Alegre;
//! told of Londrina, or of a candidate the check does not name, it is
//! another allegation, which no partner has checked and which may be true.
//! Words and meaning find the check all the same (every word but the name
//! is there), and found it at `auto`: of twenty-one captions written here
//! that retell multilingual-dev's checks with another city, candidate or
//! polling firm, seventeen were decided `auto` for the check they did not
//! repeat (docs/matching.md, "Another name in the claim's place"). Such a
//! match keeps at most just under `auto`: a reviewer sees whether the check
//! covers it; nothing is decided for them.
//!
//! A name is a word written with a capital (not in capitals alone:
//! acronyms name bodies, "TSE", "KPU", and shouting; not at the start of a
//! sentence; not a handle or a hashtag), of three letters or more. A
//! claim's names come in runs ("Porto Alegre", "Lorena Ibarra", "Kota
//! Bandar Lampung", "Secretaría de Gobernación"), and a run counts as said
//! when its last word is said, anywhere in the content and in any case: a
//! surname ("la Ibarra"), a city's last word ("Alegre"); a state is said
//! by its capital ("em São Luís" says Maranhão). The match is capped when
//! the content says none of the claim's runs of two names or more (a
//! person, most places) and leaves one of its runs unsaid, and the
//! sentences it was found in name a word the claim does not hold at all.
//! Content in lower case or in capitals names nothing and is left as it
//! is; so is a claim that names no one.
//!
//! Only where a capital marks a name: content in Portuguese, Spanish,
//! French or Indonesian (whose months and days, written with a capital,
//! are not names here), matched to a claim in the same language. English
//! writes nationalities, months and days with capitals, and the tweets of
//! CheckThat! write headlines in title case and sign with their author's
//! name: read this way, 54 of snopes tweets dev's 200 right pairs named
//! someone else, and `auto` fell from 140 to 77 decisions. Across
//! languages the claim's names are spelt in another language ("August",
//! "agosto").

use std::borrow::Cow;
use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use super::span::Best;
use crate::captions::Window;

/// Small words that join the names of one place or office ("Mato Grosso
/// do Sul", "Mar del Plata", "Secretaría de Gobernación").
const JOINING: &[&str] = &["de", "del", "da", "do", "das", "dos", "di"];

/// The runs of names in `text`: each run's names, folded, in order.
fn runs(text: &str) -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut open = false;
    for Word { word, name, apart } in scan(text) {
        // A comma or a full stop ends a run ("..., de Campo Grande").
        open &= !apart;
        if !name && open && JOINING.contains(&word.as_str()) {
            continue;
        }
        match (name, open) {
            (true, true) => runs.last_mut().expect("a run is open").push(word),
            (true, false) => runs.push(vec![word]),
            _ => {}
        }
        open = name;
    }
    runs
}

/// A word of a text as read for names.
struct Word {
    /// Folded.
    word: String,
    /// Written as a name.
    name: bool,
    /// Set apart from the word before by more than spaces.
    apart: bool,
}

/// Each word of `text` (a run of letters or digits), folded, with
/// whether it is written as a name.
fn words(text: &str) -> Vec<(String, bool)> {
    scan(text).into_iter().map(|w| (w.word, w.name)).collect()
}

/// Each word of `text` as read for names.
fn scan(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    // Whether the next word starts a sentence, and the character before it.
    let mut at_start = true;
    let mut before = ' ';
    let mut apart = false;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            if matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '\n') {
                at_start = true;
            }
            apart |= !c.is_whitespace();
            before = c;
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            if !next.is_alphanumeric() {
                break;
            }
            end = at + next.len_utf8();
            chars.next();
        }
        let word = &text[start..end];
        let letters = word.chars().count();
        let capital = c.is_uppercase();
        let shouted = word.chars().all(|c| !c.is_lowercase());
        let name = capital && !shouted && !at_start && letters >= 3 && !matches!(before, '@' | '#');
        out.push(Word {
            word: crate::text::fold(word),
            name,
            apart,
        });
        apart = false;
        at_start = false;
        before = word.chars().last().unwrap_or(' ');
    }
    out
}

/// The runs of two names or more of the candidates' claims ("Daniel
/// Whitford", "Porto Alegre"), each once: what content that writes no
/// capitals is read for (`words_with_known_names`).
fn known_runs(best: &HashMap<tantivy::DocAddress, Best>) -> Vec<Vec<String>> {
    let mut known: Vec<Vec<String>> = best
        .values()
        .flat_map(|b| runs(&b.found.claim.text))
        .filter(|run| run.len() >= 2)
        .collect();
    known.sort_unstable();
    known.dedup();
    known
}

/// Each word of `text` with whether it is written as a name (`words`).
/// Speech recognition often writes no capitals at all: in text that
/// writes no name with one, the words that say one of `known` in full and
/// in order (joining words between: "mato grosso do sul") count as
/// names, so "o candidato daniel whitford teve um avc" names Daniel
/// Whitford as the same caption written with capitals does. A name of
/// one word is not read so: "salta", "natal", "palmas" and "vitória"
/// are everyday words too.
fn words_with_known_names(text: &str, known: &[Vec<String>]) -> Vec<(String, bool)> {
    let mut said = words(text);
    if said.iter().any(|(_, name)| *name) {
        return said;
    }
    for run in known {
        let mut at = 0;
        while at < said.len() {
            let (mut next, mut matched) = (at, Vec::with_capacity(run.len()));
            while matched.len() < run.len() && next < said.len() {
                let word = said[next].0.as_str();
                if word == run[matched.len()] {
                    matched.push(next);
                } else if matched.is_empty() || !JOINING.contains(&word) {
                    break;
                }
                next += 1;
            }
            if matched.len() == run.len() {
                for &name in &matched {
                    said[name].1 = true;
                }
                at = next;
            } else {
                at += 1;
            }
        }
    }
    said
}

/// Words that say what kind of place a name is ("Maricopa County",
/// "Kota Ambon", "Ciudad de México"): each language says them its own
/// way ("condado de Maricopa", "la ciudad de Ambon"), so a run of a claim
/// in another language is said when its other names are.
const DESIGNATIONS: &[&str] = &[
    "county",
    "city",
    "state",
    "province",
    "district",
    "parish",
    "township",
    "condado",
    "ciudad",
    "cidade",
    "estado",
    "provincia",
    "municipio",
    "kota",
    "kabupaten",
    "provinsi",
];

/// The names of `text` (its runs' words), but those saying what kind of
/// place a name is.
pub(super) fn names(text: &str) -> HashSet<String> {
    runs(text)
        .into_iter()
        .flatten()
        .filter(|name| !DESIGNATIONS.contains(&name.as_str()))
        .collect()
}

/// Whether every name of `run` but those saying what kind of place it is
/// is in `said`; a run of designations alone is said by none.
fn run_said(run: &[String], said: &HashSet<String>) -> bool {
    let mut names = run
        .iter()
        .filter(|name| !DESIGNATIONS.contains(&name.as_str()))
        .peekable();
    names.peek().is_some() && names.all(|name| said.contains(name))
}

/// Languages whose capitals mark names.
const CAPITALISED_NAMES: [&str; 4] = ["pt", "es", "fr", "id"];

/// Indonesian months and days: written with a capital, named by every
/// caption about an election day.
const CALENDAR: &[&str] = &[
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "sabtu",
    "minggu",
];

/// Returns the matches decided `auto` (confidence `auto` or above) for a
/// claim whose names the content (in `language`) does not say, when the
/// sentences they were found in name something the claim does not.
pub(super) fn elsewhere(
    windows: &[Window],
    read: &[Cow<'_, str>],
    language: &str,
    best: &HashMap<tantivy::DocAddress, Best>,
    auto: f32,
) -> Vec<tantivy::DocAddress> {
    if !CAPITALISED_NAMES.contains(&language) {
        return Vec::new();
    }
    let mut said: Option<HashSet<String>> = None;
    let mut known: Option<Vec<Vec<String>>> = None;
    let mut capped = Vec::new();
    for (address, b) in best {
        if b.found.confidence < auto || b.cross_language {
            continue;
        }
        let claim = &b.found.claim.text;
        let names = runs(claim);
        // Read the content's words once, and only when a match is at
        // stake (`read`: a place named by nickname counts as named; a
        // state's capital names the state).
        let said = said.get_or_insert_with(|| {
            let regions = read
                .iter()
                .flat_map(|text| super::nicknames::regions_of_capitals(text))
                .flat_map(|region| region.split(' '))
                .map(str::to_owned);
            read.iter()
                .flat_map(|text| words(text))
                .map(|(word, _)| word)
                .chain(regions)
                .collect()
        });
        let is_said = |run: &Vec<String>| run.last().is_some_and(|last| said.contains(last));
        // A full name said (a person's, most places') is the claim's,
        // whatever else goes unsaid ("la candidata Lorena Ibarra", not
        // "de Yucatán").
        let named = names.iter().any(|run| run.len() >= 2 && is_said(run));
        if named || names.iter().all(is_said) {
            continue;
        }
        let held: HashSet<String> = words(claim).into_iter().map(|(word, _)| word).collect();
        let (first, last) = b.sentences;
        let known = known.get_or_insert_with(|| known_runs(best));
        let other = windows
            .iter()
            .filter(|w| first <= w.first && w.last <= last)
            .flat_map(|w| words_with_known_names(&w.text, known))
            .any(|(word, name)| {
                name && !held.contains(&word) && !CALENDAR.contains(&word.as_str())
            });
        if other {
            capped.push(*address);
        }
    }
    capped
}

/// Returns the claims in another language than the content (in
/// `language`) that name the person or place the content names (a run of
/// names of the claim, all said as names in the sentences it was found
/// near: "Daniel Whitford" in a Portuguese caption and an English check,
/// or a city of one word, "Tulsa"), each with the match of a claim in
/// the content's language found near the same sentences that names
/// someone or somewhere else (`elsewhere`), or, under `review`, none of
/// the names said there: the match it is to lead. Names are
/// spelt alike across languages; the same rumour checked about this
/// person in another language is the check the content repeats, and the
/// one about someone else is not.
pub(super) fn named_across(
    windows: &[Window],
    read: &[Cow<'_, str>],
    language: &str,
    best: &HashMap<tantivy::DocAddress, Best>,
    review: f32,
) -> Vec<(tantivy::DocAddress, tantivy::DocAddress)> {
    if !CAPITALISED_NAMES.contains(&language) || !best.values().any(|b| b.cross_language) {
        return Vec::new();
    }
    let known = known_runs(best);
    let names_in = |(first, last): (usize, usize)| -> HashSet<String> {
        windows
            .iter()
            .filter(|w| first <= w.first && w.last <= last)
            .flat_map(|w| words_with_known_names(&w.text, &known))
            .filter(|(_, name)| *name)
            .map(|(word, _)| word)
            .collect()
    };
    // The claims of another language naming someone the content names:
    // rarely any, and then the checks of someone else are looked for. A
    // name of one word counts too: English checks name most places so
    // ("Tulsa", "Pennsylvania"); a brand both name (an app) hands no lead
    // unless a check in the content's language names somewhere or
    // someone the content does not (`elsewhere`).
    let named: Vec<(&tantivy::DocAddress, &Best)> = best
        .iter()
        .filter(|(_, b)| b.cross_language)
        .filter(|(_, b)| {
            let said = names_in(b.sentences);
            !said.is_empty()
                && runs(&b.found.claim.text)
                    .iter()
                    .any(|run| run_said(run, &said))
        })
        .collect();
    if named.is_empty() {
        return Vec::new();
    }
    // The checks in the content's language it is to lead: those told of
    // someone or somewhere else, and, under `review`, those naming none
    // of the names said where they were found ("quem votou nas primárias
    // da Geórgia ..." puts a check of expired IDs, which names nothing,
    // before the English check of Georgia's primary: the words they share
    // are election talk, the name is the story's).
    let capped = elsewhere(windows, read, language, best, 0.0);
    let unnamed: Vec<tantivy::DocAddress> = best
        .iter()
        .filter(|(address, b)| {
            !b.cross_language && b.found.confidence < review && !capped.contains(address)
        })
        .filter(|(_, b)| {
            let said = names_in(b.sentences);
            !said.is_empty()
                && !runs(&b.found.claim.text)
                    .iter()
                    .any(|run| run_said(run, &said))
        })
        .map(|(address, _)| *address)
        .collect();
    let mut lead = Vec::new();
    for other in capped.into_iter().chain(unnamed) {
        let Some(capped) = best.get(&other) else {
            continue;
        };
        let (first, last) = capped.sentences;
        let nearest = named
            .iter()
            .filter(|(_, b)| b.sentences.0 <= last && first <= b.sentences.1)
            .max_by(|a, b| a.1.found.confidence.total_cmp(&b.1.found.confidence));
        if let Some((address, _)) = nearest {
            lead.push((**address, other));
        }
    }
    lead
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_capitalised_words_inside_a_sentence() {
        let found = runs(
            "Candidato a vereador em Porto Alegre paga por Pix. Segundo o TSE, \
             a candidata Lorena Ibarra foi vista com @Fulano e #Brasil no Mato \
             Grosso do Sul, de Campo Grande.",
        );
        let expected: Vec<Vec<&str>> = vec![
            vec!["porto", "alegre"],
            vec!["pix"],
            vec!["lorena", "ibarra"],
            vec!["mato", "grosso", "sul"],
            vec!["campo", "grande"],
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_run_is_said_without_the_word_for_what_kind_of_place_it_is() {
        let said: HashSet<String> = ["maricopa", "ambon"].map(String::from).into();
        let run = |text: &str| runs(text).remove(0);
        assert!(run_said(&run("Voters in Maricopa County vote."), &said));
        assert!(run_said(&run("Warga Kota Ambon memilih."), &said));
        // The other names of the run still have to be said.
        assert!(!run_said(&run("Voters in Pima County vote."), &said));
        assert!(!run_said(&run("Em Vitória da Conquista, dizem."), &said));
        // A run of designations alone names nothing.
        assert!(!run_said(&run("Dizem que o Estado paga."), &said));
    }

    #[test]
    fn content_without_capitals_names_what_it_says_in_full() {
        let known: Vec<Vec<String>> = [&["daniel", "whitford"][..], &["mato", "grosso", "sul"]]
            .iter()
            .map(|run| run.iter().map(|w| w.to_string()).collect())
            .collect();
        let names = |text: &str| -> Vec<String> {
            words_with_known_names(text, &known)
                .into_iter()
                .filter(|(_, name)| *name)
                .map(|(word, _)| word)
                .collect()
        };
        assert_eq!(
            names("o candidato daniel whitford teve um avc em mato grosso do sul"),
            ["daniel", "whitford", "mato", "grosso", "sul"]
        );
        // Half a name, or its words apart, name no one.
        assert!(names("o daniel falou que o whitford teve um avc").is_empty());
        assert!(names("mato grosso e o sul").is_empty());
        // Content with capitals is read by them alone.
        assert_eq!(names("Ontem em Cuiabá o daniel whitford falou"), ["cuiaba"]);
    }
}
