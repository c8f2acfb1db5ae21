//! Normalised verdicts, and the mapping from partners' own rating words.

use crate::text::fold;

pub use crate::vocab::Verdict;

/// Rating words, folded (lowercase, no accents, single spaces), by verdict.
/// Portuguese, Spanish, Indonesian, English and French, as partners write them.
const RATINGS: &[(&str, Verdict)] = &[
    // English, including PolitiFact's and Snopes' scales.
    ("false", Verdict::False),
    ("pants on fire", Verdict::False),
    ("pants fire", Verdict::False),
    ("fake", Verdict::False),
    ("hoax", Verdict::False),
    ("incorrect", Verdict::False),
    ("mostly false", Verdict::MostlyFalse),
    ("barely true", Verdict::MostlyFalse),
    ("misleading", Verdict::Misleading),
    ("distorted", Verdict::Misleading),
    ("exaggerated", Verdict::Misleading),
    ("miscaptioned", Verdict::MissingContext),
    ("missing context", Verdict::MissingContext),
    ("out of context", Verdict::MissingContext),
    ("lacks context", Verdict::MissingContext),
    ("unproven", Verdict::Unproven),
    ("unsupported", Verdict::Unproven),
    ("no evidence", Verdict::Unproven),
    ("unverified", Verdict::Unproven),
    ("satire", Verdict::Satire),
    ("labeled satire", Verdict::Satire),
    ("parody", Verdict::Satire),
    ("mixture", Verdict::Mixed),
    ("mixed", Verdict::Mixed),
    ("half true", Verdict::Mixed),
    ("partly false", Verdict::Mixed),
    ("partly true", Verdict::Mixed),
    ("mostly true", Verdict::MostlyTrue),
    ("true", Verdict::True),
    ("correct", Verdict::True),
    // Portuguese (Aos Fatos, Lupa, Estadão Verifica, Comprova).
    ("falso", Verdict::False),
    ("enganoso", Verdict::Misleading),
    ("distorcido", Verdict::Misleading),
    ("exagerado", Verdict::Misleading),
    ("fora de contexto", Verdict::MissingContext),
    ("sem contexto", Verdict::MissingContext),
    ("insustentavel", Verdict::Unproven),
    ("sem evidencias", Verdict::Unproven),
    ("contraditorio", Verdict::Mixed),
    ("impreciso", Verdict::Mixed),
    ("subestimado", Verdict::Mixed),
    ("verdadeiro mas", Verdict::MostlyTrue),
    ("verdadeiro", Verdict::True),
    ("satira", Verdict::Satire),
    ("falsa", Verdict::False),
    ("montagem", Verdict::False),
    ("fotomontagem", Verdict::False),
    ("conteudo manipulado", Verdict::False),
    // "Enganosa", "Engañosa": feminine forms, folded alike.
    ("enganosa", Verdict::Misleading),
    ("parcialmente falso", Verdict::Mixed),
    ("parcialmente falsa", Verdict::Mixed),
    ("falta contexto", Verdict::MissingContext),
    ("contextualizando", Verdict::MissingContext),
    ("nao e bem assim", Verdict::Misleading),
    ("sem provas", Verdict::Unproven),
    ("ainda e cedo para dizer", Verdict::Unproven),
    ("comprovado", Verdict::True),
    // Spanish (Chequeado, Colombiacheck, Animal Político, Newtral); "falso",
    // "exagerado" and "sátira" are shared with Portuguese above.
    ("mayormente falso", Verdict::MostlyFalse),
    ("cuestionable", Verdict::Misleading),
    ("sacado de contexto", Verdict::MissingContext),
    ("fuera de contexto", Verdict::MissingContext),
    ("sin evidencia", Verdict::Unproven),
    ("insostenible", Verdict::Unproven),
    ("inchequeable", Verdict::Unproven),
    ("apresurado", Verdict::Unproven),
    ("discutible", Verdict::Mixed),
    ("verdad a medias", Verdict::Mixed),
    ("mayormente verdadero", Verdict::MostlyTrue),
    ("verdadero pero", Verdict::MostlyTrue),
    ("verdadero", Verdict::True),
    ("sin contexto", Verdict::MissingContext),
    ("montaje", Verdict::False),
    ("fotomontaje", Verdict::False),
    ("bulo", Verdict::False),
    ("ligeramente falso", Verdict::Mixed),
    ("no hay pruebas", Verdict::Unproven),
    ("sin pruebas", Verdict::Unproven),
    ("manipulado", Verdict::False),
    ("alterado", Verdict::False),
    // Indonesian (Mafindo/Turnbackhoax, Cek Fakta).
    ("salah", Verdict::False),
    ("hoaks", Verdict::False),
    ("hoax", Verdict::False),
    ("disinformasi", Verdict::False),
    ("konten palsu", Verdict::False),
    ("menyesatkan", Verdict::Misleading),
    ("konten yang menyesatkan", Verdict::Misleading),
    ("konteks yang salah", Verdict::MissingContext),
    ("sebagian benar", Verdict::Mixed),
    ("belum terbukti", Verdict::Unproven),
    ("satire", Verdict::Satire),
    ("benar", Verdict::True),
    ("keliru", Verdict::False),
    ("konteks keliru", Verdict::MissingContext),
    ("koneksi yang salah", Verdict::MissingContext),
    ("konten tiruan", Verdict::False),
    ("konten yang dimanipulasi", Verdict::False),
    ("satire atau parodi", Verdict::Satire),
    ("sebagian salah", Verdict::Mixed),
    ("tidak terbukti", Verdict::Unproven),
    // French (AFP Factuel, Les Décodeurs).
    ("faux", Verdict::False),
    ("plutot faux", Verdict::MostlyFalse),
    ("trompeur", Verdict::Misleading),
    ("exagere", Verdict::Misleading),
    ("manque de contexte", Verdict::MissingContext),
    ("hors contexte", Verdict::MissingContext),
    ("infonde", Verdict::Unproven),
    ("non prouve", Verdict::Unproven),
    ("inverifiable", Verdict::Unproven),
    ("parodie", Verdict::Satire),
    ("en partie faux", Verdict::Mixed),
    ("plutot vrai", Verdict::MostlyTrue),
    ("vrai", Verdict::True),
    ("montage", Verdict::False),
    ("infox", Verdict::False),
    ("partiellement faux", Verdict::Mixed),
    ("sans contexte", Verdict::MissingContext),
    ("detourne", Verdict::MissingContext),
    // English, AFP's and others' wordings not above.
    ("altered", Verdict::False),
    ("fabricated", Verdict::False),
];

