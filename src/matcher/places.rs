//! The countries a caption names, against the markets a claim was checked
//! for.
//!
//! Election falsehoods travel: the rumour that voters vote on two days by
//! the last digit of their document was checked in Brazil and again in
//! Argentina, with nearly the same words. A caption that says where it is
//! talking about ("los que votan en Brasil...", "meu amigo argentino diz
//! que...") is about the check made for that country, not its neighbour's,
//! however close the words or the meaning. A claim limited to markets none
//! of which the caption names, when it names one for which another
//! candidate was checked, is demoted (`PLACE_WEIGHT`): it stays a lead for
//! a reviewer, never a decision. When the named country's candidate is a
//! check of the same falsehood (near by meaning, `SAME_STORY`), it takes
//! the lead, up to just under `review` (`Matcher::to_the_named_check`):
//! found across languages by meaning alone it would otherwise rank below
//! the demoted check whose words the caption shares. A country named in
//! passing ("se o Lula ganhar vamos virar uma Venezuela, as urnas...")
//! with no check of its own among the candidates demotes nothing; claims
//! for every market, and captions that name no country, are left as they
//! are.
//!
//! Names are matched on folded words: country names and demonyms in pt,
//! es, id, en and fr. Words that are also everyday words are left out
//! ("chile" is a pepper in Mexico, "peru" a turkey in Brazil, "usa" a
//! verb), which misses some mentions and never invents one.

use rustc_hash::FxHashMap as HashMap;

use super::span::Best;
use crate::captions::Window;

/// How much of its confidence a claim keeps when the caption names other
/// countries than its markets.
pub const PLACE_WEIGHT: f32 = 0.2;

/// The cosine of two claims' texts (`ClaimVectors::between`) from which
/// they are taken for checks of the same falsehood. Among
/// multilingual-dev's 105 claims (their texts only, no caption): the two
/// rumours checked in Brazil and again in Argentina sit at 0.47 across
/// Portuguese and Spanish; checks of one falsehood in two cities of one
/// language at 0.52-0.97; claims in two languages about different things
/// at 0.31 at most (two ballot-theft videos, two polls). The fading-ink
/// checks of Toluca and Tulsa (0.33) fall under it: missed, not confused.
pub const SAME_STORY: f32 = 0.4;

/// How many of the named country's candidates, surest first, are
/// compared with a demoted claim by meaning.
pub const NAMED_COMPARED: usize = 8;

/// The share of the named country's check's confidence a demoted check
/// of the same falsehood is given at most: just below it.
pub const BELOW_NAMED: f32 = 0.9;

/// Markets (ISO 3166-1 alpha-2) and the folded words that name them.
const COUNTRIES: &[(&str, &[&str])] = &[
    (
        "AR",
        &[
            "argentina",
            "argentino",
            "argentinos",
            "argentinas",
            "argentine",
            "argentinian",
            "argentin",
            "argentines",
        ],
    ),
    (
        "BO",
        &[
            "bolivia",
            "boliviano",
            "bolivianos",
            "boliviana",
            "bolivian",
            "bolivien",
        ],
    ),
    (
        "BR",
        &[
            "brasil",
            "brazil",
            "bresil",
            "brasileiro",
            "brasileira",
            "brasileiros",
            "brasileiras",
            "brasileno",
            "brasilena",
            "brasilenos",
            "brasilenas",
            "brazilian",
            "bresilien",
            "bresilienne",
        ],
    ),
    (
        "CL",
        &[
            "chileno",
            "chilena",
            "chilenos",
            "chilenas",
            "chilean",
            "chilien",
            "chilienne",
        ],
    ),
    (
        "CO",
        &[
            "colombia",
            "colombiano",
            "colombiana",
            "colombianos",
            "colombianas",
            "colombian",
            "colombie",
            "colombien",
            "kolombia",
        ],
    ),
    (
        "EC",
        &[
            "ecuador",
            "ecuatoriano",
            "ecuatoriana",
            "equatoriano",
            "equatoriana",
            "ecuadorian",
        ],
    ),
    ("ES", &["espana", "espanha", "spain", "espagne", "spanyol"]),
    (
        "FR",
        &[
            "francia", "france", "prancis", "frances", "francesa", "french",
        ],
    ),
    (
        "GT",
        &["guatemala", "guatemalteco", "guatemalteca", "guatemalan"],
    ),
    (
        "ID",
        &[
            "indonesia",
            "indonesie",
            "indonesio",
            "indonesian",
            "indonesien",
            "indonesiano",
        ],
    ),
    (
        "MX",
        &[
            "mexico",
            "meksiko",
            "mexicano",
            "mexicana",
            "mexicanos",
            "mexicanas",
            "mexican",
            "mexicain",
            "mexicaine",
        ],
    ),
    (
        "PE",
        &[
            "peruano", "peruana", "peruanos", "peruvian", "perou", "peruvien",
        ],
    ),
    (
        "PT",
        &[
            "portugal",
            "portugues",
            "portuguesa",
            "portuguese",
            "portugais",
        ],
    ),
    (
        "PY",
        &[
            "paraguay",
            "paraguai",
            "paraguayo",
            "paraguaio",
            "paraguayan",
        ],
    ),
    (
        "US",
        &[
            "eua",
            "eeuu",
            "estadunidense",
            "estadounidense",
            "norteamericano",
            "norteamericana",
            "americano",
            "americana",
            "americanos",
            "americanas",
            "american",
            "americain",
            "americaine",
        ],
    ),
    (
        "UY",
        &["uruguay", "uruguai", "uruguayo", "uruguaio", "uruguayan"],
    ),
    (
        "VE",
        &[
            "venezuela",
            "venezolano",
            "venezolana",
            "venezuelano",
            "venezuelan",
        ],
    ),
];

