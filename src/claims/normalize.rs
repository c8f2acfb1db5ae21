//! The checks and clean-up every claim goes through, whatever it came from
//! (a file, an `UpsertClaim` call): defaults, ids, text, language, markets.

use sha2::{Digest, Sha256};

use super::load::{LoadDefaults, MAX_CLAIM_ID_BYTES, MAX_CLAIM_TEXT_CHARS};
use super::market::parse_markets;
use super::model::Claim;
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
    claim.title = clean_field(&claim.title);
    claim.rating_text = clean_field(&claim.rating_text);
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
        derived_id(&claim.partner, &claim.review_url, &claim.text)
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
