//! Whisper `verbose_json`: `{language, segments: [{start, end, text}]}`,
//! times in seconds as floats.

use serde::Deserialize;

use super::{CueProblem, ParsedCaptions, Segment};

#[derive(Deserialize)]
struct WhisperFile {
    #[serde(default)]
    language: Option<String>,
    segments: Vec<serde_json::Value>,
}

/// The language code for a language as Whisper writes it: a code (`en`)
/// stays as it is, an English name (`portuguese`) of a partner's language
/// becomes its code.
pub fn language_code(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "english" => "en".into(),
        "portuguese" => "pt".into(),
        "spanish" => "es".into(),
        "french" => "fr".into(),
        "indonesian" => "id".into(),
        other => other.into(),
    }
}

/// Longest time accepted, in seconds (100 hours).
const MAX_SECONDS: f64 = 100.0 * 3600.0;

/// Parses a Whisper transcript; returns its declared language (as Whisper
/// writes it, e.g. `en` or `english`) and its segments. A file that is not
/// such an object is an error; a broken segment is reported and skipped.
pub fn parse(text: &str) -> Result<(Option<String>, ParsedCaptions), String> {
    let file: WhisperFile = serde_json::from_str(text)
        .map_err(|err| format!("not a Whisper verbose_json file: {err}"))?;
    let mut parsed = ParsedCaptions::default();
    for (i, value) in file.segments.iter().enumerate() {
        match segment(value) {
            Ok(segment) => parsed.segments.push(segment),
            Err(reason) => parsed.problems.push(CueProblem {
                line: 0,
                reason: format!("segments[{i}]: {reason}"),
            }),
        }
    }
    Ok((file.language, parsed))
}

fn segment(value: &serde_json::Value) -> Result<Segment, String> {
    let seconds = |name: &str| -> Result<u64, String> {
        let value = value
            .get(name)
            .and_then(serde_json::Value::as_f64)
            .ok_or_else(|| format!("`{name}` is not a number"))?;
        if !(0.0..=MAX_SECONDS).contains(&value) {
            return Err(format!(
                "`{name}` {value} is outside 0..{MAX_SECONDS} seconds"
            ));
        }
        Ok((value * 1000.0).round() as u64)
    };
    let start_ms = seconds("start")?;
    let end_ms = seconds("end")?;
    if end_ms < start_ms {
        return Err("ends before it starts".into());
    }
    let text = value
        .get("text")
        .and_then(serde_json::Value::as_str)
        .ok_or("`text` is not a string")?;
    // Diarised output (WhisperX and the like) names a speaker per segment.
    let speaker = value
        .get("speaker")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    Ok(Segment {
        start_ms,
        end_ms,
        text: text.to_string(),
        speaker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_seconds_as_milliseconds() {
        let text = r#"{"language": "id", "segments": [{"start": 0.0, "end": 2.48, "text": " Surat suara"}, {"start": 3, "end": 1, "text": "x"}, {"start": 2.5, "end": 4.0, "text": " sudah dicoblos"}]}"#;
        let (language, parsed) = parse(text).unwrap();
        assert_eq!(language.as_deref(), Some("id"));
        assert_eq!(parsed.segments.len(), 2);
        assert_eq!(parsed.segments[0].end_ms, 2_480);
        assert_eq!(
            parsed.problems[0].reason,
            "segments[1]: ends before it starts"
        );
        assert!(parse("[1, 2]").is_err());
    }

    #[test]
    fn reads_the_speaker_of_diarised_segments() {
        let text = r#"{"segments": [{"start": 0, "end": 1, "text": "Halo", "speaker": "Budi Santoso"}, {"start": 1, "end": 2, "text": "semua"}]}"#;
        let (_, parsed) = parse(text).unwrap();
        assert_eq!(parsed.segments[0].speaker.as_deref(), Some("Budi Santoso"));
        assert_eq!(parsed.segments[1].speaker, None);
    }

    proptest! {
        #[test]
        fn never_panics(text in ".{0,200}") {
            let _ = parse(&text);
        }
    }
}
