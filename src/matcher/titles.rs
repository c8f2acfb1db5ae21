//! What a partner's title is evidence of.
//!
//! The reranking model weighs how much of a check's title the content
//! covers (`title_coverage_idf`), as it learnt from Snopes, whose titles
//! are headlines of the story ("Does Video Show a 10-Meter-Long
//! Anaconda?"). The partners who check in Portuguese, Spanish and
//! Indonesian title a check with its verdict: the claim's setting (the
//! city, the body, the object) with its event denied or put right ("Não
//! há chip de Bluetooth em urnas enviadas a Teresina", "Jurados de
//! Barranquilla no reciben pagos según el resultado de su mesa", "TPS di
//! Kupang tidak ditutup lebih awal"). A true caption that names the
//! setting ("en Barranquilla los jurados de votación reciben capacitación
//! ...") covers most of such a title without saying the claim: 11 of the
//! 13 true captions of the labelled sets that reached `review` got there
//! through the title (docs/matching.md, "What titles do to true
//! captions").
//!
//! So for such a check the title may rank a claim, but it does not by
//! itself put content at `review`: when the same pair without the title's
//! features stays under `review`, the match is held just under it, unless
//! the content says the claim's amounts (its own detail: "trezentos conto
//! cai na hora" for a check of R$ 300 a vote), or refutes the claim,
//! which is what saying the verdict is (a debunk retells the title: "gak
//! ada pemungutan suara ulang di seluruh Semarang"). Checks in other
//! languages keep the model's judgement: English is where the model was
//! fitted, on headline titles.

use std::sync::atomic::{AtomicU64, Ordering};

use super::candidates::Candidate;
use super::features::{Features, feature_index};
use super::stance::{Stance, stance_around};
use crate::index::ClaimCard;

/// Languages whose partners title a check with its verdict.
const VERDICT_TITLED: &[&str] = &["pt", "es", "id"];

/// Returns true when `card`'s title states its verdict (see the module's
/// note): a check in one of `VERDICT_TITLED` with a title of its own (a
/// feed that repeats the claim as the headline gives no verdict).
pub(super) fn titled_by_verdict(card: &ClaimCard) -> bool {
    VERDICT_TITLED.contains(&card.language.as_str())
        && !card.title.trim().is_empty()
        && squashed(&card.title) != squashed(&card.text)
}

