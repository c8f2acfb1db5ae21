//! Line numbers for records of a one-document JSON file: a partner
//! fixing a refused ClaimReview wants the line, not only its JSON path
//! (`dataFeedElement[12].item[0]`). The parsed document keeps no
//! positions, so the text is walked once more, following the path of
//! every value, and the line where each wanted object opens is noted.

use std::collections::HashMap;

/// Deeper than this, the walk stops: a document serde_json parsed is at
/// most 128 levels deep, and each level holds its path (a hostile file
/// nested 100,000 deep would otherwise hold paths quadratic in its depth).
const MAX_DEPTH: usize = 256;

/// One level of the walk: an object (the key of the value being read, if
/// any) or an array (the index of the next element).
enum Level {
    Object { key: Option<String> },
    Array { next: usize },
}

/// Returns the path of the value about to be read inside `levels`' last
/// container.
fn child_path(levels: &[(Level, String)]) -> Option<String> {
    let (level, path) = levels.last()?;
    let path = if path == "$" { "" } else { path.as_str() };
    Some(match level {
        Level::Object { key: Some(key) } if path.is_empty() => key.clone(),
        Level::Object { key: Some(key) } => format!("{path}.{key}"),
        Level::Object { key: None } => return None,
        Level::Array { next } => format!("{path}[{next}]"),
    })
}

/// Returns, for each of `wanted` positions, the 1-based line where the
/// object at that path opens in `text`. Positions not found (or not
/// objects) are absent. Malformed text gives what was found before it.
pub fn object_lines(text: &str, wanted: &[&str]) -> HashMap<String, u64> {
    let wanted: std::collections::HashSet<&str> = wanted.iter().copied().collect();
    let mut found = HashMap::new();
    // Each open container, with its own path.
    let mut levels: Vec<(Level, String)> = Vec::new();
    let bytes = text.as_bytes();
    let (mut i, mut line) = (0usize, 1u64);
    // The path the next value takes (the root's is `$`).
    let next_path = |levels: &Vec<(Level, String)>| match levels.is_empty() {
        true => Some("$".to_string()),
        false => child_path(levels),
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                // A string: a key when an object waits for one, else a value.
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    } else if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                let content = text.get(start..i.min(bytes.len())).unwrap_or("");
                if let Some((Level::Object { key }, _)) = levels.last_mut()
                    && key.is_none()
                {
                    let decoded: Option<String> =
                        serde_json::from_str(&format!("\"{content}\"")).ok();
                    *key = Some(decoded.unwrap_or_else(|| content.to_string()));
                    // The key's value follows its colon; nothing else to do.
                    i += 1;
                    continue;
                }
            }
            b'{' | b'[' => {
                let Some(path) = next_path(&levels) else {
                    return found;
                };
                if bytes[i] == b'{' && wanted.contains(path.as_str()) {
                    found.insert(path.clone(), line);
                }
                if levels.len() >= MAX_DEPTH {
                    return found;
                }
                let level = if bytes[i] == b'{' {
                    Level::Object { key: None }
                } else {
                    Level::Array { next: 0 }
                };
                levels.push((level, path));
            }
            b'}' | b']' => {
                levels.pop();
            }
            b',' => match levels.last_mut() {
                Some((Level::Object { key }, _)) => *key = None,
                Some((Level::Array { next }, _)) => *next += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_each_record_opens_on() {
        let text = r#"{"@type": "DataFeed",
  "name": "a \"quoted\" } ] name, with , commas",
  "dataFeedElement": [
    {"item": [
      {"@type": "ClaimReview", "claimReviewed": "uno"},
      {"@type": "ClaimReview",
       "claimReviewed": "dos"}
    ]},
    {"item": {"@type": "ClaimReview"}}
  ]
}"#;
        let lines = object_lines(
            text,
            &[
                "dataFeedElement[0].item[0]",
                "dataFeedElement[0].item[1]",
                "dataFeedElement[1].item",
                "dataFeedElement[2]",
                "$",
            ],
        );
        assert_eq!(lines.get("$"), Some(&1));
        assert_eq!(lines.get("dataFeedElement[0].item[0]"), Some(&5));
        assert_eq!(lines.get("dataFeedElement[0].item[1]"), Some(&6));
        assert_eq!(lines.get("dataFeedElement[1].item"), Some(&9));
        assert_eq!(lines.get("dataFeedElement[2]"), None);
    }

    #[test]
    fn the_walk_stops_past_its_depth() {
        // An object 300 levels down: past `MAX_DEPTH`, so not looked for
        // (a hostile file nested 100,000 deep would otherwise hold paths
        // quadratic in its depth); 200 levels down, found.
        let nested = |depth: usize| "[".repeat(depth) + "{}" + &"]".repeat(depth);
        let path = |depth: usize| "[0]".repeat(depth);
        assert_eq!(
            object_lines(&nested(200), &[&path(200)]).get(&path(200)),
            Some(&1)
        );
        assert!(object_lines(&nested(300), &[&path(300)]).is_empty());
    }

    #[test]
    fn arrays_at_the_root_and_graphs() {
        let text = "[\n {\"@graph\": [\n  {\"a\": 1},\n  {\"b\": [1, {\"c\": 2}]}\n ]}\n]";
        let lines = object_lines(text, &["[0]", "[0].@graph[1]", "[0].@graph[1].b[1]"]);
        assert_eq!(lines.get("[0]"), Some(&2));
        assert_eq!(lines.get("[0].@graph[1]"), Some(&4));
        assert_eq!(lines.get("[0].@graph[1].b[1]"), Some(&4));
    }
}
