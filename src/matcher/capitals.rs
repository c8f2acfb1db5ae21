//! Words in capitals, read in lower case.
//!
//! Creators shout: a whole caption in capitals ("A URNA DE MANAUS TEM
//! CHIP"), text overlays typed that way, a word or two for emphasis
//! ("URGENTE", "a MAQUININHA já vem configurada"). The lexical stage folds
//! case away; the encoder does not: its vocabulary is cased, and a word in
//! capitals breaks into pieces it rarely saw in that order, so a caption
//! in capitals lands far from its check. Measured on multilingual-dev
//! (docs/encoder.md, "Capitals"): the same-language captions sent in
//! capitals ranked at MAP@5 0.829 against 0.936 as written; with each
//! word in capitals read in lower case, 0.927, and the captions as
//! written do not move (their acronyms, "KPU", "TSE", read in lower case
//! too, cost nothing there).

use std::borrow::Cow;

/// Returns `text` with every word written in capitals (two letters or
/// more, every letter upper case) in lower case, or `text` itself when it
/// has none. A word is a run of letters: "e-TÍTULO" lowers "TÍTULO",
/// "COVID-19" lowers "COVID".
pub fn lowered(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    // Where the text not yet copied to `out` starts.
    let mut copied = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut letters = 1;
        let mut capitals = c.is_uppercase();
        while let Some(&(at, next)) = chars.peek() {
            if !next.is_alphabetic() {
                break;
            }
            capitals &= next.is_uppercase();
            letters += 1;
            end = at + next.len_utf8();
            chars.next();
        }
        if capitals && letters >= 2 {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..start]);
            out.extend(text[start..end].chars().flat_map(char::to_lowercase));
            copied = end;
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_capitals_are_read_in_lower_case_and_the_rest_as_written() {
        assert_eq!(
            lowered("A URNA DE MANAUS TEM CHIP BLUETOOTH, É VERDADE?"),
            "A urna de manaus tem chip bluetooth, É verdade?"
        );
        assert_eq!(
            lowered("URGENTE: a MAQUININHA já vem configurada pro atual prefeito"),
            "urgente: a maquininha já vem configurada pro atual prefeito"
        );
        assert_eq!(
            lowered("INFORMAÇÃO do e-TÍTULO e da COVID-19"),
            "informação do e-título e da covid-19"
        );
        assert_eq!(lowered("KPU DKI dan Bawaslu"), "kpu dki dan Bawaslu");
    }

    #[test]
    fn text_without_words_in_capitals_is_not_copied() {
        for text in [
            "Urnas eletrônicas enviadas para Manaus têm um chip",
            "O eleitor vota às 8h e a seção fecha às 17h",
            "A",
            "R$ 1.200 de multa",
            "",
        ] {
            assert!(matches!(lowered(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
