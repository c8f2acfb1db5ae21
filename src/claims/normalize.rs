//! The checks and clean-up every claim goes through, whatever it came from
//! (a file, an `UpsertClaim` call): defaults, ids, text, language, markets.

use sha2::{Digest, Sha256};

use super::load::{LoadDefaults, MAX_CLAIM_ID_BYTES, MAX_CLAIM_TEXT_CHARS};
use super::market::parse_markets;
use super::model::Claim;
use super::verdict::Verdict;
use crate::error::Error;
use crate::lang;
use crate::text::{primary_language, squash_whitespace};

/// Returns the claim cleaned and completed with `defaults`, or the reason
/// it is refused, in plain words.
pub fn normalize(mut claim: Claim, defaults: &LoadDefaults) -> Result<Claim, String> {
    validate_partner(&defaults.partner)?;
    claim.partner = defaults.partner.clone();
    claim.text = clean_field(&claim.text);
    if claim.text.is_empty() {
        return Err("claim has no text (field `text` is missing or empty)".to_string());
    }
    let text_chars = claim.text.chars().count();
    if text_chars > MAX_CLAIM_TEXT_CHARS {
        return Err(format!(
            "`text` has {text_chars} characters, over the limit of {MAX_CLAIM_TEXT_CHARS}"
        ));
    }
    // An id derived from the text is derived from it as given, verdict
    // label and all, so that ids stay what they were.
    let given_text = claim.text.clone();
    claim.title = clean_field(&claim.title);
    claim.rating_text = clean_field(&claim.rating_text);
    if let Some((label, verdict, said)) = verdict_label(&claim.text) {
        if claim.rating_text.is_empty() {
            claim.rating_text = label.to_string();
            if claim.verdict == Verdict::Other {
                claim.verdict = verdict;
            }
        }
        claim.text = said.to_string();
    }
    if let Some(verdict) = defaults
        .rating_overrides
        .get(&super::verdict::rating_key(&claim.rating_text))
    {
        claim.verdict = *verdict;
    }
    claim.explanation = clean_field(&claim.explanation);
    (claim.topic, claim.topic_given) =
        super::topic::settle(&claim.topic, &claim.keywords, &claim.text);
    claim.review_url = claim.review_url.trim().to_string();
    claim.claimant = clean_field(&claim.claimant);
    claim.id = if claim.id.trim().is_empty() {
        derived_id(&claim.partner, &claim.review_url, &given_text)
    } else {
        scoped_id(&claim.partner, &validate_id(&claim.id)?)
    };

    claim.language = if !claim.language.trim().is_empty() {
        primary_language(&claim.language)
    } else if !defaults.language.is_empty() {
        primary_language(&defaults.language)
    } else {
        // A claim's market says which language its words most likely are.
        let market = claim.markets.first().or(defaults.markets.first());
        lang::detect_for(&claim.text, market.map_or("", String::as_str))
            .unwrap_or_else(|| "und".to_string())
    };
    if !claim.language.chars().all(|c| c.is_ascii_alphabetic())
        || !(2..=8).contains(&claim.language.len())
    {
        return Err(format!(
            "`language` {:?} is not a BCP 47 language tag",
            claim.language
        ));
    }

    claim.markets = if claim.markets.is_empty() {
        defaults.markets.clone()
    } else {
        parse_markets(&claim.markets).map_err(|err| match err {
            Error::InvalidArgument(reason) => reason,
            other => other.to_string(),
        })?
    };
    if claim.elections.is_empty() {
        claim.elections = defaults.elections.clone();
    }
    claim.valid_from = claim.valid_from.or(defaults.valid_from);
    claim.valid_until = claim.valid_until.or(defaults.valid_until);
    if let (Some(from), Some(until)) = (claim.valid_from, claim.valid_until)
        && from >= until
    {
        return Err(format!(
            "`valid_from` {from} is not before `valid_until` {until}"
        ));
    }
    Ok(claim)
}

/// Verdicts written as a sentence's opening words, folded: "É falso que
/// as urnas ...", "Es falso que ...".
const VERDICT_OPENINGS: &[(&str, Verdict)] = &[
    ("e falso que", Verdict::False),
    ("e fake que", Verdict::False),
    ("e mentira que", Verdict::False),
    ("es falso que", Verdict::False),
    ("es mentira que", Verdict::False),
    ("tidak benar bahwa", Verdict::False),
];

/// The most words of a verdict label before a claim's text.
const LABEL_WORDS: usize = 3;

