//! Words disguised to slip past filters, read as they are meant.
//!
//! Creators who know that platforms filter election falsehoods by their
//! words spell those words so that a filter misses them and a reader does
//! not: digits for letters ("urn4s", "fr4ud3", "e1eição", "v0t0"), an `@`
//! for an `a` ("fr@ude"), the letters of a word set apart ("f r a u d e",
//! "a.t.e.n.ç.ã.o", "u-r-n-a"). Others stretch a word for emphasis
//! ("mentiraaaa", "seeeee", "osssss"). Each of these is a word no claim
//! holds and the encoder has never seen in that shape, so the retelling
//! that most wants to be missed was: multilingual-dev's near-verbatim
//! captions with a digit in every long word reached `review` 7 times in
//! 60 (docs/matching.md, "Disguised spellings").
//!
//! What stays as written: numbers ("1.200", "13", "2022"), numbers glued
//! to words ("Lula13", "COVID19", "18h30", "2turno", "13anos": a run of
//! two digits or more, or a digit that starts a word), product and unit
//! names with one letter or a short stem ("4G", "PS5", "mp3"), handles and
//! e-mail addresses, a word that is one letter said again ("kkkk", "www"),
//! and letters set apart by spaces when fewer than four in a row (the
//! Portuguese "e", "o", "a" are words).

use std::borrow::Cow;

/// Letters set apart by spaces are read as one word from this many on:
/// "e o a" are three Portuguese words, "f r a u d e" is one.
const SPACED_LETTERS: usize = 4;

/// Letters set apart by a dot, hyphen, underscore, asterisk or middle dot
/// are read as one word from this many on ("E.U.A." is "EUA", "U.S." stays).
const DOTTED_LETTERS: usize = 3;

/// Returns `text` with its disguised words read as meant, or `text` itself
/// when it has none.
pub fn undisguised(text: &str) -> Cow<'_, str> {
    let spaced = joined_spaced_letters(text);
    if !spaced
        .split_whitespace()
        .any(|w| stretched(w) || symbols(w))
    {
        return spaced;
    }
    let words: Vec<Cow<'_, str>> = spaced.split_whitespace().map(word).collect();
    if words.iter().all(|w| matches!(w, Cow::Borrowed(_))) {
        return spaced;
    }
    Cow::Owned(words.join(" "))
}

/// Whether a word says a letter three times or more in a row.
fn stretched(word: &str) -> bool {
    let mut previous = None;
    let mut repeated = 1;
    for c in word.chars() {
        if Some(c) == previous && c.is_alphabetic() {
            repeated += 1;
            if repeated >= 3 {
                return true;
            }
        } else {
            repeated = 1;
        }
        previous = Some(c);
    }
    false
}

/// Whether a word holds a digit, an `@` or a separator of letters.
fn symbols(word: &str) -> bool {
    word.contains(|c: char| c.is_ascii_digit() || matches!(c, '@' | '.' | '-' | '_' | '*' | '·'))
}

/// One whitespace-separated word read as meant. A link or a handle is no
/// disguise: its letters and digits are left as they are (cleaning drops
/// the link and splits the handle into words).
fn word(word: &str) -> Cow<'_, str> {
    if word.contains('/') || word.trim_start_matches(leading).starts_with('@') {
        return Cow::Borrowed(word);
    }
    let word = match dotted_letters(word) {
        Some(joined) => Cow::Owned(joined),
        None => Cow::Borrowed(word),
    };
    let word = match letters_for_symbols(&word) {
        Some(read) => Cow::Owned(read),
        None => word,
    };
    match stretched(&word).then(|| unstretched(&word)).flatten() {
        Some(read) => Cow::Owned(read),
        None => word,
    }
}

/// Punctuation that may follow a word and is not part of it.
fn trailing(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | '»'
    )
}

/// Punctuation that may open a word and is not part of it.
fn leading(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '«' | '¿' | '¡')
}

