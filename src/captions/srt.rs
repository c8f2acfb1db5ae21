//! SubRip: numbered blocks, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, text lines.

use super::vtt::{blocks, push_cue};
use super::{CueProblem, ParsedCaptions};

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
        push_cue(&mut parsed, &block, timing_at, start_line);
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
