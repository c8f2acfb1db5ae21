//! Reads an `E5S1` model file: the shape, the SentencePiece vocabulary and
//! normalisation map, and the tensor directory (docs/encoder.md has the
//! layout). Every offset and length is checked against the file, so a
//! truncated or foreign file is an error naming what is wrong, not a panic.

use rustc_hash::FxHashMap;

/// The model's shape, as the file states it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Shape {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub eps: f32,
}

/// The tokenizer's part of the file.
pub(crate) struct Vocabulary {
    pub pieces: Vec<String>,
    pub scores: Vec<f32>,
    pub bos: u32,
    pub eos: u32,
    pub unk: u32,
    /// Code point -> its replacement (empty: the character is dropped).
    pub normalisation: FxHashMap<char, Vec<char>>,
}

/// One tensor: 32-bit floats, or `q4_0` blocks (32 weights: an f16 scale,
/// then 16 bytes of nibbles, byte j holding weight j low and j + 16 high).
pub(crate) enum Tensor<'a> {
    F32(Vec<f32>),
    Q4(&'a [u8]),
}

/// A parsed file; tensors borrow the file's bytes.
pub(crate) struct ModelFile<'a> {
    pub shape: Shape,
    pub vocabulary: Vocabulary,
    pub tensors: FxHashMap<String, (Tensor<'a>, usize)>,
}

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

fn bad(reason: impl Into<String>) -> FormatError {
    FormatError(reason.into())
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], FormatError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| bad(format!("truncated at byte {} reading {what}", self.at)))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self, what: &str) -> Result<u16, FormatError> {
        Ok(u16::from_le_bytes(
            self.take(2, what)?.try_into().expect("2 bytes"),
        ))
    }

    fn u32(&mut self, what: &str) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(
            self.take(4, what)?.try_into().expect("4 bytes"),
        ))
    }

    fn i32(&mut self, what: &str) -> Result<usize, FormatError> {
        let value = i32::from_le_bytes(self.take(4, what)?.try_into().expect("4 bytes"));
        usize::try_from(value).map_err(|_| bad(format!("{what} is negative ({value})")))
    }

    fn u64(&mut self, what: &str) -> Result<usize, FormatError> {
        let value = u64::from_le_bytes(self.take(8, what)?.try_into().expect("8 bytes"));
        usize::try_from(value).map_err(|_| bad(format!("{what} does not fit in memory")))
    }

    fn f32(&mut self, what: &str) -> Result<f32, FormatError> {
        Ok(f32::from_le_bytes(
            self.take(4, what)?.try_into().expect("4 bytes"),
        ))
    }
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect()
}

