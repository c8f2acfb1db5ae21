//! Times of day, read however they are said.
//!
//! Checks about an election day are often about its hours: the vote
//! extended until 19h, results published before 15.00 WIB, a photo taken
//! at 8h. Checks write the hour in digits; speech transcribed by a
//! platform says it as people do: "até as sete da noite", "jam tiga
//! sore", "a las ocho de la mañana", "7 pm". Each is read here as one
//! word, the hour on a 24-hour clock with an "h" ("19h", "8h30"), which
//! the text is then also searched and compared by (`numbers::with_values`),
//! as amounts are by their values. A time is no amount: "pukul 15.00"
//! says no 15.
//!
//! Written here from how the partners' languages tell the time. What is
//! left out is what does not say which hour: a bare "às sete" or "jam
//! tiga" (seven in the morning or the evening), and durations ("tiga
//! jam", "dos horas").

/// A time of day: hour (0-23) and minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time {
    hour: u32,
    minutes: u32,
}

impl Time {
    /// The word a time is searched by: "19h", "8h30".
    pub fn word(self) -> String {
        match self.minutes {
            0 => format!("{}h", self.hour),
            minutes => format!("{}h{minutes:02}", self.hour),
        }
    }
}

/// Which part of the day a phrase after the hour names.
#[derive(Clone, Copy)]
enum DayPart {
    /// Morning and small hours: the hour as said, 12 is midnight.
    Morning,
    /// Around midday (Indonesian "siang"): 1 to 5 are afternoon hours.
    Midday,
    /// Afternoon and evening: hours under 12 are after noon.
    Afternoon,
    /// Night: 5 to 11 are evening hours, 12 midnight, 1 to 4 the small
    /// hours ("jam 2 malam").
    Night,
}

/// Phrases (folded words) that name the part of the day after an hour.
const DAY_PARTS: &[(&[&str], DayPart)] = &[
    (&["da", "manha"], DayPart::Morning),
    (&["de", "manha"], DayPart::Morning),
    (&["da", "madrugada"], DayPart::Morning),
    (&["de", "madrugada"], DayPart::Morning),
    (&["de", "la", "manana"], DayPart::Morning),
    (&["de", "la", "madrugada"], DayPart::Morning),
    (&["pagi"], DayPart::Morning),
    (&["am"], DayPart::Morning),
    (&["a.m"], DayPart::Morning),
    (&["in", "the", "morning"], DayPart::Morning),
    (&["siang"], DayPart::Midday),
    (&["da", "tarde"], DayPart::Afternoon),
    (&["de", "la", "tarde"], DayPart::Afternoon),
    (&["sore"], DayPart::Afternoon),
    (&["pm"], DayPart::Afternoon),
    (&["p.m"], DayPart::Afternoon),
    (&["in", "the", "afternoon"], DayPart::Afternoon),
    (&["in", "the", "evening"], DayPart::Afternoon),
    (&["da", "noite"], DayPart::Night),
    (&["de", "noite"], DayPart::Night),
    (&["de", "la", "noche"], DayPart::Night),
    (&["malam"], DayPart::Night),
    (&["at", "night"], DayPart::Night),
];

/// Words that say a time follows ("às 15.00", "pukul 15.00"): after one,
/// hours written with minutes are a time. Not "a" (Spanish prices: "a
/// 15,50 el kilo").
const MARKERS: &[&str] = &["as", "las", "ate", "hasta", "pukul", "jam", "at"];

/// Words after which a number alone over 12 is an hour ("jam 15"). Not
/// the Portuguese and Spanish ones: "as 15 seções" are fifteen polling
/// stations.
const HOUR_MARKERS: &[&str] = &["pukul", "jam"];

/// Time zones written after an hour ("15.00 WIB").
const ZONES: &[&str] = &["wib", "wita", "wit"];

/// Words between an hour and its day part: "sete horas da noite", "las
/// ocho en punto de la mañana".
const HOURS: &[&str] = &["hora", "horas", "hrs", "hr", "en", "punto", "tepat"];

/// Midday and midnight said as words, one token or two.
const NAMED: &[(&[&str], u32)] = &[
    (&["meio-dia"], 12),
    (&["meio", "dia"], 12),
    (&["mediodia"], 12),
    (&["noon"], 12),
    (&["meia-noite"], 0),
    (&["meia", "noite"], 0),
    (&["medianoche"], 0),
    (&["midnight"], 0),
    (&["tengah", "malam"], 0),
];

/// The time said from `tokens[at]` (folded words without the marks
/// around them), and how many words it took. Hours said in words count
/// only `in_words` (posts and short videos, as for amounts).
pub fn time_at(tokens: &[&str], at: usize, in_words: bool) -> Option<(Time, usize)> {
    for (phrase, hour) in NAMED {
        if starts(tokens, at, phrase) {
            let time = Time {
                hour: *hour,
                minutes: 0,
            };
            return Some((time, phrase.len()));
        }
    }
    let before = at.checked_sub(1).map(|before| tokens[before]);
    let after_marker = before.is_some_and(|word| MARKERS.contains(&word));
    let after_hour_marker = before.is_some_and(|word| HOUR_MARKERS.contains(&word));
    let (hour, mut minutes, written) = hour_of(tokens[at], in_words)?;
    let mut used = 1;
    // "sete e meia", "ocho y media".
    if minutes == 0
        && matches!(tokens.get(at + 1), Some(&"e" | &"y"))
        && matches!(tokens.get(at + 2), Some(&"meia" | &"media"))
    {
        minutes = 30;
        used += 2;
    }
    let mut next = at + used;
    while tokens.get(next).is_some_and(|t| HOURS.contains(t)) {
        next += 1;
    }
    let part = DAY_PARTS
        .iter()
        .find(|(phrase, _)| starts(tokens, next, phrase));
    let hour = match part {
        Some((phrase, part)) => {
            used = next - at + phrase.len();
            within_day(hour, *part)?
        }
        // An hour with no day part says which hour only when it is written
        // as one ("19h", "19:00", "pukul 15.00", "15.00 WIB") or is past
        // noon after a word that says an hour follows ("jam 15").
        None => {
            let zone = tokens.get(at + used).is_some_and(|t| ZONES.contains(t));
            match written {
                Written::AsTime => {}
                Written::WithMinutes if after_marker || zone => {}
                Written::Digits if after_hour_marker && (13..=23).contains(&hour) => {}
                _ => return None,
            }
            if zone {
                used += 1;
            }
            hour
        }
    };
    (hour < 24 && minutes < 60).then_some((Time { hour, minutes }, used))
}

