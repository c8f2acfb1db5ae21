//! Numbers said in words, read as numbers.
//!
//! Speech transcribed by a platform writes numbers as they are said:
//! "duzentos e dez votos", "seratus lima puluh ribu", "trescientos diez".
//! Checks write them in digits ("210 votos", "Rp 150 ribu"), and two checks
//! of one falsehood often differ by nothing else (37 votes before opening
//! and 210). This reads runs of number words in pt, es, id and en (folded)
//! up to the hundreds; a scale word ("mil", "ribu", "thousand") ends the
//! run and stays a word, as the checks write "150 ribu" or "1.200".

/// What a number word does to the number being read.
#[derive(Clone, Copy)]
enum Part {
    /// Adds its value (units, teens, tens, hundreds said in one word).
    Add(u64),
    /// Multiplies the last unit read: "dua ratus", "lima puluh", "two
    /// hundred".
    Times(u64),
    /// Adds ten to the last unit read: "dua belas" (twelve).
    Teen,
    /// "e", "y", "and" between parts of one number.
    Join,
}

/// The number words of pt, es, id and en, folded.
fn part(word: &str) -> Option<Part> {
    use Part::{Add, Join, Teen, Times};
    let value = match word {
        "e" | "y" | "and" => return Some(Join),
        "puluh" => return Some(Times(10)),
        "ratus" | "hundred" => return Some(Times(100)),
        "belas" => return Some(Teen),
        "zero" | "cero" | "nol" | "kosong" => 0,
        "um" | "uma" | "un" | "uno" | "una" | "satu" | "one" => 1,
        "dois" | "duas" | "dos" | "dua" | "two" => 2,
        "tres" | "tiga" | "three" => 3,
        "quatro" | "cuatro" | "empat" | "four" => 4,
        "cinco" | "lima" | "five" => 5,
        "seis" | "enam" | "six" => 6,
        "sete" | "siete" | "tujuh" | "seven" => 7,
        "oito" | "ocho" | "delapan" | "eight" => 8,
        "nove" | "nueve" | "sembilan" | "nine" => 9,
        "dez" | "diez" | "sepuluh" | "ten" => 10,
        "onze" | "once" | "sebelas" | "eleven" => 11,
        "doze" | "doce" | "twelve" => 12,
        "treze" | "trece" | "thirteen" => 13,
        "catorze" | "quatorze" | "catorce" | "fourteen" => 14,
        "quinze" | "quince" | "fifteen" => 15,
        "dezesseis" | "dieciseis" | "sixteen" => 16,
        "dezessete" | "diecisiete" | "seventeen" => 17,
        "dezoito" | "dieciocho" | "eighteen" => 18,
        "dezenove" | "diecinueve" | "nineteen" => 19,
        "vinte" | "veinte" | "twenty" => 20,
        "veintiuno" | "veintiun" | "veintiuna" => 21,
        "veintidos" => 22,
        "veintitres" => 23,
        "veinticuatro" => 24,
        "veinticinco" => 25,
        "veintiseis" => 26,
        "veintisiete" => 27,
        "veintiocho" => 28,
        "veintinueve" => 29,
        "trinta" | "treinta" | "thirty" => 30,
        "quarenta" | "cuarenta" | "forty" => 40,
        "cinquenta" | "cincuenta" | "fifty" => 50,
        "sessenta" | "sesenta" | "sixty" => 60,
        "setenta" | "seventy" => 70,
        "oitenta" | "ochenta" | "eighty" => 80,
        "noventa" | "ninety" => 90,
        "cem" | "cento" | "cien" | "ciento" | "seratus" => 100,
        "duzentos" | "duzentas" | "doscientos" | "doscientas" => 200,
        "trezentos" | "trezentas" | "trescientos" | "trescientas" => 300,
        "quatrocentos" | "cuatrocientos" => 400,
        "quinhentos" | "quinientos" => 500,
        "seiscentos" | "seiscientos" => 600,
        "setecentos" | "setecientos" => 700,
        "oitocentos" | "ochocientos" => 800,
        "novecentos" | "novecientos" => 900,
        _ => return None,
    };
    Some(Add(value))
}

/// Number words that are other words as often: articles ("um", "una",
/// "one"), "dos" (Portuguese "of the"), "once" (English), "lima" (Peru's
/// capital). Alone they are not read as numbers.
const AMBIGUOUS: &[&str] = &[
    "um", "uma", "un", "uno", "una", "one", "dos", "once", "lima",
];

