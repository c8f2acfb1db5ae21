//! Numbers said in words, read as numbers.
//!
//! Speech transcribed by a platform writes numbers as they are said:
//! "duzentos e dez votos", "seratus lima puluh ribu", "trescientos diez".
//! Checks write them in digits ("210 votos", "Rp 150 ribu"), and two checks
//! of one falsehood often differ by nothing else (37 votes before opening
//! and 210). This reads runs of number words in pt, es, id and en (folded)
//! up to the hundreds; a scale word ("mil", "ribu", "thousand") ends the
//! run and stays a word, as the checks write "150 ribu" or "1.200".

use super::clock::Time;

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

/// The value a scale word multiplies the number before it by, folded:
/// "50 mil", "150 ribu", "2 juta", "1,2 mil", and the glued and slang
/// forms ("150rb", "150k", "2jt", "lima jeti", "veinte lucas", "dos
/// palos"). Read only after a number.
fn scale(word: &str) -> Option<u128> {
    Some(match word {
        "mil" | "ribu" | "rb" | "rebu" | "k" | "thousand" | "lucas" | "luca" => 1_000,
        "milhao" | "milhoes" | "millon" | "millones" | "juta" | "jt" | "jeti" | "million"
        | "millions" | "palo" | "palos" => 1_000_000,
        "bilhao" | "bilhoes" | "miliar" | "billion" | "billions" => 1_000_000_000,
        _ => return None,
    })
}

/// Thousandths in a unit: a number is read in thousandths so that "1,2
/// mil" and "1,5 juta" are whole once scaled.
const MILLI: u128 = 1_000;

/// Returns the amounts `folded` says, each as one whole number however it
/// is written: "R$ 1.200", "1200 reais", "R$1.200,00", "1,2 mil" and "mil
/// e duzentos" are all 1200; "Rp 150 ribu", "Rp150.000", "150rb", "150k"
/// and "seratus lima puluh ribu" are all 150000. Checks and captions write
/// one amount in all these ways, and two checks of one falsehood often
/// differ by the amount alone (`siblings.rs`). Decimals below a unit are
/// dropped.
pub fn amounts(folded: &str) -> Vec<u64> {
    read_amounts(folded, true)
}

/// The amounts `folded` writes in digits (with a scale after them or
/// glued: "50 mil", "150rb"), read as `amounts` reads them. Numbers said
/// in words are left out: in long English speech they are mostly not
/// amounts ("two things", "one of the three"), and they cost the
/// reranking model's number features 0.007 MAP@5 on debates dev.
pub fn written_amounts(folded: &str) -> Vec<u64> {
    read_amounts(folded, false)
}

/// `text` with the value of each amount it says after it, in digits,
/// where the text does not already hold that number as a word: "R$
/// 1.200" (the words "1" and "200") is also "1200", "Rp 150 ribu" also
/// "150000", "mil e duzentos" also "1200" when `in_words`. Claims and
/// content are searched and compared as this reads them, so that an
/// amount written otherwise than the check writes it is still a word
/// they share ("1200 reais" and "R$ 1.200", "150rb" and "Rp 150 ribu").
/// Numbers said in words count only `in_words` (posts and short videos:
/// in long speech they are mostly not amounts, `written_amounts`).
/// Times of day are read the same way, each as its hour on a 24-hour
/// clock ("sete da noite" is also "19h", `clock.rs`), and are no amounts.
pub fn with_values(text: &str, in_words: bool) -> std::borrow::Cow<'_, str> {
    let folded = crate::text::fold(text);
    let said: std::collections::HashSet<&str> = crate::text::words(&folded).collect();
    let read = read_values(&folded, in_words);
    // In the order said, each once (a set: a caption may say thousands).
    let mut seen = std::collections::HashSet::new();
    let values: Vec<String> = read
        .amounts
        .into_iter()
        .map(|value| value.to_string())
        .chain(read.times.into_iter().map(Time::word))
        .filter(|value| !said.contains(value.as_str()) && seen.insert(value.clone()))
        .collect();
    if values.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(format!("{text} {}", values.join(" ")))
}