/// "a.t.e.n.ç.ã.o:" -> "atenção:"; `None` unless the word is at least
/// `DOTTED_LETTERS` single letters apart by one and the same separator.
fn dotted_letters(word: &str) -> Option<String> {
    let core = word.trim_start_matches(leading).trim_end_matches(trailing);
    let before = &word[..word.len() - word.trim_start_matches(leading).len()];
    // What follows the core: a dot after the last letter ("E.U.A.") is the
    // abbreviation's and stays, as the sentence reader expects.
    let after = &word[before.len() + core.len()..];
    let separator = core.chars().nth(1)?;
    if !matches!(separator, '.' | '-' | '_' | '*' | '·') {
        return None;
    }
    let parts: Vec<&str> = core.split(separator).collect();
    let letters = parts.iter().all(|part| {
        let mut chars = part.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    });
    (letters && parts.len() >= DOTTED_LETTERS).then(|| format!("{before}{}{after}", parts.concat()))
}

/// Joins runs of `SPACED_LETTERS` or more one-letter words ("f r a u d e"
/// -> "fraude"; "f r a u d e!" keeps its "!").
fn joined_spaced_letters(text: &str) -> Cow<'_, str> {
    // "é" and "à" are words, never a letter of a word set apart.
    let single = |w: &str| {
        let mut chars = w.trim_end_matches(trailing).chars();
        matches!((chars.next(), chars.next()), (Some(c), None)
            if c.is_alphabetic() && !matches!(c, 'é' | 'à' | 'É' | 'À'))
    };
    let mut run = 0;
    let spaced = text.split_whitespace().any(|w| {
        run = if single(w) { run + 1 } else { 0 };
        run >= SPACED_LETTERS
    });
    if !spaced {
        return Cow::Borrowed(text);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut start = 0;
    while start < words.len() {
        let mut end = start;
        // A run ends at its first word with punctuation after the letter.
        while end < words.len() && single(words[end]) {
            end += 1;
            if words[end - 1].chars().count() > 1 {
                break;
            }
        }
        if end - start >= SPACED_LETTERS {
            out.push(words[start..end].concat());
            start = end;
        } else {
            out.push(words[start].to_string());
            start += 1;
        }
    }
    Cow::Owned(out.join(" "))
}

