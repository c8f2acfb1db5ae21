//! File formats partners load, detected from the content, and the HTML and
//! CSV importers. JSON Lines and JSON-LD live in their own modules.

use serde_json::{Map, Value};

use super::ClaimFormat;
use super::claimreview;
use super::jsonl;
use super::load::{LoadDefaults, MAX_RECORD_BYTES, ParsedClaim, ParsedFile, Rejection, Warning};

/// Returns the format of a file from its first bytes and, for JSON, its shape.
pub fn detect(bytes: &[u8]) -> ClaimFormat {
    match first_byte(bytes) {
        Some(b'<') => ClaimFormat::Html,
        Some(b'{') | Some(b'[') => match serde_json::from_slice::<Value>(strip_bom(bytes)) {
            Ok(document) => json_format(&document),
            Err(_) => ClaimFormat::Jsonl,
        },
        _ => ClaimFormat::Csv,
    }
}

fn first_byte(bytes: &[u8]) -> Option<u8> {
    strip_bom(bytes)
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

/// The format of a file that is one JSON document.
fn json_format(document: &Value) -> ClaimFormat {
    match document {
        Value::Object(object) if object.get("claims").is_some_and(Value::is_array) => {
            ClaimFormat::FactCheckTools
        }
        Value::Object(object)
            if ["@type", "@graph", "@context", "dataFeedElement"]
                .iter()
                .any(|k| object.contains_key(*k)) =>
        {
            ClaimFormat::JsonLd
        }
        Value::Array(_) => ClaimFormat::JsonLd,
        // A single plain object is a one-line JSON Lines file.
        _ => ClaimFormat::Jsonl,
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn file_rejection(reason: String) -> ParsedFile {
    ParsedFile {
        claims: Vec::new(),
        rejections: vec![Rejection {
            line: 0,
            position: "file".into(),
            claim_id: String::new(),
            reason,
        }],
        warnings: Vec::new(),
    }
}

/// Returns the text of a one-document file (JSON-LD, HTML). Bytes that
/// are not UTF-8 become U+FFFD with a warning naming the first offset: one
/// bad byte in a partner's export must not cost every good record of it.
fn text_of(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, Option<Warning>) {
    let bytes = strip_bom(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), None),
        Err(err) => {
            let warning = Warning {
                line: 0,
                position: "file".into(),
                claim_id: String::new(),
                field: "encoding".into(),
                message: format!(
                    "the file is not valid UTF-8 (first bad byte at offset {}): bad bytes were read as U+FFFD; re-save it as UTF-8",
                    err.valid_up_to()
                ),
            };
            (String::from_utf8_lossy(bytes), Some(warning))
        }
    }
}

/// Parses a file in `format` (detected when `Auto`) and hands its records
/// to `visit` in file order, in batches of at most `batch` records. A JSON
/// Lines file, the format of bulk exports, is read a batch at a time, so a
/// load's memory stays a small multiple of the file's bytes however many
/// records it holds; the other formats are one document, parsed whole.
/// A file of over `max_records` records is refused before any batch.
pub fn parse_in_batches(
    bytes: &[u8],
    format: ClaimFormat,
    defaults: &LoadDefaults,
    batch: usize,
    max_records: usize,
    mut visit: impl FnMut(ParsedFile) -> crate::error::Result<()>,
) -> crate::error::Result<()> {
    let too_many = |records: usize| {
        crate::error::Error::ResourceExhausted(format!(
            "the file holds {records} records, over max_claims_per_load ({max_records}); split it"
        ))
    };
    let format = resolve(bytes, format);
    if !matches!(format, ClaimFormat::Auto | ClaimFormat::Jsonl) {
        let parsed = parse(bytes, format, defaults);
        if parsed.len() > max_records {
            return Err(too_many(parsed.len()));
        }
        return visit(parsed);
    }
    let records = jsonl::count_records(bytes);
    if records > max_records {
        return Err(too_many(records));
    }
    let mut pending = ParsedFile::default();
    let mut failed = None;
    jsonl::parse_each(bytes, defaults, |record| {
        pending.push(record);
        if pending.len() < batch.max(1) {
            return true;
        }
        match visit(std::mem::take(&mut pending)) {
            Ok(()) => true,
            Err(err) => {
                failed = Some(err);
                false
            }
        }
    });
    match failed {
        Some(err) => Err(err),
        None if pending.is_empty() => Ok(()),
        None => visit(pending),
    }
}

fn resolve(bytes: &[u8], format: ClaimFormat) -> ClaimFormat {
    if format == ClaimFormat::Auto {
        detect(bytes)
    } else {
        format
    }
}

/// Parses a file in `format` (detected when `Auto`).
pub fn parse(bytes: &[u8], format: ClaimFormat, defaults: &LoadDefaults) -> ParsedFile {
    let format = resolve(bytes, format);
    match format {
        ClaimFormat::Auto | ClaimFormat::Jsonl => jsonl::parse(bytes, defaults),
        ClaimFormat::Csv => parse_csv(bytes, defaults),
        ClaimFormat::Html => {
            let (text, warning) = text_of(bytes);
            let mut parsed = parse_html(&text, defaults);
            parsed.warnings.splice(0..0, warning);
            parsed
        }
        ClaimFormat::JsonLd | ClaimFormat::FactCheckTools => {
            let (text, warning) = text_of(bytes);
            let mut parsed = match serde_json::from_str::<Value>(&text) {
                Ok(document) => {
                    let mut parsed = parse_document(&document, format, defaults);
                    number_lines(&text, &mut parsed);
                    parsed
                }
                Err(err) => file_rejection(format!("not valid JSON: {err}")),
            };
            parsed.warnings.splice(0..0, warning);
            parsed
        }
    }
}

/// Gives the records of a one-document JSON file the line each opens on.
fn number_lines(text: &str, parsed: &mut ParsedFile) {
    let positions: Vec<&str> = (parsed.claims.iter().map(|c| c.position.as_str()))
        .chain(parsed.rejections.iter().map(|r| r.position.as_str()))
        .collect();
    let lines = super::locate::object_lines(text, &positions);
    let line_of = |position: &str| lines.get(position).copied().unwrap_or(0);
    for claim in &mut parsed.claims {
        claim.line = line_of(&claim.position);
    }
    for rejection in &mut parsed.rejections {
        rejection.line = line_of(&rejection.position);
    }
    for warning in &mut parsed.warnings {
        warning.line = line_of(&warning.position);
    }
}

fn parse_document(document: &Value, format: ClaimFormat, defaults: &LoadDefaults) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    if format == ClaimFormat::FactCheckTools {
        claimreview::parse_fact_check_tools(document, defaults, &mut parsed);
    } else {
        claimreview::parse_value(document, "", defaults, &mut parsed);
    }
    if parsed.claims.is_empty() && parsed.rejections.is_empty() {
        return file_rejection("no ClaimReview found in the document".into());
    }
    parsed
}