/// Returns the form rating words are compared in: folded case and accents,
/// punctuation as spaces, single spaces.
pub fn rating_key(rating: &str) -> String {
    let folded: String = fold(rating)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Verdict {
    /// Returns the verdict of a numeric rating on a `worst..=best` scale
    /// (schema.org defaults: 1 to 5), or `None` for a broken scale.
    pub fn from_score(value: f64, worst: f64, best: f64) -> Option<Self> {
        if !(value.is_finite() && worst.is_finite() && best.is_finite()) || best == worst {
            return None;
        }
        let share = (value - worst) / (best - worst);
        if !(-1e-9..=1.0 + 1e-9).contains(&share) {
            return None;
        }
        Some(match share {
            s if s < 0.2 => Verdict::False,
            s if s < 0.4 => Verdict::MostlyFalse,
            s if s < 0.6 => Verdict::Mixed,
            s if s < 0.8 => Verdict::MostlyTrue,
            _ => Verdict::True,
        })
    }

    /// Returns the verdict a rating word or phrase names exactly
    /// ("SALAH", "Falso", "fora de contexto"), or `None`: unlike
    /// `from_rating`, no rating that merely starts with one.
    pub fn from_label(label: &str) -> Option<Self> {
        let normalised = rating_key(label);
        RATINGS
            .iter()
            .find(|(known, _)| *known == normalised)
            .map(|(_, verdict)| *verdict)
    }

    /// Returns the verdict for a partner's textual rating, in any of the
    /// supported languages, ignoring case, accents and punctuation.
    /// Unknown wordings give `Other`.
    pub fn from_rating(rating: &str) -> Self {
        let normalised = rating_key(rating);
        if normalised.is_empty() {
            return Verdict::Other;
        }
        if let Some(verdict) = Self::from_label(rating) {
            return verdict;
        }
        // "Falso: o vídeo é de 2018" or "False. The photo..." : the longest
        // label the rating starts with wins.
        RATINGS
            .iter()
            .filter(|(label, _)| {
                normalised.starts_with(label)
                    && normalised
                        .as_bytes()
                        .get(label.len())
                        .is_none_or(|b| *b == b' ')
            })
            .max_by_key(|(label, _)| label.len())
            .map_or(Verdict::Other, |(_, verdict)| *verdict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ratings_in_five_languages() {
        let cases = [
            ("Falso", Verdict::False),
            ("ENGANOSO", Verdict::Misleading),
            ("Fora de contexto", Verdict::MissingContext),
            ("Engañoso", Verdict::Misleading),
            ("Sin evidencia", Verdict::Unproven),
            ("Verdadero", Verdict::True),
            ("Salah", Verdict::False),
            ("Hoaks", Verdict::False),
            ("Menyesatkan", Verdict::Misleading),
            ("Benar", Verdict::True),
            ("Faux", Verdict::False),
            ("Trompeur", Verdict::Misleading),
            ("Plutôt vrai", Verdict::MostlyTrue),
            ("pants-fire", Verdict::False),
            ("Half True", Verdict::Mixed),
            ("mostly-true", Verdict::MostlyTrue),
            ("barely-true", Verdict::MostlyFalse),
            // Wordings that fell back to `other` before (AFP Factual and
            // Checamos, Maldita, Animal Político, Comprova, Tempo).
            ("Sin contexto", Verdict::MissingContext),
            ("Falsa", Verdict::False),
            ("Montagem", Verdict::False),
            ("Montaje", Verdict::False),
            ("Parcialmente falso", Verdict::Mixed),
            ("Falta contexto", Verdict::MissingContext),
            ("Ligeramente falso", Verdict::Mixed),
            ("Engañosa", Verdict::Misleading),
            ("Bulo", Verdict::False),
            ("Contextualizando", Verdict::MissingContext),
            ("Keliru", Verdict::False),
            ("Konteks Keliru", Verdict::MissingContext),
            ("Partiellement faux", Verdict::Mixed),
            ("Altered", Verdict::False),
        ];
        for (rating, expected) in cases {
            assert_eq!(Verdict::from_rating(rating), expected, "{rating}");
        }
    }

    #[test]
    fn longest_prefix_wins_and_unknown_is_other() {
        assert_eq!(
            Verdict::from_rating("Mostly false: the chart is from 2018"),
            Verdict::MostlyFalse
        );
        assert_eq!(
            Verdict::from_rating("Falso. O vídeo é antigo"),
            Verdict::False
        );
        assert_eq!(Verdict::from_rating("Truely remarkable"), Verdict::Other);
        assert_eq!(Verdict::from_rating(""), Verdict::Other);
    }

    #[test]
    fn numeric_ratings_use_the_scale() {
        assert_eq!(Verdict::from_score(1.0, 1.0, 5.0), Some(Verdict::False));
        assert_eq!(Verdict::from_score(3.0, 1.0, 5.0), Some(Verdict::Mixed));
        assert_eq!(Verdict::from_score(5.0, 1.0, 5.0), Some(Verdict::True));
        assert_eq!(Verdict::from_score(0.0, 0.0, 10.0), Some(Verdict::False));
        assert_eq!(Verdict::from_score(9.0, 1.0, 5.0), None);
        assert_eq!(Verdict::from_score(1.0, 1.0, 1.0), None);
    }

    #[test]
    fn names_round_trip() {
        for verdict in Verdict::ALL {
            assert_eq!(Verdict::from_name(verdict.as_str()), Some(verdict));
        }
    }
}
