//! The encoder's tokenizer: XLM-R's SentencePiece unigram model.
//!
//! Text is normalised character by character with the model's map (NFKC
//! and SentencePiece's own folds), runs of spaces become one, a word-start
//! marker `▁` replaces every space and starts the text, and the pieces are
//! chosen by Viterbi: the segmentation whose piece scores (log
//! probabilities) sum highest. A character no piece covers becomes
//! `<unk>` at the score of the least likely piece minus 10, as
//! SentencePiece does.
//!
//! The shipped vocabulary keeps the Latin-script pieces only: a text in
//! another script is read as a string of `<unk>`, and every such text
//! looks alike to the model (a Russian recipe and a Russian claim about
//! ballots at a cosine of 0.93-0.99). `letters_known` tells how much of
//! a text the vocabulary covers, so that such texts are not put to it.

use rustc_hash::{FxHashMap, FxHashSet};

use super::file::Vocabulary;

const WORD_START: char = '\u{2581}';
const UNKNOWN_PENALTY: f32 = 10.0;

/// Text to piece ids.
pub(crate) struct Tokenizer {
    ids: FxHashMap<Box<str>, u32>,
    scores: Vec<f32>,
    normalisation: FxHashMap<char, Vec<char>>,
    unk: u32,
    unk_score: f32,
    longest_piece_bytes: usize,
    /// Every character some piece holds.
    known: FxHashSet<char>,
}

impl Tokenizer {
    pub fn new(vocabulary: Vocabulary) -> Tokenizer {
        let Vocabulary {
            pieces,
            scores,
            unk,
            normalisation,
            ..
        } = vocabulary;
        let lowest = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let longest_piece_bytes = pieces.iter().map(String::len).max().unwrap_or(1);
        let mut ids = FxHashMap::default();
        let known = pieces
            .iter()
            .enumerate()
            .filter(|(id, _)| *id as u32 != unk)
            .flat_map(|(_, piece)| piece.chars())
            .collect();
        for (id, piece) in pieces.into_iter().enumerate() {
            if !piece.is_empty() && id as u32 != unk {
                ids.entry(piece.into_boxed_str()).or_insert(id as u32);
            }
        }
        Tokenizer {
            ids,
            scores,
            normalisation,
            unk,
            unk_score: lowest - UNKNOWN_PENALTY,
            longest_piece_bytes,
            known,
        }
    }

    /// Returns the letters of `text` (after normalisation) that some
    /// piece holds, and all its letters. Digits, punctuation and emoji
    /// are not letters: a caption full of emoji is still read.
    pub fn letters_known(&self, text: &str) -> (usize, usize) {
        let (mut known, mut letters) = (0, 0);
        for c in text.chars() {
            let mapped = self.normalisation.get(&c);
            for c in mapped.map_or(std::slice::from_ref(&c), Vec::as_slice) {
                if c.is_alphabetic() {
                    letters += 1;
                    known += usize::from(self.known.contains(c));
                }
            }
        }
        (known, letters)
    }

    /// Returns the piece ids of `text`, without `<s>` and `</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let normalised = self.normalise(text);
        // Byte offset where each character starts, and the end.
        let starts: Vec<usize> = normalised
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(normalised.len()))
            .collect();
        let chars = starts.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; chars + 1];
        // (piece id or unk, start character) of the best path ending here.
        let mut back = vec![(self.unk, 0usize); chars + 1];
        best[0] = 0.0;
        for from in 0..chars {
            if best[from] == f32::NEG_INFINITY {
                continue;
            }
            for to in from + 1..=chars {
                let piece = &normalised[starts[from]..starts[to]];
                if piece.len() > self.longest_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(piece) {
                    let score = best[from] + self.scores[id as usize];
                    if score > best[to] {
                        best[to] = score;
                        back[to] = (id, from);
                    }
                }
            }
            let unknown = best[from] + self.unk_score;
            if unknown > best[from + 1] {
                best[from + 1] = unknown;
                back[from + 1] = (self.unk, from);
            }
        }
        let mut ids = Vec::new();
        let mut at = chars;
        while at > 0 {
            let (id, from) = back[at];
            ids.push(id);
            at = from;
        }
        ids.reverse();
        ids
    }

    /// Applies the normalisation map, collapses runs of spaces, and marks
    /// word starts with `▁`.
    fn normalise(&self, text: &str) -> String {
        let mut mapped: Vec<char> = Vec::with_capacity(text.len() + 1);
        for c in text.chars() {
            match self.normalisation.get(&c) {
                Some(replacement) => mapped.extend_from_slice(replacement),
                None => mapped.push(c),
            }
        }
        let mut out = String::with_capacity(mapped.len() * 2 + 3);
        if mapped.first() != Some(&' ') {
            out.push(WORD_START);
        }
        let mut previous = '\0';
        for &c in &mapped {
            if c == ' ' && previous == ' ' {
                continue;
            }
            previous = c;
            out.push(if c == ' ' { WORD_START } else { c });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Tokenizer {
        let pieces = [
            "<s>", "<pad>", "</s>", "<unk>", "▁", "a", "b", "▁ab", "▁a", "ba", "c",
        ];
        let scores = [0.0, 0.0, 0.0, 0.0, -2.0, -3.0, -3.0, -1.0, -2.5, -4.0, -9.0];
        let mut normalisation = FxHashMap::default();
        normalisation.insert('Á', vec!['a']);
        normalisation.insert('\u{200b}', vec![]);
        Tokenizer::new(Vocabulary {
            pieces: pieces.iter().map(|p| p.to_string()).collect(),
            scores: scores.to_vec(),
            bos: 0,
            eos: 2,
            unk: 3,
            normalisation,
        })
    }

    #[test]
    fn picks_the_segmentation_with_the_highest_total_score() {
        // "▁ab" (-1) beats "▁a" + "b" (-5.5) and "▁" + "a" + "b" (-8).
        assert_eq!(toy().encode("ab"), vec![7]);
        // "▁ab" + "a" (-4) beats "▁a" + "ba" (-6.5).
        assert_eq!(toy().encode("aba"), vec![7, 5]);
    }

    #[test]
    fn normalises_collapses_spaces_and_marks_word_starts() {
        let t = toy();
        assert_eq!(t.encode("Áb"), t.encode("ab"));
        assert_eq!(t.encode("a\u{200b}b"), t.encode("ab"));
        assert_eq!(t.encode("ab   ab"), vec![7, 7]);
    }

    #[test]
    fn a_character_no_piece_covers_is_unknown() {
        assert_eq!(toy().encode("aж"), vec![8, 3]);
        assert!(toy().encode("").iter().all(|&id| id == 4));
    }

    #[test]
    fn counts_the_letters_the_pieces_hold() {
        let t = toy();
        // "Á" is read as "a"; digits, spaces and emoji are not letters.
        assert_eq!(t.letters_known("Áb ab 2024 🔥"), (4, 4));
        assert_eq!(t.letters_known("ab жж"), (2, 4));
        assert_eq!(t.letters_known("!!"), (0, 0));
    }
}
