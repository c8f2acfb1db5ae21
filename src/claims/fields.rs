//! Reading a JSON-LD object's fields: text, numbers and dates, with the
//! path of a field that is not what it should be.

use serde_json::{Map, Value};

use crate::text::parse_date;

pub(super) fn join(prefix: &str, step: &str) -> String {
    match (prefix.is_empty(), step.starts_with('[')) {
        (true, _) => step.to_string(),
        (false, true) => format!("{prefix}{step}"),
        (false, false) => format!("{prefix}.{step}"),
    }
}

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

pub(super) fn field(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<String>, String> {
    object
        .get(name)
        .map_or(Ok(None), |value| text_of(value, &join(path, name)))
}

pub(super) fn number(value: Option<&Value>, path: &str) -> Result<Option<f64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("{path} is not a number: {s:?}")),
        Some(other) => Err(format!("{path} is not a number: found {}", kind(other))),
    }
}

pub(super) fn date(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    let Some(text) = field(object, name, path)? else {
        return Ok(None);
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_date(&text)
        .map(Some)
        .ok_or_else(|| format!("{} is not a date: {text:?}", join(path, name)))
}

/// Typed reads with refusals that name the field by its path.
fn text_of(value: &Value, path: &str) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(format!("{path} must be text, found {}", kind(other))),
    }
}
