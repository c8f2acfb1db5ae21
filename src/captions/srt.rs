//! SubRip: numbered blocks, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, text lines.

use super::timing::parse_timing_line;
use super::vtt::blocks;
use super::{CueProblem, ParsedCaptions, Segment};

/// Parses an SRT file. Broken blocks are reported and skipped.
pub fn parse(text: &str) -> ParsedCaptions {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = ParsedCaptions::default();
    let lines: Vec<&str> = text.lines().collect();
    for (start_line, block) in blocks(&lines) {
        // The counter line is optional in practice; the timing line is not.
        let timing_at = match block.iter().position(|l| l.contains("-->")) {
            Some(at) if at <= 1 => at,
            Some(_) | None => {
                parsed.problems.push(CueProblem {
                    line: start_line,
                    reason: "block has no timing line after its number".into(),
                });
                continue;
            }
        };
        if timing_at == 1 && block[0].trim().parse::<u64>().is_err() {
            parsed.problems.push(CueProblem {
                line: start_line,
                reason: format!("{:?} is not a cue number", block[0].trim()),
            });
        }
        match parse_timing_line(block[timing_at]) {
            Ok((start_ms, end_ms)) => {
                let text = block[timing_at + 1..].join("\n");
                parsed.segments.push(Segment {
                    start_ms,
                    end_ms,
                    text,
                });
            }
            Err(reason) => parsed.problems.push(CueProblem {
                line: start_line + timing_at,
                reason,
            }),
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_numbered_blocks() {
        let text = "1\r\n00:00:01,000 --> 00:00:04,000\r\n<i>Las boletas</i>\r\n<font color=\"red\">ya venían marcadas</font>\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,500\r\nen Buenos Aires\r\n\r\n3\r\nno timing here\r\n";
        let parsed = parse(text);
        assert_eq!(parsed.segments.len(), 2);
        assert_eq!(parsed.segments[0].end_ms, 4_000);
        assert!(parsed.segments[0].text.contains("marcadas"));
        assert_eq!(parsed.segments[1].start_ms, 4_000);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].line, 10);
    }

    proptest! {
        #[test]
        fn never_panics_and_timings_are_ordered(text in "([0-9]{1,2}\n[0-9:,\\-> ]{0,40}\n[a-z ]{0,20}\n\n){0,6}") {
            for segment in parse(&text).segments {
                prop_assert!(segment.start_ms <= segment.end_ms);
            }
        }
    }
}
