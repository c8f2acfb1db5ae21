//! What a report was restricted to beyond its period and markets, as the
//! page states it: a published figure counted over one partner's checks,
//! confirmed matches only or retellings found by meaning alone must say
//! so where it is read.

use serde_json::json;

use super::group::GroupBy;
use super::locale::Locale;
use super::page::{group_name, key_label};
use crate::hits::HitFilter;
use crate::vocab::Stance;

/// How many ids (videos, claims) the page lists before it says how many
/// more there are.
const LISTED: usize = 10;

/// The names of the restrictions that are not written in the page's
/// other words: videos, stance and its values, and the meaning-alone
/// restriction's name and value.
struct FilterWords {
    videos: &'static str,
    stance: &'static str,
    /// Repeats, refutes, unclear.
    stances: [&'static str; 3],
    matches: &'static str,
    by_meaning_alone: &'static str,
    more: &'static str,
}

const WORDS: [FilterWords; 4] = [
    FilterWords {
        videos: "Videos",
        stance: "Stance",
        stances: ["repeats the claim", "refutes it", "unclear"],
        matches: "Matches",
        by_meaning_alone: "only those found by meaning alone (no word of the claim in the video)",
        more: "more",
    },
    FilterWords {
        videos: "Vídeos",
        stance: "Posição",
        stances: ["repete a alegação", "refuta a alegação", "incerta"],
        matches: "Correspondências",
        by_meaning_alone: "só as encontradas apenas pelo sentido (nenhuma palavra da alegação no vídeo)",
        more: "outros",
    },
    FilterWords {
        videos: "Videos",
        stance: "Postura",
        stances: ["repite la afirmación", "refuta la afirmación", "incierta"],
        matches: "Coincidencias",
        by_meaning_alone: "solo las halladas únicamente por el sentido (ninguna palabra de la afirmación en el video)",
        more: "más",
    },
    FilterWords {
        videos: "Video",
        stance: "Sikap",
        stances: ["mengulang klaim", "membantah klaim", "tidak jelas"],
        matches: "Kecocokan",
        by_meaning_alone: "hanya yang ditemukan lewat makna saja (tidak ada kata dari klaim dalam video)",
        more: "lainnya",
    },
];

/// One restriction as the page's header writes it: its name and the
/// values kept, in `locale`.
pub(super) struct Restriction {
    pub name: String,
    pub values: String,
    /// Whether videos scanned are counted under it too (sources and
    /// languages are; every other restriction applies to matches only).
    pub scanned_too: bool,
}

/// Every restriction of `filter` beyond its period and markets, in the
/// order a reader looks for them.
pub(super) fn restrictions(filter: &HitFilter, locale: Locale) -> Vec<Restriction> {
    let fw = &WORDS[locale.index()];
    let labels = |group: GroupBy, keys: Vec<&str>| -> String {
        keys.into_iter()
            .map(|k| key_label(group, k, locale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ids = |ids: &[String]| -> String {
        let mut text = ids[..ids.len().min(LISTED)].join(", ");
        if ids.len() > LISTED {
            text.push_str(&format!(
                " (+{} {})",
                locale.number((ids.len() - LISTED) as u64),
                fw.more
            ));
        }
        text
    };
    let mut out = Vec::new();
    let mut push = |name: &str, values: String, scanned_too: bool| {
        out.push(Restriction {
            name: name.to_string(),
            values,
            scanned_too,
        });
    };
    let name = |group: GroupBy| group_name(group, locale);
    if !filter.partners.is_empty() {
        push(name(GroupBy::Partner), filter.partners.join(", "), false);
    }
    if !filter.elections.is_empty() {
        push(name(GroupBy::Election), filter.elections.join(", "), false);
    }
    if !filter.topics.is_empty() {
        let topics = filter.topics.iter().map(String::as_str).collect();
        push(name(GroupBy::Topic), labels(GroupBy::Topic, topics), false);
    }
    if !filter.verdicts.is_empty() {
        let verdicts = filter.verdicts.iter().map(|v| v.as_str()).collect();
        push(
            name(GroupBy::Verdict),
            labels(GroupBy::Verdict, verdicts),
            false,
        );
    }
    if !filter.claim_ids.is_empty() {
        push(name(GroupBy::Claim), ids(&filter.claim_ids), false);
    }
    if !filter.languages.is_empty() {
        push(name(GroupBy::Language), filter.languages.join(", "), true);
    }
    if !filter.sources.is_empty() {
        let sources = filter.sources.iter().map(|s| s.as_str()).collect();
        push(
            name(GroupBy::Source),
            labels(GroupBy::Source, sources),
            true,
        );
    }
    if !filter.video_ids.is_empty() {
        push(fw.videos, ids(&filter.video_ids), false);
    }
    if !filter.levels.is_empty() {
        let levels = filter.levels.iter().map(|l| l.as_str()).collect();
        push(name(GroupBy::Level), labels(GroupBy::Level, levels), false);
    }
    if !filter.stances.is_empty() {
        let stances = filter
            .stances
            .iter()
            .map(|s| {
                fw.stances[match s {
                    Stance::Repeats => 0,
                    Stance::Refutes => 1,
                    Stance::Unclear => 2,
                }]
            })
            .collect::<Vec<_>>()
            .join(", ");
        push(fw.stance, stances, false);
    }
    if filter.by_meaning_alone {
        push(fw.matches, fw.by_meaning_alone.to_string(), false);
    }
    if !filter.outcomes.is_empty() {
        let outcomes = filter.outcomes.iter().map(|o| o.as_str()).collect();
        push(
            name(GroupBy::Outcome),
            labels(GroupBy::Outcome, outcomes),
            false,
        );
    }
    out
}

/// The method note's sentence on the restrictions, when there are any:
/// that they are listed at the top, and which of them the videos
/// scanned follow (sources and languages; the others apply to matches
/// only, and a share of videos matched is then one of every video
/// scanned).
pub(super) fn method_sentence(filter: &HitFilter, locale: Locale) -> Option<String> {
    let all = restrictions(filter, locale);
    if all.is_empty() {
        return None;
    }
    let list = |scanned: Option<bool>| -> String {
        all.iter()
            .filter(|r| scanned.is_none_or(|s| r.scanned_too == s))
            .map(|r| r.name.to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (names, followed) = (list(None), list(Some(true)));
    let scans = if followed.is_empty() {
        Scans::NotRestricted
    } else if followed == names {
        Scans::Restricted
    } else {
        Scans::RestrictedBy(followed)
    };
    Some(match (locale, scans) {
        (Locale::En, Scans::Restricted) => format!(
            "Only the videos and matches meeting the restrictions listed at the top ({names}) are counted."
        ),
        (Locale::En, Scans::NotRestricted) => format!(
            "Only the matches meeting the restrictions listed at the top ({names}) are counted; videos scanned are not restricted by them."
        ),
        (Locale::En, Scans::RestrictedBy(by)) => format!(
            "Only the matches meeting the restrictions listed at the top ({names}) are counted; videos scanned are restricted by {by} only."
        ),
        (Locale::Pt, Scans::Restricted) => format!(
            "Só são contados os vídeos e as correspondências que atendem às restrições listadas no topo ({names})."
        ),
        (Locale::Pt, Scans::NotRestricted) => format!(
            "Só são contadas as correspondências que atendem às restrições listadas no topo ({names}); os vídeos analisados não são restritos por elas."
        ),
        (Locale::Pt, Scans::RestrictedBy(by)) => format!(
            "Só são contadas as correspondências que atendem às restrições listadas no topo ({names}); os vídeos analisados são restritos apenas por {by}."
        ),
        (Locale::Es, Scans::Restricted) => format!(
            "Solo se cuentan los videos y las coincidencias que cumplen las restricciones indicadas al inicio ({names})."
        ),
        (Locale::Es, Scans::NotRestricted) => format!(
            "Solo se cuentan las coincidencias que cumplen las restricciones indicadas al inicio ({names}); los videos analizados no están restringidos por ellas."
        ),
        (Locale::Es, Scans::RestrictedBy(by)) => format!(
            "Solo se cuentan las coincidencias que cumplen las restricciones indicadas al inicio ({names}); los videos analizados se restringen solo por {by}."
        ),
        (Locale::Id, Scans::Restricted) => format!(
            "Hanya video dan kecocokan yang memenuhi batasan di bagian atas ({names}) yang dihitung."
        ),
        (Locale::Id, Scans::NotRestricted) => format!(
            "Hanya kecocokan yang memenuhi batasan di bagian atas ({names}) yang dihitung; video yang dipindai tidak dibatasi olehnya."
        ),
        (Locale::Id, Scans::RestrictedBy(by)) => format!(
            "Hanya kecocokan yang memenuhi batasan di bagian atas ({names}) yang dihitung; video yang dipindai hanya dibatasi oleh {by}."
        ),
    })
}

/// Which of a report's restrictions the videos scanned follow.
enum Scans {
    /// All of them.
    Restricted,
    /// None.
    NotRestricted,
    /// Only these (by name).
    RestrictedBy(String),
}

/// The filter as a program reads it: every restriction by its
/// snake_case names, empty where the report is not restricted.
pub(super) fn filter_json(filter: &HitFilter) -> serde_json::Value {
    let names = |names: Vec<&str>| serde_json::Value::from(names);
    json!({
        "markets": filter.markets,
        "partners": filter.partners,
        "elections": filter.elections,
        "topics": filter.topics,
        "verdicts": names(filter.verdicts.iter().map(|v| v.as_str()).collect()),
        "claim_ids": filter.claim_ids,
        "languages": filter.languages,
        "sources": names(filter.sources.iter().map(|s| s.as_str()).collect()),
        "video_ids": filter.video_ids,
        "levels": names(filter.levels.iter().map(|l| l.as_str()).collect()),
        "stances": names(filter.stances.iter().map(|s| s.as_str()).collect()),
        "by_meaning_alone": filter.by_meaning_alone,
        "outcomes": names(filter.outcomes.iter().map(|o| o.as_str()).collect()),
    })
}
