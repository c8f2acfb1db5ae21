//! Caption timestamps: `hh:mm:ss.ttt`, `mm:ss.ttt`, and SRT's comma.

/// Longest timestamp accepted: 100 hours. Anything later is a broken file,
/// not a video.
const MAX_MS: u64 = 100 * 3600 * 1000;

/// Parses one timestamp into milliseconds, or says why it is not one.
pub fn parse_timestamp(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not a timestamp (expected hh:mm:ss.ttt or mm:ss.ttt)");
    let (clock, fraction) = text.split_once(['.', ',']).ok_or_else(bad)?;
    if fraction.is_empty() || fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let millis = fraction.parse::<u64>().map_err(|_| bad())? * 10u64.pow(3 - fraction.len() as u32);
    let parts: Vec<&str> = clock.split(':').collect();
    let numbers = parts
        .iter()
        .map(|p| {
            if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse::<u64>().ok()
            } else {
                None
            }
        })
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(bad)?;
    let (hours, minutes, seconds) = match numbers.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return Err(bad()),
    };
    if minutes >= 60 || seconds >= 60 {
        return Err(bad());
    }
    let total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
    if total > MAX_MS {
        return Err(format!("{text:?} is past the 100-hour limit"));
    }
    Ok(total)
}

/// Parses `start --> end [settings]` into milliseconds.
pub fn parse_timing_line(line: &str) -> Result<(u64, u64), String> {
    let (start, rest) = line
        .split_once("-->")
        .ok_or_else(|| format!("{line:?} has no `-->`"))?;
    let end = rest
        .split_whitespace()
        .next()
        .ok_or_else(|| format!("{line:?} has no end time"))?;
    let start_ms = parse_timestamp(start)?;
    let end_ms = parse_timestamp(end)?;
    if end_ms < start_ms {
        return Err(format!(
            "cue ends ({end}) before it starts ({})",
            start.trim()
        ));
    }
    Ok((start_ms, end_ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_both_shapes() {
        assert_eq!(parse_timestamp("01:02:03.456"), Ok(3_723_456));
        assert_eq!(parse_timestamp("02:03.5"), Ok(123_500));
        assert_eq!(parse_timestamp("00:00:01,250"), Ok(1_250));
        assert_eq!(
            parse_timing_line("00:01.000 --> 00:04.000 align:start line:0%"),
            Ok((1_000, 4_000))
        );
    }

    #[test]
    fn refuses_nonsense_by_name() {
        for bad in [
            "",
            "1:2",
            "00:61:00.000",
            "aa:bb:cc.ddd",
            "00:00:01.",
            "00:00:01.12345",
            "999:00:00.000",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        assert!(
            parse_timing_line("00:05.000 --> 00:01.000")
                .unwrap_err()
                .contains("before it starts")
        );
    }

    proptest! {
        #[test]
        fn never_panics(text in ".{0,40}") {
            let _ = parse_timing_line(&text);
        }

        #[test]
        fn round_trips(ms in 0u64..(99 * 3600 * 1000)) {
            let text = format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
            prop_assert_eq!(parse_timestamp(&text), Ok(ms));
        }
    }
}