/// Parses a whole model file.
pub(crate) fn parse(bytes: &[u8]) -> Result<ModelFile<'_>, FormatError> {
    let mut c = Cursor { bytes, at: 0 };
    if c.take(4, "the magic")? != b"E5S1" {
        return Err(bad("not an E5S1 model file (wrong magic)"));
    }
    c.u32("the version")?;
    let hidden = c.i32("the hidden size")?;
    let layers = c.i32("the layer count")?;
    let heads = c.i32("the head count")?;
    let ffn = c.i32("the feed-forward size")?;
    let vocab = c.i32("the vocabulary size")?;
    let max_positions = c.i32("the position count")?;
    c.i32("the token type count")?;
    let eps = c.f32("the layer-norm epsilon")?;
    let block = c.i32("the quantisation block")?;
    if block != 32 || heads == 0 || hidden % heads != 0 || hidden % 32 != 0 || ffn % 32 != 0 {
        return Err(bad(format!(
            "unsupported shape: hidden {hidden}, heads {heads}, ffn {ffn}, block {block}"
        )));
    }
    let shape = Shape {
        hidden,
        layers,
        heads,
        ffn,
        vocab,
        max_positions,
        eps,
    };

    let n = c.i32("the piece count")?;
    let bos = c.u32("the <s> id")?;
    let eos = c.u32("the </s> id")?;
    c.u32("the <pad> id")?;
    let unk = c.u32("the <unk> id")?;
    let blob_len = c.u64("the piece bytes' length")?;
    let offsets: Vec<usize> = (0..=n)
        .map(|_| c.u32("a piece offset").map(|v| v as usize))
        .collect::<Result<_, _>>()?;
    let scores = f32s(c.take(n * 4, "the piece scores")?);
    let blob = c.take(blob_len, "the piece bytes")?;
    let mut pieces = Vec::with_capacity(n);
    for (i, pair) in offsets.windows(2).enumerate() {
        let piece = blob
            .get(pair[0]..pair[1])
            .ok_or_else(|| bad(format!("piece {i} lies outside the piece bytes")))?;
        let piece =
            std::str::from_utf8(piece).map_err(|_| bad(format!("piece {i} is not UTF-8")))?;
        pieces.push(piece.to_owned());
    }
    if n > vocab {
        return Err(bad(format!("{n} pieces but only {vocab} embedding rows")));
    }
    for (name, id) in [("<s>", bos), ("</s>", eos), ("<unk>", unk)] {
        if id as usize >= n {
            return Err(bad(format!("the {name} id {id} is past the {n} pieces")));
        }
    }

    let entries = c.i32("the normalisation entry count")?;
    let map_len = c.u32("the normalisation map's length")? as usize;
    let mut map = Cursor {
        bytes: c.take(map_len, "the normalisation map")?,
        at: 0,
    };
    let mut normalisation = FxHashMap::default();
    for _ in 0..entries {
        let from = char_of(map.u32("a normalised code point")?)?;
        let count = map.take(1, "a replacement length")?[0];
        let to = (0..count)
            .map(|_| map.u32("a replacement code point").and_then(char_of))
            .collect::<Result<Vec<char>, _>>()?;
        normalisation.insert(from, to);
    }

    let count = c.i32("the tensor count")?;
    let mut tensors = FxHashMap::default();
    for _ in 0..count {
        let name_len = c.u16("a tensor name's length")? as usize;
        let name = String::from_utf8_lossy(c.take(name_len, "a tensor name")?).into_owned();
        let dtype = c.take(1, "a tensor type")?[0];
        let elements = c.u32("a tensor's element count")? as usize;
        let offset = c.u64("a tensor's offset")?;
        let size = c.u64("a tensor's size")?;
        let body = offset
            .checked_add(size)
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| bad(format!("tensor {name} lies outside the file")))?;
        let tensor = match dtype {
            0 if size == elements * 4 => Tensor::F32(f32s(body)),
            1 if elements.is_multiple_of(32) && size == elements / 32 * 18 => Tensor::Q4(body),
            _ => {
                return Err(bad(format!(
                    "tensor {name}: type {dtype} with {elements} elements in {size} bytes"
                )));
            }
        };
        tensors.insert(name, (tensor, elements));
    }
    Ok(ModelFile {
        shape,
        vocabulary: Vocabulary {
            pieces,
            scores,
            bos,
            eos,
            unk,
            normalisation,
        },
        tensors,
    })
}

fn char_of(code: u32) -> Result<char, FormatError> {
    char::from_u32(code).ok_or_else(|| bad(format!("U+{code:X} is not a character")))
}

impl<'a> ModelFile<'a> {
    /// Takes a tensor of 32-bit floats with exactly `len` elements.
    pub fn floats(&mut self, name: &str, len: usize) -> Result<Vec<f32>, FormatError> {
        match self.tensors.remove(name) {
            Some((Tensor::F32(values), n)) if n == len => Ok(values),
            Some(_) => Err(bad(format!("tensor {name} is not {len} floats"))),
            None => Err(bad(format!("tensor {name} is missing"))),
        }
    }

    /// Takes a 4-bit tensor of `rows` x `cols` weights.
    pub fn q4(&mut self, name: &str, rows: usize, cols: usize) -> Result<&'a [u8], FormatError> {
        match self.tensors.remove(name) {
            Some((Tensor::Q4(body), n)) if n == rows * cols => Ok(body),
            Some(_) => Err(bad(format!(
                "tensor {name} is not {rows} x {cols} 4-bit weights"
            ))),
            None => Err(bad(format!("tensor {name} is missing"))),
        }
    }
}
