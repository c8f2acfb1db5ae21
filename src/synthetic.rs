//! Deterministic synthetic claims, posts and transcripts for scaling runs
//! (`claimsignal bench --synthetic`) and the criterion benches.
//!
//! Claims are election falsehoods assembled from per-language phrase lists
//! (subject, act, number, object, place, moment) in English, Portuguese,
//! Spanish, Indonesian and French, so their vocabulary has the skew of real
//! claims: a few words everywhere, most words rare. The same seed always
//! gives the same corpus.

mod everyday;
mod words;

pub(crate) use everyday::EVERYDAY;
use words::{FIRST_NAMES, LANGUAGES, LAST_NAMES, PARTIES, PLACES};

use crate::captions::Segment;

/// One synthetic claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticClaim {
    /// A stable id (`syn-<n>`).
    pub id: String,
    /// The claim.
    pub text: String,
    /// Its language code.
    pub language: &'static str,
    /// The claim reworded: its number, object and place first, the
    /// subject and act after, the moment left out.
    pub reworded: String,
}

/// Generates claims, posts and transcripts from a seed.
#[derive(Debug, Clone, Copy)]
pub struct Generator {
    seed: u64,
}

impl Generator {
    /// A generator; the same seed always gives the same output.
    pub fn new(seed: u64) -> Self {
        Generator { seed }
    }

    fn rng(&self, stream: u64, n: u64) -> fastrand::Rng {
        // Each item has its own generator, so item n never depends on how
        // many came before it (corpora of any size share their prefix).
        fastrand::Rng::with_seed(
            self.seed
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .wrapping_add(stream.wrapping_mul(0xbf58_476d_1ce4_e5b9))
                .wrapping_add(n),
        )
    }

    /// Claim number `n`.
    pub fn claim(&self, n: u64) -> SyntheticClaim {
        self.claim_in(n, None)
    }

    /// Claim number `n`, or the same claim (same subject, act, number,
    /// object, place and moment) said in language `language` of the
    /// phrase lists, which are parallel: a translation.
    fn claim_in(&self, n: u64, language: Option<usize>) -> SyntheticClaim {
        let mut rng = self.rng(1, n);
        let own = rng.usize(..LANGUAGES.len());
        let phrases = &LANGUAGES[language.unwrap_or(own)];
        let fill = |template: &str, rng: &mut fastrand::Rng| {
            template
                .replace(
                    "{name}",
                    &format!(
                        "{} {}",
                        FIRST_NAMES[rng.usize(..FIRST_NAMES.len())],
                        LAST_NAMES[rng.usize(..LAST_NAMES.len())]
                    ),
                )
                .replace("{place}", PLACES[rng.usize(..PLACES.len())])
                .replace("{party}", PARTIES[rng.usize(..PARTIES.len())])
        };
        let subject = fill(
            phrases.subjects[rng.usize(..phrases.subjects.len())],
            &mut rng,
        );
        let act = phrases.acts[rng.usize(..phrases.acts.len())];
        // Counts spread over orders of magnitude, as claimed numbers are.
        let count = 10u64.pow(rng.u32(1..6)) * rng.u64(1..10) + rng.u64(0..1000);
        let object = phrases.objects[rng.usize(..phrases.objects.len())];
        let place = PLACES[rng.usize(..PLACES.len())];
        let moment = phrases.moments[rng.usize(..phrases.moments.len())];
        SyntheticClaim {
            id: format!("syn-{n}"),
            text: format!(
                "{subject} {act} {count} {object} {} {place} {moment}.",
                phrases.place_word
            ),
            language: phrases.code,
            reworded: format!(
                "{count} {object} {} {place}: {} {act}",
                phrases.place_word,
                subject.to_lowercase()
            ),
        }
    }

