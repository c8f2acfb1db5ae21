//! The languages a published report is written in, and how each writes
//! numbers, percentages, dates, months and durations.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Portuguese (Brazil).
    Pt,
    /// Spanish (Latin America).
    Es,
    /// Indonesian.
    Id,
}

const MONTHS: [[&str; 12]; 4] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
];

impl Locale {
    /// Every report language.
    #[cfg(test)]
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Pt, Locale::Es, Locale::Id];

    /// Returns the locale of a BCP 47 tag (`pt`, `pt-BR`, `es-MX`...).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        match crate::text::primary_language(tag).as_str() {
            "en" => Some(Locale::En),
            "pt" => Some(Locale::Pt),
            "es" => Some(Locale::Es),
            "id" => Some(Locale::Id),
            _ => None,
        }
    }

    /// The page's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Pt => "pt-BR",
            Locale::Es => "es",
            Locale::Id => "id",
        }
    }

    /// Position in the tables of words: English, Portuguese, Spanish,
    /// Indonesian.
    pub fn index(self) -> usize {
        self as usize
    }

    fn separators(self) -> (char, char) {
        match self {
            Locale::En => (',', '.'),
            Locale::Pt | Locale::Es | Locale::Id => ('.', ','),
        }
    }

    /// `n` with its thousands grouped: 2,666,000 / 2.666.000.
    pub fn number(self, n: u64) -> String {
        let (group, _) = self.separators();
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(digit);
        }
        out
    }

    /// `x` with `digits` decimals, grouped and with the locale's decimal
    /// mark.
    pub fn decimal(self, x: f64, digits: usize) -> String {
        let (_, mark) = self.separators();
        let text = format!("{:.*}", digits, x.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        out.push_str(&self.number(whole.parse().unwrap_or(0)));
        if !fraction.is_empty() {
            out.push(mark);
            out.push_str(fraction);
        }
        out
    }

    /// A share as a percentage with one decimal: 12.5 % / 12,5 %.
    pub fn percent(self, part: u64, whole: u64) -> String {
        if whole == 0 {
            return "–".to_string();
        }
        // A non-breaking space keeps the sign with its number.
        format!(
            "{}\u{a0}%",
            self.decimal(100.0 * part as f64 / whole as f64, 1)
        )
    }

    /// A calendar day in words: 5 December 2026 / 5 de dezembro de 2026.
    pub fn day(self, day: NaiveDate) -> String {
        let month = MONTHS[self.index()][day.month0() as usize];
        match self {
            Locale::En | Locale::Id => format!("{} {month} {}", day.day(), day.year()),
            Locale::Pt | Locale::Es => format!("{} de {month} de {}", day.day(), day.year()),
        }
    }

    /// A moment, to the minute, in UTC.
    pub fn moment(self, at: DateTime<Utc>) -> String {
        format!("{} {} UTC", self.day(at.date_naive()), at.format("%H:%M"))
    }

    /// A `YYYY-MM` month as a short label: Sep 2022 / set. 2022.
    pub fn month(self, key: &str) -> String {
        let Ok(first) = NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d") else {
            return key.to_string();
        };
        let name = MONTHS[self.index()][first.month0() as usize];
        let short: String = name.chars().take(3).collect();
        let short = match self {
            Locale::En | Locale::Id => short,
            Locale::Pt | Locale::Es => format!("{}.", short.to_lowercase()),
        };
        format!("{short}\u{a0}{}", first.year())
    }

    /// A duration in the unit a reader expects: seconds under a minute,
    /// minutes under an hour, hours under two days, else days.
    pub fn duration(self, ms: u64) -> String {
        let minutes = ms as f64 / 60_000.0;
        let (value, unit) = if minutes < 1.0 {
            (ms as f64 / 1000.0, 3)
        } else if minutes < 60.0 {
            (minutes, 0)
        } else if minutes < 48.0 * 60.0 {
            (minutes / 60.0, 1)
        } else {
            (minutes / (24.0 * 60.0), 2)
        };
        let units = match self {
            Locale::En => ["min", "h", "days", "s"],
            Locale::Pt => ["min", "h", "dias", "s"],
            Locale::Es => ["min", "h", "días", "s"],
            Locale::Id => ["menit", "jam", "hari", "detik"],
        };
        let digits = if value < 10.0 { 1 } else { 0 };
        format!("{}\u{a0}{}", self.decimal(value, digits), units[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_durations_as_each_language_writes_them() {
        assert_eq!(Locale::En.number(2_666_000), "2,666,000");
        assert_eq!(Locale::Pt.number(2_666_000), "2.666.000");
        assert_eq!(Locale::Id.number(999), "999");
        assert_eq!(Locale::En.percent(1, 8), "12.5\u{a0}%");
        assert_eq!(Locale::Es.percent(1, 8), "12,5\u{a0}%");
        assert_eq!(Locale::Pt.percent(1, 0), "–");
        assert_eq!(Locale::Pt.decimal(1234.56, 1), "1.234,6");
        let day = NaiveDate::from_ymd_opt(2022, 9, 2).expect("date");
        assert_eq!(Locale::En.day(day), "2 September 2022");
        assert_eq!(Locale::Pt.day(day), "2 de setembro de 2022");
        assert_eq!(Locale::Es.day(day), "2 de septiembre de 2022");
        assert_eq!(Locale::Id.day(day), "2 September 2022");
        assert_eq!(Locale::Pt.month("2022-03"), "mar.\u{a0}2022");
        assert_eq!(Locale::En.month("2022-10"), "Oct\u{a0}2022");
        assert_eq!(Locale::En.month("not a month"), "not a month");
        assert_eq!(Locale::En.duration(90_000), "1.5\u{a0}min");
        assert_eq!(Locale::Es.duration(870), "0,9\u{a0}s");
        assert_eq!(Locale::Pt.duration(5 * 3_600_000), "5,0\u{a0}h");
        assert_eq!(Locale::Id.duration(3 * 86_400_000), "3,0\u{a0}hari");
        assert_eq!(Locale::from_tag("pt-BR"), Some(Locale::Pt));
        assert_eq!(Locale::from_tag("de"), None);
    }
}
