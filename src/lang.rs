//! Languages: which ones get a stemmed field, and detection for text that
//! does not say what it is.

/// Languages with their own stemmed index field. Others are matched through
/// the language-neutral folded field only.
pub const STEMMED: [&str; 5] = ["en", "pt", "es", "fr", "id"];

/// Returns true when `lang` (a primary subtag) has a stemmed field.
pub fn is_stemmed(lang: &str) -> bool {
    STEMMED.contains(&lang)
}

/// Returns the detected primary language subtag of `text` when whatlang is
/// reasonably sure, else `None`.
///
/// Short texts are where detection goes wrong (a tweet with two names and a
/// URL), so an unreliable guess among the stemmed languages is still
/// accepted only when its confidence is high enough to beat the caller's
/// fallback.
pub fn detect(text: &str) -> Option<String> {
    let info = whatlang::detect(text)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

/// Returns the ISO 639-1 code for the languages the service sees most, and
/// the ISO 639-3 code for the rest.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang;
    match lang {
        Lang::Eng => "en",
        Lang::Por => "pt",
        Lang::Spa => "es",
        Lang::Fra => "fr",
        Lang::Ind => "id",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Tgl => "tl",
        Lang::Hin => "hi",
        Lang::Ara => "ar",
        Lang::Rus => "ru",
        Lang::Tur => "tr",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_five_main_languages() {
        let samples = [
            (
                "en",
                "The electronic voting machines were hacked before the election and the results changed.",
            ),
            (
                "pt",
                "As urnas eletrônicas foram fraudadas antes da eleição e os votos foram trocados.",
            ),
            (
                "es",
                "Las boletas electorales fueron manipuladas antes de la elección y los votos fueron cambiados.",
            ),
            (
                "fr",
                "Les machines à voter ont été piratées avant l'élection et les résultats ont été modifiés.",
            ),
            (
                "id",
                "Surat suara pemilu sudah dicoblos sebelum hari pemungutan suara di tempat pemungutan suara.",
            ),
        ];
        for (lang, text) in samples {
            assert_eq!(detect(text).as_deref(), Some(lang), "{text}");
        }
    }

    #[test]
    fn no_guess_without_letters() {
        assert_eq!(detect("12345 !!!"), None);
    }
}