/// Takes every ClaimReview from the page's `<script type="application/ld+json">`
/// blocks; everything else on the page is ignored.
fn parse_html(page: &str, defaults: &LoadDefaults) -> ParsedFile {
    let lower = page.to_ascii_lowercase();
    let mut parsed = ParsedFile::default();
    let mut blocks = 0;
    let mut from = 0;
    while let Some(open) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[open..].find('>').map(|i| i + open) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        from = close + "</script".len();
        if !lower[open..tag_end].contains("application/ld+json") {
            continue;
        }
        let position = format!("script[{blocks}]");
        blocks += 1;
        match serde_json::from_str::<Value>(page[tag_end + 1..close].trim()) {
            Ok(document) => claimreview::parse_value(&document, &position, defaults, &mut parsed),
            Err(err) => parsed.rejections.push(Rejection {
                line: 0,
                position,
                claim_id: String::new(),
                reason: format!("JSON-LD block is not valid JSON: {err}"),
            }),
        }
    }
    if blocks == 0 {
        return file_rejection(
            "the page has no <script type=\"application/ld+json\"> block".into(),
        );
    }
    if parsed.claims.is_empty() && parsed.rejections.is_empty() {
        return file_rejection("the page's JSON-LD holds no ClaimReview".into());
    }
    parsed
}

