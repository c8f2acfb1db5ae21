//! Reads gRPC request bodies as they arrive, before tonic decodes them:
//! the 5-byte frame headers (message sizes) and, for the messages whose
//! decoded form can be much larger than their bytes, a count of their
//! repeated sub-messages read straight from the protobuf wire format.
//!
//! An empty `Segment` is two bytes on the wire and about a hundred in
//! memory: a 16 MB `Score` of empty segments decoded to 750 MB. Counting
//! them before decoding lets the server refuse such a message at the
//! cost of a scan of its bytes.

/// What one gRPC message may hold, checked before it is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRule {
    /// Largest message, in bytes.
    pub max_bytes: usize,
    /// The setting that sets `max_bytes`, named in the refusal.
    pub setting: &'static str,
    /// Field numbers from the top-level message down to a repeated
    /// message field, and the most occurrences it may have.
    pub counted: Option<Counted>,
}

/// A repeated field whose occurrences are counted before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// Field numbers from the top-level message down to the field.
    pub path: &'static [u32],
    /// Most occurrences allowed.
    pub max: usize,
    /// What the field holds, for the refusal ("segments").
    pub noun: &'static str,
    /// The setting that sets `max`.
    pub setting: &'static str,
}

/// Why a message is refused before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Over a size or count limit: the message names the setting.
    TooLarge(String),
    /// Not a message of the expected shape.
    Malformed(String),
}

/// Size of a gRPC frame header: compressed flag, then a big-endian u32.
const HEADER: usize = 5;

/// Splits a request body into gRPC messages as its chunks arrive and
/// applies a [`MessageRule`] to each.
#[derive(Debug)]
pub struct FrameReader {
    rule: MessageRule,
    header: Vec<u8>,
    /// Bytes of the current message still to come, once its header is read.
    remaining: usize,
    /// The current message's bytes, kept only when a field is counted.
    body: Vec<u8>,
    /// Whole messages seen.
    messages: usize,
}

impl FrameReader {
    /// Returns a reader applying `rule` to every message.
    pub fn new(rule: MessageRule) -> Self {
        FrameReader {
            rule,
            header: Vec::with_capacity(HEADER),
            remaining: 0,
            body: Vec::new(),
            messages: 0,
        }
    }

    /// Returns the whole messages read so far.
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// Returns true when the bytes read so far end between two messages.
    pub fn at_boundary(&self) -> bool {
        self.header.is_empty() && self.remaining == 0
    }

    /// Reads the next chunk of the body; an error refuses the request.
    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<(), Refusal> {
        while !chunk.is_empty() {
            if self.remaining == 0 && self.header.len() < HEADER {
                let take = (HEADER - self.header.len()).min(chunk.len());
                self.header.extend_from_slice(&chunk[..take]);
                chunk = &chunk[take..];
                if self.header.len() == HEADER {
                    self.start_message()?;
                }
                continue;
            }
            let take = self.remaining.min(chunk.len());
            if self.rule.counted.is_some() {
                self.body.extend_from_slice(&chunk[..take]);
            }
            self.remaining -= take;
            chunk = &chunk[take..];
            if self.remaining == 0 {
                self.end_message()?;
            }
        }
        Ok(())
    }

    fn start_message(&mut self) -> Result<(), Refusal> {
        if self.header[0] != 0 {
            return Err(Refusal::Malformed(
                "compressed messages are not accepted; send them uncompressed".into(),
            ));
        }
        let len = u32::from_be_bytes([
            self.header[1],
            self.header[2],
            self.header[3],
            self.header[4],
        ]) as usize;
        if len > self.rule.max_bytes {
            return Err(Refusal::TooLarge(format!(
                "message of {len} bytes, over {} ({} bytes)",
                self.rule.setting, self.rule.max_bytes
            )));
        }
        self.remaining = len;
        if len == 0 {
            self.end_message()?;
        }
        Ok(())
    }

    fn end_message(&mut self) -> Result<(), Refusal> {
        self.header.clear();
        self.messages += 1;
        let Some(counted) = &self.rule.counted else {
            return Ok(());
        };
        let found = count_path(&self.body, counted.path)
            .ok_or_else(|| Refusal::Malformed("the message is not valid protobuf".into()))?;
        self.body.clear();
        if found > counted.max {
            return Err(Refusal::TooLarge(format!(
                "{found} {}, over {} ({})",
                counted.noun, counted.setting, counted.max
            )));
        }
        Ok(())
    }
}