/// The amounts and times of day a text says, in the order said.
#[derive(Default)]
struct Values {
    amounts: Vec<u64>,
    times: Vec<Time>,
}

fn read_amounts(folded: &str, in_words: bool) -> Vec<u64> {
    read_values(folded, in_words).amounts
}

/// The times of day `folded` says, as `with_values` reads them.
pub(super) fn times(folded: &str, in_words: bool) -> Vec<Time> {
    read_values(folded, in_words).times
}

/// Returns true when `content` and `claim` both say times of day and
/// none of them is the same: polling stations open "dari jam tujuh pagi
/// sampai jam satu siang" are not the station "ditutup jam 11 siang",
/// however near the two are by meaning.
pub(super) fn times_differ(content: &str, claim: &str) -> bool {
    let said = times(&crate::text::fold(content), true);
    if said.is_empty() {
        return false;
    }
    let checked = times(&crate::text::fold(claim), true);
    !checked.is_empty() && !said.iter().any(|time| checked.contains(time))
}

/// Words that place one thing before or after another, by language: the
/// first of each pair "before", the rest "after".
fn order_words(language: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match language {
        "pt" => (&["antes"], &["depois", "apos"]),
        "es" => (&["antes"], &["despues", "luego"]),
        "id" => (&["sebelum"], &["setelah", "sesudah", "usai"]),
        _ => (&[], &[]),
    }
}

/// Small words between an order word and what it orders ("depois de
/// apertar o confirma", "antes del cierre").
const ORDER_JOINING: &[&str] = &[
    "de", "do", "da", "dos", "das", "del", "que", "o", "a", "os", "as", "el", "la", "los", "las",
    "di", "itu",
];

/// What each order word of `words` places before or after: the first
/// word after it, small words aside, by its first five letters
/// ("apert" for "apertar", "apertou"), with whether the word said
/// "before".
fn ordered(words: &[&str], language: &str) -> Vec<(bool, String)> {
    let (before, after) = order_words(language);
    let mut found = Vec::new();
    for (at, word) in words.iter().enumerate() {
        let is_before = before.contains(word);
        if !is_before && !after.contains(word) {
            continue;
        }
        if let Some(what) = words[at + 1..]
            .iter()
            .take(3)
            .find(|w| !ORDER_JOINING.contains(w))
        {
            found.push((is_before, what.chars().take(5).collect()));
        }
    }
    found
}

/// Returns true when `content` places before what `claim` places after,
/// or the reverse, and never as the claim does (in the claim's
/// `language`): "antes de apertar confirma confere o número" is how to
/// vote, not the check that the vote "pode corrigir depois de apertar o
/// confirma".
pub(super) fn order_reversed(content: &str, claim: &str, language: &str) -> bool {
    let claim_folded = crate::text::fold(claim);
    let claimed = ordered(
        &crate::text::words(&claim_folded).collect::<Vec<_>>(),
        language,
    );
    if claimed.is_empty() {
        return false;
    }
    let folded = crate::text::fold(content);
    let said = ordered(&crate::text::words(&folded).collect::<Vec<_>>(), language);
    claimed.iter().any(|(before, what)| {
        said.iter().any(|(b, w)| b != before && w == what)
            && !said.iter().any(|(b, w)| b == before && w == what)
    })
}

fn read_values(folded: &str, in_words: bool) -> Values {
    let mut found = Values::default();
    for stretch in stretches(folded) {
        read_stretch(&stretch, in_words, &mut found);
    }
    found
}

/// Marks that end a stretch of words after them ("R$ 50, mil vezes") or,
/// opening, before them: an amount is never read across one. The usual
/// names matching adds after a text are in brackets ("dos palos
/// (millones de pesos)" is two million, not two million million).
const ENDS_AFTER: &[char] = &[',', ';', ':', '.', '!', '?', ')', ']', '"', '”', '»'];
const ENDS_BEFORE: &[char] = &['(', '[', '"', '“', '«'];