/// Two-word names, folded.
const PAIRS: &[(&str, &str, &str)] = &[
    ("estados", "unidos", "US"),
    ("united", "states", "US"),
    ("etats", "unis", "US"),
    ("amerika", "serikat", "US"),
    ("ee", "uu", "US"),
];

/// Returns the markets `text` names, sorted, each once.
pub fn named(text: &str) -> Vec<&'static str> {
    let folded = crate::text::fold(text);
    let words: Vec<&str> = crate::text::words(&folded).collect();
    let mut found: Vec<&'static str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for (market, names) in COUNTRIES {
            if names.contains(word) {
                found.push(market);
            }
        }
        if let Some(next) = words.get(i + 1) {
            for (first, second, market) in PAIRS {
                if word == first && next == second {
                    found.push(market);
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Returns whether a claim for `markets` (empty: every market) is about
/// another country than every one of `named`.
pub fn elsewhere(markets: &[String], named: &[&str]) -> bool {
    !markets.is_empty()
        && !named.is_empty()
        && !named
            .iter()
            .any(|n| markets.iter().any(|m| m.eq_ignore_ascii_case(n)))
}

/// A claim checked only for other countries than the content names.
#[derive(Debug)]
pub(super) struct Elsewhere {
    /// The claim to demote.
    pub address: tantivy::DocAddress,
    /// The candidates checked for a country the content names.
    pub named_markets: Vec<tantivy::DocAddress>,
}

/// Returns the claims to demote: each checked only for other countries
/// than those the content names where the claim is said (in a post or a
/// short video, `short`, anywhere in it; in a long recording, in the
/// match's own sentences), when a check for a named country is among the
/// candidates; with those checks.
pub(super) fn demoted(
    windows: &[Window],
    short: bool,
    best: &HashMap<tantivy::DocAddress, Best>,
) -> Vec<Elsewhere> {
    if best.values().all(|b| b.found.claim.markets.is_empty()) {
        return Vec::new();
    }
    let sentences: Vec<(usize, Vec<&str>)> = windows
        .iter()
        .filter(|w| windows.len() == 1 || w.first == w.last)
        .map(|w| (w.first, named(&w.text)))
        .filter(|(_, named)| !named.is_empty())
        .collect();
    if sentences.is_empty() {
        return Vec::new();
    }
    let named_for = |b: &Best| -> Vec<&str> {
        let (first, last) = b.sentences;
        sentences
            .iter()
            .filter(|(at, _)| short || (first..=last).contains(at))
            .flat_map(|(_, named)| named.iter().copied())
            .collect()
    };
    best.iter()
        .filter_map(|(address, b)| {
            let named = named_for(b);
            if !elsewhere(&b.found.claim.markets, &named) {
                return None;
            }
            let named_markets: Vec<tantivy::DocAddress> = best
                .iter()
                .filter(|(other, o)| {
                    other != &address
                        && o.found
                            .claim
                            .markets
                            .iter()
                            .any(|m| named.contains(&m.as_str()))
                })
                .map(|(other, _)| *other)
                .collect();
            (!named_markets.is_empty()).then_some(Elsewhere {
                address: *address,
                named_markets,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_named_in_each_language_and_everyday_words_are_not() {
        assert_eq!(named("los que votan en Brasil fíjense en esto"), ["BR"]);
        assert_eq!(named("meu amigo argentino disse que vai votar"), ["AR"]);
        assert_eq!(
            named("pra quem tem parente nos EUA: na Pensilvânia"),
            ["US"]
        );
        assert_eq!(named("en los Estados Unidos y en México"), ["MX", "US"]);
        assert_eq!(named("di Amerika Serikat pemilih bisa"), ["US"]);
        assert_eq!(named("aux États-Unis, les électeurs"), ["US"]);
        assert_eq!(named("warga Indonesia di luar negeri"), ["ID"]);
        // A pepper, a turkey, a verb and a continent name no country.
        assert!(named("tacos con chile y un peru assado, ele usa a América toda").is_empty());
    }

    #[test]
    fn a_claim_is_elsewhere_only_when_the_caption_names_none_of_its_markets() {
        let br = vec!["BR".to_string()];
        assert!(elsewhere(&br, &["AR"]));
        assert!(!elsewhere(&br, &["AR", "BR"]));
        assert!(!elsewhere(&br, &[]));
        assert!(!elsewhere(&[], &["AR"]));
    }
}