    /// Claims `range` as JSON Lines (the `load` format).
    pub fn claims_jsonl(&self, range: std::ops::Range<u64>) -> Vec<u8> {
        let mut out = Vec::with_capacity((range.end - range.start) as usize * 140);
        for n in range {
            let claim = self.claim(n);
            let line = serde_json::json!({
                "id": claim.id,
                "text": claim.text,
                "language": claim.language,
                "rating": "False",
            });
            out.extend_from_slice(line.to_string().as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// A tweet-length post: one of the first `claims` claims, reworded a
    /// little (moment dropped, a hashtag added), or, for every fourth post,
    /// talk that repeats no claim.
    pub fn post(&self, n: u64, claims: u64) -> (String, &'static str) {
        let mut rng = self.rng(2, n);
        let claim = self.claim(rng.u64(..claims.max(1)));
        let phrases = LANGUAGES
            .iter()
            .find(|p| p.code == claim.language)
            .unwrap_or(&LANGUAGES[0]);
        if n % 4 == 3 {
            let a = phrases.talk[rng.usize(..phrases.talk.len())];
            let b = phrases.talk[rng.usize(..phrases.talk.len())];
            return (format!("{a} {b}"), claim.language);
        }
        let text = claim.text.trim_end_matches('.');
        let cut = phrases
            .moments
            .iter()
            .find_map(|m| text.strip_suffix(m))
            .unwrap_or(text)
            .trim_end();
        (
            format!("{cut}!! #eleicoes2026 #fraude {}", phrases.talk[0]),
            claim.language,
        )
    }

    /// A caption from traffic as a platform sees it: nine in ten are about
    /// everyday things (cooking, football, travel...) and repeat no claim;
    /// the tenth is about one of the first `claims` claims, in turn said
    /// nearly word for word, reworded in its own language (order changed,
    /// moment and subject dropped, chatter around it), or said in another
    /// language (the claim's words translated through the parallel phrase
    /// lists). Returns the caption, its language, and whether it is about
    /// a claim.
    pub fn mixed(&self, n: u64, claims: u64) -> (String, &'static str, bool) {
        let mut rng = self.rng(4, n);
        if !n.is_multiple_of(10) {
            let at = rng.usize(..LANGUAGES.len());
            let lines = EVERYDAY[at];
            let a = lines[rng.usize(..lines.len())];
            let b = lines[rng.usize(..lines.len())];
            let talk = LANGUAGES[at].talk[rng.usize(..LANGUAGES[at].talk.len())];
            return (format!("{talk} {a} {b}"), LANGUAGES[at].code, false);
        }
        let which = rng.u64(..claims.max(1));
        let claim = self.claim(which);
        let own = LANGUAGES
            .iter()
            .position(|p| p.code == claim.language)
            .unwrap_or(0);
        let phrases = &LANGUAGES[own];
        let talk = phrases.talk[rng.usize(..phrases.talk.len())];
        let text = match (n / 10) % 3 {
            0 => format!("{}!! {talk}", claim.text.trim_end_matches('.')),
            1 => format!("{talk} {}", claim.reworded),
            _ => {
                let other = (own + 1 + rng.usize(..LANGUAGES.len() - 1)) % LANGUAGES.len();
                let said = self.claim_in(which, Some(other));
                let talk = LANGUAGES[other].talk[rng.usize(..LANGUAGES[other].talk.len())];
                return (format!("{talk} {}", said.text), said.language, true);
            }
        };
        (text, claim.language, true)
    }

    /// A 60-second speech transcript of about 150 words as timed segments;
    /// every second one repeats one of the first `claims` claims somewhere
    /// in the middle.
    pub fn transcript(&self, n: u64, claims: u64) -> (Vec<Segment>, &'static str) {
        let mut rng = self.rng(3, n);
        let claim = self.claim(rng.u64(..claims.max(1)));
        let phrases = LANGUAGES
            .iter()
            .find(|p| p.code == claim.language)
            .unwrap_or(&LANGUAGES[0]);
        let mut sentences: Vec<&str> = Vec::new();
        let mut words = 0;
        while words < 150 {
            let sentence = phrases.talk[rng.usize(..phrases.talk.len())];
            words += sentence.split_whitespace().count();
            sentences.push(sentence);
        }
        if n.is_multiple_of(2) {
            let at = rng.usize(1..sentences.len());
            sentences.insert(at, &claim.text);
        }
        let all: Vec<&str> = sentences
            .iter()
            .flat_map(|s| s.split_whitespace())
            .collect();
        let per_word_ms = 60_000 / all.len().max(1) as u64;
        let segments = all
            .chunks(7)
            .enumerate()
            .map(|(i, chunk)| {
                let start_ms = (i * 7) as u64 * per_word_ms;
                Segment {
                    start_ms,
                    end_ms: start_ms + chunk.len() as u64 * per_word_ms,
                    text: chunk.join(" "),
                    speaker: None,
                }
            })
            .collect();
        (segments, claim.language)
    }

    /// The same transcript as an SRT file.
    pub fn transcript_srt(&self, n: u64, claims: u64) -> (String, &'static str) {
        let (segments, language) = self.transcript(n, claims);
        let stamp = |ms: u64| {
            format!(
                "{:02}:{:02}:{:02},{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        let mut srt = String::new();
        for (i, segment) in segments.iter().enumerate() {
            srt.push_str(&format!(
                "{}\n{} --> {}\n{}\n\n",
                i + 1,
                stamp(segment.start_ms),
                stamp(segment.end_ms),
                segment.text
            ));
        }
        (srt, language)
    }
}

#[cfg(test)]
mod tests;
