//! WebVTT: header, NOTE/STYLE/REGION blocks, cue identifiers, timings with
//! settings, inline tags.

use super::timing::parse_timing_line;
use super::{CueProblem, ParsedCaptions, Segment};

/// Parses a WebVTT file. Broken cues are reported in `problems` and
/// skipped; a missing header is reported but the cues still count.
pub fn parse(text: &str) -> ParsedCaptions {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parsed = ParsedCaptions::default();
    let lines: Vec<&str> = text.lines().collect();
    if !lines.first().is_some_and(|l| l.starts_with("WEBVTT")) {
        parsed.problems.push(CueProblem {
            line: 1,
            reason: "missing the WEBVTT header".into(),
        });
    }
    for (start_line, block) in blocks(&lines) {
        let first = block[0].trim_start();
        if first.starts_with("WEBVTT")
            || first.starts_with("NOTE")
            || first.starts_with("STYLE")
            || first.starts_with("REGION")
        {
            continue;
        }
        let Some(timing_at) = block.iter().position(|l| l.contains("-->")) else {
            parsed.problems.push(CueProblem {
                line: start_line,
                reason: "block has no timing line".into(),
            });
            continue;
        };
        if timing_at > 1 {
            parsed.problems.push(CueProblem {
                line: start_line,
                reason: "text before the timing line".into(),
            });
            continue;
        }
        push_cue(&mut parsed, &block, timing_at, start_line);
    }
    parsed
}

/// Adds the cue whose timing line is `block[timing_at]` (text follows it),
/// or the reason it is unusable. Shared by WebVTT and SRT.
pub(super) fn push_cue(
    parsed: &mut ParsedCaptions,
    block: &[&str],
    timing_at: usize,
    start_line: usize,
) {
    match parse_timing_line(block[timing_at]) {
        Ok((start_ms, end_ms)) => {
            let text = block[timing_at + 1..].join("\n");
            parsed.segments.push(Segment {
                start_ms,
                end_ms,
                speaker: voice(&text),
                text,
            });
        }
        Err(reason) => parsed.problems.push(CueProblem {
            line: start_line + timing_at,
            reason,
        }),
    }
}

/// Returns the speaker a cue names with its first voice tag: `<v Name>`,
/// or `<v.class Name>` with classes.
fn voice(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("<v") {
        let tag = &rest[at + 2..];
        let end = tag.find('>')?;
        let inside = &tag[..end];
        if inside.starts_with([' ', '\t', '.']) {
            // Classes (`.loud`) run up to the first whitespace; the name
            // follows.
            let name = inside
                .strip_prefix('.')
                .map_or(inside, |classes| {
                    classes.trim_start_matches(|c: char| !c.is_whitespace())
                })
                .trim();
            return (!name.is_empty()).then(|| name.to_string());
        }
        rest = &tag[end..];
    }
    None
}

/// Splits lines into blank-line separated blocks with their 1-based start line.
pub(super) fn blocks<'a>(lines: &[&'a str]) -> Vec<(usize, Vec<&'a str>)> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push((start, std::mem::take(&mut current)));
            }
            continue;
        }
        if current.is_empty() {
            start = i + 1;
        }
        current.push(line.trim_end_matches('\r'));
    }
    if !current.is_empty() {
        blocks.push((start, current));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "\u{feff}WEBVTT - debate\n\nSTYLE\n::cue { color: yellow }\n\nNOTE a comment\nspanning lines\n\n1\n00:00:01.000 --> 00:00:03.500 align:start\n<v Ana>As urnas</v> <c.red>foram</c>\n<i>fraudadas</i>\n\n00:03.500 --> 00:05.000\n<00:00:03.600>na eleição\n\nbroken\n00:07.000 --> 00:06.000\nnope\n";

    #[test]
    fn reads_cues_and_skips_blocks() {
        let parsed = parse(SAMPLE);
        assert_eq!(parsed.segments.len(), 2);
        assert_eq!(parsed.segments[0].start_ms, 1_000);
        assert_eq!(parsed.segments[0].end_ms, 3_500);
        assert!(parsed.segments[0].text.contains("fraudadas"));
        assert_eq!(parsed.segments[0].speaker.as_deref(), Some("Ana"));
        assert_eq!(parsed.segments[1].speaker, None);
        assert_eq!(parsed.segments[1].start_ms, 3_500);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].line, 18);
        assert!(parsed.problems[0].reason.contains("before it starts"));
    }

    #[test]
    fn voices_name_the_speaker() {
        assert_eq!(
            voice("<v Roberto Silva>As urnas</v>").as_deref(),
            Some("Roberto Silva")
        );
        assert_eq!(
            voice("<v.loud.first Ana Lima>Não!").as_deref(),
            Some("Ana Lima")
        );
        assert_eq!(voice("<i>sem voz</i> <c.v>nada</c>"), None);
        assert_eq!(voice("<v>no name</v>"), None);
        assert_eq!(
            voice("<vibe>not a voice</vibe> <v Ana>sim"),
            Some("Ana".into())
        );
        assert_eq!(voice("<v Ana"), None);
    }

    #[test]
    fn missing_header_is_reported_not_fatal() {
        let parsed = parse("00:01.000 --> 00:02.000\nhello\n");
        assert_eq!(parsed.segments.len(), 1);
        assert_eq!(parsed.problems[0].reason, "missing the WEBVTT header");
    }

    proptest! {
        #[test]
        fn never_panics_and_timings_are_ordered(text in "(WEBVTT\n\n)?([0-9:.\\-> a-z\n]{0,60}\n\n){0,6}") {
            for segment in parse(&text).segments {
                prop_assert!(segment.start_ms <= segment.end_ms);
            }
        }
    }
}
