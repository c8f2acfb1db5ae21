//! Stance: whether content that matches a claim repeats it, refutes it, or
//! leaves it unclear, and the words that decided.
//!
//! Platforms promote counter-speech: a fact-checker's video or a creator
//! saying "é mentira que as urnas..." uses the claim's own words, and must
//! not be counted or acted on as a video spreading it. The cues are
//! phrases people use to call something false or to doubt it, in the
//! partners' languages, matched on folded words (lower case, no accents);
//! a cue that is also in the claim's own text says nothing (a claim about
//! "votos falsos" is not refuted by repeating it).

use crate::text::fold;
pub use crate::vocab::Stance;

/// Phrases that call a claim false, folded, in Portuguese, Spanish,
/// Indonesian, English and French.
const REFUTING: &[&str] = &[
    // pt
    "e mentira",
    "mentira",
    "e falso",
    "falso",
    "nao e verdade",
    "nao e bem assim",
    "e fake",
    "boato",
    "montagem",
    "e golpe",
    "nao caiam",
    "nao caia",
    "nao acredite",
    "nao acreditem",
    "nao compartilhe",
    "nao repassa",
    "nao repasse",
    "para de espalhar",
    "parem de espalhar",
    "desmentido",
    "inventaram",
    "inventado",
    "inventada",
    "kkkk",
    "o povo acreditando",
    "gente acreditando",
    "nada disso",
    "nao existe",
    "checado",
    "checada",
    "nao tem nada a ver",
    "teoria da conspiracao",
    // es
    "es falso",
    "es mentira",
    "no es cierto",
    "no es verdad",
    "falsa",
    "bulo",
    "montaje",
    "es fake",
    "no se crean",
    "no crean",
    "no caigan",
    "no compartan",
    "dejen de compartir",
    "inventaron",
    "inventado",
    "jajaja",
    "jaja",
    "ni al caso",
    "puro cuento",
    "no existe",
    "invento",
    "no tiene nada que ver",
    "teoria de la conspiracion",
    // id
    "hoaks",
    "tidak benar",
    "gak bener",
    "nggak bener",
    "ga bener",
    "gak benar",
    "bohong",
    "jangan percaya",
    "jangan asal sebar",
    "jangan sebar",
    "editan",
    "fitnah",
    "wkwk",
    "wkwkwk",
    "ngakak",
    "gak ada",
    "tidak ada",
    "cek dulu",
    "klarifikasi",
    "dikoreksi",
    "salah baca",
    "salah kaprah",
    "teori konspirasi",
    // en: phrases, not words: those who spread a claim say "fake news",
    // "false flag" and "hoax" too (4 % of the Snopes train tweets beside
    // their claim read as refutations with the bare words)
    "not true",
    "is false",
    "it's false",
    "that's false",
    "false claim",
    "debunked",
    "no evidence",
    "don't believe",
    "do not believe",
    "didn't happen",
    "is a lie",
    "is fake",
    "it's fake",
    "that's fake",
    "fact check",
    "fact-check",
    "myth",
    // fr
    "faux",
    "fausse",
    "intox",
    "infox",
    "pas vrai",
    "rumeur",
];

/// Phrases that pass a claim on while doubting it.
const DOUBTING: &[&str] = &[
    "nao sei se e verdade",
    "sera que",
    "se for verdade",
    "alguem sabe se",
    "no se si sea cierto",
    "no se si es cierto",
    "sera cierto",
    "quien sabe si",
    "ini beneran",
    "beneran gak",
    "bener gak",
    "bener nggak",
    "not sure if",
    "is this true",
    "can anyone confirm",
    "je ne sais pas si",
];

/// Returns the stance of `text` (the words of the content that match) on
/// a claim, and the cue phrases that decided it (none for `Repeats`).
pub fn stance(text: &str, claim_text: &str) -> (Stance, Vec<String>) {
    let words = folded_words(text);
    let claim = folded_words(claim_text);
    let found = |cues: &[&str]| -> Vec<String> {
        cues.iter()
            .filter(|cue| {
                let cue: Vec<&str> = cue.split(' ').collect();
                contains(&words, &cue) && !contains(&claim, &cue)
            })
            .map(|cue| cue.to_string())
            .collect()
    };
    let refuting = found(REFUTING);
    if !refuting.is_empty() {
        return (Stance::Refutes, refuting);
    }
    let doubting = found(DOUBTING);
    if !doubting.is_empty() {
        return (Stance::Unclear, doubting);
    }
    (Stance::Repeats, Vec::new())
}

/// The folded words of `text`, punctuation dropped (an apostrophe kept).
fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Returns true when `phrase` occurs in `words` as consecutive words.
fn contains(words: &[String], phrase: &[&str]) -> bool {
    !phrase.is_empty()
        && words
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URNAS: &str = "As urnas eletrônicas podem ser hackeadas pela internet durante a votação";

    #[test]
    fn calling_a_claim_false_refutes_it_in_each_language() {
        // Written for this test.
        let refuting = [
            "isso é fake, as urnas eletrônicas não podem ser hackeadas pela internet",
            "É mentira que as urnas eletrônicas podem ser hackeadas pela internet",
            "Es falso que las urnas pueden ser hackeadas por internet durante la votación",
            "hoaks! katanya surat suara bisa diretas lewat internet, jangan percaya",
            "No, voting machines cannot be hacked over the internet, that claim was debunked",
            "C'est faux : les machines à voter ne sont pas connectées à internet",
        ];
        for text in refuting {
            let (stance, cues) = stance(text, URNAS);
            assert_eq!(stance, Stance::Refutes, "{text}");
            assert!(!cues.is_empty());
        }
    }

    #[test]
    fn repeating_or_doubting_is_not_refuting() {
        let (repeats, cues) = stance(
            "Atenção: as urnas eletrônicas podem ser hackeadas pela internet durante a votação, compartilhe!",
            URNAS,
        );
        assert_eq!((repeats, cues.len()), (Stance::Repeats, 0));
        let (doubt, cues) = stance(
            "me mandaram que as urnas podem ser hackeadas pela internet, não sei se é verdade",
            URNAS,
        );
        assert_eq!(doubt, Stance::Unclear);
        assert_eq!(cues, ["nao sei se e verdade"]);
    }

    #[test]
    fn a_cue_the_claim_itself_holds_says_nothing() {
        let claim = "A montagem das urnas de Manaus foi feita por técnicos estrangeiros";
        let (stance, _) = stance(
            "olha isso: a montagem das urnas de Manaus foi feita por técnicos estrangeiros",
            claim,
        );
        assert_eq!(stance, Stance::Repeats);
    }
}