/// The words of `folded` in stretches that no punctuation divides, each
/// word without the marks around it (a currency sign kept).
fn stretches(folded: &str) -> Vec<Vec<&str>> {
    let mut stretches: Vec<Vec<&str>> = vec![Vec::new()];
    for raw in folded.split_whitespace() {
        if raw.starts_with(ENDS_BEFORE) {
            stretches.push(Vec::new());
        }
        let word = raw.trim_matches(|c: char| !(c.is_alphanumeric() || c == '$'));
        if !word.is_empty() {
            stretches.last_mut().expect("never empty").push(word);
        }
        if raw.ends_with(ENDS_AFTER) {
            stretches.push(Vec::new());
        }
    }
    stretches
}

/// Reads the amounts and times of one stretch of words into `found`.
fn read_stretch(tokens: &[&str], in_words: bool, found: &mut Values) {
    let mut at = 0;
    while at < tokens.len() {
        if let Some((time, used)) = super::clock::time_at(tokens, at, in_words) {
            found.times.push(time);
            at += used;
            continue;
        }
        let read = written_in_digits(tokens[at])
            .map(|value| (value, 1))
            .or_else(|| said_in_words(&tokens[at..]).filter(|_| in_words));
        let Some((mut value, used)) = read else {
            at += 1;
            continue;
        };
        at += used;
        // "50 mil", "mil millones": each scale after the number.
        while let Some(times) = tokens.get(at).and_then(|t| scale(t)) {
            value = value.saturating_mul(times);
            at += 1;
        }
        found
            .amounts
            .push(u64::try_from(value / MILLI).unwrap_or(u64::MAX));
    }
}

/// The hour a number word says, for `clock`: "sete", "ocho", "tiga";
/// "uma" and "una" too (the day part after them says they are hours).
pub(super) fn hour_word(word: &str) -> Option<u32> {
    match part(word)? {
        Part::Add(hour) if hour < 24 => u32::try_from(hour).ok(),
        _ => None,
    }
}