/// The letter a digit stands for, `None` for a digit that stands for none.
/// A "1" between two vowels is an "l" ("e1eição"), elsewhere an "i"
/// ("p0l1tica").
fn letter_for(digit: char, between_vowels: bool) -> Option<char> {
    Some(match digit {
        '0' => 'o',
        '1' if between_vowels => 'l',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// Digits that end a word disguise its last letter only when they stand
/// for a vowel ("urn4", "fraud3", "v0t0"): "vote1", "top5" are not words
/// in disguise.
fn ends_a_word(digit: char) -> bool {
    matches!(digit, '0' | '3' | '4')
}

fn is_vowel(c: char) -> bool {
    use unicode_normalization::UnicodeNormalization;
    // The letter under its accent: "é" is an "e".
    let base = std::iter::once(c).nfd().next().unwrap_or(c);
    matches!(base.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u')
}

/// "urn4s" -> "urnas", "fr@ud3" -> "fraude", "e1eição" -> "eleição";
/// `None` when the word holds no digit or `@` standing for a letter.
fn letters_for_symbols(word: &str) -> Option<String> {
    if !word.contains(|c: char| c.is_ascii_digit() || c == '@') {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    // An address or a handle: its `@` is not a letter.
    if word.contains('@') && (word.starts_with('@') || word.contains('.')) {
        return None;
    }
    let mut out = chars.clone();
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        // Each run of letters, digits and `@`, read on its own.
        if !(chars[i].is_alphanumeric() || chars[i] == '@') {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '@') {
            i += 1;
        }
        changed |= read_run(&chars[start..i], &mut out[start..i]);
    }
    changed.then(|| out.into_iter().collect())
}

/// Reads one run of letters, digits and `@` into `out` (the same length);
/// returns whether anything changed. A digit or `@` is read as a letter
/// alone between two letters, or as the last character after three: two
/// digits together are a number ("AR15s", "news10nbc").
fn read_run(run: &[char], out: &mut [char]) -> bool {
    let letters = run.iter().filter(|c| c.is_alphabetic()).count();
    // "4G", "PS5", "mp3", "18h30": too few letters to be a word in
    // disguise; "COVID19", "G20": a digit that stands for no letter.
    let stands_for_none = run
        .iter()
        .any(|&c| c.is_ascii_digit() && letter_for(c, false).is_none());
    // Two letters in capitals around a digit are a code ("H1N1", "H1B"),
    // in lower case a word ("v0t0").
    let lower_case = run.iter().all(|c| !c.is_uppercase());
    let all_caps = run.iter().all(|c| !c.is_lowercase());
    let too_few = letters < 2 || (letters == 2 && !lower_case);
    if too_few || stands_for_none || !run[0].is_alphabetic() {
        return false;
    }
    let mut changed = false;
    for j in 1..run.len() {
        let symbol = run[j];
        if symbol.is_alphabetic() {
            continue;
        }
        let before = run[j - 1];
        let after = run.get(j + 1).copied();
        let read = match after {
            Some(after) => {
                let rest: String = run[j + 1..].iter().collect::<String>().to_lowercase();
                before.is_alphabetic()
                    && after.is_alphabetic()
                    // A word of a hashtag ("AmericaIn3Words", "Jobs4TN").
                    && !(before.is_lowercase() && after.is_uppercase())
                    // An ordinal ("America1st") or a code's plural ("PS5s").
                    && !matches!(rest.as_str(), "st" | "nd" | "rd" | "th")
                    && !(j >= 2 && run[j - 2].is_uppercase() && before.is_uppercase()
                        && after.is_lowercase())
                    // A code before a name ("G7Charlevoix", "H1Bs").
                    && !(j == 1 && before.is_uppercase() && after.is_uppercase() && !all_caps)
            }
            // At the end: one vowel digit after three characters or more
            // ("urn4"; "Lula13" and "vote1" stay).
            None => before.is_alphabetic() && j >= 3 && ends_a_word(symbol),
        };
        if !read {
            continue;
        }
        let between_vowels = is_vowel(out[j - 1]) && after.is_some_and(is_vowel);
        let letter = match symbol {
            '@' => 'a',
            digit => match letter_for(digit, between_vowels) {
                Some(letter) => letter,
                None => continue,
            },
        };
        // In the case of the letters around it: "URN4S" -> "URNAS".
        let upper = before.is_uppercase() && after.is_none_or(|c| !c.is_lowercase());
        out[j] = if upper {
            letter.to_ascii_uppercase()
        } else {
            letter
        };
        changed = true;
    }
    changed
}

/// "mentiraaaa" -> "mentira", "issssso" -> "isso", "muuuuito" -> "muito";
/// `None` when no letter is said three times or more in a row. A stretched
/// letter is read once, except a consonant inside a word, read twice: the
/// partners' languages double "rr", "ss", "ll", "cc" there, and a stretch
/// of a vowel or a last letter is the usual emphasis. A word that is one
/// letter said again ("kkkk", "www") stays.
fn unstretched(word: &str) -> Option<String> {
    // A Roman numeral says its letters again on purpose ("XVIII").
    if word
        .trim_end_matches(trailing)
        .chars()
        .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
    {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    // Capitals said again in a word that has small letters are a name
    // ("XXXTentacion", "#OpKKK"), not a shout.
    let mixed_case = chars.iter().any(|c| c.is_lowercase());
    let mut out = String::with_capacity(word.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // The run: the letter again, in the case of its second ("Aaaah").
        let mut end = i + 1;
        if end < chars.len() && chars[end].to_lowercase().eq(c.to_lowercase()) {
            let again = chars[end];
            while end < chars.len() && chars[end] == again {
                end += 1;
            }
        }
        let length = end - i;
        let word_start = i == 0 || !chars[i - 1].is_alphabetic();
        let word_end = end == chars.len() || !chars[end].is_alphabetic();
        let whole_word = word_start && word_end;
        let name = mixed_case && chars[end - 1].is_uppercase();
        if length >= 3 && c.is_alphabetic() && !whole_word && !name {
            let doubled = !word_end && !is_vowel(c);
            out.extend(std::iter::repeat_n(c, if doubled { 2 } else { 1 }));
            changed = true;
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_grows_and_leaves_plain_words_alone(
            text in ".{0,200}",
            plain in "[a-záéíóúãõç]{2,9}( [a-záéíóúãõç]{2,9}){0,20}",
        ) {
            prop_assert!(undisguised(&text).len() <= text.len());
            // A word that says a letter three times is read as stretched.
            if !stretched(&plain) {
                prop_assert_eq!(undisguised(&plain), plain.as_str());
            }
        }
    }

    #[test]
    fn digits_and_at_signs_standing_for_letters_are_read_as_letters() {
        assert_eq!(
            undisguised("as urn4s de M4naus têm chip, é fr@ud3 nos v0t0s"),
            "as urnas de Manaus têm chip, é fraude nos votos"
        );
        assert_eq!(
            undisguised("a e1eição e a p0l1tica"),
            "a eleição e a politica"
        );
        assert_eq!(
            undisguised("URN4S FR4UD4D4S, V0T0S"),
            "URNAS FRAUDADAS, VOTOS"
        );
        assert_eq!(undisguised("#Fr4udeNasUrn4s"), "#FraudeNasUrnas");
    }

    #[test]
    fn numbers_and_names_with_digits_stay_as_written() {
        for text in [
            "multa de R$ 1.200 em 2024, vote 13",
            "Lula13 e Bolsonaro22, COVID19 e COVID-19, H1N1, H1B, PS5s, AR15s",
            "#AmericaIn3Words #Jobs4TN America1st news10nbc #G7Charlevoix H1Bs",
            "@PressSec @BiIIMurray XXXTentacion #OpKKK",
            "https://t.co/hrQHSXmj3W pic.twitter.com/v3VKm3ysLr",
            "4G, 5G, PS5, mp3, G20, H2O, 18h30, 10h, 2turno, 13anos, 1º turno",
            "vote1 top5 Win7",
            "@kpu_ri contato@tse.jus.br",
            "kkkkkk www rsrsrs hahaha",
            "E.U. e U.S. e o a",
        ] {
            assert_eq!(undisguised(text), text);
        }
    }

    #[test]
    fn letters_set_apart_are_one_word() {
        assert_eq!(
            undisguised("a.t.e.n.ç.ã.o: é f r a u d e! nas u-r-n-a-s, diz o S.T.F."),
            "atenção: é fraude! nas urnas, diz o STF."
        );
        // Three single words in a row are words.
        assert_eq!(undisguised("vote e o a urna"), "vote e o a urna");
    }

    #[test]
    fn stretched_letters_are_read_once_or_as_the_language_doubles_them() {
        assert_eq!(
            undisguised("é mentiraaaa, issssso é muuuuito grave, seeeee liga"),
            "é mentira, isso é muito grave, se liga"
        );
        assert_eq!(
            undisguised("URGENTEEEE carrrro Aaaah suppporters"),
            "URGENTE carro Ah supporters"
        );
        // Doubled letters and Roman numerals are left alone.
        assert_eq!(
            undisguised("isso carro voo maaf, Bento XVIII"),
            "isso carro voo maaf, Bento XVIII"
        );
    }
}
