//! A ClaimReview's verdict and dates, read leniently: a broken rating or
//! date costs that field (with a warning), never the claim.

use serde_json::{Map, Value};

use super::fields::{date, field, join, kind, number};
use super::load::Dropped;
use super::verdict::Verdict;

/// Returns an optional date, or `None` with a warning when it is not one:
/// a bad date of the claim or of its check costs the date, not the claim.
pub(super) fn lenient_date(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
    dropped: &mut Dropped,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match date(object, name, path) {
        Ok(at) => at,
        Err(reason) => {
            dropped.push((join(path, name), format!("{reason}; the date is left out")));
            None
        }
    }
}

/// Returns the verdict and wording of a `reviewRating`. The wording
/// (`alternateName`, else `name`) decides when it is known; else the
/// numeric `ratingValue` on its scale. A broken number next to a known
/// wording, or a broken rating with none, costs the verdict (`other`, with
/// a warning), never the claim.
pub(super) fn rating(
    review: &Map<String, Value>,
    dropped: &mut Dropped,
) -> Result<(Verdict, String), String> {
    let Some(rating) = review.get("reviewRating") else {
        return Ok((Verdict::Other, String::new()));
    };
    let Value::Object(rating) = rating else {
        return Err(format!(
            "reviewRating must be an object, found {}",
            kind(rating)
        ));
    };
    let wording = field(rating, "alternateName", "reviewRating")?
        .or(field(rating, "name", "reviewRating")?)
        .unwrap_or_default();
    let from_words = Verdict::from_rating(&wording);
    if from_words != Verdict::Other {
        return Ok((from_words, wording));
    }
    let mut numeric = |name: &str, default: Option<f64>| {
        let path = format!("reviewRating.{name}");
        match number(rating.get(name), &path) {
            Ok(value) => value.or(default),
            Err(reason) => {
                dropped.push((path, format!("{reason}; the verdict is `other`")));
                None
            }
        }
    };
    let (value, best, worst) = (
        numeric("ratingValue", None),
        numeric("bestRating", Some(5.0)),
        numeric("worstRating", Some(1.0)),
    );
    let (Some(value), Some(best), Some(worst)) = (value, best, worst) else {
        return Ok((Verdict::Other, wording));
    };
    match Verdict::from_score(value, worst, best) {
        Some(verdict) => Ok((verdict, wording)),
        None => {
            dropped.push((
                "reviewRating.ratingValue".into(),
                format!("{value} is outside its scale {worst}..{best}; the verdict is `other`"),
            ));
            Ok((Verdict::Other, wording))
        }
    }
}