/// A number written in digits, in thousandths: "1200", "1.200" and
/// "1,200" (thousands), "1,2" and "1.5" (decimals), "1.200,00", after a
/// currency ("R$1.200", "Rp150.000", "$50000") and before a glued scale
/// ("150rb", "150k", "2jt").
fn written_in_digits(token: &str) -> Option<u128> {
    let token = ["r$", "us$", "rp", "$"]
        .iter()
        .find_map(|currency| token.strip_prefix(currency))
        .unwrap_or(token);
    let digits_end = token
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(token.len());
    let (number, suffix) = token.split_at(digits_end);
    if !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let times = match suffix {
        "" => 1,
        suffix => scale(suffix)?,
    };
    let number = number.trim_end_matches(['.', ',']);
    // The last separator is the decimal one when the groups do not read
    // as thousands ("1.200", "150.000", "1,200": three digits each).
    let thousands = |separator: char| {
        let mut groups = number.split(separator);
        groups.next().is_some_and(|g| (1..=3).contains(&g.len())) && groups.all(|g| g.len() == 3)
    };
    let (whole, fraction) = match number.rfind(['.', ',']) {
        None => (number, ""),
        Some(last) => {
            let separator = number[last..].chars().next()?;
            let other = if separator == '.' { ',' } else { '.' };
            if number.contains(other) {
                // "1.200,00": the last separator marks the decimals.
                (&number[..last], &number[last + 1..])
            } else if thousands(separator) {
                (number, "")
            } else if number.matches(separator).count() == 1 {
                (&number[..last], &number[last + 1..])
            } else {
                return None;
            }
        }
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    let whole: u128 = whole.parse().ok()?;
    let mut milli = whole.checked_mul(MILLI)?;
    for (place, digit) in fraction.chars().take(3).enumerate() {
        let digit = u128::from(digit.to_digit(10)?);
        milli += digit * 10u128.pow(2 - place as u32);
    }
    milli.checked_mul(times)
}

/// A number said in words from the first of `tokens`, in thousandths,
/// and how many words it took: "mil e duzentos" (1200), "seratus lima
/// puluh ribu" (150000), "dois mil e vinte e dois" (2022). As in
/// `spelled`, an article or look-alike alone is no number.
fn said_in_words(tokens: &[&str]) -> Option<(u128, usize)> {
    let (mut total, mut value, mut last) = (0u128, 0u128, 0u128);
    let (mut parts, mut plain, mut used) = (0usize, false, 0usize);
    let mut room = u128::MAX;
    for (at, word) in tokens.iter().enumerate() {
        match (part(word), scale(word)) {
            (Some(Part::Join), _) if parts > 0 => continue,
            (Some(Part::Add(n)), _) if u128::from(n) <= room => {
                let n = u128::from(n);
                value += n;
                last = n;
                plain |= !AMBIGUOUS.contains(word);
                room = match n {
                    100.. => 99,
                    20.. if n % 10 == 0 => 9,
                    _ => 0,
                };
            }
            (Some(Part::Times(n)), _) if last < 10 => {
                let n = u128::from(n);
                value = value - last + last.max(1) * n;
                (last, room, plain) = (0, n - 1, true);
            }
            (Some(Part::Teen), _) if parts > 0 && last < 10 => {
                value += 10;
                (last, room) = (0, 0);
            }
            // "mil e duzentos": a scale word in the run, with or without a
            // number before it.
            (_, Some(times)) if *word != "k" && *word != "rb" && *word != "jt" => {
                if parts == 0 && !matches!(*word, "mil" | "thousand") {
                    break;
                }
                // Saturating: a caption may repeat "mil" at will.
                if value == 0 && total > 0 {
                    // "mil millones": a scale of the scale before it.
                    total = total.saturating_mul(times);
                } else {
                    total = total.saturating_add(value.max(1).saturating_mul(times));
                }
                (value, last, room, plain) = (0, 0, u128::MAX, true);
            }
            _ => break,
        }
        parts += 1;
        used = at + 1;
    }
    (parts >= 2 || plain).then(|| (total.saturating_add(value).saturating_mul(MILLI), used))
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
    fn an_amount_reads_the_same_however_it_is_written() {
        let read = |text: &str| amounts(&crate::text::fold(text));
        for text in [
            "R$ 1.200",
            "1200 reais",
            "R$1.200,00",
            "R$ 1,2 mil",
            "mil e duzentos pila",
        ] {
            assert_eq!(read(text), [1200], "{text}");
        }
        for text in [
            "Rp 150 ribu",
            "Rp150.000",
            "150rb",
            "150 rb",
            "150k",
            "seratus lima puluh ribu",
            "seratus lima puluh rebu",
        ] {
            assert_eq!(read(text), [150_000], "{text}");
        }
        assert_eq!(read("una multa de 50 mil pesos"), [50_000]);
        assert_eq!(read("cincuenta lucas"), [50_000]);
        assert_eq!(read("Rp 1,5 juta"), [1_500_000]);
        assert_eq!(read("mil millones de pesos"), [1_000_000_000]);
        assert_eq!(read("dois mil e vinte e dois"), [2022]);
        assert_eq!(read("US$ 1,200.50"), [1200]);
        // No amount is read across a mark: the usual names matching adds
        // in brackets, a comma, the end of a sentence.
        assert_eq!(read("dan dos palos (millones de pesos)"), [2_000_000]);
        assert_eq!(read("honor lima jeti (juta)"), [5_000_000]);
        assert_eq!(read("paguei 50. mil vezes eu disse"), [50, 1000]);
        assert_eq!(read("R$ 1.200, mil e duzentos reais"), [1200, 1200]);
        // However long, an amount is read whole and fits.
        assert_eq!(read(&"mil ".repeat(40)), [u64::MAX]);
        assert_eq!(read(&format!("{} juta", "9".repeat(60))), Vec::<u64>::new());
        // Two amounts, and what is not one: times, dates, codes, articles.
        assert_eq!(read("de 37 votos para 210"), [37, 210]);
        for text in [
            "às 8h",
            "18h30",
            "06/12/2026",
            "formulario E-14",
            "um candidato",
            "Lima",
        ] {
            assert!(read(text).is_empty(), "{text}: {:?}", read(text));
        }
    }

    #[test]
    fn a_text_is_searched_with_the_values_of_the_amounts_it_writes_otherwise() {
        assert_eq!(
            with_values("subiu para R$ 1.200", false),
            "subiu para R$ 1.200 1200"
        );
        assert_eq!(
            with_values("bayar Rp 150 ribu", false),
            "bayar Rp 150 ribu 150000"
        );
        // Each value once, in the order said.
        assert_eq!(
            with_values("R$ 1.200 ou Rp 150 ribu ou R$1.200,00", false),
            "R$ 1.200 ou Rp 150 ribu ou R$1.200,00 1200 150000"
        );
        // A number written as its value is not said twice.
        assert_eq!(with_values("37 votos às 8h", false), "37 votos às 8h");
        // Numbers said in words count only when asked (short content).
        assert_eq!(
            with_values("mil e duzentos pila", false),
            "mil e duzentos pila"
        );
        assert_eq!(
            with_values("mil e duzentos pila", true),
            "mil e duzentos pila 1200"
        );
        assert_eq!(with_values("two things", true), "two things 2");
        // Times of day by their hour, and no amount in them.
        assert_eq!(
            with_values("até as sete da noite", true),
            "até as sete da noite 19h"
        );
        assert_eq!(
            with_values("diumumkan pukul 15.00 WIB", false),
            "diumumkan pukul 15.00 WIB 15h"
        );
        assert!(amounts("pukul 15.00 WIB, jam tiga sore").is_empty());
    }

    #[test]
    fn an_order_reversed_is_read_only_against_the_claims_own() {
        let corrige = "Eleitor que digitar o número errado pode corrigir o voto depois de apertar o confirma.";
        assert!(order_reversed(
            "antes de apertar confirma confere o número, se errou aperta corrige e digita de novo",
            corrige,
            "pt"
        ));
        // Said as the claim says it too, or nothing placed.
        assert!(!order_reversed(
            "dá pra corrigir depois de apertar o confirma, não só antes de apertar",
            corrige,
            "pt"
        ));
        assert!(!order_reversed(
            "pode corrigir o voto, é só chamar o mesário",
            corrige,
            "pt"
        ));
        // Before something else.
        assert!(!order_reversed(
            "antes de sair de casa confere o número do candidato",
            corrige,
            "pt"
        ));
        assert!(order_reversed(
            "hasil hitung cepat diumumkan sebelum pemungutan suara selesai",
            "Hasil hitung cepat baru boleh diumumkan setelah pemungutan suara selesai.",
            "id"
        ));
    }

    #[test]
    fn hours_differ_only_when_both_say_one_and_none_is_the_same() {
        let closed = "TPS di Kupang ditutup jam 11 siang karena petugas mau pulang cepat.";
        assert!(times_differ(
            "TPS di Kupang buka dari jam tujuh pagi sampai jam satu siang",
            closed
        ));
        // The check's hour among others, said in words.
        assert!(!times_differ(
            "dibuka jam tujuh pagi, tapi udah tutup jam sebelas siang",
            closed
        ));
        // No hour on either side.
        assert!(!times_differ("TPS di Kupang tutup lebih awal", closed));
        assert!(!times_differ(
            "TPS buka jam tujuh pagi",
            "TPS di Kupang ditutup lebih awal."
        ));
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