/// Reads a base-128 varint at the start of `bytes`; returns it and its length.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// Counts the occurrences of the length-delimited field at `path` (field
/// numbers, outermost first) in a protobuf message; `None` when the bytes
/// are not a well-formed message.
pub fn count_path(mut message: &[u8], path: &[u32]) -> Option<usize> {
    let (&field, rest) = path.split_first()?;
    let mut count = 0usize;
    while !message.is_empty() {
        let (key, used) = varint(message)?;
        message = &message[used..];
        let wire_type = key & 7;
        let number = u32::try_from(key >> 3).ok()?;
        let skip = match wire_type {
            0 => varint(message)?.1,
            1 => 8,
            5 => 4,
            2 => {
                let (len, used) = varint(message)?;
                let len = usize::try_from(len).ok()?;
                let value = message.get(used..used.checked_add(len)?)?;
                if number == field {
                    count += if rest.is_empty() {
                        1
                    } else {
                        count_path(value, rest)?
                    };
                }
                used + len
            }
            _ => return None,
        };
        message = message.get(skip..)?;
    }
    Some(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::v1 as pb;
    use proptest::prelude::*;
    use prost::Message;

    const SEGMENTS: &[u32] = &[11, 1];

    fn request(segments: usize) -> Vec<u8> {
        pb::ScoreRequest {
            request_id: "r".into(),
            video_id: "v".into(),
            content: Some(pb::score_request::Content::Segments(pb::Segments {
                segments: (0..segments)
                    .map(|i| pb::Segment {
                        start_ms: i as u64,
                        end_ms: i as u64 + 1,
                        text: "a".into(),
                        speaker: String::new(),
                    })
                    .collect(),
            })),
            ..Default::default()
        }
        .encode_to_vec()
    }

    fn framed(message: &[u8]) -> Vec<u8> {
        let mut frame = vec![0];
        frame.extend_from_slice(&(message.len() as u32).to_be_bytes());
        frame.extend_from_slice(message);
        frame
    }

    fn score_rule(max_segments: usize) -> MessageRule {
        MessageRule {
            max_bytes: 1 << 20,
            setting: "limits.max_score_message_bytes",
            counted: Some(Counted {
                path: SEGMENTS,
                max: max_segments,
                noun: "segments",
                setting: "limits.max_segments",
            }),
        }
    }

    #[test]
    fn counts_nested_segments_as_prost_writes_them() {
        assert_eq!(count_path(&request(0), SEGMENTS), Some(0));
        assert_eq!(count_path(&request(7), SEGMENTS), Some(7));
        // A oneof sent twice is merged by the decoder: both are counted.
        let mut twice = request(3);
        twice.extend(request(4));
        assert_eq!(count_path(&twice, SEGMENTS), Some(7));
        assert_eq!(count_path(&[0x5a, 0x10, 0x01], SEGMENTS), None, "cut short");
    }

    #[test]
    fn refuses_a_message_over_its_size_from_the_header_alone() {
        let mut reader = FrameReader::new(score_rule(10));
        let header = [0, 0, 0x20, 0, 0];
        let refused = reader.feed(&header).expect_err("2 MiB is over 1 MiB");
        assert!(
            matches!(&refused, Refusal::TooLarge(m) if m.contains("limits.max_score_message_bytes")),
            "{refused:?}"
        );
    }

    #[test]
    fn refuses_too_many_segments_before_decoding_and_accepts_the_rest() {
        let mut reader = FrameReader::new(score_rule(5));
        let ok = framed(&request(5));
        // Fed a byte at a time, as a slow network would.
        for byte in &ok {
            reader
                .feed(std::slice::from_ref(byte))
                .expect("5 is allowed");
        }
        assert_eq!(reader.messages(), 1);
        assert!(reader.at_boundary());
        let refused = reader.feed(&framed(&request(6))).expect_err("6 is not");
        assert_eq!(
            refused,
            Refusal::TooLarge("6 segments, over limits.max_segments (5)".into())
        );
    }

    #[test]
    fn refuses_compressed_messages_and_garbage() {
        let mut compressed = framed(&request(1));
        compressed[0] = 1;
        assert!(matches!(
            FrameReader::new(score_rule(5)).feed(&compressed),
            Err(Refusal::Malformed(_))
        ));
        assert!(matches!(
            FrameReader::new(score_rule(5)).feed(&framed(&[0xff, 0xff])),
            Err(Refusal::Malformed(_))
        ));
    }

    proptest! {
        #[test]
        fn any_bytes_are_read_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = count_path(&bytes, SEGMENTS);
            let _ = FrameReader::new(score_rule(3)).feed(&bytes);
        }

        #[test]
        fn the_count_is_the_decoded_count(n in 0usize..200, split in 1usize..64) {
            let frame = framed(&request(n));
            let mut reader = FrameReader::new(score_rule(1000));
            for chunk in frame.chunks(split) {
                reader.feed(chunk).expect("well formed");
            }
            prop_assert_eq!(reader.messages(), 1);
            prop_assert_eq!(count_path(&request(n), SEGMENTS), Some(n));
        }
    }
}
