//! Near-identical claims told apart by the words that differ.
//!
//! Partners check the same falsehood in several cities ("chip in the
//! machines sent to Manaus", "... to Teresina"), with several numbers (37
//! votes before opening, 210 votes): the claims share every word but a
//! name or a number, and a caption that repeats one shares with its
//! sibling all the words it shares with it, except that one. When the
//! content holds a word only the sibling has and none only the claim has,
//! the claim keeps `SIBLING_WEIGHT` of its confidence, wherever it ranked:
//! it is the other check that the content repeats. In a post or a short video the word may
//! be anywhere in it ("Eu moro aqui em Joinville", twenty seconds before
//! the claim is said), a number may be said in words (`numbers.rs`), and
//! a state named alone names its capital ("lá em Roraima": Boa Vista).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use super::span::Best;

/// How much of its confidence a claim keeps when the content names what
/// only its sibling says.
pub const SIBLING_WEIGHT: f32 = 0.2;

/// The share of their words two claims must have in common to be siblings.
const SHARED: f32 = 0.6;
/// The same, for siblings told apart by the names they differ by.
const NAMED_SHARED: f32 = 0.5;
/// Claims at or above this confidence are always compared.
const WORTH: f32 = 0.1;
/// Below it, the best `LEADS` claims from `LEAD_FLOOR` are compared too: a
/// loose retelling ranks its check and the sibling at a few hundredths,
/// and the place it names still tells them apart for the ranking
/// (multilingual-dev: "allá en Tabasco", "lá em Roraima"). The pairs
/// compared stay few: a 60-second transcript has a hundred candidates
/// from `LEAD_FLOOR`.
const LEADS: usize = 8;
const LEAD_FLOOR: f32 = 0.01;

/// The words of a text that can tell claims apart: folded, of three
/// letters or more, or numbers; and each amount it says, read the same
/// however it is written (`numbers::amounts`: "R$ 1.200" and "1200
/// reais", "Rp 150 ribu" and "150rb"), as `=` and its value.
pub fn words(text: &str) -> HashSet<String> {
    distinctive(&crate::text::fold(text))
}

fn distinctive(folded: &str) -> HashSet<String> {
    let mut words: HashSet<String> = crate::text::words(folded)
        .filter(|w| w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect();
    words.extend(
        super::numbers::amounts(folded)
            .into_iter()
            .map(|amount| format!("={amount}")),
    );
    words
}

/// The words of content as `words` reads them, and the numbers it says
/// in words ("duzentos e dez" is 210, as a check writes it).
pub fn said(text: &str) -> HashSet<String> {
    let folded = crate::text::fold(text);
    let all: Vec<&str> = crate::text::words(&folded).collect();
    let mut said = distinctive(&folded);
    said.extend(super::numbers::spelled(&all));
    said
}

/// A candidate claim as siblings are compared: its words, and its names
/// (`named::names`), read only when a pair shares enough words and their
/// words alone decide nothing.
struct Compared<'a> {
    address: tantivy::DocAddress,
    words: HashSet<String>,
    text: &'a str,
    names: OnceCell<HashSet<String>>,
}

impl Compared<'_> {
    fn names(&self) -> &HashSet<String> {
        self.names.get_or_init(|| super::named::names(self.text))
    }
}

/// Whether two claims' words have at least `share` of them in common.
fn shares(claim: &HashSet<String>, sibling: &HashSet<String>, share: f32) -> bool {
    let shared = claim.intersection(sibling).count();
    let all = claim.union(sibling).count();
    all > 0 && shared as f32 >= share * all as f32
}

/// Returns whether the content (its `said` words) repeats `sibling`
/// rather than `claim`: the two share most of their words, and the
/// content holds a word only the sibling has and none only the claim has.
pub fn repeats_sibling(
    claim: &HashSet<String>,
    sibling: &HashSet<String>,
    said: &HashSet<String>,
) -> bool {
    if !shares(claim, sibling, SHARED) {
        return false;
    }
    let only_sibling = sibling.difference(claim).any(|w| said.contains(w));
    let mut claim_own = claim.difference(sibling).peekable();
    let claim_says_more = claim_own.peek().is_some();
    let only_claim = claim_own.any(|w| said.contains(w));
    // A sibling with no word of its own (La Plata's "la" is too short to
    // count; Mar del Plata's check has "mar" besides) is repeated by
    // content that says none of the claim's own words.
    let sibling_says_less = sibling.is_subset(claim);
    (only_sibling || (sibling_says_less && claim_says_more)) && !only_claim
}