/// How an hour was written.
#[derive(Clone, Copy, PartialEq)]
enum Written {
    /// Only a clock writes it so: "19h", "19h30", "19:00".
    AsTime,
    /// Hours and minutes with a point or comma: "15.00", "7,30" (an
    /// amount too, unless a marker or a zone says otherwise).
    WithMinutes,
    /// A number alone, in digits or words.
    Digits,
}

/// An hour as one token, its minutes, and how it was written.
fn hour_of(token: &str, in_words: bool) -> Option<(u32, u32, Written)> {
    let digits = |text: &str| {
        (!text.is_empty() && text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u32>().ok())
            .flatten()
    };
    if let Some(hour) = digits(token) {
        return Some((hour, 0, Written::Digits));
    }
    let split = |separators: &[char]| {
        let (hour, minutes) = token.split_once(separators)?;
        Some((digits(hour)?, minutes))
    };
    if let Some((hour, minutes)) = split(&['h']) {
        let minutes = match minutes {
            "" => 0,
            minutes if minutes.len() == 2 => digits(minutes)?,
            _ => return None,
        };
        return Some((hour, minutes, Written::AsTime));
    }
    if let Some((hour, minutes)) = split(&[':']) {
        (minutes.len() == 2).then_some(())?;
        return Some((hour, digits(minutes)?, Written::AsTime));
    }
    if let Some((hour, minutes)) = split(&['.', ',']) {
        (minutes.len() == 2).then_some(())?;
        return Some((hour, digits(minutes)?, Written::WithMinutes));
    }
    if !in_words {
        return None;
    }
    let hour = super::numbers::hour_word(token)?;
    Some((hour, 0, Written::Digits))
}

/// The hour on a 24-hour clock of `hour` said with a part of the day.
fn within_day(hour: u32, part: DayPart) -> Option<u32> {
    if hour > 12 {
        // "19h da noite": already on a 24-hour clock.
        return (hour < 24).then_some(hour);
    }
    Some(match part {
        DayPart::Morning => hour % 12,
        DayPart::Midday => match hour {
            1..=5 => hour + 12,
            _ => hour,
        },
        DayPart::Afternoon => match hour {
            12 => 12,
            _ => hour + 12,
        },
        DayPart::Night => match hour {
            12 | 0 => 0,
            1..=4 => hour,
            _ => hour + 12,
        },
    })
}

fn starts(tokens: &[&str], at: usize, phrase: &[&str]) -> bool {
    tokens.len() >= at + phrase.len() && tokens[at..at + phrase.len()] == *phrase
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The times said in `text`, as their words, read as matching reads
    /// them (`numbers::with_values`).
    fn read(text: &str) -> Vec<String> {
        let folded = crate::text::fold(text);
        super::super::numbers::times(&folded, true)
            .into_iter()
            .map(Time::word)
            .collect()
    }

    #[test]
    fn an_hour_reads_the_same_however_it_is_said() {
        for (text, word) in [
            ("estendeu a votação até as 19h em São Luís", "19h"),
            ("até as sete da noite", "19h"),
            ("até às 7 horas da noite", "19h"),
            ("até as 19:00", "19h"),
            ("hasta las siete de la tarde", "19h"),
            ("hasta las 7 p.m.", "19h"),
            ("until 7 pm", "19h"),
            ("baru boleh diumumkan pukul 15.00 WIB", "15h"),
            ("sebelum jam tiga sore", "15h"),
            ("nyampe jam 3 sore", "15h"),
            ("paling cepat 15.00 WIB", "15h"),
            ("jam 1 siang", "13h"),
            ("jam 11 siang", "11h"),
            ("às oito da manhã", "8h"),
            ("a las ocho de la mañana", "8h"),
            ("às 8h da manhã", "8h"),
            ("jam 2 malam", "2h"),
            ("jam 12 malam", "0h"),
            ("à meia-noite", "0h"),
            ("ao meio dia", "12h"),
            ("às 18h30", "18h30"),
            ("às seis e meia da tarde", "18h30"),
            ("at 3 a.m.", "3h"),
            ("às 15.00", "15h"),
            ("TPS tutup jam 15", "15h"),
        ] {
            assert_eq!(read(text), [word], "{text}");
        }
    }

    #[test]
    fn what_does_not_say_which_hour_is_no_time() {
        for text in [
            // Seven in the morning or the evening.
            "às sete",
            "jam tiga",
            "a las 7",
            "às 19",
            // Fifteen polling stations, a price.
            "as 15 seções",
            "a 15,50 el kilo",
            // Durations, amounts, dates, forms.
            "dua jam setelah pemungutan suara",
            "durante tres horas",
            "R$ 15.00",
            "custa 7,50",
            "06/12/2026",
            "formulario E-14",
            "a 25 km",
            "24h por dia",
            "a las 25",
        ] {
            assert!(read(text).is_empty(), "{text}: {:?}", read(text));
        }
    }
}