/// The CSV column names accepted for each claim field (compared lowercased).
const CSV_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["id", "identifier", "claim_id"]),
    (
        "text",
        &[
            "text",
            "claim",
            "claimreviewed",
            "claim_reviewed",
            "claim_text",
        ],
    ),
    ("title", &["title", "headline"]),
    ("language", &["language", "lang", "inlanguage"]),
    ("verdict", &["verdict"]),
    (
        "rating_text",
        &[
            "rating",
            "rating_text",
            "textual_rating",
            "textualrating",
            "alternatename",
        ],
    ),
    ("review_url", &["review_url", "url", "source_url"]),
    ("claimant", &["claimant", "speaker", "author"]),
    ("claim_date", &["claim_date"]),
    (
        "review_date",
        &["review_date", "date_published", "datepublished"],
    ),
    ("markets", &["markets", "market", "country"]),
    ("elections", &["elections", "election"]),
    ("valid_from", &["valid_from"]),
    ("valid_until", &["valid_until"]),
    ("keywords", &["keywords"]),
    ("topic", &["topic", "tema", "topico", "tópico", "category"]),
    ("explanation", &["explanation", "rating_explanation"]),
];

/// Fields that hold lists; their cells are split on `|`.
const CSV_LISTS: &[&str] = &["markets", "elections", "keywords"];

/// Reads CSV with a header row; `;` or `,` is chosen from the header.
fn parse_csv(bytes: &[u8], defaults: &LoadDefaults) -> ParsedFile {
    let body = strip_bom(bytes);
    let header_line = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header_line.iter().filter(|b| **b == d).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let headers = match reader.byte_headers() {
        Ok(headers) => headers.clone(),
        Err(err) => return file_rejection(format!("cannot read the CSV header: {err}")),
    };
    let columns: Vec<Option<&'static str>> = headers
        .iter()
        .map(|name| {
            let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
            CSV_COLUMNS
                .iter()
                .find(|(_, aliases)| aliases.contains(&name.as_str()))
                .map(|(field, _)| *field)
        })
        .collect();
    if !columns.contains(&Some("text")) {
        return file_rejection(
            "the CSV header has no claim text column (text, claim or claimReviewed)".into(),
        );
    }
    let mut parsed = ParsedFile::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line() + 1;
        let position = format!("line {line}");
        let reject = |claim_id: String, reason: String| Rejection {
            line,
            position: position.clone(),
            claim_id,
            reason,
        };
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                parsed
                    .rejections
                    .push(reject(String::new(), format!("not valid CSV: {err}")));
                if err.is_io_error() {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let reject = |claim_id: String, reason: String| Rejection {
            line,
            position: format!("line {line}"),
            claim_id,
            reason,
        };
        if record.as_slice().len() > MAX_RECORD_BYTES {
            parsed.rejections.push(reject(
                String::new(),
                format!("record is over the limit of {MAX_RECORD_BYTES} bytes"),
            ));
            continue;
        }
        let mut object = Map::new();
        let mut bad_utf8 = None;
        for (cell, column) in record.iter().zip(&columns) {
            let Some(field) = column else { continue };
            let Ok(text) = std::str::from_utf8(cell) else {
                bad_utf8 = Some(*field);
                break;
            };
            let value = if CSV_LISTS.contains(field) {
                Value::Array(
                    text.split('|')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.into()))
                        .collect(),
                )
            } else if text.trim().is_empty() {
                Value::Null
            } else {
                Value::String(text.to_string())
            };
            object.insert((*field).to_string(), value);
        }
        if let Some(field) = bad_utf8 {
            parsed.rejections.push(reject(
                String::new(),
                format!("column {field} is not valid UTF-8; re-save the file as UTF-8"),
            ));
            continue;
        }
        let raw = Value::Object(object.clone()).to_string();
        match jsonl::claim_from_object(&object, defaults) {
            Ok((claim, dropped)) => {
                let position = format!("line {line}");
                let warnings = super::load::warnings(line, &position, &claim.id, dropped);
                parsed.warnings.extend(warnings);
                parsed.claims.push(ParsedClaim {
                    line,
                    position,
                    claim,
                    raw,
                });
            }
            Err((claim_id, reason)) => parsed.rejections.push(reject(claim_id, reason)),
        }
    }
    parsed
}

#[cfg(test)]
mod tests;
