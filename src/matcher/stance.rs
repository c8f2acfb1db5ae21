//! Stance: whether content that matches a claim repeats it, refutes it, or
//! leaves it unclear, and the words that decided.
//!
//! Platforms promote counter-speech: a fact-checker's video or a creator
//! saying "é mentira que as urnas..." uses the claim's own words, and must
//! not be counted or acted on as a video spreading it. The cues are
//! phrases people use to call something false or to doubt it, in the
//! partners' languages, matched on folded words (lower case, no accents);
//! a word ending in `*` stands for every word it starts ("desment*":
//! "desmentiu", "desmentido"). A cue that is also in the claim's own text
//! says nothing (a claim about "votos falsos" is not refuted by repeating
//! it).
//!
//! A video rarely puts its verdict in the sentence that retells the claim:
//! "Dizem que as urnas de Manaus têm chip. Isso é mentira." So in a short
//! video the sentences next to the span are read too (`AROUND` on each
//! side), except those that say another matched claim: their cues are
//! that claim's.

use crate::text::fold;
pub use crate::vocab::Stance;

/// Sentences read on each side of a match's span in a short video.
pub const AROUND: usize = 2;

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
    // pt, the words of fact-checkers' verdicts and denials (written for
    // this project from how Brazilian checks and creators word them)
    "falsos",
    "falsas",
    "boatos",
    "mentiras",
    "mentiroso",
    "mentirosa",
    "desinformacao",
    "enganoso",
    "enganosa",
    "inveridic*",
    "desment*",
    "nunca aconteceu",
    "nao aconteceu",
    "nao procede",
    "sem fundamento",
    "infundad*",
    "fora de contexto",
    "nao e real",
    "checamos",
    "checagem",
    "mentirada",
    "lorota",
    "invencao",
    "tirad* do contexto",
    "tirad* de contexto",
    "fora do contexto",
    "para de mandar",
    "parem de mandar",
    "para de compartilhar",
    "parem de compartilhar",
    // a recycled picture is a debunk's word, rarely a spreader's
    "video antigo",
    "foto antiga",
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
    // es, verdicts and denials
    "falsos",
    "falsas",
    "falsedad",
    "bulos",
    "mentiras",
    "mentiroso",
    "mentirosa",
    "desinformacion",
    "enganoso",
    "enganosa",
    "desmint*",
    "desment*",
    "nunca paso",
    "nunca ocurrio",
    "nunca sucedio",
    "eso no paso",
    "no es real",
    "sin fundamento",
    "infundad*",
    "fuera de contexto",
    "sacado de contexto",
    "verificamos",
    "trucha",
    "vender humo",
    "vendan humo",
    "no se dejen enganar",
    "no te dejes enganar",
    "dejen de mandar",
    "video viejo",
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
    // id, verdicts and denials ("hoax" alone is English spreaders' word too)
    "itu hoax",
    "berita palsu",
    "kabar palsu",
    "informasi palsu",
    "keliru",
    "disinformasi",
    "misinformasi",
    "menyesatkan",
    "membantah",
    "dibantah",
    "bantahan",
    "diklarifikasi",
    "tidak terbukti",
    "cek fakta",
    "suntingan",
    "narasi salah",
    "meluruskan",
    "diluruskan",
    "jangan disebar",
    "jangan termakan",
    "video lama",
    "foto lama",
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
    "misleading",
    // fr
    "faux",
    "fausse",
    "intox",
    "infox",
    "pas vrai",
    "rumeur",
    "desinformation",
    "trompeur",
    "trompeuse",
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
    stance_around(&[text], claim_text)
}

/// Returns the stance of `sentences` on a claim: the sentences that say
/// it and those read around them (see the module's note), each read on
/// its own so that no cue runs across two.
pub fn stance_around(sentences: &[&str], claim_text: &str) -> (Stance, Vec<String>) {
    let sentences: Vec<Vec<String>> = sentences.iter().map(|s| folded_words(s)).collect();
    let claim = folded_words(claim_text);
    let found = |cues: &[&str]| -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for cue in cues {
            let phrase: Vec<&str> = cue.split(' ').collect();
            if sentences.iter().any(|words| contains(words, &phrase))
                && !contains(&claim, &phrase)
                && !found.iter().any(|f| f == cue)
            {
                found.push(cue.to_string());
            }
        }
        found
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

/// Returns true when `phrase` occurs in `words` as consecutive words; a
/// part ending in `*` matches every word it starts.
fn contains(words: &[String], phrase: &[&str]) -> bool {
    let same = |word: &String, part: &&str| match part.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == part,
    };
    !phrase.is_empty()
        && words
            .windows(phrase.len())
            .any(|w| w.iter().zip(phrase).all(|(a, b)| same(a, b)))
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
    fn the_words_of_fact_checkers_verdicts_and_denials_refute() {
        // Written for this test: how checks and creators word a verdict.
        for (text, cue) in [
            (
                "Essa história das urnas hackeadas pela internet é desinformação",
                "desinformacao",
            ),
            (
                "É enganoso o post que diz que as urnas podem ser hackeadas",
                "enganoso",
            ),
            (
                "O TSE desmentiu que as urnas podem ser hackeadas pela internet",
                "desment*",
            ),
            (
                "Isso nunca aconteceu, as urnas não são hackeadas pela internet",
                "nunca aconteceu",
            ),
            (
                "El INE desmintió que las urnas puedan ser hackeadas por internet",
                "desmint*",
            ),
            (
                "Es engañoso: las urnas no se pueden hackear por internet",
                "enganoso",
            ),
            (
                "Itu berita palsu, surat suara tidak bisa diretas lewat internet",
                "berita palsu",
            ),
            (
                "KPU membantah mesin bisa diretas lewat internet",
                "membantah",
            ),
            (
                "Klaim itu menyesatkan, mesin tidak terhubung ke internet",
                "menyesatkan",
            ),
        ] {
            let (stance, cues) = stance(text, URNAS);
            assert_eq!(stance, Stance::Refutes, "{text}");
            assert!(cues.iter().any(|c| c == cue), "{text}: {cues:?}");
        }
    }

    #[test]
    fn a_cue_read_around_the_claim_counts_once_and_not_across_sentences() {
        let (stance, cues) = stance_around(
            &[
                "as urnas eletrônicas podem ser hackeadas pela internet",
                "isso é mentira",
                "é mentira mesmo",
            ],
            URNAS,
        );
        assert_eq!(stance, Stance::Refutes);
        assert_eq!(cues, ["e mentira", "mentira"]);
        // "não" ending one sentence and "é verdade" opening the next are
        // not "não é verdade".
        let (stance, _) = stance_around(
            &[
                "as urnas eletrônicas podem ser hackeadas pela internet? não",
                "é verdade, compartilhe",
            ],
            URNAS,
        );
        assert_eq!(stance, Stance::Repeats);
    }

    #[test]
    fn a_cue_the_claim_itself_holds_says_nothing() {
        let claim = "A montagem das urnas de Manaus foi feita por técnicos estrangeiros";
        let (stance, _) = stance(
            "olha isso: a montagem das urnas de Manaus foi feita por técnicos estrangeiros",
            claim,
        );
        assert_eq!(stance, Stance::Repeats);
        // A cue standing for the words it starts: the claim's form of the
        // word is enough.
        let claim = "O TSE desmentiu a auditoria e escondeu o relatório das Forças Armadas";
        let (read, _) = super::stance(
            "o TSE desmente a auditoria e esconde o relatório das Forças Armadas",
            claim,
        );
        assert_eq!(read, Stance::Repeats);
    }
}