/// A verdict written before the claim's text, as checkers title their
/// articles and some partners paste the title in as the claim ("[SALAH]
/// Surat suara sudah dicoblos", "FALSO: urnas ...", "#FAKE | ...", "É
/// #FAKE que ..."): the label, its verdict and the text after it. The
/// label would be matched as the claim's words, and a cue the claim holds
/// says nothing of stance, so every "hoaks" said against a claim labelled
/// "[HOAKS]" would go unread. None when the text opens with no verdict, a
/// bracket that holds none ("[Vídeo] ..."), or words that only start like
/// one ("Falso médico atende ...", "Verdadeiro ou falso: ...").
fn verdict_label(text: &str) -> Option<(&str, Verdict, &str)> {
    let (label, verdict, said) = if let Some(rest) = text.strip_prefix('[') {
        let (label, said) = rest.split_once(']')?;
        let (label, verdict) = is_label(label)?;
        (label, verdict, said)
    } else if let Some(at) = text.find([':', '|'])
        && let Some((label, verdict)) = is_label(&text[..at])
    {
        (label, verdict, &text[at + 1..])
    } else {
        opening(text)?
    };
    let said = said.trim_start_matches(|c: char| c.is_whitespace() || "-–—|:".contains(c));
    // A label alone is the text: nothing is taken from it.
    said.chars().any(char::is_alphanumeric).then_some((
        label.trim_start_matches('#'),
        verdict,
        said,
    ))
}

/// The label and its verdict when `label` (trimmed) is one to three
/// words naming a verdict exactly.
fn is_label(label: &str) -> Option<(&str, Verdict)> {
    let label = label.trim();
    if !(1..=LABEL_WORDS).contains(&label.split_whitespace().count()) {
        return None;
    }
    Verdict::from_label(label).map(|verdict| (label, verdict))
}

/// A verdict said as the text's opening words (`VERDICT_OPENINGS`): the
/// verdict's words, the verdict, and the text after the opening.
fn opening(text: &str) -> Option<(&str, Verdict, &str)> {
    let words: Vec<&str> = text.split_whitespace().take(4).collect();
    let end_of = |word: &str| word.as_ptr() as usize - text.as_ptr() as usize + word.len();
    VERDICT_OPENINGS.iter().find_map(|(opening, verdict)| {
        let count = opening.split(' ').count();
        let said = words.get(..count)?;
        (super::verdict::rating_key(&said.join(" ")) == *opening).then(|| {
            // The label ends before the joining word ("que", "bahwa").
            let label_end = end_of(said[count - 2]);
            (
                &text[..label_end],
                *verdict,
                &text[end_of(said[count - 1])..],
            )
        })
    })
}

/// Returns a text field with HTML entities decoded, tags stripped and
/// whitespace squashed: partners paste from their CMS.
fn clean_field(text: &str) -> String {
    let decoded = html_escape::decode_html_entities(text);
    squash_whitespace(&crate::text::strip_tags(&decoded))
}

/// Returns the id if it is usable as a claim id.
pub fn validate_id(id: &str) -> Result<String, String> {
    let id = id.trim();
    if id.is_empty() {
        return Err("`id` is empty".to_string());
    }
    if id.len() > MAX_CLAIM_ID_BYTES {
        return Err(format!("`id` is longer than {MAX_CLAIM_ID_BYTES} bytes"));
    }
    if id.chars().any(char::is_control) {
        return Err("`id` contains control characters".to_string());
    }
    Ok(id.to_string())
}

/// Returns the id a partner's record is stored under: its own id inside
/// the partner's namespace (`<partner>:<id>`; an id already there is kept
/// as it is), so that no partner can take an id another partner's records
/// get, by loading it first or by precomputing a digest.
pub fn scoped_id(partner: &str, id: &str) -> String {
    let scoped = id
        .strip_prefix(partner)
        .is_some_and(|rest| rest.starts_with(':'));
    if scoped {
        id.to_string()
    } else {
        format!("{partner}:{id}")
    }
}

/// Returns an error unless `partner` is a usable partner name: letters,
/// digits, `-`, `_` and `.`, so that no partner's namespace (`<partner>:`)
/// holds another's.
pub fn validate_partner(partner: &str) -> Result<(), String> {
    if partner.is_empty() || partner.len() > 64 {
        return Err(format!(
            "partner name {partner:?} must have 1 to 64 characters"
        ));
    }
    let usable = partner
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !usable {
        return Err(format!(
            "partner name {partner:?} may hold only letters, digits, `-`, `_` and `.`"
        ));
    }
    Ok(())
}