/// `text` folded, its words alone, for comparing a title with a text
/// (not the cards' `text_key`, which keeps punctuation: a headline drops
/// the claim's full stop).
fn squashed(text: &str) -> String {
    crate::text::words(&crate::text::fold(text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Returns `features` as they would be for the claim without its title.
pub(super) fn without_title(features: &Features) -> Features {
    let mut plain = *features;
    for name in ["title_coverage_idf", "claim_coverage_x_title_coverage"] {
        if let Some(at) = feature_index(name) {
            plain[at] = 0.0;
        }
    }
    plain
}

/// Returns true when the content says every amount the claim states
/// (`numbers_agree`: "R$ 300", "54 %", "1.200 mesas", however written):
/// the claim's own detail, not its setting, which a true caption naming
/// the setting does not say.
pub(super) fn says_its_amounts(features: &Features) -> bool {
    feature_index("numbers_agree").is_some_and(|at| features[at] > 0.0)
}

/// Returns true when `text` refutes the claim of `card`; `same_language`
/// when the content is in the claim's language (denials of the claim's
/// words are read then, as for a match's stance).
pub(super) fn refuted(text: &str, card: &ClaimCard, same_language: bool) -> bool {
    let language = same_language.then_some(card.language.as_str());
    stance_around(&[text], &card.text, language).0 == Stance::Refutes
}

/// The confidence a match that its title alone put at `review` is held
/// at: just under `review`, keeping the order of such matches (the surer
/// with the title, the nearer `review`).
pub(super) fn held_under(review: f32, confidence: f32) -> f32 {
    let just_under = (review - 0.01).max(0.0);
    (just_under - 0.01 * (1.0 - confidence).clamp(0.0, 1.0)).max(0.0)
}

/// Whether a candidate's title alone may put it at `review` (see the
/// module's note): the content's stance is read once, and only for a
/// pair its title lifts there.
pub(super) struct TitleHold<'c> {
    candidate: &'c Candidate<'c>,
    review: f32,
    /// Counts each pair held.
    held: &'c AtomicU64,
    /// Whether the check is titled by its verdict, once asked.
    verdict_titled: Option<bool>,
    /// Whether the content refutes the claim, once asked.
    refuted: Option<bool>,
}

impl<'c> TitleHold<'c> {
    pub(super) fn new(candidate: &'c Candidate<'c>, review: f32, held: &'c AtomicU64) -> Self {
        TitleHold {
            candidate,
            review,
            held,
            verdict_titled: None,
            refuted: None,
        }
    }

    /// The confidence `predict` gives `features`, held just under
    /// `review` when only the check's verdict title puts it there and the
    /// content neither says the claim's amounts nor refutes it.
    pub(super) fn held(&mut self, features: Features, predict: impl Fn(&Features) -> f32) -> f32 {
        let confidence = predict(&features).clamp(0.0, 1.0);
        if confidence < self.review {
            return confidence;
        }
        let candidate = self.candidate;
        let verdict_titled = *self
            .verdict_titled
            .get_or_insert_with(|| titled_by_verdict(candidate.card));
        if !verdict_titled {
            return confidence;
        }
        let plain = predict(&without_title(&features));
        if plain >= self.review || says_its_amounts(&features) {
            return confidence;
        }
        let refuted = *self.refuted.get_or_insert_with(|| {
            refuted(
                &candidate.window.text,
                candidate.card,
                !candidate.cross_language,
            )
        });
        if refuted {
            return confidence;
        }
        self.held.fetch_add(1, Ordering::Relaxed);
        held_under(self.review, confidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(language: &str, title: &str) -> ClaimCard {
        ClaimCard {
            id: "c".into(),
            text: "Os jurados de Barranquilla vão receber um pagamento extra se a mesa der vitória ao candidato oficial.".into(),
            title: title.into(),
            language: language.into(),
            partner: "p".into(),
            verdict: crate::claims::verdict::Verdict::False,
            rating_text: String::new(),
            review_url: String::new(),
            elections: Vec::new(),
            markets: Vec::new(),
            date_ms: None,
            claimant: String::new(),
            topic: String::new(),
            text_key: String::new(),
        }
    }

    #[test]
    fn only_checks_in_the_partners_languages_with_a_title_are_titled_by_verdict() {
        assert!(titled_by_verdict(&card(
            "pt",
            "Jurados não recebem pagamento"
        )));
        assert!(!titled_by_verdict(&card("pt", "  ")));
        assert!(!titled_by_verdict(&card(
            "en",
            "Jurors are not paid by result"
        )));
        // The claim repeated as the headline.
        let mut repeated = card("pt", "");
        repeated.title = format!("{}!", repeated.text.to_uppercase());
        assert!(!titled_by_verdict(&repeated));
    }

    #[test]
    fn the_title_features_are_the_only_ones_taken_away() {
        let features: Features = std::array::from_fn(|i| i as f32 + 1.0);
        let plain = without_title(&features);
        let title = feature_index("title_coverage_idf").unwrap();
        let product = feature_index("claim_coverage_x_title_coverage").unwrap();
        for (i, (before, after)) in features.iter().zip(plain).enumerate() {
            if i == title || i == product {
                assert_eq!(after, 0.0);
            } else {
                assert_eq!(*before, after);
            }
        }
    }

    #[test]
    fn the_claims_amounts_are_said_only_when_the_numbers_agree() {
        let mut features: Features = [0.0; crate::matcher::features::FEATURE_NAMES.len()];
        assert!(!says_its_amounts(&features));
        features[feature_index("numbers_conflict").unwrap()] = 1.0;
        assert!(!says_its_amounts(&features));
        features[feature_index("numbers_agree").unwrap()] = 1.0;
        assert!(says_its_amounts(&features));
    }

    #[test]
    fn a_held_match_stays_under_review_in_the_order_it_had() {
        let (surer, lower) = (held_under(0.6, 0.9), held_under(0.6, 0.62));
        assert!(surer < 0.6 && lower < surer && lower > 0.5);
    }

    #[test]
    fn a_caption_saying_the_verdict_refutes_and_one_naming_the_setting_does_not() {
        let check = card("pt", "Jurados de Barranquilla não recebem pagamento extra");
        assert!(refuted(
            "é mentira que os jurados de Barranquilla vão receber pagamento extra",
            &check,
            true
        ));
        assert!(!refuted(
            "os jurados de Barranquilla recebem treinamento antes da eleição",
            &check,
            true
        ));
    }
}