/// Returns whether the content (its `said` words) repeats `sibling`
/// rather than `claim` by the names they differ by: the two share half
/// their words or more, and the content says a name only the sibling has
/// (`names`: the city, the person) and none only the claim has, whatever
/// other words either alone has. A check is of a falsehood somewhere;
/// its wording is the fact-checker's ("lemak babi" in Yogyakarta's,
/// "minyak babi" in Palembang's: "warga wong kito ..., tintanya pakai
/// lemak babi" repeats Palembang's).
pub fn repeats_named_sibling(
    (claim, claim_names): (&HashSet<String>, &HashSet<String>),
    (sibling, sibling_names): (&HashSet<String>, &HashSet<String>),
    said: &HashSet<String>,
) -> bool {
    if !shares(claim, sibling, NAMED_SHARED) {
        return false;
    }
    let own = |names: &HashSet<String>, other: &HashSet<String>| -> bool {
        names
            .iter()
            .any(|name| !other.contains(name) && said.contains(name))
    };
    own(sibling_names, claim) && !own(claim_names, sibling)
}

/// Returns the claims to demote: each with a near-identical sibling when
/// the content (a post or short video, read whole) holds a word only the
/// sibling has and none only the claim has.
pub(super) fn demoted(
    windows: &[crate::captions::Window],
    read: &[Cow<'_, str>],
    best: &HashMap<tantivy::DocAddress, Best>,
) -> Vec<tantivy::DocAddress> {
    let mut ranked: Vec<(&tantivy::DocAddress, &Best)> = best
        .iter()
        .filter(|(_, b)| b.found.confidence >= LEAD_FLOOR)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.found
            .confidence
            .total_cmp(&a.1.found.confidence)
            .then_with(|| a.1.found.claim.id.cmp(&b.1.found.claim.id))
    });
    let claims: Vec<Compared<'_>> = ranked
        .into_iter()
        .enumerate()
        .take_while(|(rank, (_, b))| *rank < LEADS || b.found.confidence >= WORTH)
        .map(|(_, (address, b))| Compared {
            address: *address,
            words: words(&b.found.claim.text),
            text: &b.found.claim.text,
            names: OnceCell::new(),
        })
        .collect();
    if claims.len() < 2 {
        return Vec::new();
    }
    // `read` is each window's text with the usual names it says: a place
    // named by nickname counts as named, an amount said in slang as said
    // ("gocap", Rp 50 ribu: `nicknames.rs`). A state named alone names
    // its capital here ("lá em Roraima": the Boa Vista check, not its
    // Corumbá sibling).
    let mut said: HashSet<String> = read.iter().flat_map(|text| said(text)).collect();
    // Each sentence read once (a window of several is read in its
    // sentences), or the content's one window.
    let capitals: Vec<&str> = windows
        .iter()
        .filter(|w| w.first == w.last || windows.len() == 1)
        .flat_map(|w| super::nicknames::capitals_of_regions(&w.text))
        .collect();
    for capital in capitals {
        said.extend(words(capital));
    }
    claims
        .iter()
        .filter(|claim| {
            claims.iter().any(|sibling| {
                sibling.address != claim.address
                    && (repeats_sibling(&claim.words, &sibling.words, &said)
                        || shares(&claim.words, &sibling.words, NAMED_SHARED)
                            && repeats_named_sibling(
                                (&claim.words, claim.names()),
                                (&sibling.words, sibling.names()),
                                &said,
                            ))
            })
        })
        .map(|claim| claim.address)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_the_content_names_picks_the_sibling() {
        let manaus = words("Urnas enviadas para Manaus têm um chip escondido que altera os votos.");
        let teresina =
            words("Urnas enviadas para Teresina têm um chip escondido que altera os votos.");
        let said =
            words("Eu moro em Teresina. As urnas que mandaram pra cá têm um chip escondido.");
        assert!(repeats_sibling(&manaus, &teresina, &said));
        assert!(!repeats_sibling(&teresina, &manaus, &said));
        // Naming neither, or both, decides nothing.
        let neither = words("As urnas têm um chip escondido que altera os votos.");
        assert!(!repeats_sibling(&manaus, &teresina, &neither));
        let both = words("Manaus e Teresina: urnas com chip escondido.");
        assert!(!repeats_sibling(&manaus, &teresina, &both));
        // Claims about different things are not siblings.
        let other = words("O segundo turno em Teresina foi adiado para dezembro.");
        assert!(!repeats_sibling(&manaus, &other, &said));
    }

    #[test]
    fn the_city_the_content_names_picks_the_sibling_whatever_its_wording() {
        // Written for this test: one falsehood in two cities, worded by
        // two fact-checkers.
        let yogya = "Tinta pemilu yang dipakai di Yogyakarta mengandung lemak babi sehingga haram bagi umat Muslim.";
        let palembang = "Tinta pemilu yang dipakai di TPS Palembang mengandung minyak babi sehingga haram bagi pemilih Muslim.";
        let read = |text: &str| (words(text), crate::matcher::named::names(text));
        let (yogya, palembang) = (read(yogya), read(palembang));
        let heard = said("warga Palembang jangan mau dicelup, tintanya pakai lemak babi, haram");
        // "lemak" is Yogyakarta's word alone, so the words decide nothing.
        assert!(!repeats_sibling(&yogya.0, &palembang.0, &heard));
        assert!(repeats_named_sibling(
            (&yogya.0, &yogya.1),
            (&palembang.0, &palembang.1),
            &heard
        ));
        assert!(!repeats_named_sibling(
            (&palembang.0, &palembang.1),
            (&yogya.0, &yogya.1),
            &heard
        ));
        // Naming neither city, or both, decides nothing.
        for caption in [
            "tintanya pakai lemak babi, haram",
            "di Palembang dan Yogyakarta tintanya pakai lemak babi",
        ] {
            let heard = said(caption);
            assert!(
                !repeats_named_sibling((&yogya.0, &yogya.1), (&palembang.0, &palembang.1), &heard),
                "{caption}"
            );
        }
        // A check of another story in the named city is no sibling.
        let other = read("KPU Palembang memindahkan TPS ke sekolah tanpa pemberitahuan.");
        assert!(!repeats_named_sibling(
            (&yogya.0, &yogya.1),
            (&other.0, &other.1),
            &said("di Palembang tintanya pakai lemak babi")
        ));
    }

    #[test]
    fn the_sibling_that_says_less_is_the_one_repeated_when_the_content_says_no_more() {
        // Written for this test: La Plata and Mar del Plata differ by
        // the words "mar" and "del" only.
        let la_plata = words("El Correo perdió los telegramas de 1.200 mesas de La Plata.");
        let mar_del_plata =
            words("El Correo perdió los telegramas de 1.200 mesas de Mar del Plata.");
        let heard = said("el correo perdió los telegramas de mil doscientas mesas de la plata");
        assert!(repeats_sibling(&mar_del_plata, &la_plata, &heard));
        assert!(!repeats_sibling(&la_plata, &mar_del_plata, &heard));
        let heard = said("se perdieron los telegramas de 1200 mesas en Mar del Plata");
        assert!(!repeats_sibling(&mar_del_plata, &la_plata, &heard));
        assert!(repeats_sibling(&la_plata, &mar_del_plata, &heard));
    }

    #[test]
    fn numbers_tell_siblings_apart_too_said_in_words_or_digits() {
        let few = words("Zerésima de Salvador registrava 37 votos antes da abertura.");
        let many = words("Zerésima de Salvador registrava 210 votos antes da abertura.");
        for caption in [
            "a zerésima de Salvador já tinha 210 votos antes de abrir",
            "a zerésima de Salvador já tinha duzentos e dez votos antes de abrir",
        ] {
            let heard = said(caption);
            assert!(repeats_sibling(&few, &many, &heard), "{caption}");
            assert!(!repeats_sibling(&many, &few, &heard), "{caption}");
        }
    }

    #[test]
    fn an_amount_tells_siblings_apart_however_it_is_written() {
        // Written for this test.
        let fifty =
            words("Tim sukses di Karawang membayar Rp 50 ribu kepada warga yang mengirim foto.");
        let hundred_fifty =
            words("Tim sukses di Karawang membayar Rp 150 ribu kepada warga yang mengirim foto.");
        for caption in [
            "timses di Karawang bayar 150rb ke warga yang kirim foto",
            "timses di Karawang bayar Rp150.000 ke warga yang kirim foto",
            "timses di Karawang bayar 150k ke warga yang kirim foto",
        ] {
            let heard = said(caption);
            assert!(repeats_sibling(&fifty, &hundred_fifty, &heard), "{caption}");
            assert!(
                !repeats_sibling(&hundred_fifty, &fifty, &heard),
                "{caption}"
            );
        }
        let dearer = words("A multa para quem não votar subiu para R$ 1.200 nesta eleição.");
        let cheaper = words("A multa para quem não votar subiu para R$ 580 nesta eleição.");
        for caption in [
            "a multa pra quem não votar subiu pra 1200 reais",
            "a multa pra quem não votar subiu pra mil e duzentos reais",
        ] {
            let heard = said(caption);
            assert!(repeats_sibling(&cheaper, &dearer, &heard), "{caption}");
            assert!(!repeats_sibling(&dearer, &cheaper, &heard), "{caption}");
        }
    }
}