/// Returns a stable id for a record without one: the partner and a digest
/// of its review URL and claim text, so reloading finds the same claim.
pub fn derived_id(partner: &str, review_url: &str, text: &str) -> String {
    let digest = Sha256::new()
        .chain_update(review_url.as_bytes())
        .chain_update([0u8])
        .chain_update(text.as_bytes())
        .finalize();
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{partner}:{short}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_live_in_their_partners_namespace() {
        assert_eq!(scoped_id("pb", "urn-777"), "pb:urn-777");
        assert_eq!(scoped_id("pb", "pb:urn-777"), "pb:urn-777", "kept as it is");
        // Another partner's id is taken as a plain id of this partner.
        assert_eq!(scoped_id("rogue", "pb:urn-777"), "rogue:pb:urn-777");
        assert_eq!(scoped_id("pb", "pbx:1"), "pb:pbx:1");
        assert!(validate_partner("aos.fatos_1-br").is_ok());
        assert!(
            validate_partner("pb:urn").is_err(),
            "a colon would nest namespaces"
        );
        assert!(validate_partner("").is_err());
    }

    #[test]
    fn derived_ids_are_stable_and_partner_scoped() {
        let a = derived_id("aosfatos", "https://x/1", "texto");
        assert_eq!(a, derived_id("aosfatos", "https://x/1", "texto"));
        assert!(a.starts_with("aosfatos:"));
        assert_ne!(a, derived_id("lupa", "https://x/1", "texto"));
        assert_ne!(a, derived_id("aosfatos", "https://x/1", "outro"));
    }

    #[test]
    fn a_verdict_written_before_the_claim_is_taken_out_of_its_text() {
        let defaults = LoadDefaults {
            partner: "mafindo".into(),
            language: "id".into(),
            ..LoadDefaults::default()
        };
        let load = |text: &str, rating: &str| {
            let claim = Claim {
                text: text.into(),
                rating_text: rating.into(),
                ..Claim::default()
            };
            normalize(claim, &defaults).unwrap()
        };
        // Written for this test: labels as checkers title their articles.
        for (text, said, label, verdict) in [
            (
                "[SALAH] Surat suara sudah dicoblos sebelum hari pemungutan",
                "Surat suara sudah dicoblos sebelum hari pemungutan",
                "SALAH",
                Verdict::False,
            ),
            (
                "FALSO: urnas de Manaus têm chip",
                "urnas de Manaus têm chip",
                "FALSO",
                Verdict::False,
            ),
            (
                "#FAKE | urnas de Manaus têm chip",
                "urnas de Manaus têm chip",
                "FAKE",
                Verdict::False,
            ),
            (
                "É #FAKE que urnas de Manaus têm chip",
                "urnas de Manaus têm chip",
                "É #FAKE",
                Verdict::False,
            ),
            (
                "[Fora de contexto] Vídeo de 2018 mostra fila em seção",
                "Vídeo de 2018 mostra fila em seção",
                "Fora de contexto",
                Verdict::MissingContext,
            ),
        ] {
            let claim = load(text, "");
            assert_eq!(claim.text, said, "{text}");
            assert_eq!(claim.rating_text, label, "{text}");
            assert_eq!(claim.verdict, verdict, "{text}");
            // The id derived from the text is the one the whole text gave.
            assert_eq!(claim.id, derived_id("mafindo", "", text));
        }
        // A rating given stays the rating; the label still leaves the text.
        let rated = load("[HOAKS] KPU mencetak surat suara dua kali", "Salah");
        assert_eq!(
            (rated.text.as_str(), rated.rating_text.as_str()),
            ("KPU mencetak surat suara dua kali", "Salah")
        );
        // No verdict: a bracket that holds another word, words that only
        // start like a verdict, a label with nothing after it.
        for text in [
            "[Vídeo] Homem abre urna com chave de fenda",
            "Falso médico atende eleitores em seção de Contagem",
            "Verdadeiro ou falso: a urna imprime o voto",
            "Mesa receptora: eleitores votam duas vezes",
            "[SALAH]",
        ] {
            assert_eq!(load(text, "").text, text);
        }
    }

    #[test]
    fn text_fields_lose_markup_and_entities() {
        let defaults = LoadDefaults {
            partner: "afp".into(),
            language: "fr".into(),
            ..LoadDefaults::default()
        };
        let claim = Claim {
            text: "Les <em>machines</em> &agrave; voter\n ont &eacute;t&eacute; pirat&eacute;es"
                .into(),
            title: "<h1>Faux</h1>".into(),
            ..Claim::default()
        };
        let claim = normalize(claim, &defaults).unwrap();
        assert_eq!(claim.text, "Les machines à voter ont été piratées");
        assert_eq!(claim.title, "Faux");
    }

    #[test]
    fn detects_language_when_none_is_given() {
        let defaults = LoadDefaults {
            partner: "lupa".into(),
            ..LoadDefaults::default()
        };
        let claim = Claim {
            text: "As urnas eletrônicas foram fraudadas nas eleições de outubro".into(),
            ..Claim::default()
        };
        let claim = normalize(claim, &defaults).unwrap();
        assert_eq!(claim.language, "pt");
        assert_eq!(claim.partner, "lupa");
        assert!(claim.id.starts_with("lupa:"));
    }
}