/// Articles that are also the number one: "um pau de selfie", "um conto
/// de fadas" say no amount.
const ARTICLES: &[&str] = &["um", "uma", "un", "una", "one"];

/// Whether a folded word says an amount: digits, a number word other than
/// an article, or a scale ("mil", "ribu", "juta", "millones").
pub fn says_amount(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
        || !ARTICLES.contains(&word) && matches!(part(word), Some(Part::Add(_) | Part::Times(_)))
        || matches!(
            word,
            "mil"
                | "milhao"
                | "milhoes"
                | "millon"
                | "millones"
                | "ribu"
                | "juta"
                | "miliar"
                | "thousand"
                | "million"
                | "millions"
        )
}

/// Returns the numbers said in words among `words` (folded, in order), in
/// digits.
pub fn spelled(words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut value = 0u64;
    let mut last = 0u64;
    let mut parts = 0usize;
    // Whether the run holds a word that can only be a number.
    let mut plain = false;
    // The most the next word may add to the number read: below its last
    // place ("duzentos e dez", not "dez duzentos"; "uno dos tres" is three
    // numbers).
    let mut room = u64::MAX;
    let flush = |value: u64, parts: usize, plain: bool, found: &mut Vec<String>| {
        if parts >= 2 || plain {
            found.push(value.to_string());
        }
    };
    for word in words {
        match part(word) {
            Some(Part::Join) if parts > 0 => continue,
            Some(Part::Add(n)) => {
                if n > room {
                    flush(value, parts, plain, &mut found);
                    (value, parts, plain) = (0, 0, false);
                }
                value += n;
                last = n;
                parts += 1;
                plain |= !AMBIGUOUS.contains(word);
                room = match n {
                    100.. => 99,
                    20.. if n % 10 == 0 => 9,
                    _ => 0,
                };
            }
            Some(Part::Times(n)) if parts > 0 && last < 10 => {
                value = value - last + last.max(1) * n;
                last = 0;
                parts += 1;
                room = n - 1;
            }
            Some(Part::Times(n)) => {
                // "hundred" with nothing before it: one hundred.
                if parts > 0 {
                    flush(value, parts, plain, &mut found);
                }
                (value, last, parts, plain, room) = (n, 0, 1, true, n - 1);
            }
            Some(Part::Teen) if parts > 0 && last < 10 => {
                value += 10;
                last = 0;
                parts += 1;
                room = 0;
            }
            _ => {
                if parts > 0 {
                    flush(value, parts, plain, &mut found);
                }
                (value, last, parts, plain, room) = (0, 0, 0, false, u64::MAX);
            }
        }
    }
    if parts > 0 {
        flush(value, parts, plain, &mut found);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<String> {
        let folded = crate::text::fold(text);
        let words: Vec<&str> = crate::text::words(&folded).collect();
        spelled(&words)
    }

    #[test]
    fn numbers_said_in_words_are_read_in_each_language() {
        assert_eq!(read("já tinha duzentos e dez votos às oito"), ["210", "8"]);
        assert_eq!(read("mil e duzentos pila de multa"), ["200"]);
        assert_eq!(
            read("trescientos diez votos por un solo aspirante"),
            ["310"]
        );
        assert_eq!(read("treinta y dos mesas"), ["32"]);
        assert_eq!(read("veintitrés boletas"), ["23"]);
        assert_eq!(read("bayar seratus lima puluh ribu"), ["150"]);
        assert_eq!(read("dua ratus tiga belas suara"), ["213"]);
        assert_eq!(read("two hundred and ten ballots"), ["210"]);
        // Articles and look-alikes are not numbers; words between numbers
        // part them.
        assert!(read("um candidato e uma urna").is_empty());
        assert!(read("a contagem dos votos em Lima").is_empty());
        assert_eq!(read("dos mil votos"), Vec::<String>::new());
        assert_eq!(read("uno dos tres"), ["3"]);
        assert_eq!(read("cuarenta y cinco, diez"), ["45", "10"]);
        assert_eq!(read("dez votos e vinte urnas"), ["10", "20"]);
    }

    #[test]
    fn amounts_are_digits_number_words_and_scales() {
        for word in [
            "1200", "duzentos", "dos", "lima", "puluh", "mil", "ribu", "millones",
        ] {
            assert!(says_amount(word), "{word}");
        }
        for word in ["", "pila", "votos", "12a", "lucas", "um", "una"] {
            assert!(!says_amount(word), "{word}");
        }
    }
}
